package cocreation

import "espaceosc/shared/i18n"

func init() {
	i18n.Register(map[string]map[i18n.Lang]string{
		// Field rules.
		"cocreation.slug": {
			i18n.FR: "Identifiant invalide : lettres minuscules a-z, chiffres et tirets (-), par exemple pan-2026-2028.",
			i18n.AR: "معرّف غير صالح: أحرف صغيرة a-z وأرقام وشرطات (-)، مثال pan-2026-2028.",
		},
		"cocreation.too_many": {
			i18n.FR: "Pas plus de {max} éléments.",
			i18n.AR: "لا يزيد عن {max} عناصر.",
		},
		"cocreation.duplicate": {
			i18n.FR: "Cet identifiant est déjà utilisé dans la liste.",
			i18n.AR: "هذا المعرّف مستعمل من قبل في القائمة.",
		},
		"cocreation.phase_order": {
			i18n.FR: "Les phases se suivent dans cet ordre, chacune au plus une fois : {order}.",
			i18n.AR: "تتوالى المراحل وفق هذا الترتيب، كل واحدة مرة واحدة على الأكثر: {order}.",
		},
		"cocreation.day": {
			i18n.FR: "Date attendue au format AAAA-MM-JJ (jour de Casablanca), par exemple 2026-03-01.",
			i18n.AR: "يجب إدخال تاريخ بصيغة YYYY-MM-DD (بتوقيت الدار البيضاء)، مثال 2026-03-01.",
		},
		"cocreation.ends_before_start": {
			i18n.FR: "La fin de la phase précède son début.",
			i18n.AR: "تاريخ نهاية المرحلة يسبق تاريخ بدايتها.",
		},
		"cocreation.phase_overlap": {
			i18n.FR: "Cette phase commence avant la fin de la précédente (le {day}).",
			i18n.AR: "تبدأ هذه المرحلة قبل نهاية المرحلة السابقة ({day}).",
		},
		"cocreation.proposals_phase_required": {
			i18n.FR: "Un plan en co-création a une phase d'appel à propositions (proposals).",
			i18n.AR: "يجب أن تتضمن خطة الإنشاء المشترك مرحلة طلب المقترحات (proposals).",
		},
		"cocreation.unknown_theme": {
			i18n.FR: "Ce thème n'est pas l'un des thèmes du plan.",
			i18n.AR: "هذا المحور ليس من محاور الخطة.",
		},
		"cocreation.theme_removed": {
			i18n.FR: "Le thème « {theme} » ne peut pas être retiré : des propositions y sont classées. Vous pouvez modifier son libellé.",
			i18n.AR: "لا يمكن حذف المحور «{theme}» لأن مقترحات مصنفة ضمنه. يمكنكم تعديل تسميته.",
		},
		"cocreation.member_name_required": {
			i18n.FR: "Indiquez le nom de l'organisation membre que vous représentez.",
			i18n.AR: "يرجى إدخال اسم المنظمة العضو التي تمثلونها.",
		},
		"cocreation.reason_only_to_hide": {
			i18n.FR: "Un motif n'accompagne que le masquage d'une proposition.",
			i18n.AR: "لا يُرفق التعليل إلا بإخفاء مقترح.",
		},
		"cocreation.unknown_commitment": {
			i18n.FR: "Cet engagement n'existe pas dans le plan de la proposition.",
			i18n.AR: "هذا الالتزام غير موجود في خطة المقترح.",
		},
		"cocreation.merged_needs_commitment": {
			i18n.FR: "Une proposition fusionnée l'est dans un engagement : indiquez lequel.",
			i18n.AR: "يُدمج المقترح في التزام: يرجى تحديده.",
		},
		"cocreation.not_retained_no_commitment": {
			i18n.FR: "Une proposition non retenue n'est rattachée à aucun engagement.",
			i18n.AR: "لا يُربط المقترح غير المقبول بأي التزام.",
		},
		"cocreation.dataset": {
			i18n.FR: "Jeu de données inconnu ; valeurs possibles : proposals, commitments, statistics.",
			i18n.AR: "مجموعة بيانات غير معروفة؛ القيم الممكنة: proposals وcommitments وstatistics.",
		},

		// Details of refusals.
		"cocreation.plan_not_found": {
			i18n.FR: "Ce plan d'action est introuvable.",
			i18n.AR: "خطة العمل هذه غير موجودة.",
		},
		"cocreation.plan_taken": {
			i18n.FR: "Un plan d'action porte déjà cet identifiant.",
			i18n.AR: "توجد خطة عمل بهذا المعرّف من قبل.",
		},
		"cocreation.no_proposals_phase": {
			i18n.FR: "Ce plan ne reçoit pas de propositions : il n'a pas de phase d'appel à propositions. Rien n'a été enregistré.",
			i18n.AR: "لا تستقبل هذه الخطة مقترحات: ليست لها مرحلة لطلب المقترحات. لم يتم تسجيل أي شيء.",
		},
		"cocreation.proposals_not_open": {
			i18n.FR: "L'appel à propositions de ce plan n'est pas encore ouvert : il se tiendra du {startsOn} au {endsOn} (heure de Casablanca). Rien n'a été enregistré.",
			i18n.AR: "لم يُفتح بعد طلب المقترحات الخاص بهذه الخطة: سيجري من {startsOn} إلى {endsOn} (بتوقيت الدار البيضاء). لم يتم تسجيل أي شيء.",
		},
		"cocreation.proposals_closed": {
			i18n.FR: "L'appel à propositions de ce plan est clos : il s'est tenu du {startsOn} au {endsOn} (heure de Casablanca). Rien n'a été enregistré.",
			i18n.AR: "انتهى طلب المقترحات الخاص بهذه الخطة: جرى من {startsOn} إلى {endsOn} (بتوقيت الدار البيضاء). لم يتم تسجيل أي شيء.",
		},
		"cocreation.proposal_not_found": {
			i18n.FR: "Cette proposition est introuvable, n'est pas publiée, ou le lien privé est incomplet.",
			i18n.AR: "هذا المقترح غير موجود أو غير منشور، أو أن الرابط الخاص غير مكتمل.",
		},
		"cocreation.not_supportable": {
			i18n.FR: "Cette proposition n'est pas (ou plus) publiée : elle ne peut pas recevoir de soutien. Rien n'a été enregistré.",
			i18n.AR: "هذا المقترح غير منشور (أو لم يعد منشورًا): لا يمكن دعمه. لم يتم تسجيل أي شيء.",
		},
		"cocreation.support_not_found": {
			i18n.FR: "Ce lien de confirmation est introuvable ou incomplet. Rien n'a été compté.",
			i18n.AR: "رابط التأكيد هذا غير موجود أو غير مكتمل. لم يُحتسب أي دعم.",
		},
		"cocreation.support_expired": {
			i18n.FR: "Ce lien de confirmation a expiré (il était valable 48 heures). Rien n'a été compté : demandez un nouveau lien depuis la page de la proposition.",
			i18n.AR: "انتهت صلاحية رابط التأكيد هذا (كان صالحًا لمدة 48 ساعة). لم يُحتسب أي دعم: اطلبوا رابطًا جديدًا من صفحة المقترح.",
		},
		"cocreation.hide_linked": {
			i18n.FR: "Cette proposition est rattachée à un engagement : retirez ce rattachement avant de la masquer.",
			i18n.AR: "هذا المقترح مرتبط بالتزام: يرجى إلغاء هذا الربط قبل إخفائه.",
		},
		"cocreation.response_unpublished": {
			i18n.FR: "Seule une proposition publiée reçoit une réponse motivée publique : publiez-la d'abord.",
			i18n.AR: "لا يتلقى الرد المعلل العلني إلا مقترح منشور: يرجى نشره أولًا.",
		},
		"cocreation.linked_not_retained": {
			i18n.FR: "Cette proposition est rattachée à un engagement : retirez ce rattachement avant de la déclarer non retenue.",
			i18n.AR: "هذا المقترح مرتبط بالتزام: يرجى إلغاء هذا الربط قبل اعتباره غير مقبول.",
		},
		"cocreation.link_unpublished": {
			i18n.FR: "Seule une proposition publiée peut être rattachée à un engagement.",
			i18n.AR: "لا يمكن ربط مقترح بالتزام إلا إذا كان منشورًا.",
		},
		"cocreation.link_not_retained": {
			i18n.FR: "Une proposition non retenue ne peut pas être rattachée à un engagement.",
			i18n.AR: "لا يمكن ربط مقترح غير مقبول بالتزام.",
		},
		"cocreation.unlink_merged": {
			i18n.FR: "Cette proposition a été fusionnée dans cet engagement : modifiez d'abord la réponse motivée.",
			i18n.AR: "تم دمج هذا المقترح في هذا الالتزام: يرجى تعديل الرد المعلل أولًا.",
		},
		"cocreation.commitment_not_found": {
			i18n.FR: "Cet engagement est introuvable.",
			i18n.AR: "هذا الالتزام غير موجود.",
		},
		"cocreation.changed": {
			i18n.FR: "Cet élément a été modifié entre-temps. Rechargez-le puis réessayez.",
			i18n.AR: "تم تعديل هذا العنصر في الأثناء. أعيدوا تحميله ثم حاولوا مجددًا.",
		},
	})
}
