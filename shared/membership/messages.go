package membership

import "espaceosc/shared/i18n"

func init() {
	i18n.Register(map[string]map[i18n.Lang]string{
		// Field rules.
		"membership.registration": {
			i18n.FR: "Numéro invalide : lettres et chiffres, séparés au besoin par des espaces, /, ., - ou _.",
			i18n.AR: "رقم غير صالح: حروف وأرقام، يمكن الفصل بينها بمسافات أو / أو . أو - أو _.",
		},
		"membership.too_many": {
			i18n.FR: "Choisissez au plus {max} éléments.",
			i18n.AR: "اختاروا {max} عناصر على الأكثر.",
		},
		"membership.duplicate": {
			i18n.FR: "Cette valeur figure déjà dans la liste.",
			i18n.AR: "هذه القيمة موجودة من قبل في القائمة.",
		},
		"membership.reason_decline_only": {
			i18n.FR: "Un motif ne s'indique qu'avec un refus.",
			i18n.AR: "لا يُذكر التعليل إلا مع الرفض.",
		},
		"membership.group_id": {
			i18n.FR: "Identifiant invalide : de 1 à 60 caractères, lettres minuscules et chiffres, mots reliés par - ou _.",
			i18n.AR: "معرّف غير صالح: من 1 إلى 60 حرفًا، حروف لاتينية صغيرة وأرقام، وكلمات مفصولة بـ - أو _.",
		},
		"membership.group_region": {
			i18n.FR: "Un groupe territorial a une région.",
			i18n.AR: "يجب تحديد جهة المجموعة الترابية.",
		},
		"membership.group_no_region": {
			i18n.FR: "Un groupe thématique est national : il n'a pas de région.",
			i18n.AR: "المجموعة الموضوعاتية وطنية: لا جهة لها.",
		},
		"membership.group_unknown": {
			i18n.FR: "Aucun groupe de travail ne porte cet identifiant.",
			i18n.AR: "لا توجد مجموعة عمل بهذا المعرّف.",
		},
		"membership.organisation_unknown": {
			i18n.FR: "Aucune organisation membre ne porte cet identifiant.",
			i18n.AR: "لا توجد منظمة عضو بهذا المعرّف.",
		},

		// Details of refusals.
		"membership.not_found": {
			i18n.FR: "Cette demande d'adhésion est introuvable, ou le lien personnel est incomplet.",
			i18n.AR: "طلب الانخراط هذا غير موجود، أو أن الرابط الشخصي غير مكتمل.",
		},
		"membership.link_expired": {
			i18n.FR: "Ce lien a expiré : une demande d'adhésion non confirmée dans les 7 jours est supprimée. Déposez une nouvelle demande.",
			i18n.AR: "انتهت صلاحية هذا الرابط: يُحذف طلب الانخراط غير المؤكَّد داخل 7 أيام. يرجى تقديم طلب جديد.",
		},
		"membership.not_confirmed": {
			i18n.FR: "Le contact de cette organisation n'a pas encore confirmé son adresse e-mail.",
			i18n.AR: "لم يؤكد ممثل هذه المنظمة عنوان بريده الإلكتروني بعد.",
		},
		"membership.already_decided": {
			i18n.FR: "Cette demande a déjà été traitée.",
			i18n.AR: "سبقت معالجة هذا الطلب.",
		},
		"membership.confirm_first": {
			i18n.FR: "Confirmez d'abord votre adresse e-mail grâce au lien reçu.",
			i18n.AR: "يرجى أولًا تأكيد عنوان بريدكم الإلكتروني عبر الرابط الذي توصلتم به.",
		},
		"membership.declined": {
			i18n.FR: "Cette demande d'adhésion a été refusée ; elle ne peut plus être modifiée.",
			i18n.AR: "رُفض طلب الانخراط هذا؛ لم يعد من الممكن تعديله.",
		},
		"membership.registration_taken": {
			i18n.FR: "Une organisation membre porte déjà ce numéro d'enregistrement.",
			i18n.AR: "توجد منظمة عضو تحمل رقم التسجيل هذا.",
		},
		"membership.stale": {
			i18n.FR: "Cette adhésion a été modifiée entre-temps ; rechargez-la puis réessayez.",
			i18n.AR: "تم تعديل هذا الانخراط في الأثناء؛ يرجى إعادة تحميله ثم المحاولة مجددًا.",
		},
		"membership.not_member": {
			i18n.FR: "Seule une organisation membre de l'espace peut rejoindre un groupe de travail.",
			i18n.AR: "لا يمكن الانضمام إلى مجموعة عمل إلا لمنظمة عضو في الفضاء.",
		},
		"membership.already_in_group": {
			i18n.FR: "Cette organisation est déjà membre de ce groupe de travail.",
			i18n.AR: "هذه المنظمة عضو من قبل في مجموعة العمل هذه.",
		},
		"membership.too_many_groups": {
			i18n.FR: "Une organisation peut être membre de 20 groupes de travail au plus.",
			i18n.AR: "لا يمكن للمنظمة أن تكون عضوًا في أكثر من 20 مجموعة عمل.",
		},
		"membership.request_pending": {
			i18n.FR: "Une demande pour rejoindre ce groupe est déjà en cours d'examen.",
			i18n.AR: "يوجد طلب قيد الدراسة للانضمام إلى هذه المجموعة.",
		},
		"membership.request_not_found": {
			i18n.FR: "Cette demande pour rejoindre un groupe de travail est introuvable.",
			i18n.AR: "طلب الانضمام إلى مجموعة العمل هذا غير موجود.",
		},
		"membership.request_decided": {
			i18n.FR: "Cette demande pour rejoindre un groupe de travail a déjà été traitée.",
			i18n.AR: "سبقت معالجة طلب الانضمام إلى مجموعة العمل هذا.",
		},
		"membership.group_not_found": {
			i18n.FR: "Ce groupe de travail est introuvable.",
			i18n.AR: "مجموعة العمل هذه غير موجودة.",
		},
		"membership.group_id_taken": {
			i18n.FR: "Un groupe de travail porte déjà cet identifiant.",
			i18n.AR: "توجد مجموعة عمل تحمل هذا المعرّف.",
		},
		"membership.group_closed": {
			i18n.FR: "Ce groupe de travail est clos : il n'accueille plus de nouveaux membres.",
			i18n.AR: "مجموعة العمل هذه مغلقة: لم تعد تستقبل أعضاء جددًا.",
		},
		"membership.member_not_found": {
			i18n.FR: "Cette organisation n'est pas membre de ce groupe de travail.",
			i18n.AR: "هذه المنظمة ليست عضوًا في مجموعة العمل هذه.",
		},
	})
}
