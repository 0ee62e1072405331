package news

import "espaceosc/shared/i18n"

func init() {
	i18n.Register(map[string]map[i18n.Lang]string{
		"news.slug": {
			i18n.FR: "Identifiant invalide : de 3 à 80 caractères parmi a-z, 0-9 et le tiret (-).",
			i18n.AR: "معرّف غير صالح: من 3 إلى 80 حرفًا من بين a-z و0-9 والشرطة (-).",
		},
		"news.slug_taken": {
			i18n.FR: "Une actualité utilise déjà cet identifiant.",
			i18n.AR: "هذا المعرّف مستخدم من قبل خبر آخر.",
		},
		"news.not_found": {
			i18n.FR: "Cette actualité est introuvable.",
			i18n.AR: "هذا الخبر غير موجود.",
		},
		"news.changed": {
			i18n.FR: "Cette actualité a été modifiée entre-temps. Rechargez-la puis réessayez.",
			i18n.AR: "تم تعديل هذا الخبر في الأثناء. أعد تحميله ثم حاول مرة أخرى.",
		},
	})
}
