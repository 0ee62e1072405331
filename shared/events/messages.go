package events

import "espaceosc/shared/i18n"

func init() {
	i18n.Register(map[string]map[i18n.Lang]string{
		"events.not_found":                 {i18n.FR: "Cet événement est introuvable.", i18n.AR: "هذا النشاط غير موجود."},
		"events.notification_not_found":    {i18n.FR: "Cet envoi de notifications est introuvable.", i18n.AR: "عملية الإشعار هذه غير موجودة."},
		"events.registration_not_found":    {i18n.FR: "Cette inscription est introuvable, ou le lien est incomplet.", i18n.AR: "هذا التسجيل غير موجود، أو أن الرابط غير مكتمل."},
		"events.not_published":             {i18n.FR: "Les inscriptions à cet événement ne sont pas ouvertes.", i18n.AR: "التسجيل في هذا النشاط غير مفتوح."},
		"events.cancelled":                 {i18n.FR: "Cet événement est annulé.", i18n.AR: "تم إلغاء هذا النشاط."},
		"events.past":                      {i18n.FR: "Cet événement a déjà commencé ou est terminé.", i18n.AR: "لقد بدأ هذا النشاط أو انتهى."},
		"events.not_open_yet":              {i18n.FR: "Les inscriptions ne sont pas encore ouvertes.", i18n.AR: "لم يُفتح التسجيل بعد."},
		"events.closed":                    {i18n.FR: "Les inscriptions sont closes.", i18n.AR: "تم إغلاق التسجيل."},
		"events.full":                      {i18n.FR: "L'événement est complet et sa liste d'attente aussi.", i18n.AR: "النشاط مكتمل، وكذلك لائحة الانتظار."},
		"events.already_registered":        {i18n.FR: "Cette adresse e-mail est déjà inscrite à cet événement. Nous venons de vous renvoyer votre lien personnel par e-mail.", i18n.AR: "عنوان البريد الإلكتروني هذا مسجّل مسبقًا في هذا النشاط. أعدنا إرسال رابطكم الشخصي عبر البريد الإلكتروني."},
		"events.stale":                     {i18n.FR: "Cet élément a été modifié entre-temps ; réessayez.", i18n.AR: "تم تعديل هذا العنصر في الأثناء؛ يرجى إعادة المحاولة."},
		"events.id_taken":                  {i18n.FR: "Cet identifiant d'événement est déjà utilisé.", i18n.AR: "معرّف النشاط هذا مستعمل مسبقًا."},
		"events.code_not_found":            {i18n.FR: "Aucune inscription à cet événement ne porte ce code.", i18n.AR: "لا يوجد تسجيل في هذا النشاط بهذا الرمز."},
		"events.already_checked_in":        {i18n.FR: "Cette personne a déjà été pointée.", i18n.AR: "تم تسجيل حضور هذا الشخص مسبقًا."},
		"events.not_confirmed":             {i18n.FR: "Cette inscription n'est pas confirmée (liste d'attente ou annulée).", i18n.AR: "هذا التسجيل غير مؤكد (لائحة الانتظار أو ملغى)."},
		"events.ends_before_start":         {i18n.FR: "La fin doit être postérieure au début.", i18n.AR: "يجب أن تكون النهاية بعد البداية."},
		"events.closes_before_opens":       {i18n.FR: "La clôture des inscriptions doit suivre leur ouverture.", i18n.AR: "يجب أن يأتي إغلاق التسجيل بعد فتحه."},
		"events.closes_after_start":        {i18n.FR: "Les inscriptions doivent se clore au plus tard au début de l'événement.", i18n.AR: "يجب أن يُغلق التسجيل على أقصى تقدير عند بداية النشاط."},
		"events.venue_or_online":           {i18n.FR: "Indiquez un lieu, ou cochez « en ligne ».", i18n.AR: "حدّدوا مكانًا، أو اختاروا «عن بُعد»."},
		"events.online_url_without_online": {i18n.FR: "Un lien de connexion n'a de sens que pour un événement en ligne.", i18n.AR: "رابط الالتحاق خاص بالأنشطة عن بُعد."},
		"events.too_many":                  {i18n.FR: "{max} éléments au plus.", i18n.AR: "{max} عناصر على الأكثر."},
		"events.capacity_below_confirmed":  {i18n.FR: "La capacité ne peut pas être inférieure aux {confirmed} places déjà attribuées.", i18n.AR: "لا يمكن أن تقل السعة عن {confirmed} مقاعد محجوزة مسبقًا."},
	})
}
