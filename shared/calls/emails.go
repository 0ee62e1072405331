package calls

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"espaceosc/shared/i18n"
	"espaceosc/shared/mail"
)

// Email kinds of this capability.
const (
	KindLinkEmail     = "candidacy.link"
	KindReceiptEmail  = "candidacy.receipt"
	KindWithdrawEmail = "candidacy.withdrawn"
	KindOutcomeEmail  = "candidacy.outcome"
)

// Emails are the capability's email templates, by kind.
var Emails = mail.Templates{
	KindLinkEmail:     mail.Typed(linkMessage),
	KindReceiptEmail:  mail.Typed(receiptMessage),
	KindWithdrawEmail: mail.Typed(withdrawnMessage),
	KindOutcomeEmail:  mail.Typed(outcomeMessage),
}

// PrivateLink is the association's private link: the portal page that
// calls GET /api/candidacies/{id}?token=.
func PrivateLink(origin string, lang i18n.Lang, id, token string) string {
	return fmt.Sprintf("%s/%s/candidatures/%s?token=%s", strings.TrimRight(origin, "/"), lang, url.PathEscape(id), url.QueryEscape(token))
}

// localTime formats t in Casablanca time for an email.
func localTime(t time.Time, lang i18n.Lang) string {
	l := t.In(i18n.Casablanca)
	if lang == i18n.AR {
		return l.Format("02/01/2006 15:04")
	}
	return l.Format("02/01/2006 à 15:04")
}

// formatBytes writes a size exactly, with a thin grouping: 1 234 567.
func formatBytes(n int64) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteRune(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// linkData is what the private link email is rendered from.
type linkData struct {
	Lang        i18n.Lang `json:"lang"`
	Name        string    `json:"name"` // the representative's
	Association string    `json:"association"`
	Call        string    `json:"call"` // the call's title in Lang
	ClosesAt    time.Time `json:"closesAt"`
	Link        string    `json:"link"`
}

// linkMessage gives the association its private link after applying.
func linkMessage(d linkData) mail.Message {
	if d.Lang == i18n.AR {
		return mail.Message{
			Lang:    i18n.AR,
			Subject: "ترشيحكم: " + d.Call,
			Blocks: []mail.Block{
				{Text: "مرحبًا " + d.Name + "،"},
				{Text: "تم إنشاء مسودة ترشيح جمعية «" + d.Association + "» لطلب «" + d.Call + "». لم يتم إيداعها بعد."},
				{Text: "يمكنكم استكمالها وتحميل وثائق الملف (بصيغة PDF) ثم إيداعها قبل " + mail.LTR(localTime(d.ClosesAt, i18n.AR)) + " (بتوقيت الدار البيضاء) عبر الرابط الشخصي التالي. يرجى عدم مشاركته، فهو يتيح الوصول إلى ترشيحكم:"},
				{Text: "فتح فضاء ترشيحي", Link: d.Link},
			},
		}
	}
	return mail.Message{
		Lang:    i18n.FR,
		Subject: "Votre candidature : " + d.Call,
		Blocks: []mail.Block{
			{Text: "Bonjour " + d.Name + ","},
			{Text: "Le brouillon de candidature de l'association « " + d.Association + " » à l'appel « " + d.Call + " » est enregistré. Il n'est pas encore déposé."},
			{Text: "Vous pouvez le compléter, téléverser les documents du dossier (PDF) puis le déposer avant le " + localTime(d.ClosesAt, i18n.FR) + " (heure de Casablanca) grâce au lien personnel ci-dessous. Ne le partagez pas : il donne accès à votre candidature."},
			{Text: "Ouvrir mon espace de candidature", Link: d.Link},
		},
	}
}

// receiptDocument is one document listed in a receipt.
type receiptDocument struct {
	Label  string `json:"label"` // in the receipt's language
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// receiptData is what the receipt is rendered from.
type receiptData struct {
	Lang        i18n.Lang         `json:"lang"`
	Name        string            `json:"name"`
	Association string            `json:"association"`
	Call        string            `json:"call"`
	Reference   string            `json:"reference"`
	SubmittedAt time.Time         `json:"submittedAt"`
	ClosesAt    time.Time         `json:"closesAt"`
	Documents   []receiptDocument `json:"documents"`
}

// newReceiptData lists the verified documents of the submitted c, in the
// call's order and c's language.
func newReceiptData(c Candidacy, call Call) receiptData {
	d := receiptData{
		Lang: c.Lang, Name: c.Representative.Name, Association: c.Association.Name, Call: call.Title.In(c.Lang),
		Reference: c.Reference, SubmittedAt: c.SubmittedAt, ClosesAt: call.ClosesAt, Documents: []receiptDocument{},
	}
	for _, spec := range call.Documents {
		if doc, _, ok := c.Document(spec.Type); ok && doc.Status == DocumentVerified {
			d.Documents = append(d.Documents, receiptDocument{Label: spec.Label.In(c.Lang), Size: doc.Size, SHA256: doc.SHA256})
		}
	}
	return d
}

// receiptMessage is the récépissé: reference, time and every document
// with its size and SHA-256, so the association can prove what it sent.
func receiptMessage(d receiptData) mail.Message {
	var docs []mail.Block
	for _, doc := range d.Documents {
		if d.Lang == i18n.AR {
			docs = append(docs, mail.Block{Text: "• " + doc.Label + ": " + mail.LTR(formatBytes(doc.Size)) + " بايت، SHA-256: " + mail.LTR(doc.SHA256)})
		} else {
			docs = append(docs, mail.Block{Text: "• " + doc.Label + " : " + formatBytes(doc.Size) + " octets, SHA-256 : " + doc.SHA256})
		}
	}
	if d.Lang == i18n.AR {
		blocks := []mail.Block{
			{Text: "مرحبًا " + d.Name + "،"},
			{Text: "نشهد بتوصّلنا بترشيح جمعية «" + d.Association + "» لطلب «" + d.Call + "»، المودَع بتاريخ " + mail.LTR(localTime(d.SubmittedAt, i18n.AR)) + " (بتوقيت الدار البيضاء)."},
			{Text: "المرجع: " + mail.LTR(d.Reference) + ". يرجى ذكره في كل مراسلة."},
			{Text: "الوثائق المتوصَّل بها:"},
		}
		blocks = append(blocks, docs...)
		blocks = append(blocks, mail.Block{Text: "أصبح الترشيح غير قابل للتعديل. يمكنكم سحبه قبل إغلاق الطلب في " + mail.LTR(localTime(d.ClosesAt, i18n.AR)) + " عبر رابطكم الشخصي. احتفظوا بهذا الوصل."})
		return mail.Message{Lang: i18n.AR, Subject: "وصل إيداع الترشيح — " + mail.LTR(d.Reference), Blocks: blocks}
	}
	blocks := []mail.Block{
		{Text: "Bonjour " + d.Name + ","},
		{Text: "Nous accusons réception de la candidature de l'association « " + d.Association + " » à l'appel « " + d.Call + " », déposée le " + localTime(d.SubmittedAt, i18n.FR) + " (heure de Casablanca)."},
		{Text: "Référence : " + d.Reference + ". Merci de la rappeler dans toute correspondance."},
		{Text: "Documents reçus :"},
	}
	blocks = append(blocks, docs...)
	blocks = append(blocks, mail.Block{Text: "La candidature ne peut plus être modifiée. Vous pouvez la retirer jusqu'à la clôture de l'appel, le " + localTime(d.ClosesAt, i18n.FR) + ", grâce à votre lien personnel. Conservez ce récépissé."})
	return mail.Message{Lang: i18n.FR, Subject: "Récépissé de dépôt de candidature — " + d.Reference, Blocks: blocks}
}

// withdrawnData is what the confirmation of a withdrawal is rendered from.
type withdrawnData struct {
	Lang        i18n.Lang `json:"lang"`
	Name        string    `json:"name"`
	Association string    `json:"association"`
	Call        string    `json:"call"`
	Reference   string    `json:"reference,omitempty"` // "" for a draft
	WithdrawnAt time.Time `json:"withdrawnAt"`
}

// withdrawnMessage confirms a withdrawal.
func withdrawnMessage(d withdrawnData) mail.Message {
	if d.Lang == i18n.AR {
		text := "تم سحب ترشيح جمعية «" + d.Association + "» لطلب «" + d.Call + "»"
		if d.Reference != "" {
			text += " (المرجع " + mail.LTR(d.Reference) + ")"
		}
		return mail.Message{Lang: i18n.AR, Subject: "سحب الترشيح: " + d.Call, Blocks: []mail.Block{
			{Text: "مرحبًا " + d.Name + "،"}, {Text: text + " بتاريخ " + mail.LTR(localTime(d.WithdrawnAt, i18n.AR)) + "."},
		}}
	}
	text := "La candidature de l'association « " + d.Association + " » à l'appel « " + d.Call + " »"
	if d.Reference != "" {
		text += " (référence " + d.Reference + ")"
	}
	return mail.Message{Lang: i18n.FR, Subject: "Retrait de candidature : " + d.Call, Blocks: []mail.Block{
		{Text: "Bonjour " + d.Name + ","}, {Text: text + " a été retirée le " + localTime(d.WithdrawnAt, i18n.FR) + "."},
	}}
}

// outcomeData is what the outcome email is rendered from.
type outcomeData struct {
	Lang        i18n.Lang `json:"lang"`
	Name        string    `json:"name"`
	Association string    `json:"association"`
	Call        string    `json:"call"`
	Reference   string    `json:"reference"`
	Outcome     Outcome   `json:"outcome"`
}

// outcomeMessage tells a candidate the outcome, in their language.
func outcomeMessage(d outcomeData) mail.Message {
	if d.Lang == i18n.AR {
		var verdict string
		switch d.Outcome {
		case OutcomeSelected:
			verdict = "يسعدنا إخباركم بأن لجنة الانتقاء المستقلة قد اختارت جمعية «" + d.Association + "»."
		case OutcomeReserve:
			verdict = "وضعت لجنة الانتقاء المستقلة جمعية «" + d.Association + "» في لائحة الانتظار. سنتصل بكم إذا شغر مقعد."
		default:
			verdict = "نأسف لإخباركم بأن لجنة الانتقاء المستقلة لم تختر جمعية «" + d.Association + "» هذه المرة. نشكركم على اهتمامكم ومشاركتكم."
		}
		return mail.Message{Lang: i18n.AR, Subject: "نتيجة الترشيح — " + mail.LTR(d.Reference), Blocks: []mail.Block{
			{Text: "مرحبًا " + d.Name + "،"},
			{Text: "تم نشر نتائج طلب «" + d.Call + "» (المرجع " + mail.LTR(d.Reference) + ")."},
			{Text: verdict},
		}}
	}
	var verdict string
	switch d.Outcome {
	case OutcomeSelected:
		verdict = "Nous avons le plaisir de vous informer que le comité de sélection indépendant a retenu l'association « " + d.Association + " »."
	case OutcomeReserve:
		verdict = "Le comité de sélection indépendant a inscrit l'association « " + d.Association + " » sur la liste d'attente. Nous vous contacterons si un siège se libère."
	default:
		verdict = "Nous avons le regret de vous informer que le comité de sélection indépendant n'a pas retenu l'association « " + d.Association + " » cette fois-ci. Merci de votre intérêt et de votre participation."
	}
	return mail.Message{Lang: i18n.FR, Subject: "Résultat de votre candidature — " + d.Reference, Blocks: []mail.Block{
		{Text: "Bonjour " + d.Name + ","},
		{Text: "Les résultats de l'appel « " + d.Call + " » (référence " + d.Reference + ") sont publiés."},
		{Text: verdict},
	}}
}
