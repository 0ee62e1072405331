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
)

// ManageLink is the registrant's private link: the portal page that calls
// GET /api/registrations/{id}?token=.
func ManageLink(origin string, lang i18n.Lang, id, token string) string {
	return fmt.Sprintf("%s/%s/registrations/%s?token=%s", strings.TrimRight(origin, "/"), lang, url.PathEscape(id), url.QueryEscape(token))
}

var (
	footerFR = "Espace de la société civile — Gouvernement ouvert Maroc. Ce message est envoyé automatiquement ; merci de ne pas y répondre."
	footerAR = "فضاء المجتمع المدني — الحكومة المنفتحة بالمغرب. هذه رسالة آلية، يرجى عدم الرد عليها."

	daysFR   = []string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"}
	monthsFR = []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}
	daysAR   = []string{"الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت"}
	monthsAR = []string{"يناير", "فبراير", "مارس", "أبريل", "ماي", "يونيو", "يوليوز", "غشت", "شتنبر", "أكتوبر", "نونبر", "دجنبر"}
)

// When formats an event's start and end in Africa/Casablanca time.
func When(e Event, lang i18n.Lang) string {
	s, en := e.StartsAt.In(i18n.Casablanca), e.EndsAt.In(i18n.Casablanca)
	sameDay := s.YearDay() == en.YearDay() && s.Year() == en.Year()
	if lang == i18n.AR {
		out := fmt.Sprintf("%s %d %s %d، من الساعة %s", daysAR[s.Weekday()], s.Day(), monthsAR[s.Month()-1], s.Year(), s.Format("15:04"))
		if sameDay {
			return out + " إلى الساعة " + en.Format("15:04") + " (بتوقيت المغرب)"
		}
		return out + fmt.Sprintf(" إلى %s %d %s %d الساعة %s (بتوقيت المغرب)", daysAR[en.Weekday()], en.Day(), monthsAR[en.Month()-1], en.Year(), en.Format("15:04"))
	}
	out := fmt.Sprintf("%s %d %s %d de %s", daysFR[s.Weekday()], s.Day(), monthsFR[s.Month()-1], s.Year(), strings.Replace(s.Format("15:04"), ":", " h ", 1))
	if sameDay {
		return out + " à " + strings.Replace(en.Format("15:04"), ":", " h ", 1) + " (heure du Maroc)"
	}
	return out + fmt.Sprintf(" au %s %d %s %d à %s (heure du Maroc)", daysFR[en.Weekday()], en.Day(), monthsFR[en.Month()-1], en.Year(), strings.Replace(en.Format("15:04"), ":", " h ", 1))
}

// Where is the venue, or "online".
func Where(e Event, lang i18n.Lang) string {
	var parts []string
	if e.Venue != nil {
		for _, p := range []string{e.Venue.Address, e.Venue.City, e.Venue.Region} {
			if p != "" {
				parts = append(parts, p)
			}
		}
	}
	if e.Online {
		if lang == i18n.AR {
			parts = append(parts, "عن بُعد")
		} else {
			parts = append(parts, "en ligne")
		}
	}
	sep := ", "
	if lang == i18n.AR {
		sep = "، "
	}
	return strings.Join(parts, sep)
}

// EventLink is the event's public page.
func EventLink(origin string, lang i18n.Lang, id string) string {
	return fmt.Sprintf("%s/%s/events/%s", strings.TrimRight(origin, "/"), lang, url.PathEscape(id))
}

// calendar is the .ics attachment of a registration (UID per registration,
// so that a CANCEL removes exactly what the REQUEST added).
func calendar(m ics.Method, e Event, r Registration, origin string, now time.Time, sequence int) outbox.Attachment {
	desc := e.Description.In(string(r.Lang))
	if e.Online && e.OnlineURL != "" && m == ics.Request && r.Status == Confirmed {
		desc = strings.TrimSpace(desc + "\n\n" + e.OnlineURL)
	}
	data := ics.Write(m, ics.Event{
		UID: r.ID + "@espace-osc", Sequence: sequence, Stamp: now,
		Start: e.StartsAt, End: e.EndsAt,
		Summary: e.Title.In(string(r.Lang)), Description: desc,
		Location: Where(e, r.Lang), URL: EventLink(origin, r.Lang, e.ID),
	})
	name := "invitation.ics"
	if m == ics.Cancel {
		name = "annulation.ics"
	}
	return outbox.Attachment{Filename: name, ContentType: "text/calendar; charset=utf-8; method=" + string(m), Data: data}
}

type text struct{ fr, ar string }

func (t text) in(lang i18n.Lang) string {
	if lang == i18n.AR {
		return t.ar
	}
	return t.fr
}

func hello(r Registration) mail.Block {
	if r.Lang == i18n.AR {
		return mail.Block{Text: "مرحبًا " + r.FullName + "،"}
	}
	return mail.Block{Text: "Bonjour " + r.FullName + ","}
}

func footer(lang i18n.Lang) string { return text{footerFR, footerAR}.in(lang) }

// details are the what / when / where paragraphs of an event email.
func details(e Event, r Registration, withOnline bool) []mail.Block {
	l := r.Lang
	b := []mail.Block{
		{Text: text{"Événement : ", "النشاط: "}.in(l) + e.Title.In(string(l))},
		{Text: text{"Date : ", "الموعد: "}.in(l) + When(e, l)},
		{Text: text{"Lieu : ", "المكان: "}.in(l) + Where(e, l)},
	}
	if withOnline && e.Online && e.OnlineURL != "" {
		b = append(b, mail.Block{Text: text{"Lien de connexion (personnel, ne le partagez pas) :", "رابط الالتحاق (شخصي، يرجى عدم مشاركته):"}.in(l)}, mail.Block{Link: e.OnlineURL})
	}
	return b
}

func manageBlocks(r Registration, link string) []mail.Block {
	return []mail.Block{
		{Text: text{"Pour consulter ou annuler votre inscription, utilisez votre lien personnel :", "للاطلاع على تسجيلكم أو إلغائه، استعملوا رابطكم الشخصي:"}.in(r.Lang)},
		{Link: link},
	}
}

func confirmedMessage(e Event, r Registration, link string, promoted bool) mail.Message {
	l := r.Lang
	title := e.Title.In(string(l))
	m := mail.Message{Lang: l, Footer: footer(l)}
	if promoted {
		m.Subject = text{"Une place s'est libérée : votre inscription est confirmée — ", "تحرّر مقعد: تم تأكيد تسجيلكم — "}.in(l) + title
	} else {
		m.Subject = text{"Inscription confirmée — ", "تأكيد التسجيل — "}.in(l) + title
	}
	m.Blocks = append(m.Blocks, hello(r))
	if promoted {
		m.Blocks = append(m.Blocks, mail.Block{Text: text{"Bonne nouvelle : une place s'est libérée et vous étiez le premier ou la première sur la liste d'attente. Votre inscription est confirmée.", "خبر سار: تحرّر مقعد وكنتم الأوائل في لائحة الانتظار. تم تأكيد تسجيلكم."}.in(l)})
	} else {
		m.Blocks = append(m.Blocks, mail.Block{Text: text{"Votre inscription est confirmée. Nous vous attendons !", "تم تأكيد تسجيلكم. في انتظاركم!"}.in(l)})
	}
	m.Blocks = append(m.Blocks, details(e, r, true)...)
	m.Blocks = append(m.Blocks,
		mail.Block{Text: text{"Votre code d'inscription, à présenter à l'accueil : ", "رمز تسجيلكم، يرجى تقديمه عند الاستقبال: "}.in(l) + r.Code},
		mail.Block{Text: text{"Le fichier joint (invitation.ics) ajoute l'événement à votre agenda.", "يضيف الملف المرفق (invitation.ics) النشاط إلى مفكرتكم."}.in(l)},
	)
	m.Blocks = append(m.Blocks, manageBlocks(r, link)...)
	return m
}

func waitlistedMessage(e Event, r Registration, link string) mail.Message {
	l := r.Lang
	m := mail.Message{Lang: l, Footer: footer(l),
		Subject: text{"Liste d'attente — ", "لائحة الانتظار — "}.in(l) + e.Title.In(string(l))}
	m.Blocks = append(m.Blocks, hello(r),
		mail.Block{Text: fmt.Sprintf(text{"Toutes les places sont prises. Vous êtes inscrit·e sur la liste d'attente, en position %d. Si une place se libère, elle sera attribuée dans l'ordre d'inscription et vous recevrez aussitôt une confirmation par e-mail.", "جميع المقاعد محجوزة. تم تسجيلكم في لائحة الانتظار في المرتبة %d. إذا تحرّر مقعد، يُمنح حسب ترتيب التسجيل وستتوصلون فورًا بتأكيد عبر البريد الإلكتروني."}.in(l), r.Position)})
	m.Blocks = append(m.Blocks, details(e, r, false)...)
	m.Blocks = append(m.Blocks, manageBlocks(r, link)...)
	return m
}

func withdrawnMessage(e Event, r Registration) mail.Message {
	l := r.Lang
	return mail.Message{Lang: l, Footer: footer(l),
		Subject: text{"Inscription annulée — ", "تم إلغاء التسجيل — "}.in(l) + e.Title.In(string(l)),
		Blocks: append([]mail.Block{hello(r),
			{Text: text{"Votre inscription a bien été annulée. Merci de nous avoir prévenus : votre place profite à une autre personne.", "تم إلغاء تسجيلكم. شكرًا على إخبارنا: سيستفيد شخص آخر من مقعدكم."}.in(l)},
		}, details(e, r, false)...)}
}

func linkMessage(e Event, r Registration, link string) mail.Message {
	l := r.Lang
	m := mail.Message{Lang: l, Footer: footer(l),
		Subject: text{"Votre inscription existe déjà — ", "تسجيلكم موجود مسبقًا — "}.in(l) + e.Title.In(string(l))}
	m.Blocks = append(m.Blocks, hello(r),
		mail.Block{Text: text{"Une nouvelle inscription a été demandée avec votre adresse, qui est déjà inscrite à cet événement. Voici votre lien personnel (il remplace le précédent) :", "طُلب تسجيل جديد بعنوانكم، وهو مسجّل مسبقًا في هذا النشاط. إليكم رابطكم الشخصي (يعوّض الرابط السابق):"}.in(l)},
		mail.Block{Link: link},
		mail.Block{Text: text{"Si vous n'êtes pas à l'origine de cette demande, ignorez ce message.", "إذا لم تكونوا صاحب هذا الطلب، يرجى تجاهل هذه الرسالة."}.in(l)})
	m.Blocks = append(m.Blocks, details(e, r, false)...)
	return m
}

func reminderMessage(e Event, r Registration) mail.Message {
	l := r.Lang
	m := mail.Message{Lang: l, Footer: footer(l),
		Subject: text{"Rappel — ", "تذكير — "}.in(l) + e.Title.In(string(l))}
	m.Blocks = append(m.Blocks, hello(r),
		mail.Block{Text: text{"Nous vous rappelons l'événement auquel vous êtes inscrit·e :", "نذكّركم بالنشاط الذي سجّلتم فيه:"}.in(l)})
	m.Blocks = append(m.Blocks, details(e, r, true)...)
	m.Blocks = append(m.Blocks, mail.Block{Text: text{"Votre code d'inscription : ", "رمز تسجيلكم: "}.in(l) + r.Code},
		mail.Block{Text: text{"Si vous ne pouvez plus venir, annulez votre inscription avec le lien reçu lors de l'inscription : votre place profitera à une personne de la liste d'attente.", "إذا تعذّر عليكم الحضور، يرجى إلغاء تسجيلكم عبر الرابط الذي توصلتم به عند التسجيل، ليستفيد من مقعدكم شخص من لائحة الانتظار."}.in(l)})
	return m
}

func eventCancelledMessage(e Event, r Registration) mail.Message {
	l := r.Lang
	m := mail.Message{Lang: l, Footer: footer(l),
		Subject: text{"Événement annulé — ", "تم إلغاء النشاط — "}.in(l) + e.Title.In(string(l))}
	m.Blocks = append(m.Blocks, hello(r),
		mail.Block{Text: text{"Nous sommes au regret de vous informer que cet événement est annulé. Le fichier joint (annulation.ics) le retire de votre agenda. Veuillez nous excuser pour ce désagrément.", "يؤسفنا إخباركم بإلغاء هذا النشاط. يحذفه الملف المرفق (annulation.ics) من مفكرتكم. نعتذر عن هذا الإزعاج."}.in(l)})
	m.Blocks = append(m.Blocks, details(e, r, false)...)
	return m
}
