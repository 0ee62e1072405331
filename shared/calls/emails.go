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
)

// PrivateLink is the association's private link: the portal page that
// calls GET /api/candidacies/{id}?token=.
func PrivateLink(origin string, lang i18n.Lang, id, token string) string {
	return fmt.Sprintf("%s/%s/candidatures/%s?token=%s", strings.TrimRight(origin, "/"), lang, url.PathEscape(id), url.QueryEscape(token))
}

var (
	footerFR = "Espace de la société civile — Gouvernement ouvert Maroc. Ce message est envoyé automatiquement ; merci de ne pas y répondre."
	footerAR = "فضاء المجتمع المدني — الحكومة المنفتحة بالمغرب. هذه رسالة آلية، يرجى عدم الرد عليها."
)

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

// linkMessage gives the association its private link after applying.
func linkMessage(c Candidacy, call Call, link string) mail.Message {
	if c.Lang == i18n.AR {
		return mail.Message{
			Lang:    i18n.AR,
			Subject: "ترشيحكم: " + call.Title.AR,
			Blocks: []mail.Block{
				{Text: "مرحبًا " + c.Representative.Name + "،"},
				{Text: "تم إنشاء مسودة ترشيح جمعية «" + c.Association.Name + "» لطلب «" + call.Title.AR + "». لم يتم إيداعها بعد."},
				{Text: "يمكنكم استكمالها وتحميل وثائق الملف (بصيغة PDF) ثم إيداعها قبل " + localTime(call.ClosesAt, i18n.AR) + " (بتوقيت الدار البيضاء) عبر الرابط الشخصي التالي. يرجى عدم مشاركته، فهو يتيح الوصول إلى ترشيحكم:"},
				{Link: link},
			},
			Footer: footerAR,
		}
	}
	return mail.Message{
		Lang:    i18n.FR,
		Subject: "Votre candidature : " + call.Title.FR,
		Blocks: []mail.Block{
			{Text: "Bonjour " + c.Representative.Name + ","},
			{Text: "Le brouillon de candidature de l'association « " + c.Association.Name + " » à l'appel « " + call.Title.FR + " » est enregistré. Il n'est pas encore déposé."},
			{Text: "Vous pouvez le compléter, téléverser les documents du dossier (PDF) puis le déposer avant le " + localTime(call.ClosesAt, i18n.FR) + " (heure de Casablanca) grâce au lien personnel ci-dessous. Ne le partagez pas : il donne accès à votre candidature."},
			{Link: link},
		},
		Footer: footerFR,
	}
}

// receiptMessage is the récépissé: reference, time and every document
// with its size and SHA-256, so the association can prove what it sent.
func receiptMessage(c Candidacy, call Call) mail.Message {
	lang := c.Lang
	var docs []mail.Block
	for _, spec := range call.Documents {
		d, _, ok := c.Document(spec.Type)
		if !ok || d.Status != DocumentVerified {
			continue
		}
		if lang == i18n.AR {
			docs = append(docs, mail.Block{Text: "• " + spec.Label.AR + ": " + formatBytes(d.Size) + " بايت، SHA-256: " + d.SHA256})
		} else {
			docs = append(docs, mail.Block{Text: "• " + spec.Label.FR + " : " + formatBytes(d.Size) + " octets, SHA-256 : " + d.SHA256})
		}
	}
	if lang == i18n.AR {
		blocks := []mail.Block{
			{Text: "مرحبًا " + c.Representative.Name + "،"},
			{Text: "نشهد بتوصّلنا بترشيح جمعية «" + c.Association.Name + "» لطلب «" + call.Title.AR + "»، المودَع بتاريخ " + localTime(c.SubmittedAt, i18n.AR) + " (بتوقيت الدار البيضاء)."},
			{Text: "المرجع: " + c.Reference + ". يرجى ذكره في كل مراسلة."},
			{Text: "الوثائق المتوصَّل بها:"},
		}
		blocks = append(blocks, docs...)
		blocks = append(blocks, mail.Block{Text: "أصبح الترشيح غير قابل للتعديل. يمكنكم سحبه قبل إغلاق الطلب في " + localTime(call.ClosesAt, i18n.AR) + " عبر رابطكم الشخصي. احتفظوا بهذا الوصل."})
		return mail.Message{Lang: i18n.AR, Subject: "وصل إيداع الترشيح — " + c.Reference, Blocks: blocks, Footer: footerAR}
	}
	blocks := []mail.Block{
		{Text: "Bonjour " + c.Representative.Name + ","},
		{Text: "Nous accusons réception de la candidature de l'association « " + c.Association.Name + " » à l'appel « " + call.Title.FR + " », déposée le " + localTime(c.SubmittedAt, i18n.FR) + " (heure de Casablanca)."},
		{Text: "Référence : " + c.Reference + ". Merci de la rappeler dans toute correspondance."},
		{Text: "Documents reçus :"},
	}
	blocks = append(blocks, docs...)
	blocks = append(blocks, mail.Block{Text: "La candidature ne peut plus être modifiée. Vous pouvez la retirer jusqu'à la clôture de l'appel, le " + localTime(call.ClosesAt, i18n.FR) + ", grâce à votre lien personnel. Conservez ce récépissé."})
	return mail.Message{Lang: i18n.FR, Subject: "Récépissé de dépôt de candidature — " + c.Reference, Blocks: blocks, Footer: footerFR}
}

// withdrawnMessage confirms a withdrawal.
func withdrawnMessage(c Candidacy, call Call) mail.Message {
	ref := c.Reference
	if c.Lang == i18n.AR {
		text := "تم سحب ترشيح جمعية «" + c.Association.Name + "» لطلب «" + call.Title.AR + "»"
		if ref != "" {
			text += " (المرجع " + ref + ")"
		}
		return mail.Message{Lang: i18n.AR, Subject: "سحب الترشيح: " + call.Title.AR, Blocks: []mail.Block{
			{Text: "مرحبًا " + c.Representative.Name + "،"}, {Text: text + " بتاريخ " + localTime(c.WithdrawnAt, i18n.AR) + "."},
		}, Footer: footerAR}
	}
	text := "La candidature de l'association « " + c.Association.Name + " » à l'appel « " + call.Title.FR + " »"
	if ref != "" {
		text += " (référence " + ref + ")"
	}
	return mail.Message{Lang: i18n.FR, Subject: "Retrait de candidature : " + call.Title.FR, Blocks: []mail.Block{
		{Text: "Bonjour " + c.Representative.Name + ","}, {Text: text + " a été retirée le " + localTime(c.WithdrawnAt, i18n.FR) + "."},
	}, Footer: footerFR}
}
