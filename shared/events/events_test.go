package events

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/i18n"
	"espaceosc/shared/secret"
)

// problems lists an error's "field rule" pairs, sorted ("" for nil).
func problems(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Code != apperr.Invalid {
		t.Fatalf("got %v, want an apperr.Invalid error", err)
	}
	var got []string
	for _, f := range ae.Fields {
		got = append(got, f.Field+" "+f.Rule)
	}
	slices.Sort(got)
	return got
}

func load(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

func TestEventInputValidation(t *testing.T) {
	var base Input
	load(t, "event.json", &base)
	hours := func(h int) *int { return &h }
	tests := []struct {
		name     string
		creating bool
		edit     func(in *Input)
		want     []string
	}{
		{"valid", true, func(*Input) {}, nil},
		{"valid online only", true, func(in *Input) { in.Venue, in.Online, in.OnlineURL = nil, true, "https://meet.example.ma/x" }, nil},
		{"id on edit", false, func(in *Input) { in.ID = "atelier-rabat" }, []string{"id unknown"}},
		{"id format", true, func(in *Input) { in.ID = "Atelier Rabat" }, []string{"id format"}},
		{"kind", true, func(in *Input) { in.Kind = "party" }, []string{"kind one_of"}},
		{"titles missing", true, func(in *Input) { in.Title = i18n.Text{} }, []string{"title.ar required", "title.fr required"}},
		{"title too short", true, func(in *Input) { in.Title.FR = "ab" }, []string{"title.fr too_short"}},
		{"title too long", true, func(in *Input) { in.Title.AR = strings.Repeat("ع", TitleMax+1) }, []string{"title.ar too_long"}},
		{"title on two lines", true, func(in *Input) { in.Title.FR = "Atelier\nRabat" }, []string{"title.fr single_line"}},
		{"description too long", true, func(in *Input) { in.Description.FR = strings.Repeat("a", DescriptionMax+1) }, []string{"description.fr too_long"}},
		{"bad timestamp", true, func(in *Input) { in.StartsAt = "2026-12-01 10:00" }, []string{"startsAt timestamp"}},
		{"missing timestamp", true, func(in *Input) { in.RegistrationOpensAt = "" }, []string{"registrationOpensAt required"}},
		{"ends before start", true, func(in *Input) { in.EndsAt = in.StartsAt }, []string{"endsAt events.ends_before_start"}},
		{"closes before opens", true, func(in *Input) { in.RegistrationClosesAt = in.RegistrationOpensAt }, []string{"registrationClosesAt events.closes_before_opens"}},
		{"closes after start", true, func(in *Input) { in.RegistrationClosesAt = in.EndsAt }, []string{"registrationClosesAt events.closes_after_start"}},
		{"neither venue nor online", true, func(in *Input) { in.Venue = nil }, []string{"venue events.venue_or_online"}},
		{"venue fields", true, func(in *Input) { in.Venue = &Venue{Address: "x", City: ""} }, []string{"venue.address too_short", "venue.city required"}},
		{"online without url", true, func(in *Input) { in.Online = true }, []string{"onlineUrl required"}},
		{"online url not http", true, func(in *Input) { in.Online, in.OnlineURL = true, "javascript:alert(1)" }, []string{"onlineUrl url"}},
		{"url without online", true, func(in *Input) { in.OnlineURL = "https://meet.example.ma/x" }, []string{"onlineUrl events.online_url_without_online"}},
		{"capacity zero", true, func(in *Input) { in.Capacity = 0 }, []string{"capacity range"}},
		{"capacity too big", true, func(in *Input) { in.Capacity = MaxCapacity + 1 }, []string{"capacity range"}},
		{"waitlist negative", true, func(in *Input) { in.WaitlistSize = -1 }, []string{"waitlistSize range"}},
		{"waitlist zero", true, func(in *Input) { in.WaitlistSize = 0 }, nil},
		{"reminder too far", true, func(in *Input) { in.ReminderHours = hours(MaxReminderHours + 1) }, []string{"reminderHours range"}},
		{"reminder zero", true, func(in *Input) { in.ReminderHours = hours(0) }, nil},
		{"too many questions", true, func(in *Input) {
			for range MaxQuestions {
				in.Questions = append(in.Questions, Question{ID: "q" + strings.Repeat("x", len(in.Questions)), Type: ShortText, Label: i18n.Text{FR: "Q", AR: "س"}})
			}
		}, []string{"questions events.too_many"}},
		{"question id repeated", true, func(in *Input) { in.Questions[1].ID = in.Questions[0].ID }, []string{"questions[1].id format"}},
		{"question type", true, func(in *Input) { in.Questions[0].Type = "date" }, []string{"questions[0].type one_of"}},
		{"question label", true, func(in *Input) { in.Questions[0].Label.AR = "" }, []string{"questions[0].label.ar required"}},
		{"choice with one option", true, func(in *Input) { in.Questions[2].Options = in.Questions[2].Options[:1] }, []string{"questions[2].options range"}},
		{"text with options", true, func(in *Input) { in.Questions[0].Options = in.Questions[2].Options }, []string{"questions[0].options unknown"}},
		{"option id repeated", true, func(in *Input) { in.Questions[3].Options[1].ID = in.Questions[3].Options[0].ID }, []string{"questions[3].options[1].id format"}},
		{"option label", true, func(in *Input) { in.Questions[3].Options[0].Label.FR = " " }, []string{"questions[3].options[0].label.fr required"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var in Input
			load(t, "event.json", &in) // a deep copy
			tt.edit(&in)
			_, err := in.validate(tt.creating)
			if got := problems(t, err); !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// questionsEvent has one question of each type, all required but the long text.
func questionsEvent(t *testing.T) Event {
	var in Input
	load(t, "event.json", &in)
	p, err := in.validate(true)
	if err != nil {
		t.Fatal(err)
	}
	var e Event
	in.apply(&e, p)
	return e
}

func TestRegistrationInputValidation(t *testing.T) {
	e := questionsEvent(t)
	yes, no := true, false
	raw := func(s string) json.RawMessage { return json.RawMessage(s) }
	tests := []struct {
		name        string
		edit        func(in *RegistrationInput)
		want        []string
		wantAnswers map[string][]string
	}{
		{"valid", func(*RegistrationInput) {}, nil, map[string][]string{
			"structure": {"Association Tafra"}, "attentes": {"Apprendre"}, "role": {"association"}, "themes": {"sante", "education"},
		}},
		{"optional long text left out", func(in *RegistrationInput) { delete(in.Answers, "attentes") }, nil, map[string][]string{
			"structure": {"Association Tafra"}, "role": {"association"}, "themes": {"sante", "education"},
		}},
		{"null answer is no answer", func(in *RegistrationInput) { in.Answers["attentes"] = raw("null") }, nil, map[string][]string{
			"structure": {"Association Tafra"}, "role": {"association"}, "themes": {"sante", "education"},
		}},
		{"text answers trimmed", func(in *RegistrationInput) { in.Answers["structure"] = raw(`"  Tafra  "`) }, nil, map[string][]string{
			"structure": {"Tafra"}, "attentes": {"Apprendre"}, "role": {"association"}, "themes": {"sante", "education"},
		}},
		{"name missing", func(in *RegistrationInput) { in.FullName = "" }, []string{"fullName required"}, nil},
		{"name too long", func(in *RegistrationInput) { in.FullName = strings.Repeat("م", 121) }, []string{"fullName too_long"}, nil},
		{"email format", func(in *RegistrationInput) { in.Email = "salma@" }, []string{"email email"}, nil},
		{"organisation too long", func(in *RegistrationInput) { in.Organisation = strings.Repeat("a", 201) }, []string{"organisation too_long"}, nil},
		{"phone format", func(in *RegistrationInput) { in.Phone = "06 12 ab 34 56" }, []string{"phone format"}, nil},
		{"phone too short", func(in *RegistrationInput) { in.Phone = "0612" }, []string{"phone too_short"}, nil},
		{"lang", func(in *RegistrationInput) { in.Lang = "en" }, []string{"lang lang"}, nil},
		{"consent missing", func(in *RegistrationInput) { in.Consent = nil }, []string{"consent consent"}, nil},
		{"consent refused", func(in *RegistrationInput) { in.Consent = &no }, []string{"consent consent"}, nil},
		{"consent given", func(in *RegistrationInput) { in.Consent = &yes }, nil, map[string][]string{
			"structure": {"Association Tafra"}, "attentes": {"Apprendre"}, "role": {"association"}, "themes": {"sante", "education"},
		}},
		{"required short text missing", func(in *RegistrationInput) { delete(in.Answers, "structure") }, []string{"answers.structure required"}, nil},
		{"short text blank", func(in *RegistrationInput) { in.Answers["structure"] = raw(`"   "`) }, []string{"answers.structure required"}, nil},
		{"short text not a string", func(in *RegistrationInput) { in.Answers["structure"] = raw(`42`) }, []string{"answers.structure type"}, nil},
		{"short text on two lines", func(in *RegistrationInput) { in.Answers["structure"] = raw(`"a\nb"`) }, []string{"answers.structure single_line"}, nil},
		{"short text too long", func(in *RegistrationInput) {
			in.Answers["structure"] = raw(`"` + strings.Repeat("a", AnswerTextMax+1) + `"`)
		}, []string{"answers.structure too_long"}, nil},
		{"long text on lines", func(in *RegistrationInput) { in.Answers["attentes"] = raw(`"a\nb"`) }, nil, map[string][]string{
			"structure": {"Association Tafra"}, "attentes": {"a\nb"}, "role": {"association"}, "themes": {"sante", "education"},
		}},
		{"long text too long", func(in *RegistrationInput) {
			in.Answers["attentes"] = raw(`"` + strings.Repeat("ب", AnswerLongTextMax+1) + `"`)
		}, []string{"answers.attentes too_long"}, nil},
		{"single choice missing", func(in *RegistrationInput) { delete(in.Answers, "role") }, []string{"answers.role required"}, nil},
		{"single choice not offered", func(in *RegistrationInput) { in.Answers["role"] = raw(`"ministre"`) }, []string{"answers.role one_of"}, nil},
		{"single choice as a list", func(in *RegistrationInput) { in.Answers["role"] = raw(`["association"]`) }, []string{"answers.role type"}, nil},
		{"multiple choice empty", func(in *RegistrationInput) { in.Answers["themes"] = raw(`[]`) }, []string{"answers.themes required"}, nil},
		{"multiple choice not a list", func(in *RegistrationInput) { in.Answers["themes"] = raw(`"sante"`) }, []string{"answers.themes type"}, nil},
		{"multiple choice not offered", func(in *RegistrationInput) { in.Answers["themes"] = raw(`["sante","sport"]`) }, []string{"answers.themes one_of"}, nil},
		{"multiple choice repeated", func(in *RegistrationInput) { in.Answers["themes"] = raw(`["sante","sante"]`) }, []string{"answers.themes one_of"}, nil},
		{"unknown question", func(in *RegistrationInput) { in.Answers["age"] = raw(`"30"`) }, []string{"answers.age unknown"}, nil},
		{"every problem at once", func(in *RegistrationInput) {
			in.FullName, in.Email, in.Lang, in.Consent, in.Answers = "", "x", "de", nil, nil
		}, []string{"answers.role required", "answers.structure required", "answers.themes required", "consent consent", "email email", "fullName required", "lang lang"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var in RegistrationInput
			load(t, "registration.json", &in)
			tt.edit(&in)
			answers, err := in.validate(e)
			if got := problems(t, err); !slices.Equal(got, tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
			if tt.want != nil {
				return
			}
			got, _ := json.Marshal(answers)
			want, _ := json.Marshal(tt.wantAnswers)
			if !bytes.Equal(got, want) {
				t.Errorf("answers: got %s, want %s", got, want)
			}
		})
	}
}

func TestPlace(t *testing.T) {
	tests := []struct {
		name                                               string
		capacity, confirmed, waitlistSize, waitlisted, seq int
		want                                               RegStatus
		wantPosition                                       int
	}{
		{"empty event", 100, 0, 1000, 0, 0, RegConfirmed, 0},
		{"last seat", 100, 99, 1000, 0, 0, RegConfirmed, 0},
		{"seat freed by a withdrawal after the waitlist started", 100, 99, 1000, 3, 5, RegConfirmed, 0},
		{"first on the waitlist", 100, 100, 1000, 0, 0, RegWaitlisted, 1},
		{"positions keep counting after promotions", 100, 100, 1000, 3, 7, RegWaitlisted, 8},
		{"last waitlist place", 100, 100, 10, 9, 12, RegWaitlisted, 13},
		{"waitlist full", 100, 100, 10, 10, 10, "", 0},
		{"no waitlist", 100, 100, 0, 0, 0, "", 0},
		{"over capacity after an edit", 50, 60, 0, 0, 0, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := Event{Capacity: tt.capacity, Confirmed: tt.confirmed, WaitlistSize: tt.waitlistSize, Waitlisted: tt.waitlisted, WaitlistSeq: tt.seq}
			got, pos := e.place()
			if got != tt.want || pos != tt.wantPosition {
				t.Errorf("got %q %d, want %q %d", got, pos, tt.want, tt.wantPosition)
			}
			if open := e.SeatsLeft() > 0 || e.WaitlistOpen(); open != (got != "") {
				t.Errorf("SeatsLeft %d, WaitlistOpen %v disagree with place %q", e.SeatsLeft(), e.WaitlistOpen(), got)
			}
		})
	}
}

func TestClosedReason(t *testing.T) {
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	open := Event{Status: Published, RegistrationOpensAt: now.Add(-time.Hour), RegistrationClosesAt: now.Add(time.Hour), StartsAt: now.Add(2 * time.Hour)}
	tests := []struct {
		name string
		edit func(e *Event)
		want string
	}{
		{"open", func(*Event) {}, ""},
		{"draft", func(e *Event) { e.Status = Draft }, "events.not_published"},
		{"cancelled", func(e *Event) { e.Status = Cancelled }, "events.cancelled"},
		{"started", func(e *Event) { e.StartsAt = now }, "events.past"},
		{"not open yet", func(e *Event) { e.RegistrationOpensAt = now.Add(time.Minute) }, "events.not_open_yet"},
		{"opens now", func(e *Event) { e.RegistrationOpensAt = now }, ""},
		{"closes now", func(e *Event) { e.RegistrationClosesAt = now }, "events.closed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := open
			tt.edit(&e)
			if got := e.closedReason(now); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestAdaptiveWait(t *testing.T) {
	lowest := func(int64) int64 { return 0 }
	highest := func(n int64) int64 { return n - 1 }
	tests := []struct {
		name       string
		prev, took time.Duration
		randN      func(int64) int64
		want       time.Duration
	}{
		{"first loss, fast transaction: the floor", 0, 0, lowest, waitFloor},
		{"first loss: at least the transaction's time", 0, 30 * time.Millisecond, lowest, 30 * time.Millisecond},
		{"first loss: at most four times it", 0, 30 * time.Millisecond, highest, 120*time.Millisecond - 1},
		{"later: up to three times the previous delay", 60 * time.Millisecond, 10 * time.Millisecond, highest, 180*time.Millisecond - 1},
		{"capped", 200 * time.Millisecond, 10 * time.Millisecond, highest, waitCap},
		{"a slow transaction is capped too", 0, time.Second, lowest, waitCap},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := adaptiveWait(tt.prev, tt.took, tt.randN); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRetryPolicySelection(t *testing.T) {
	for _, p := range []RetryPolicy{"", RetryAdaptive, "unknown"} {
		s := NewService(Config{RetryPolicy: p})
		for range 100 {
			if got := s.nextWait(0, 0, time.Millisecond); got < waitFloor || got > waitCap {
				t.Fatalf("policy %q: wait %v outside [%v, %v]", p, got, waitFloor, waitCap)
			}
		}
	}
	for attempt := range 30 {
		got := NewService(Config{RetryPolicy: RetryLinear}).nextWait(attempt, 0, time.Second)
		if base := time.Duration(min(2+attempt*3, 60)) * time.Millisecond; got < base/2 || got >= base/2+base {
			t.Fatalf("linear, attempt %d: wait %v outside [%v, %v)", attempt, got, base/2, base/2+base)
		}
	}
}

func TestCodesAndTokens(t *testing.T) {
	codes, ids, tokens := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for range 2000 {
		c, err := newCode(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		if !validCode(c) || NormalizeCode(strings.ToLower(c[:4])+"-"+c[4:]) != c {
			t.Fatalf("code %q: not valid or not read back as typed", c)
		}
		codes[c] = true
		id, err := secret.NewID(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		if !ValidRegistrationID(id) {
			t.Fatalf("id %q is not a valid registration id", id)
		}
		ids[id] = true
		tok, hash, err := secret.NewToken(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		if len(tok) != 43 || strings.ContainsAny(tok, "+/=") {
			t.Fatalf("token %q: want 43 base64url characters (256 bits)", tok)
		}
		if hash == tok || len(hash) != 64 || hash != secret.Hash(tok) {
			t.Fatalf("hash %q of %q: want the hex SHA-256", hash, tok)
		}
		r := Registration{TokenHash: hash}
		if !r.TokenMatches(tok) || r.TokenMatches(tok[:42]+"A") && tok[42] != 'A' || r.TokenMatches("") {
			t.Fatal("TokenMatches accepts another token or refuses its own")
		}
		tokens[tok] = true
	}
	if len(ids) != 2000 || len(tokens) != 2000 {
		t.Errorf("repeats: %d ids, %d tokens of 2000", len(ids), len(tokens))
	}
	if len(codes) < 1990 { // 40 bits: a repeat among 2,000 is very unlikely
		t.Errorf("%d distinct codes of 2000", len(codes))
	}
	if (Registration{}).TokenMatches("") {
		t.Error("an empty token matches an empty hash")
	}
}

func TestNormalizeCode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ABCD2345", "ABCD2345"},
		{" abcd-2345 ", "ABCD2345"},
		{"ABCD 2345", "ABCD2345"},
		{"IL0O1234", "1100" + "1234"},
	}
	for _, tt := range tests {
		if got := NormalizeCode(tt.in); got != tt.want {
			t.Errorf("NormalizeCode(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
	for _, c := range []string{"ABCD234", "ABCD23456", "ABCDU234", "ABCD234!"} {
		if validCode(c) {
			t.Errorf("validCode(%q): got true, want false", c)
		}
	}
}

func TestEmailHashNormalises(t *testing.T) {
	if EmailHash("Salma.Benali@Example.MA ") != EmailHash("salma.benali@example.ma") {
		t.Error("the same address in other case or with spaces hashes differently")
	}
	if EmailHash("a@example.ma") == EmailHash("b@example.ma") {
		t.Error("two addresses hash alike")
	}
}
