package calls

import "espaceosc/shared/i18n"

func init() {
	i18n.Register(map[string]map[i18n.Lang]string{
		"calls.call_not_found": {
			i18n.FR: "Cet appel à candidature est introuvable.",
			i18n.AR: "طلب الترشيح هذا غير موجود.",
		},
		"calls.not_found": {
			i18n.FR: "Cette candidature est introuvable, ou le lien personnel est incomplet.",
			i18n.AR: "هذا الترشيح غير موجود، أو أن الرابط الشخصي غير مكتمل.",
		},
		"calls.not_accepting": {
			i18n.FR: "Cet appel n'accepte pas de candidatures en ce moment (il s'ouvre le {opensAt} et se clôt le {closesAt}, heure de Casablanca) : rien n'a été modifié.",
			i18n.AR: "لا يقبل هذا الطلب ترشيحات في الوقت الحالي (يُفتح في {opensAt} ويُغلق في {closesAt} بتوقيت الدار البيضاء)؛ لم يتم تغيير أي شيء.",
		},
		"calls.not_draft": {
			i18n.FR: "Cette candidature a déjà été déposée ou retirée : elle ne peut plus être modifiée.",
			i18n.AR: "تم إيداع هذا الترشيح أو سحبه من قبل، ولم يعد بالإمكان تعديله.",
		},
		"calls.already_withdrawn": {
			i18n.FR: "Cette candidature a déjà été retirée.",
			i18n.AR: "تم سحب هذا الترشيح من قبل.",
		},
		"calls.not_evaluator": {
			i18n.FR: "Cette personne n'est pas membre du groupe des évaluateurs.",
			i18n.AR: "هذا الشخص ليس عضوًا في مجموعة المقيّمين.",
		},
		"calls.incomplete": {
			i18n.FR: "La candidature est incomplète. Avant de la déposer, complétez chacun des éléments suivants :",
			i18n.AR: "الترشيح غير مكتمل. قبل إيداعه، يرجى استكمال كل عنصر من العناصر التالية:",
		},
		"calls.document_missing": {
			i18n.FR: "Document obligatoire manquant.",
			i18n.AR: "وثيقة إلزامية غير موجودة.",
		},
		"calls.document_pending": {
			i18n.FR: "Document en cours de vérification ; réessayez dans un instant.",
			i18n.AR: "الوثيقة قيد التحقق؛ يرجى إعادة المحاولة بعد لحظات.",
		},
		"calls.document_rejected": {
			i18n.FR: "Document refusé : envoyez-en un nouveau.",
			i18n.AR: "تم رفض الوثيقة: يرجى إرسال وثيقة جديدة.",
		},
		"calls.unknown_document": {
			i18n.FR: "Ce type de document ne fait pas partie du dossier de cet appel.",
			i18n.AR: "هذا النوع من الوثائق ليس ضمن ملف هذا الطلب.",
		},
		"calls.reason_not_pdf": {
			i18n.FR: "Le fichier n'est pas un PDF.",
			i18n.AR: "الملف ليس بصيغة PDF.",
		},
		"calls.reason_too_large": {
			i18n.FR: "Le fichier dépasse la taille maximale autorisée.",
			i18n.AR: "يتجاوز الملف الحجم الأقصى المسموح به.",
		},
		"calls.reason_empty": {
			i18n.FR: "Le fichier est vide.",
			i18n.AR: "الملف فارغ.",
		},
		"calls.bad_transition": {
			i18n.FR: "Ce changement de statut n'est pas possible depuis le statut actuel de l'appel.",
			i18n.AR: "لا يمكن تغيير الحالة بهذا الشكل انطلاقًا من الحالة الحالية للطلب.",
		},
		"calls.not_editable": {
			i18n.FR: "Un appel clos ne peut plus être modifié.",
			i18n.AR: "لا يمكن تعديل طلب مغلق.",
		},
		"calls.id_taken": {
			i18n.FR: "Un appel porte déjà cet identifiant.",
			i18n.AR: "يوجد طلب آخر يحمل هذا المعرّف.",
		},
		"calls.stale": {
			i18n.FR: "Les données ont été modifiées entre-temps ; rechargez-les puis réessayez.",
			i18n.AR: "تم تعديل البيانات في الأثناء؛ يرجى إعادة تحميلها ثم المحاولة مجددًا.",
		},
		"calls.datetime": {
			i18n.FR: "Date et heure attendues (par exemple 2024-09-05T23:59, heure de Casablanca).",
			i18n.AR: "يجب إدخال تاريخ وساعة (مثلًا 2024-09-05T23:59 بتوقيت الدار البيضاء).",
		},
		"calls.closes_after_opens": {
			i18n.FR: "La clôture doit suivre l'ouverture.",
			i18n.AR: "يجب أن يكون تاريخ الإغلاق بعد تاريخ الفتح.",
		},
		"calls.copil_no_groups": {
			i18n.FR: "Un appel pour le comité de pilotage ne comporte pas de groupes de travail.",
			i18n.AR: "لا يتضمن طلب الترشيح للجنة القيادة مجموعات عمل.",
		},
		"calls.too_many": {
			i18n.FR: "{max} éléments au plus.",
			i18n.AR: "{max} عناصر على الأكثر.",
		},
		"calls.duplicate": {
			i18n.FR: "Cette valeur figure déjà dans la liste.",
			i18n.AR: "هذه القيمة موجودة مسبقًا في القائمة.",
		},
		"calls.slug": {
			i18n.FR: "Lettres minuscules non accentuées, chiffres, tirets et tirets bas uniquement.",
			i18n.AR: "يُسمح فقط بالحروف اللاتينية الصغيرة والأرقام والشرطات.",
		},
		"calls.unknown_group": {
			i18n.FR: "Ce groupe de travail ne fait pas partie de cet appel.",
			i18n.AR: "مجموعة العمل هذه ليست ضمن هذا الطلب.",
		},
		"calls.phone": {
			i18n.FR: "Numéro de téléphone attendu (chiffres, espaces, +).",
			i18n.AR: "يجب إدخال رقم هاتف (أرقام، مسافات، +).",
		},
		"calls.token_required": {
			i18n.FR: "Le lien personnel de la candidature est nécessaire.",
			i18n.AR: "الرابط الشخصي للترشيح ضروري.",
		},
	})
}

func init() {
	i18n.Register(map[string]map[i18n.Lang]string{
		"calls.immutable_id": {
			i18n.FR: "L'identifiant d'un appel ne peut pas changer.",
			i18n.AR: "لا يمكن تغيير معرّف الطلب.",
		},
		"calls.kind_frozen": {
			i18n.FR: "Le type d'un appel ouvert ne peut plus changer.",
			i18n.AR: "لا يمكن تغيير نوع طلب مفتوح.",
		},
	})
}

// The evaluation, decisions and results.
func init() {
	i18n.Register(map[string]map[i18n.Lang]string{
		"evaluators_only": {
			i18n.FR: "Cette action est réservée aux membres du comité de sélection.",
			i18n.AR: "هذا الإجراء مخصص لأعضاء لجنة الانتقاء.",
		},
		"calls.not_assigned": {
			i18n.FR: "Cette candidature ne vous est pas attribuée.",
			i18n.AR: "هذا الترشيح غير مسند إليكم.",
		},
		"calls.not_evaluating": {
			i18n.FR: "Cette opération n'est possible que pendant la phase d'évaluation de l'appel.",
			i18n.AR: "لا تتاح هذه العملية إلا خلال مرحلة تقييم الطلب.",
		},
		"calls.recused": {
			i18n.FR: "Vous vous êtes déporté(e) de cette candidature (conflit d'intérêts) : vous ne pouvez plus l'évaluer.",
			i18n.AR: "لقد صرّحتم بتضارب المصالح بشأن هذا الترشيح، ولم يعد بإمكانكم تقييمه.",
		},
		"calls.not_submitted": {
			i18n.FR: "Seule une candidature déposée peut être évaluée ou faire l'objet d'une décision.",
			i18n.AR: "لا يمكن تقييم ترشيح أو اتخاذ قرار بشأنه إلا بعد إيداعه.",
		},
		"calls.not_assignable": {
			i18n.FR: "Les candidatures ne peuvent être attribuées qu'une fois l'appel clos et avant la publication des résultats.",
			i18n.AR: "لا يمكن إسناد الترشيحات إلا بعد إغلاق الطلب وقبل نشر النتائج.",
		},
		"calls.results_not_published": {
			i18n.FR: "Les résultats de cet appel ne sont pas encore publiés.",
			i18n.AR: "لم تُنشر نتائج هذا الطلب بعد.",
		},
		"calls.candidacy_not_found": {
			i18n.FR: "Cette candidature est introuvable.",
			i18n.AR: "هذا الترشيح غير موجود.",
		},
		"calls.no_documents": {
			i18n.FR: "Cette candidature n'a aucun document vérifié.",
			i18n.AR: "لا يتضمن هذا الترشيح أي وثيقة تم التحقق منها.",
		},
		"calls.sub": {
			i18n.FR: "Identifiant d'évaluateur invalide.",
			i18n.AR: "معرّف المقيّم غير صالح.",
		},
		"calls.unknown_criterion": {
			i18n.FR: "Ce critère ne fait pas partie de la grille de notation de l'appel.",
			i18n.AR: "هذا المعيار ليس ضمن شبكة التنقيط الخاصة بالطلب.",
		},
		"calls.missing_criteria": {
			i18n.FR: "Notez chaque critère de la grille ; manquant : {criteria}.",
			i18n.AR: "يرجى تنقيط كل معايير الشبكة؛ الناقص: {criteria}.",
		},
		"calls.undecided": {
			i18n.FR: "Aucune décision n'a encore été prise pour cette candidature.",
			i18n.AR: "لم يُتخذ بعد أي قرار بشأن هذا الترشيح.",
		},
		"calls.undecided_candidacies": {
			i18n.FR: "Toutes les candidatures déposées doivent faire l'objet d'une décision avant la publication des résultats.",
			i18n.AR: "يجب اتخاذ قرار بشأن كل الترشيحات المودعة قبل نشر النتائج.",
		},
	})
}
