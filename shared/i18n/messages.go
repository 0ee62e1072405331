package i18n

// Generic titles and details of the error codes, and the validation rules.
func init() {
	Register(map[string]map[Lang]string{
		// Titles per error code (apperr.Code).
		"title.invalid":                {FR: "Requête invalide", AR: "طلب غير صالح"},
		"title.unsupported_media_type": {FR: "Format non pris en charge", AR: "صيغة غير مدعومة"},
		"title.too_large":              {FR: "Requête trop volumineuse", AR: "الطلب كبير جدًا"},
		"title.unauthorized":           {FR: "Authentification requise", AR: "المصادقة مطلوبة"},
		"title.forbidden":              {FR: "Accès refusé", AR: "الوصول مرفوض"},
		"title.not_found":              {FR: "Introuvable", AR: "غير موجود"},
		"title.conflict":               {FR: "Conflit", AR: "تعارض"},
		"title.unprocessable":          {FR: "Requête non traitable", AR: "طلب غير قابل للمعالجة"},
		"title.unavailable":            {FR: "Service momentanément indisponible", AR: "الخدمة غير متاحة مؤقتًا"},
		"title.internal":               {FR: "Erreur interne", AR: "خطأ داخلي"},

		// Generic details per code.
		"detail.invalid":                {FR: "La requête contient des erreurs.", AR: "يحتوي الطلب على أخطاء."},
		"detail.unsupported_media_type": {FR: "Le corps de la requête doit être au format JSON (application/json).", AR: "يجب أن يكون متن الطلب بصيغة JSON (application/json)."},
		"detail.too_large":              {FR: "Le corps de la requête dépasse la taille maximale de {max} octets.", AR: "يتجاوز متن الطلب الحجم الأقصى البالغ {max} بايت."},
		"detail.unauthorized":           {FR: "Veuillez vous connecter.", AR: "يرجى تسجيل الدخول."},
		"detail.forbidden":              {FR: "Vous n'avez pas les droits nécessaires pour cette action.", AR: "ليست لديك الصلاحيات اللازمة لهذا الإجراء."},
		"detail.not_found":              {FR: "La ressource demandée est introuvable.", AR: "المورد المطلوب غير موجود."},
		"detail.conflict":               {FR: "L'état actuel ne permet pas cette opération.", AR: "الحالة الحالية لا تسمح بهذه العملية."},
		"detail.unprocessable":          {FR: "La requête ne peut pas être traitée.", AR: "لا يمكن معالجة الطلب."},
		"detail.unavailable":            {FR: "Le service est momentanément indisponible. Réessayez dans quelques instants ; rien n'a été enregistré.", AR: "الخدمة غير متاحة مؤقتًا. أعد المحاولة بعد لحظات؛ لم يتم تسجيل أي شيء."},
		"detail.internal":               {FR: "Une erreur inattendue est survenue.", AR: "حدث خطأ غير متوقع."},

		"invalid_fields": {FR: "Certains champs sont invalides.", AR: "بعض الحقول غير صالحة."},
		"malformed_json": {FR: "Le corps de la requête n'est pas un JSON valide.", AR: "متن الطلب ليس JSON صالحًا."},
		"empty_body":     {FR: "Le corps de la requête est vide.", AR: "متن الطلب فارغ."},
		"no_route":       {FR: "Aucune opération ne correspond à cette adresse.", AR: "لا توجد عملية مطابقة لهذا العنوان."},
		"admins_only":    {FR: "Cette action est réservée aux administrateurs.", AR: "هذا الإجراء مخصص للمسؤولين."},

		// Validation rules (apperr.FieldError.Rule).
		"required":             {FR: "Ce champ est obligatoire.", AR: "هذا الحقل إلزامي."},
		"too_short":            {FR: "Ce champ doit contenir au moins {min} caractères.", AR: "يجب أن يحتوي هذا الحقل على {min} أحرف على الأقل."},
		"too_long":             {FR: "Ce champ ne doit pas dépasser {max} caractères.", AR: "يجب ألا يتجاوز هذا الحقل {max} حرفًا."},
		"single_line":          {FR: "Ce champ ne doit pas contenir de retour à la ligne.", AR: "يجب ألا يحتوي هذا الحقل على فاصل أسطر."},
		"control_char":         {FR: "Ce champ contient des caractères non autorisés.", AR: "يحتوي هذا الحقل على أحرف غير مسموح بها."},
		"email":                {FR: "Adresse e-mail invalide.", AR: "عنوان البريد الإلكتروني غير صالح."},
		"url":                  {FR: "Adresse web invalide (http:// ou https://).", AR: "عنوان ويب غير صالح (http:// أو https://)."},
		"one_of":               {FR: "Valeur non autorisée ; valeurs possibles : {values}.", AR: "قيمة غير مسموح بها؛ القيم الممكنة: {values}."},
		"consent":              {FR: "Vous devez accepter le traitement de vos données personnelles (loi 09-08).", AR: "يجب أن توافق على معالجة معطياتك الشخصية (القانون 09-08)."},
		"type":                 {FR: "Type invalide : {expected} attendu.", AR: "نوع غير صالح: المتوقع {expected}."},
		"unknown":              {FR: "Champ inconnu.", AR: "حقل غير معروف."},
		"lang":                 {FR: "Langue non prise en charge ; valeurs possibles : fr, ar.", AR: "لغة غير مدعومة؛ القيم الممكنة: fr، ar."},
		"cursor":               {FR: "Curseur de pagination invalide.", AR: "مؤشر ترقيم الصفحات غير صالح."},
		"range":                {FR: "La valeur doit être comprise entre {min} et {max}.", AR: "يجب أن تكون القيمة بين {min} و{max}."},
		"timestamp":            {FR: "Date invalide (format RFC 3339 attendu, ex. 2024-09-27T09:00:00Z).", AR: "تاريخ غير صالح (الصيغة المتوقعة RFC 3339، مثال 2024-09-27T09:00:00Z)."},
		"format":               {FR: "Format invalide.", AR: "صيغة غير صالحة."},
		"idempotency_key":      {FR: "En-tête Idempotency-Key invalide (1 à 100 caractères ASCII visibles).", AR: "ترويسة Idempotency-Key غير صالحة (من 1 إلى 100 حرف ASCII مرئي)."},
		"idempotency_mismatch": {FR: "Cette clé d'idempotence a déjà servi pour une requête différente.", AR: "سبق استخدام مفتاح عدم التكرار هذا لطلب مختلف."},
	})
}
