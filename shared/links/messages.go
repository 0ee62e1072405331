package links

import "espaceosc/shared/i18n"

func init() {
	i18n.Register(map[string]map[i18n.Lang]string{
		"links.id": {
			i18n.FR: "Identifiant invalide : de 2 à 64 caractères parmi a-z, 0-9 et le tiret (-).",
			i18n.AR: "معرّف غير صالح: من 2 إلى 64 حرفًا من بين a-z و0-9 والشرطة (-).",
		},
		"links.id_taken": {
			i18n.FR: "Un lien utilise déjà cet identifiant.",
			i18n.AR: "هذا المعرّف مستخدم من قبل رابط آخر.",
		},
		"links.not_found": {
			i18n.FR: "Ce lien est introuvable.",
			i18n.AR: "هذا الرابط غير موجود.",
		},
	})
}
