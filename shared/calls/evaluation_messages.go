package calls

import "espaceosc/shared/i18n"

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
