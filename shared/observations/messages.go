package observations

import "espaceosc/shared/i18n"

func init() {
	i18n.Register(map[string]map[i18n.Lang]string{
		"observations.not_found": {
			i18n.FR: "Cette contribution est introuvable, ou le lien de suivi est incomplet.",
			i18n.AR: "هذه المساهمة غير موجودة، أو أن رابط التتبّع غير مكتمل.",
		},
		"observations.response_required": {
			i18n.FR: "Une réponse est nécessaire pour passer au statut « répondu ».",
			i18n.AR: "يجب إدخال ردّ للانتقال إلى حالة «تمّ الرد».",
		},
		"observations.stale": {
			i18n.FR: "Cette contribution a été modifiée entre-temps ; rechargez-la puis réessayez.",
			i18n.AR: "تم تعديل هذه المساهمة في الأثناء؛ يرجى إعادة تحميلها ثم المحاولة مجددًا.",
		},
	})
}
