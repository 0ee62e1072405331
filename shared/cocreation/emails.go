package cocreation

import (
	"fmt"
	"net/url"
	"strings"

	"espaceosc/shared/i18n"
	"espaceosc/shared/mail"
)

// Email kinds of this capability.
const (
	KindAck            = "cocreation.proposal_ack"
	KindSupportConfirm = "cocreation.support_confirm"
	KindResponse       = "cocreation.response"
)

// Emails are the capability's email templates, by kind.
var Emails = mail.Templates{
	KindAck:            mail.Typed(ackMessage),
	KindSupportConfirm: mail.Typed(supportMessage),
	KindResponse:       mail.Typed(responseMessage),
}

// ProposalLink is the proposer's private link: the portal page that calls
// GET /api/cocreation/proposals/{id}?token=.
func ProposalLink(origin string, lang i18n.Lang, id, token string) string {
	return fmt.Sprintf("%s/%s/cocreation/propositions/%s?token=%s", strings.TrimRight(origin, "/"), lang, url.PathEscape(id), url.QueryEscape(token))
}

// SupportLink is a support's confirmation link: the portal page that calls
// POST /api/cocreation/supports/{id}/confirmation with the token.
func SupportLink(origin string, lang i18n.Lang, id, token string) string {
	return fmt.Sprintf("%s/%s/cocreation/soutiens/%s?token=%s", strings.TrimRight(origin, "/"), lang, url.PathEscape(id), url.QueryEscape(token))
}

// ackData is what the acknowledgement is rendered from.
type ackData struct {
	Lang      i18n.Lang `json:"lang"`
	Name      string    `json:"name"`
	Title     string    `json:"title"`
	Reference string    `json:"reference"`
	Plan      string    `json:"plan"`
	Link      string    `json:"link"`
}

// ackMessage acknowledges a proposal: its reference and private link.
func ackMessage(d ackData) mail.Message {
	if d.Lang == i18n.AR {
		return mail.Message{
			Lang:    i18n.AR,
			Subject: "إشعار باستلام مقترحكم — " + mail.LTR(d.Reference),
			Blocks: []mail.Block{
				{Text: "مرحبًا " + d.Name + "،"},
				{Text: "لقد توصّلنا بمقترحكم «" + d.Title + "» في إطار الإنشاء المشترك لـ«" + d.Plan + "». يحمل المرجع " + mail.LTR(d.Reference) + "، يرجى ذكره في كل مراسلة."},
				{Text: "سيُنشر مقترحكم بعد مراجعته، دون اسمكم ولا عنوان بريدكم الإلكتروني، وسيتلقى ردًا معللًا يُنشر ويُرسل إليكم."},
				{Text: "يمكنكم تتبّع مآله عبر الرابط الشخصي التالي. يرجى عدم مشاركته:"},
				{Text: "تتبّع مقترحي", Link: d.Link},
				{Text: "شكرًا على مشاركتكم في الحكومة المنفتحة."},
			},
		}
	}
	return mail.Message{
		Lang:    i18n.FR,
		Subject: "Accusé de réception de votre proposition — " + d.Reference,
		Blocks: []mail.Block{
			{Text: "Bonjour " + d.Name + ","},
			{Text: "Nous avons bien reçu votre proposition « " + d.Title + " » pour la co-création du « " + d.Plan + " ». Elle porte la référence " + d.Reference + " ; merci de la rappeler dans toute correspondance."},
			{Text: "Elle sera publiée après modération, sans votre nom ni votre adresse, et recevra une réponse motivée, publiée et envoyée à cette adresse."},
			{Text: "Vous pouvez suivre son traitement grâce au lien personnel ci-dessous. Ne le partagez pas :"},
			{Text: "Suivre ma proposition", Link: d.Link},
			{Text: "Merci de votre participation au gouvernement ouvert."},
		},
	}
}

// supportData is what a support's confirmation email is rendered from.
type supportData struct {
	Lang       i18n.Lang `json:"lang"`
	Title      string    `json:"title"`
	Reference  string    `json:"reference"`
	Link       string    `json:"link"`
	ValidUntil string    `json:"validUntil"` // Casablanca time, as read
}

// supportMessage asks to confirm a support.
func supportMessage(d supportData) mail.Message {
	if d.Lang == i18n.AR {
		return mail.Message{
			Lang:    i18n.AR,
			Subject: "أكّدوا دعمكم للمقترح " + mail.LTR(d.Reference),
			Blocks: []mail.Block{
				{Text: "طلبتم دعم المقترح «" + d.Title + "» (" + mail.LTR(d.Reference) + "). لن يُحتسب دعمكم إلا بعد تأكيده عبر الرابط التالي، الصالح إلى غاية " + mail.LTR(d.ValidUntil) + " (بتوقيت الدار البيضاء):"},
				{Text: "تأكيد دعمي", Link: d.Link},
				{Text: "يُحتسب دعم واحد لكل عنوان بريد إلكتروني. إذا لم تكونوا صاحب هذا الطلب، تجاهلوا هذه الرسالة: لن يُحتسب أي شيء."},
			},
		}
	}
	return mail.Message{
		Lang:    i18n.FR,
		Subject: "Confirmez votre soutien à la proposition " + d.Reference,
		Blocks: []mail.Block{
			{Text: "Vous avez demandé à soutenir la proposition « " + d.Title + " » (" + d.Reference + "). Votre soutien ne sera compté qu'une fois confirmé par le lien ci-dessous, valable jusqu'au " + d.ValidUntil + " (heure de Casablanca) :"},
			{Text: "Confirmer mon soutien", Link: d.Link},
			{Text: "Un seul soutien est compté par adresse e-mail. Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : rien ne sera compté."},
		},
	}
}

// responseData is what the reasoned response email is rendered from.
type responseData struct {
	Lang          i18n.Lang `json:"lang"`
	Name          string    `json:"name"`
	Title         string    `json:"title"`
	Reference     string    `json:"reference"`
	Outcome       Outcome   `json:"outcome"`
	Justification string    `json:"justification"`
	Commitment    string    `json:"commitment,omitempty"` // "Engagement 3 : title"
}

// responseMessage carries the reasoned response in the proposer's language.
func responseMessage(d responseData) mail.Message {
	decision := StatusLabels[Status(d.Outcome)].In(d.Lang)
	if d.Lang == i18n.AR {
		blocks := []mail.Block{
			{Text: "مرحبًا " + d.Name + "،"},
			{Text: "صدر الرد المعلل على مقترحكم «" + d.Title + "» (" + mail.LTR(d.Reference) + "). القرار: " + decision + "."},
		}
		if d.Commitment != "" {
			blocks = append(blocks, mail.Block{Text: "الالتزام المعني: " + d.Commitment})
		}
		blocks = append(blocks,
			mail.Block{Text: "التعليل:"},
			mail.Block{Quote: true, Text: d.Justification},
			mail.Block{Text: "هذا الرد منشور في صفحة المقترح، طبقًا لمعايير شراكة الحكومة المنفتحة. شكرًا على مشاركتكم."},
		)
		return mail.Message{Lang: i18n.AR, Subject: "الرد المعلل على مقترحكم — " + mail.LTR(d.Reference), Blocks: blocks}
	}
	blocks := []mail.Block{
		{Text: "Bonjour " + d.Name + ","},
		{Text: "Votre proposition « " + d.Title + " » (" + d.Reference + ") a reçu sa réponse motivée. Décision : " + decision + "."},
	}
	if d.Commitment != "" {
		blocks = append(blocks, mail.Block{Text: "Engagement concerné : " + d.Commitment})
	}
	blocks = append(blocks,
		mail.Block{Text: "Justification :"},
		mail.Block{Quote: true, Text: d.Justification},
		mail.Block{Text: "Cette réponse est publiée sur la page de la proposition, conformément aux standards du Partenariat pour un gouvernement ouvert. Merci de votre participation."},
	)
	return mail.Message{Lang: i18n.FR, Subject: "Réponse motivée à votre proposition — " + d.Reference, Blocks: blocks}
}

// commitmentLine is how an email names a commitment.
func commitmentLine(c Commitment, lang i18n.Lang) string {
	if lang == i18n.AR {
		return fmt.Sprintf("الالتزام %d: %s", c.Number, c.Title.In(lang))
	}
	return fmt.Sprintf("Engagement %d : %s", c.Number, c.Title.In(lang))
}
