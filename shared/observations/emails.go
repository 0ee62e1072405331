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

// Emails are the capability's email templates, by kind.
var Emails = mail.Templates{
	KindAck:    mail.Typed(ackMessage),
	KindAnswer: mail.Typed(answerMessage),
}

// FollowUpLink is the author's private link: the portal page that calls
// GET /api/observations/{id}?token=.
func FollowUpLink(origin string, lang i18n.Lang, id, token string) string {
	return fmt.Sprintf("%s/%s/observations/%s?token=%s", strings.TrimRight(origin, "/"), lang, url.PathEscape(id), url.QueryEscape(token))
}

// ackData is what the acknowledgement is rendered from.
type ackData struct {
	Lang      i18n.Lang `json:"lang"`
	Name      string    `json:"name"`
	Subject   string    `json:"subject"`
	Reference string    `json:"reference"`
	Link      string    `json:"link"`
}

// ackMessage is the acknowledgement: the reference and the follow-up link.
func ackMessage(d ackData) mail.Message {
	if d.Lang == i18n.AR {
		return mail.Message{
			Lang:    i18n.AR,
			Subject: "إشعار باستلام مساهمتكم — " + mail.LTR(d.Reference),
			Blocks: []mail.Block{
				{Text: "مرحبًا " + d.Name + "،"},
				{Text: "لقد توصّلنا باقتراحكم أو ملاحظتكم بعنوان «" + d.Subject + "». تحمل مساهمتكم المرجع " + mail.LTR(d.Reference) + "، يرجى ذكره في كل مراسلة."},
				{Text: "يمكنكم تتبّع معالجتها والاطلاع على ردّ الإدارة عبر الرابط الشخصي التالي. يرجى عدم مشاركته، فهو يتيح الوصول إلى مساهمتكم:"},
				{Text: "تتبّع مساهمتي", Link: d.Link},
				{Text: "شكرًا على مشاركتكم في الحكومة المنفتحة."},
			},
		}
	}
	return mail.Message{
		Lang:    i18n.FR,
		Subject: "Accusé de réception de votre contribution — " + d.Reference,
		Blocks: []mail.Block{
			{Text: "Bonjour " + d.Name + ","},
			{Text: "Nous avons bien reçu votre proposition ou observation intitulée « " + d.Subject + " ». Elle porte la référence " + d.Reference + " ; merci de la rappeler dans toute correspondance."},
			{Text: "Vous pouvez suivre son traitement et lire la réponse de l'administration grâce au lien personnel ci-dessous. Ne le partagez pas : il donne accès à votre contribution."},
			{Text: "Suivre ma contribution", Link: d.Link},
			{Text: "Merci de votre participation au gouvernement ouvert."},
		},
	}
}

// answerData is what the answer email is rendered from.
type answerData struct {
	Lang      i18n.Lang `json:"lang"`
	Name      string    `json:"name"`
	Subject   string    `json:"subject"`
	Reference string    `json:"reference"`
	Answer    string    `json:"answer"`
}

// answerMessage carries the response itself: the follow-up token is not
// stored, so the link cannot be repeated here.
func answerMessage(d answerData) mail.Message {
	if d.Lang == i18n.AR {
		return mail.Message{
			Lang:    i18n.AR,
			Subject: "ردّ على مساهمتكم — " + mail.LTR(d.Reference),
			Blocks: []mail.Block{
				{Text: "مرحبًا " + d.Name + "،"},
				{Text: "ردّت الإدارة على اقتراحكم أو ملاحظتكم بعنوان «" + d.Subject + "» (المرجع " + mail.LTR(d.Reference) + "):"},
				{Quote: true, Text: d.Answer},
				{Text: "يمكنكم أيضًا الاطلاع على هذا الرد في أي وقت عبر رابط التتبّع الشخصي الذي توصّلتم به في إشعار الاستلام."},
				{Text: "شكرًا على مشاركتكم في الحكومة المنفتحة."},
			},
		}
	}
	return mail.Message{
		Lang:    i18n.FR,
		Subject: "Réponse à votre contribution — " + d.Reference,
		Blocks: []mail.Block{
			{Text: "Bonjour " + d.Name + ","},
			{Text: "L'administration a répondu à votre proposition ou observation « " + d.Subject + " » (référence " + d.Reference + ") :"},
			{Quote: true, Text: d.Answer},
			{Text: "Vous pouvez aussi retrouver cette réponse à tout moment : consultez votre lien de suivi reçu dans l'accusé de réception."},
			{Text: "Merci de votre participation au gouvernement ouvert."},
		},
	}
}
