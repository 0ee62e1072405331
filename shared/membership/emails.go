package membership

import (
	"fmt"
	"net/url"
	"strings"

	"espaceosc/shared/i18n"
	"espaceosc/shared/mail"
)

// Email kinds of this capability.
const (
	KindConfirm       = "membership.confirm"        // the private link, to confirm the address
	KindApproved      = "membership.approved"       // the organisation is a member
	KindDeclined      = "membership.declined"       // the request is declined (with the reason, if any)
	KindLeft          = "membership.left"           // the organisation left; its data is deleted
	KindGroupJoined   = "membership.group_joined"   // the organisation joined a working group
	KindGroupDeclined = "membership.group_declined" // its request to join a working group is declined
)

// Emails are the capability's email templates, by kind.
var Emails = mail.Templates{
	KindConfirm:       mail.Typed(confirmMessage),
	KindApproved:      mail.Typed(approvedMessage),
	KindDeclined:      mail.Typed(declinedMessage),
	KindLeft:          mail.Typed(leftMessage),
	KindGroupJoined:   mail.Typed(groupJoinedMessage),
	KindGroupDeclined: mail.Typed(groupDeclinedMessage),
}

// PrivateLink is the contact's private link: the portal page that confirms
// the address (POST /api/memberships/{id}/confirm?token=), then shows the
// membership (GET /api/memberships/{id}?token=) and lets the organisation
// update its details, ask to join a working group or leave.
func PrivateLink(origin string, lang i18n.Lang, id, token string) string {
	return fmt.Sprintf("%s/%s/adhesion/%s?token=%s", strings.TrimRight(origin, "/"), lang, url.PathEscape(id), url.QueryEscape(token))
}

// letter is what every email of the capability is rendered from: whom it
// greets, about which organisation.
type letter struct {
	Lang         i18n.Lang `json:"lang"`
	Name         string    `json:"name"`         // the contact's
	Organisation string    `json:"organisation"` // its name
}

func (l letter) greeting() mail.Block {
	if l.Lang == i18n.AR {
		return mail.Block{Text: "مرحبًا " + l.Name + "،"}
	}
	return mail.Block{Text: "Bonjour " + l.Name + ","}
}

// confirmData is what the confirmation email is rendered from.
type confirmData struct {
	letter
	Link string `json:"link"`
}

func confirmMessage(d confirmData) mail.Message {
	if d.Lang == i18n.AR {
		return mail.Message{
			Lang:    i18n.AR,
			Subject: "أكّدوا طلب انخراط «" + d.Organisation + "» في فضاء المجتمع المدني",
			Blocks: []mail.Block{
				d.greeting(),
				{Text: "توصّلنا بطلب انخراط «" + d.Organisation + "» في فضاء المجتمع المدني للحكومة المنفتحة. لتأكيد عنوان بريدكم الإلكتروني، افتحوا الرابط الشخصي التالي خلال 7 أيام؛ وإلا سيُحذف الطلب:"},
				{Text: "تأكيد عنواني", Link: d.Link},
				{Text: "سيمكّنكم هذا الرابط نفسه لاحقًا من تحيين معطيات منظمتكم، وطلب الانضمام إلى مجموعات العمل، أو مغادرة الفضاء. يرجى عدم مشاركته."},
				{Text: "بعد التأكيد، تدرس الإدارة طلبكم وتخبركم بقرارها عبر البريد الإلكتروني. إذا لم تقدّموا هذا الطلب، تجاهلوا هذه الرسالة."},
			},
		}
	}
	return mail.Message{
		Lang:    i18n.FR,
		Subject: "Confirmez la demande d'adhésion de « " + d.Organisation + " » à l'espace de la société civile",
		Blocks: []mail.Block{
			d.greeting(),
			{Text: "Nous avons reçu la demande d'adhésion de « " + d.Organisation + " » à l'espace de la société civile du gouvernement ouvert. Pour confirmer votre adresse e-mail, ouvrez le lien personnel ci-dessous dans les 7 jours ; passé ce délai, la demande est supprimée :"},
			{Text: "Confirmer mon adresse", Link: d.Link},
			{Text: "Ce même lien vous permettra ensuite de mettre à jour les informations de votre organisation, de demander à rejoindre des groupes de travail ou de quitter l'espace. Ne le partagez pas."},
			{Text: "Une fois votre adresse confirmée, l'administration examine votre demande et vous informe de sa décision par e-mail. Si vous n'êtes pas à l'origine de cette demande, ignorez ce message."},
		},
	}
}

func approvedMessage(d letter) mail.Message {
	if d.Lang == i18n.AR {
		return mail.Message{
			Lang:    i18n.AR,
			Subject: "«" + d.Organisation + "» عضو في فضاء المجتمع المدني",
			Blocks: []mail.Block{
				d.greeting(),
				{Text: "يسعدنا إخباركم بقبول طلب انخراط «" + d.Organisation + "» في فضاء المجتمع المدني للحكومة المنفتحة. أصبحت منظمتكم مدرجة في دليل المنظمات الأعضاء (الاسم، المختصر، المدينة، الجهة، المحاور)."},
				{Text: "يمكنكم الآن طلب الانضمام إلى مجموعات العمل الموضوعاتية والترابية، وتحيين معطياتكم أو مغادرة الفضاء، عبر الرابط الشخصي الذي توصلتم به عند تقديم الطلب."},
				{Text: "مرحبًا بكم، وشكرًا على التزامكم بالحكومة المنفتحة."},
			},
		}
	}
	return mail.Message{
		Lang:    i18n.FR,
		Subject: "« " + d.Organisation + " » est membre de l'espace de la société civile",
		Blocks: []mail.Block{
			d.greeting(),
			{Text: "Nous avons le plaisir de vous informer que la demande d'adhésion de « " + d.Organisation + " » à l'espace de la société civile du gouvernement ouvert est acceptée. Votre organisation figure désormais dans l'annuaire des organisations membres (nom, sigle, ville, région, thématiques)."},
			{Text: "Vous pouvez maintenant demander à rejoindre les groupes de travail thématiques et territoriaux, mettre à jour vos informations ou quitter l'espace grâce au lien personnel reçu lors de votre demande."},
			{Text: "Bienvenue, et merci de votre engagement pour le gouvernement ouvert."},
		},
	}
}

// declinedData carries the administrators' reason, if any.
type declinedData struct {
	letter
	Reason string `json:"reason,omitempty"`
}

func declinedMessage(d declinedData) mail.Message {
	if d.Lang == i18n.AR {
		blocks := []mail.Block{
			d.greeting(),
			{Text: "نأسف لإخباركم بأنه لم يتم قبول طلب انخراط «" + d.Organisation + "» في فضاء المجتمع المدني."},
		}
		if d.Reason != "" {
			blocks = append(blocks, mail.Block{Text: "تعليل الإدارة:"}, mail.Block{Quote: true, Text: d.Reason})
		}
		blocks = append(blocks, mail.Block{Text: "تُحذف معطيات هذا الطلب بعد سنة. يمكنكم تقديم طلب جديد متى شئتم."})
		return mail.Message{Lang: i18n.AR, Subject: "طلب انخراط «" + d.Organisation + "»", Blocks: blocks}
	}
	blocks := []mail.Block{
		d.greeting(),
		{Text: "Nous regrettons de vous informer que la demande d'adhésion de « " + d.Organisation + " » à l'espace de la société civile n'a pas été retenue."},
	}
	if d.Reason != "" {
		blocks = append(blocks, mail.Block{Text: "Motif indiqué par l'administration :"}, mail.Block{Quote: true, Text: d.Reason})
	}
	blocks = append(blocks, mail.Block{Text: "Les données de cette demande sont supprimées au bout d'un an. Vous pouvez déposer une nouvelle demande à tout moment."})
	return mail.Message{Lang: i18n.FR, Subject: "Votre demande d'adhésion pour « " + d.Organisation + " »", Blocks: blocks}
}

func leftMessage(d letter) mail.Message {
	if d.Lang == i18n.AR {
		return mail.Message{
			Lang:    i18n.AR,
			Subject: "غادرت «" + d.Organisation + "» فضاء المجتمع المدني",
			Blocks: []mail.Block{
				d.greeting(),
				{Text: "نؤكد لكم أن «" + d.Organisation + "» لم تعد عضوًا في فضاء المجتمع المدني: حُذفت من دليل المنظمات الأعضاء ومن مجموعات العمل، وحُذفت معطيات طلبها."},
				{Text: "شكرًا على مساهمتكم. يمكنكم الانخراط من جديد متى شئتم."},
			},
		}
	}
	return mail.Message{
		Lang:    i18n.FR,
		Subject: "« " + d.Organisation + " » a quitté l'espace de la société civile",
		Blocks: []mail.Block{
			d.greeting(),
			{Text: "Nous vous confirmons que « " + d.Organisation + " » ne fait plus partie de l'espace de la société civile : elle est retirée de l'annuaire des organisations membres et des groupes de travail, et les données de son adhésion sont supprimées."},
			{Text: "Merci de votre contribution. Vous pouvez adhérer de nouveau à tout moment."},
		},
	}
}

// groupData names the working group (in the email's language).
type groupData struct {
	letter
	Group  string `json:"group"`
	Reason string `json:"reason,omitempty"`
}

func groupJoinedMessage(d groupData) mail.Message {
	if d.Lang == i18n.AR {
		return mail.Message{
			Lang:    i18n.AR,
			Subject: "انضمام «" + d.Organisation + "» إلى مجموعة العمل «" + d.Group + "»",
			Blocks: []mail.Block{
				d.greeting(),
				{Text: "أصبحت «" + d.Organisation + "» عضوًا في مجموعة العمل «" + d.Group + "» لفضاء المجتمع المدني، وهي مدرجة في صفحة المجموعة."},
				{Text: "ستتوصلون بالدعوات إلى أشغال المجموعة. شكرًا على مشاركتكم."},
			},
		}
	}
	return mail.Message{
		Lang:    i18n.FR,
		Subject: "« " + d.Organisation + " » rejoint le groupe de travail « " + d.Group + " »",
		Blocks: []mail.Block{
			d.greeting(),
			{Text: "« " + d.Organisation + " » est désormais membre du groupe de travail « " + d.Group + " » de l'espace de la société civile ; elle figure sur la page du groupe."},
			{Text: "Vous recevrez les invitations aux travaux du groupe. Merci de votre participation."},
		},
	}
}

func groupDeclinedMessage(d groupData) mail.Message {
	if d.Lang == i18n.AR {
		blocks := []mail.Block{
			d.greeting(),
			{Text: "لم يتم قبول طلب انضمام «" + d.Organisation + "» إلى مجموعة العمل «" + d.Group + "»."},
		}
		if d.Reason != "" {
			blocks = append(blocks, mail.Block{Text: "تعليل الإدارة:"}, mail.Block{Quote: true, Text: d.Reason})
		}
		blocks = append(blocks, mail.Block{Text: "تبقى منظمتكم عضوًا في فضاء المجتمع المدني."})
		return mail.Message{Lang: i18n.AR, Subject: "طلب الانضمام إلى مجموعة العمل «" + d.Group + "»", Blocks: blocks}
	}
	blocks := []mail.Block{
		d.greeting(),
		{Text: "La demande de « " + d.Organisation + " » pour rejoindre le groupe de travail « " + d.Group + " » n'a pas été retenue."},
	}
	if d.Reason != "" {
		blocks = append(blocks, mail.Block{Text: "Motif indiqué par l'administration :"}, mail.Block{Quote: true, Text: d.Reason})
	}
	blocks = append(blocks, mail.Block{Text: "Votre organisation reste membre de l'espace de la société civile."})
	return mail.Message{Lang: i18n.FR, Subject: "Votre demande pour rejoindre le groupe de travail « " + d.Group + " »", Blocks: blocks}
}
