package observations

import (
	"fmt"
	"net/url"
	"strings"

	"espaceosc/shared/i18n"
	"espaceosc/shared/mail"
)

// Email kinds of this capability.
const (
	KindAck    = "observation.ack"
	KindAnswer = "observation.answer"
)

// FollowUpLink is the author's private link: the portal page that calls
// GET /api/observations/{id}?token=.
func FollowUpLink(origin string, lang i18n.Lang, id, token string) string {
	return fmt.Sprintf("%s/%s/observations/%s?token=%s", strings.TrimRight(origin, "/"), lang, url.PathEscape(id), url.QueryEscape(token))
}

var (
	footerFR = "Espace de la société civile — Gouvernement ouvert Maroc. Ce message est envoyé automatiquement ; merci de ne pas y répondre."
	footerAR = "فضاء المجتمع المدني — الحكومة المنفتحة بالمغرب. هذه رسالة آلية، يرجى عدم الرد عليها."
)

// ackMessage is the acknowledgement: the reference and the follow-up link.
func ackMessage(o Observation, link string) mail.Message {
	if o.Lang == i18n.AR {
		return mail.Message{
			Lang:    i18n.AR,
			Subject: "إشعار باستلام مساهمتكم — " + o.Reference,
			Blocks: []mail.Block{
				{Text: "مرحبًا " + o.Name + "،"},
				{Text: "لقد توصّلنا باقتراحكم أو ملاحظتكم بعنوان «" + o.Subject + "». تحمل مساهمتكم المرجع " + o.Reference + "، يرجى ذكره في كل مراسلة."},
				{Text: "يمكنكم تتبّع معالجتها والاطلاع على ردّ الإدارة عبر الرابط الشخصي التالي. يرجى عدم مشاركته، فهو يتيح الوصول إلى مساهمتكم:"},
				{Link: link},
				{Text: "شكرًا على مشاركتكم في الحكومة المنفتحة."},
			},
			Footer: footerAR,
		}
	}
	return mail.Message{
		Lang:    i18n.FR,
		Subject: "Accusé de réception de votre contribution — " + o.Reference,
		Blocks: []mail.Block{
			{Text: "Bonjour " + o.Name + ","},
			{Text: "Nous avons bien reçu votre proposition ou observation intitulée « " + o.Subject + " ». Elle porte la référence " + o.Reference + " ; merci de la rappeler dans toute correspondance."},
			{Text: "Vous pouvez suivre son traitement et lire la réponse de l'administration grâce au lien personnel ci-dessous. Ne le partagez pas : il donne accès à votre contribution."},
			{Link: link},
			{Text: "Merci de votre participation au gouvernement ouvert."},
		},
		Footer: footerFR,
	}
}

// answerMessage carries the response itself: the follow-up token is not
// stored, so the link cannot be repeated here.
func answerMessage(o Observation) mail.Message {
	text := ""
	if o.Response != nil {
		text = o.Response.Text
	}
	if o.Lang == i18n.AR {
		return mail.Message{
			Lang:    i18n.AR,
			Subject: "ردّ على مساهمتكم — " + o.Reference,
			Blocks: []mail.Block{
				{Text: "مرحبًا " + o.Name + "،"},
				{Text: "ردّت الإدارة على اقتراحكم أو ملاحظتكم بعنوان «" + o.Subject + "» (المرجع " + o.Reference + "):"},
				{Quote: true, Text: text},
				{Text: "يمكنكم أيضًا الاطلاع على هذا الرد في أي وقت عبر رابط التتبّع الشخصي الذي توصّلتم به في إشعار الاستلام."},
				{Text: "شكرًا على مشاركتكم في الحكومة المنفتحة."},
			},
			Footer: footerAR,
		}
	}
	return mail.Message{
		Lang:    i18n.FR,
		Subject: "Réponse à votre contribution — " + o.Reference,
		Blocks: []mail.Block{
			{Text: "Bonjour " + o.Name + ","},
			{Text: "L'administration a répondu à votre proposition ou observation « " + o.Subject + " » (référence " + o.Reference + ") :"},
			{Quote: true, Text: text},
			{Text: "Vous pouvez aussi retrouver cette réponse à tout moment : consultez votre lien de suivi reçu dans l'accusé de réception."},
			{Text: "Merci de votre participation au gouvernement ouvert."},
		},
		Footer: footerFR,
	}
}
