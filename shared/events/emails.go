package events

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"espaceosc/shared/i18n"
	"espaceosc/shared/ics"
	"espaceosc/shared/mail"
	"espaceosc/shared/outbox"
)

// Email kinds of this capability.
const (
	KindConfirmed      = "event.confirmed"
	KindWaitlisted     = "event.waitlisted"
	KindPromoted       = "event.promoted"
	KindWithdrawn      = "event.withdrawn"
	KindLink           = "event.link"
	KindReminder       = "event.reminder"
	KindEventCancelled = "event.cancelled"
	KindUpdated        = "event.updated"
)

// Emails are the capability's email templates, by kind.
var Emails = mail.Templates{
	KindConfirmed:      mail.Typed(confirmedMessage),
	KindWaitlisted:     mail.Typed(waitlistedMessage),
	KindPromoted:       mail.Typed(promotedMessage),
	KindWithdrawn:      mail.Typed(withdrawnMessage),
	KindLink:           mail.Typed(linkMessage),
	KindReminder:       mail.Typed(reminderMessage),
	KindEventCancelled: mail.Typed(eventCancelledMessage),
	KindUpdated:        mail.Typed(updatedMessage),
}

// ManageLink is the registrant's private link: the portal page that calls
// GET /api/registrations/{id}?token=.
func ManageLink(origin string, lang i18n.Lang, id, token string) string {
	return fmt.Sprintf("%s/%s/registrations/%s?token=%s", strings.TrimRight(origin, "/"), lang, url.PathEscape(id), url.QueryEscape(token))
}

// EventLink is the event's public page.
func EventLink(origin string, lang i18n.Lang, id string) string {
	return fmt.Sprintf("%s/%s/events/%s", strings.TrimRight(origin, "/"), lang, url.PathEscape(id))
}

// eventData is what an email shows of the event, in the recipient's
// language.
type eventData struct {
	ID          string    `json:"id"`
	Title       string    `json:"title"`
	Description string    `json:"description"`
	StartsAt    time.Time `json:"startsAt"`
	EndsAt      time.Time `json:"endsAt"`
	Venue       *Venue    `json:"venue,omitempty"`
	Online      bool      `json:"online"`
	// OnlineURL is set in the emails of confirmed registrants only (the
	// confirmation, the promotion, the reminder).
	OnlineURL string `json:"onlineUrl,omitempty"`
	Page      string `json:"page"`     // the event's public page
	Sequence  int    `json:"sequence"` // the iCalendar SEQUENCE
}

// emailData is what every email of the capability is rendered from: the
// registrant, the event, and when it was composed (the .ics DTSTAMP).
type emailData struct {
	Lang           i18n.Lang `json:"lang"`
	RegistrationID string    `json:"registrationId"` // the .ics UID
	Name           string    `json:"name"`
	Email          string    `json:"email"` // the .ics ATTENDEE
	Code           string    `json:"code"`  // the check-in code
	Event          eventData `json:"event"`
	Stamp          time.Time `json:"stamp"`
	Organizer      string    `json:"organizer,omitempty"` // the .ics ORGANIZER (the sender address)
}

// confirmedData renders a confirmation and a promotion (with the .ics).
type confirmedData struct {
	emailData
	Link string `json:"link"` // the manage link
}

// waitlistedData renders a place on the waitlist.
type waitlistedData struct {
	emailData
	Position int    `json:"position"`
	Link     string `json:"link"`
}

// withdrawnData renders the acknowledgement of a cancellation; Calendar:
// the registration held a seat, whose invitation an .ics CANCEL removes.
type withdrawnData struct {
	emailData
	Calendar bool `json:"calendar,omitempty"`
}

// updatedData renders the notice that an event moved (date or place);
// Confirmed: the registrant holds a seat, and gets the updated invitation
// (.ics REQUEST, same UID, the new SEQUENCE) with the online link.
type updatedData struct {
	emailData
	Confirmed bool `json:"confirmed,omitempty"`
}

// linkData renders a new manage link sent after a duplicate registration.
type linkData struct {
	emailData
	Link string `json:"link"`
}

// reminderData renders a reminder (with the .ics).
type reminderData struct{ emailData }

// eventCancelledData renders the notice of an event's cancellation (with
// an .ics CANCEL).
type eventCancelledData struct{ emailData }

var (
	daysFR   = []string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"}
	monthsFR = []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}
	daysAR   = []string{"الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت"}
	monthsAR = []string{"يناير", "فبراير", "مارس", "أبريل", "ماي", "يونيو", "يوليوز", "غشت", "شتنبر", "أكتوبر", "نونبر", "دجنبر"}
)

// when formats an event's start and end in Morocco's time (i18n.Casablanca).
func (e eventData) when(lang i18n.Lang) string {
	s, en := e.StartsAt.In(i18n.Casablanca), e.EndsAt.In(i18n.Casablanca)
	sameDay := s.YearDay() == en.YearDay() && s.Year() == en.Year()
	if lang == i18n.AR {
		out := fmt.Sprintf("%s %d %s %d، من الساعة %s", daysAR[s.Weekday()], s.Day(), monthsAR[s.Month()-1], s.Year(), s.Format("15:04"))
		if sameDay {
			return out + " إلى الساعة " + en.Format("15:04") + " (بتوقيت المغرب)"
		}
		return out + fmt.Sprintf(" إلى %s %d %s %d الساعة %s (بتوقيت المغرب)", daysAR[en.Weekday()], en.Day(), monthsAR[en.Month()-1], en.Year(), en.Format("15:04"))
	}
	hm := func(t time.Time) string { return strings.Replace(t.Format("15:04"), ":", " h ", 1) }
	out := fmt.Sprintf("%s %d %s %d de %s", daysFR[s.Weekday()], s.Day(), monthsFR[s.Month()-1], s.Year(), hm(s))
	if sameDay {
		return out + " à " + hm(en) + " (heure du Maroc)"
	}
	return out + fmt.Sprintf(" au %s %d %s %d à %s (heure du Maroc)", daysFR[en.Weekday()], en.Day(), monthsFR[en.Month()-1], en.Year(), hm(en))
}

// where is the venue, and "online" for an online event.
func (e eventData) where(lang i18n.Lang) string {
	var parts []string
	if e.Venue != nil {
		for _, p := range []string{e.Venue.Address, e.Venue.City, e.Venue.Region} {
			if p != "" {
				parts = append(parts, p)
			}
		}
	}
	if e.Online {
		parts = append(parts, text{"en ligne", "عن بُعد"}.in(lang))
	}
	return strings.Join(parts, text{", ", "، "}.in(lang))
}

// organizerName is the .ics ORGANIZER's display name.
var organizerName = text{"Espace de la société civile — Gouvernement ouvert Maroc", "فضاء المجتمع المدني — الحكومة المنفتحة بالمغرب"}

// calendar is the .ics attachment of a registration (UID per registration,
// so that a CANCEL removes exactly what the REQUEST added, and an update
// replaces it), from the portal's sender address to the registrant. A
// REQUEST sent to a confirmed registrant of an online event carries the
// online link.
func (d emailData) calendar(m ics.Method) mail.Attachment {
	desc := d.Event.Description
	if m == ics.Request && d.Event.Online && d.Event.OnlineURL != "" {
		desc = strings.TrimSpace(desc + "\n\n" + d.Event.OnlineURL)
	}
	data := ics.Write(m, ics.Event{
		UID: d.RegistrationID + "@espace-osc", Sequence: d.Event.Sequence, Stamp: d.Stamp,
		Start: d.Event.StartsAt, End: d.Event.EndsAt,
		Summary: d.Event.Title, Description: desc,
		Location: d.Event.where(d.Lang), URL: d.Event.Page,
		Organizer: ics.Person{Name: organizerName.in(d.Lang), Email: d.Organizer},
		Attendees: []ics.Person{{Name: d.Name, Email: d.Email}},
	})
	name := "invitation.ics"
	if m == ics.Cancel {
		name = "annulation.ics"
	}
	return mail.Attachment{Filename: name, ContentType: "text/calendar; charset=utf-8; method=" + string(m), Data: data}
}

// text is a sentence of the templates in both languages.
type text struct{ fr, ar string }

func (t text) in(lang i18n.Lang) string {
	if lang == i18n.AR {
		return t.ar
	}
	return t.fr
}

func (d emailData) hello() mail.Block {
	return mail.Block{Text: text{"Bonjour ", "مرحبًا "}.in(d.Lang) + d.Name + text{",", "،"}.in(d.Lang)}
}

// details are the what / when / where paragraphs of an event email, and the
// online link when the data carries it.
func (d emailData) details() []mail.Block {
	l, e := d.Lang, d.Event
	b := []mail.Block{
		{Text: text{"Événement : ", "النشاط: "}.in(l) + e.Title},
		{Text: text{"Date : ", "الموعد: "}.in(l) + e.when(l)},
		{Text: text{"Lieu : ", "المكان: "}.in(l) + e.where(l)},
	}
	if e.Online && e.OnlineURL != "" {
		b = append(b, mail.Block{Text: text{"Lien de connexion (personnel, ne le partagez pas) :", "رابط الالتحاق (شخصي، يرجى عدم مشاركته):"}.in(l)},
			mail.Block{Text: text{"Rejoindre l'événement en ligne", "الالتحاق بالنشاط عن بُعد"}.in(l), Link: e.OnlineURL})
	}
	return b
}

func manageBlocks(l i18n.Lang, link string) []mail.Block {
	return []mail.Block{
		{Text: text{"Pour consulter ou annuler votre inscription, utilisez votre lien personnel :", "للاطلاع على تسجيلكم أو إلغائه، استعملوا رابطكم الشخصي:"}.in(l)},
		{Text: text{"Gérer mon inscription", "تدبير تسجيلي"}.in(l), Link: link},
	}
}

func confirmedMessage(d confirmedData) mail.Message { return confirmation(d, false) }

func promotedMessage(d confirmedData) mail.Message { return confirmation(d, true) }

// confirmation confirms a seat, taken at once or freed for the first on the
// waitlist (promoted), with the .ics.
func confirmation(d confirmedData, promoted bool) mail.Message {
	l := d.Lang
	m := mail.Message{Lang: l, Attachments: []mail.Attachment{d.calendar(ics.Request)}}
	if promoted {
		m.Subject = text{"Une place s'est libérée : votre inscription est confirmée — ", "تحرّر مقعد: تم تأكيد تسجيلكم — "}.in(l) + d.Event.Title
	} else {
		m.Subject = text{"Inscription confirmée — ", "تأكيد التسجيل — "}.in(l) + d.Event.Title
	}
	m.Blocks = append(m.Blocks, d.hello())
	if promoted {
		m.Blocks = append(m.Blocks, mail.Block{Text: text{"Bonne nouvelle : une place s'est libérée et vous étiez le premier ou la première sur la liste d'attente. Votre inscription est confirmée.", "خبر سار: تحرّر مقعد وكنتم الأوائل في لائحة الانتظار. تم تأكيد تسجيلكم."}.in(l)})
	} else {
		m.Blocks = append(m.Blocks, mail.Block{Text: text{"Votre inscription est confirmée. Nous vous attendons !", "تم تأكيد تسجيلكم. في انتظاركم!"}.in(l)})
	}
	m.Blocks = append(m.Blocks, d.details()...)
	m.Blocks = append(m.Blocks,
		mail.Block{Text: text{"Votre code d'inscription, à présenter à l'accueil : ", "رمز تسجيلكم، يرجى تقديمه عند الاستقبال: "}.in(l) + mail.LTR(d.Code)},
		mail.Block{Text: text{"Le fichier joint (invitation.ics) ajoute l'événement à votre agenda.", "يضيف الملف المرفق (invitation.ics) النشاط إلى مفكرتكم."}.in(l)},
	)
	m.Blocks = append(m.Blocks, manageBlocks(l, d.Link)...)
	return m
}

func waitlistedMessage(d waitlistedData) mail.Message {
	l := d.Lang
	m := mail.Message{Lang: l, Subject: text{"Liste d'attente — ", "لائحة الانتظار — "}.in(l) + d.Event.Title}
	m.Blocks = append(m.Blocks, d.hello(),
		mail.Block{Text: fmt.Sprintf(text{"Toutes les places sont prises. Vous êtes inscrit·e sur la liste d'attente, en position %d. Si une place se libère, elle sera attribuée dans l'ordre d'inscription et vous recevrez aussitôt une confirmation par e-mail.", "جميع المقاعد محجوزة. تم تسجيلكم في لائحة الانتظار في المرتبة %d. إذا تحرّر مقعد، يُمنح حسب ترتيب التسجيل وستتوصلون فورًا بتأكيد عبر البريد الإلكتروني."}.in(l), d.Position)})
	m.Blocks = append(m.Blocks, d.details()...)
	m.Blocks = append(m.Blocks, manageBlocks(l, d.Link)...)
	return m
}

func withdrawnMessage(d withdrawnData) mail.Message {
	l := d.Lang
	m := mail.Message{Lang: l,
		Subject: text{"Inscription annulée — ", "تم إلغاء التسجيل — "}.in(l) + d.Event.Title,
		Blocks: append([]mail.Block{d.hello(),
			{Text: text{"Votre inscription a bien été annulée. Merci de nous avoir prévenus : votre place profite à une autre personne.", "تم إلغاء تسجيلكم. شكرًا على إخبارنا: سيستفيد شخص آخر من مقعدكم."}.in(l)},
		}, d.details()...)}
	if d.Calendar {
		m.Attachments = []mail.Attachment{d.calendar(ics.Cancel)}
		m.Blocks = append(m.Blocks, mail.Block{Text: text{"Le fichier joint (annulation.ics) retire l'événement de votre agenda.", "يحذف الملف المرفق (annulation.ics) النشاط من مفكرتكم."}.in(l)})
	}
	return m
}

// updatedMessage tells a registrant that the event moved: its date, time
// or place changed. A confirmed registrant gets the updated invitation.
func updatedMessage(d updatedData) mail.Message {
	l := d.Lang
	m := mail.Message{Lang: l, Subject: text{"Changement de date ou de lieu — ", "تغيير في الموعد أو المكان — "}.in(l) + d.Event.Title}
	m.Blocks = append(m.Blocks, d.hello(),
		mail.Block{Text: text{"La date, l'horaire ou le lieu de l'événement auquel vous êtes inscrit·e ont changé. Voici les informations à jour :", "تغيّر موعد أو توقيت أو مكان النشاط الذي سجّلتم فيه. إليكم المعلومات المحيّنة:"}.in(l)})
	m.Blocks = append(m.Blocks, d.details()...)
	if d.Confirmed {
		m.Attachments = []mail.Attachment{d.calendar(ics.Request)}
		m.Blocks = append(m.Blocks,
			mail.Block{Text: text{"Votre inscription reste confirmée. Le fichier joint (invitation.ics) met à jour l'événement dans votre agenda.", "يبقى تسجيلكم مؤكدًا. يحيّن الملف المرفق (invitation.ics) النشاط في مفكرتكم."}.in(l)})
	} else {
		m.Blocks = append(m.Blocks,
			mail.Block{Text: text{"Vous êtes toujours sur la liste d'attente ; si une place se libère, vous recevrez une confirmation par e-mail.", "ما زلتم في لائحة الانتظار؛ إذا تحرّر مقعد، ستتوصلون بتأكيد عبر البريد الإلكتروني."}.in(l)})
	}
	m.Blocks = append(m.Blocks,
		mail.Block{Text: text{"Si vous ne pouvez plus venir, annulez votre inscription avec le lien reçu lors de l'inscription : votre place profitera à une autre personne.", "إذا تعذّر عليكم الحضور، يرجى إلغاء تسجيلكم عبر الرابط الذي توصلتم به عند التسجيل، ليستفيد من مقعدكم شخص آخر."}.in(l)})
	return m
}

func linkMessage(d linkData) mail.Message {
	l := d.Lang
	m := mail.Message{Lang: l, Subject: text{"Votre inscription existe déjà — ", "تسجيلكم موجود مسبقًا — "}.in(l) + d.Event.Title}
	m.Blocks = append(m.Blocks, d.hello(),
		mail.Block{Text: text{"Une nouvelle inscription a été demandée avec votre adresse, qui est déjà inscrite à cet événement. Voici votre lien personnel (il remplace le précédent) :", "طُلب تسجيل جديد بعنوانكم، وهو مسجّل مسبقًا في هذا النشاط. إليكم رابطكم الشخصي (يعوّض الرابط السابق):"}.in(l)},
		mail.Block{Text: text{"Gérer mon inscription", "تدبير تسجيلي"}.in(l), Link: d.Link},
		mail.Block{Text: text{"Si vous n'êtes pas à l'origine de cette demande, ignorez ce message.", "إذا لم تكونوا صاحب هذا الطلب، يرجى تجاهل هذه الرسالة."}.in(l)})
	m.Blocks = append(m.Blocks, d.details()...)
	return m
}

func reminderMessage(d reminderData) mail.Message {
	l := d.Lang
	m := mail.Message{Lang: l, Subject: text{"Rappel — ", "تذكير — "}.in(l) + d.Event.Title,
		Attachments: []mail.Attachment{d.calendar(ics.Request)}}
	m.Blocks = append(m.Blocks, d.hello(),
		mail.Block{Text: text{"Nous vous rappelons l'événement auquel vous êtes inscrit·e :", "نذكّركم بالنشاط الذي سجّلتم فيه:"}.in(l)})
	m.Blocks = append(m.Blocks, d.details()...)
	m.Blocks = append(m.Blocks, mail.Block{Text: text{"Votre code d'inscription : ", "رمز تسجيلكم: "}.in(l) + mail.LTR(d.Code)},
		mail.Block{Text: text{"Si vous ne pouvez plus venir, annulez votre inscription avec le lien reçu lors de l'inscription : votre place profitera à une personne de la liste d'attente.", "إذا تعذّر عليكم الحضور، يرجى إلغاء تسجيلكم عبر الرابط الذي توصلتم به عند التسجيل، ليستفيد من مقعدكم شخص من لائحة الانتظار."}.in(l)})
	return m
}

func eventCancelledMessage(d eventCancelledData) mail.Message {
	l := d.Lang
	m := mail.Message{Lang: l, Subject: text{"Événement annulé — ", "تم إلغاء النشاط — "}.in(l) + d.Event.Title,
		Attachments: []mail.Attachment{d.calendar(ics.Cancel)}}
	m.Blocks = append(m.Blocks, d.hello(),
		mail.Block{Text: text{"Nous sommes au regret de vous informer que cet événement est annulé. Le fichier joint (annulation.ics) le retire de votre agenda. Veuillez nous excuser pour ce désagrément.", "يؤسفنا إخباركم بإلغاء هذا النشاط. يحذفه الملف المرفق (annulation.ics) من مفكرتكم. نعتذر عن هذا الإزعاج."}.in(l)})
	m.Blocks = append(m.Blocks, d.details()...)
	return m
}

// emailData returns the data of an email about e to r composed at now; with
// online, the event's online link (for confirmed registrants).
func (s *Service) emailData(e Event, r Registration, now time.Time, online bool) emailData {
	ev := eventData{
		ID: e.ID, Title: e.Title.In(r.Lang), Description: e.Description.In(r.Lang),
		StartsAt: e.StartsAt, EndsAt: e.EndsAt, Venue: e.Venue, Online: e.Online,
		Page: EventLink(s.PortalOrigin, r.Lang, e.ID), Sequence: e.Sequence,
	}
	if online && e.Online {
		ev.OnlineURL = e.OnlineURL
	}
	return emailData{Lang: r.Lang, RegistrationID: r.ID, Name: r.FullName, Email: r.Email, Code: r.Code, Event: ev, Stamp: now, Organizer: s.Organizer}
}

// compose is the email of kind to r, about r, rendered from data when sent.
func (s *Service) compose(r Registration, kind string, data any) (outbox.Email, error) {
	return s.Mailer.Compose(r.Email, r.Lang, kind, r.ID, data)
}
