package e2e

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"espaceosc/infra/local/cloud"

	ical "github.com/arran4/golang-ical"
)

var (
	eventSeq       atomic.Int64
	manageLinkRE   = regexp.MustCompile(`/(fr|ar)/registrations/([a-z0-9]{26})\?token=([A-Za-z0-9_-]{43})`)
	registrationRE = regexp.MustCompile(`^[a-z0-9]{26}$`)
)

// eventBody is an admin create body: it starts in startsIn, registrations
// are open now, reminders 48 h before (so due at once when startsIn < 48 h).
func eventBody(id string, capacity, waitlist int, startsIn time.Duration) map[string]any {
	now := time.Now().UTC().Truncate(time.Second)
	return map[string]any{
		"id": id, "kind": "training",
		"title":       map[string]string{"fr": "Formation : budgets participatifs ; méthodes, outils", "ar": "تكوين: الميزانيات التشاركية"},
		"description": map[string]string{"fr": "Pour les associations membres.", "ar": "لفائدة الجمعيات الأعضاء."},
		"startsAt":    now.Add(startsIn).Format(time.RFC3339), "endsAt": now.Add(startsIn + 3*time.Hour).Format(time.RFC3339),
		"venue":    map[string]string{"address": "12 rue Tarik Ibn Ziad", "city": "Casablanca", "region": "Casablanca-Settat"},
		"capacity": capacity, "waitlistSize": waitlist,
		"registrationOpensAt": now.Add(-time.Hour).Format(time.RFC3339), "registrationClosesAt": now.Add(startsIn - time.Hour).Format(time.RFC3339),
		"questions": []map[string]any{
			{"id": "role", "type": "single_choice", "label": map[string]string{"fr": "Vous êtes", "ar": "صفتكم"}, "required": true,
				"options": []map[string]any{{"id": "association", "label": map[string]string{"fr": "Association", "ar": "جمعية"}}, {"id": "citoyen", "label": map[string]string{"fr": "Citoyen", "ar": "مواطن"}}}},
			{"id": "themes", "type": "multiple_choice", "label": map[string]string{"fr": "Thèmes", "ar": "المحاور"}, "required": false,
				"options": []map[string]any{{"id": "budget", "label": map[string]string{"fr": "Budget", "ar": "الميزانية"}}, {"id": "data", "label": map[string]string{"fr": "Données", "ar": "البيانات"}}}},
			{"id": "attentes", "type": "long_text", "label": map[string]string{"fr": "Attentes", "ar": "الانتظارات"}, "required": false},
		},
	}
}

// newEvent creates and publishes an event through the admin API.
func newEvent(t *testing.T, capacity, waitlist int, startsIn time.Duration) string {
	t.Helper()
	id := fmt.Sprintf("e2e-event-%d-%d", time.Now().UnixNano()%1e9, eventSeq.Add(1))
	admin := token(t, "admin")
	expectStatus(t, do(t, call{method: "POST", path: "/api/admin/events", body: eventBody(id, capacity, waitlist, startsIn), token: admin}), http.StatusCreated)
	expectStatus(t, do(t, call{method: "POST", path: "/api/admin/events/" + id + "/publish", token: admin}), http.StatusOK)
	return id
}

func registration(email, lang string) map[string]any {
	name := "Salma Idrissi"
	if lang == "ar" {
		name = "أمينة بن علي"
	}
	return map[string]any{
		"fullName": name, "email": email, "organisation": "Association Tafra", "phone": "+212 6 12 34 56 78",
		"answers": map[string]any{"role": "association", "themes": []string{"budget", "data"}, "attentes": "=HYPERLINK(\"x\")"},
		"lang":    lang, "consent": true,
	}
}

type receipt struct {
	ID       string `json:"id"`
	Status   string `json:"status"`
	Position int    `json:"position"`
	Code     string `json:"code"`
}

func register(t *testing.T, eventID, email, lang string) receipt {
	t.Helper()
	r := do(t, call{method: "POST", path: "/api/events/" + eventID + "/registrations", body: registration(email, lang)})
	expectStatus(t, r, http.StatusCreated)
	var rc receipt
	r.json(t, &rc)
	if !registrationRE.MatchString(rc.ID) || len(rc.Code) != 8 {
		t.Fatalf("receipt %+v", rc)
	}
	return rc
}

// mailOf returns the messages to addr whose subject starts with prefix.
func mailOf(addr, prefix string) []cloud.Message {
	var out []cloud.Message
	for _, m := range mailTo(addr) {
		if strings.HasPrefix(m.Subject, prefix) {
			out = append(out, m)
		}
	}
	return out
}

// manageLink returns the id and token of the last manage link sent to addr.
func manageLink(t *testing.T, addr string) (string, string) {
	t.Helper()
	msgs := mailTo(addr)
	for i := len(msgs) - 1; i >= 0; i-- {
		if m := manageLinkRE.FindStringSubmatch(msgs[i].Text); m != nil {
			return m[2], m[3]
		}
	}
	t.Fatalf("no manage link sent to %s", addr)
	return "", ""
}

// calendarOf parses the .ics attachment of m.
func calendarOf(t *testing.T, m cloud.Message) (*ical.Calendar, *ical.VEvent, string) {
	t.Helper()
	for _, a := range m.Attachments {
		if strings.HasSuffix(a.Filename, ".ics") {
			if !strings.HasPrefix(a.ContentType, "text/calendar") {
				t.Errorf("attachment content type %q", a.ContentType)
			}
			cal, err := ical.ParseCalendar(bytes.NewReader(a.Content))
			if err != nil {
				t.Fatalf("parse .ics: %v\n%s", err, a.Content)
			}
			if evs := cal.Events(); len(evs) == 1 {
				method := ""
				for _, p := range cal.CalendarProperties {
					if p.IANAToken == "METHOD" {
						method = p.Value
					}
				}
				return cal, evs[0], method
			}
			t.Fatalf(".ics has %d events", len(cal.Events()))
		}
	}
	t.Fatalf("message %q has no .ics attachment", m.Subject)
	return nil, nil, ""
}

func adminRegistrations(t *testing.T, eventID, status string) []map[string]any {
	t.Helper()
	admin := token(t, "admin")
	var all []map[string]any
	cursor := ""
	for range 100 {
		path := "/api/admin/events/" + eventID + "/registrations?limit=200&status=" + status
		if cursor != "" {
			path += "&cursor=" + url.QueryEscape(cursor)
		}
		r := do(t, call{method: "GET", path: path, token: admin})
		expectStatus(t, r, http.StatusOK)
		var page struct {
			Items      []map[string]any `json:"items"`
			NextCursor string           `json:"nextCursor"`
		}
		r.json(t, &page)
		all = append(all, page.Items...)
		if page.NextCursor == "" {
			return all
		}
		cursor = page.NextCursor
	}
	t.Fatal("too many pages")
	return nil
}

func adminEvent(t *testing.T, id string) map[string]any {
	t.Helper()
	r := do(t, call{method: "GET", path: "/api/admin/events/" + id, token: token(t, "admin")})
	expectStatus(t, r, http.StatusOK)
	var e map[string]any
	r.json(t, &e)
	return e
}

// TestEventsEndToEnd is acceptance 1: register, fill, waitlist, cancel with
// promotion, reminders once, check-in, CSV export, event cancellation.
func TestEventsEndToEnd(t *testing.T) {
	id := newEvent(t, 2, 3, 30*time.Hour)
	a, b, c, d := uniqueEmail("ev-a"), uniqueEmail("ev-b"), uniqueEmail("ev-c"), uniqueEmail("ev-d")

	// Public listing shows the event with its counters.
	r := do(t, call{method: "GET", path: "/api/events/" + id + "?lang=ar"})
	expectStatus(t, r, http.StatusOK)
	var pub map[string]any
	r.json(t, &pub)
	if pub["seatsLeft"] != 2.0 || pub["registrationOpen"] != true || pub["title"] != "تكوين: الميزانيات التشاركية" {
		t.Fatalf("public event = %v", pub)
	}

	ra := register(t, id, a, "ar")
	if ra.Status != "confirmed" {
		t.Fatalf("first registration = %+v", ra)
	}
	confirm := mailTo(a)
	if len(confirm) != 1 {
		t.Fatalf("emails to a = %d, want 1", len(confirm))
	}
	_, vev, method := calendarOf(t, confirm[0])
	if method != "REQUEST" {
		t.Errorf("METHOD = %q", method)
	}
	if uid := vev.GetProperty(ical.ComponentPropertyUniqueId); uid == nil || uid.Value != ra.ID+"@espace-osc" {
		t.Errorf("UID = %v, want %s@espace-osc", uid, ra.ID)
	}
	start, err := vev.GetStartAt()
	if want := adminEvent(t, id)["startsAt"].(string); err != nil || start.UTC().Format(time.RFC3339) != want {
		t.Errorf("DTSTART = %v (%v), want %s", start, err, want)
	}
	if !strings.Contains(confirm[0].Text, ra.Code) || !strings.Contains(confirm[0].HTML, `dir="rtl"`) || !strings.Contains(confirm[0].Text, "بتوقيت المغرب") {
		t.Errorf("Arabic confirmation lacks code, RTL or local time:\n%s", confirm[0].Text)
	}
	regID, tok := manageLink(t, a)
	if regID != ra.ID {
		t.Fatalf("manage link of %s, want %s", regID, ra.ID)
	}
	r = do(t, call{method: "GET", path: "/api/registrations/" + regID + "?token=" + tok})
	expectStatus(t, r, http.StatusOK)
	// A token opens only its registration.
	rb := register(t, id, b, "fr")
	expectProblem(t, do(t, call{method: "GET", path: "/api/registrations/" + rb.ID + "?token=" + tok}), http.StatusNotFound, "")

	// Full: the next two wait, positions 1 and 2, with a waitlist email.
	rc, rd := register(t, id, c, "fr"), register(t, id, d, "fr")
	if rc.Status != "waitlisted" || rc.Position != 1 || rd.Status != "waitlisted" || rd.Position != 2 {
		t.Fatalf("waitlist receipts %+v %+v", rc, rd)
	}
	if w := mailOf(c, "Liste d'attente"); len(w) != 1 || !strings.Contains(w[0].Text, "position 1") || len(w[0].Attachments) != 0 {
		t.Errorf("waitlist email to c = %+v", w)
	}

	// a cancels: c is promoted in the same transaction and emailed with the .ics.
	r = do(t, call{method: "DELETE", path: "/api/registrations/" + regID + "?token=" + tok})
	expectStatus(t, r, http.StatusOK)
	promoted := mailOf(c, "Une place s'est libérée")
	if len(promoted) != 1 {
		t.Fatalf("promotion emails to c = %d", len(promoted))
	}
	if _, vev, method := calendarOf(t, promoted[0]); method != "REQUEST" || vev.GetProperty(ical.ComponentPropertyUniqueId).Value != rc.ID+"@espace-osc" {
		t.Errorf("promotion .ics: method %s", method)
	}
	var confirmedIDs []string
	for _, x := range adminRegistrations(t, id, "confirmed") {
		confirmedIDs = append(confirmedIDs, x["id"].(string))
	}
	slices.Sort(confirmedIDs)
	want := []string{rb.ID, rc.ID}
	slices.Sort(want)
	if !slices.Equal(confirmedIDs, want) {
		t.Errorf("confirmed = %v, want %v", confirmedIDs, want)
	}
	if w := adminRegistrations(t, id, "waitlisted"); len(w) != 1 || w[0]["id"] != rd.ID {
		t.Errorf("waitlisted = %v", w)
	}
	// a can register again (the address is free).
	if again := register(t, id, a, "ar"); again.Status != "waitlisted" || again.Position != 3 {
		t.Errorf("a again = %+v", again)
	}

	// Reminders: the schedule runs twice; the notifier's job gives each
	// confirmed registrant one.
	for range 2 {
		if _, err := lc.RunSchedule(t.Context(), "EventReminders"); err != nil {
			t.Fatal(err)
		}
	}
	for _, addr := range []string{b, c} {
		waitFor(t, "the reminder to "+addr, 30*time.Second, func() bool { return len(mailOf(addr, "Rappel")) >= 1 })
	}
	if _, err := lc.RunSchedule(t.Context(), "NotifierSweep"); err != nil {
		t.Fatal(err)
	}
	for _, addr := range []string{b, c} {
		if n := len(mailOf(addr, "Rappel")); n != 1 {
			t.Errorf("reminders to %s = %d, want 1", addr, n)
		}
	}
	if n := len(mailOf(d, "Rappel")); n != 0 {
		t.Errorf("a waitlisted person got %d reminders", n)
	}

	// Check-in by code (lower case, with a dash), twice -> 409.
	admin := token(t, "admin")
	code := strings.ToLower(rb.Code[:4] + "-" + rb.Code[4:])
	r = do(t, call{method: "POST", path: "/api/admin/events/" + id + "/checkins", body: map[string]string{"code": code}, token: admin})
	expectStatus(t, r, http.StatusOK)
	expectProblem(t, do(t, call{method: "POST", path: "/api/admin/events/" + id + "/checkins", body: map[string]string{"code": rb.Code}, token: admin}), http.StatusConflict, "")
	expectProblem(t, do(t, call{method: "POST", path: "/api/admin/events/" + id + "/checkins", body: map[string]string{"code": rd.Code}, token: admin}), http.StatusConflict, "")
	expectProblem(t, do(t, call{method: "POST", path: "/api/admin/events/" + id + "/checkins", body: map[string]string{"code": "ZZZZZZZZ"}, token: admin}), http.StatusNotFound, "")
	if got := adminEvent(t, id)["attended"]; got != 1.0 {
		t.Errorf("attended = %v, want 1", got)
	}

	// CSV export through a presigned link of the local S3.
	r = do(t, call{method: "POST", path: "/api/admin/events/" + id + "/exports", token: admin})
	expectStatus(t, r, http.StatusCreated)
	var x struct {
		URL  string `json:"url"`
		Rows int    `json:"rows"`
	}
	r.json(t, &x)
	if x.Rows != 5 || !strings.HasPrefix(x.URL, lc.Endpoints()["s3"]) || !strings.Contains(x.URL, "X-Amz-Expires=600") {
		t.Fatalf("export = %+v (s3 %s)", x, lc.Endpoints()["s3"])
	}
	resp, err := http.Get(x.URL)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.HasPrefix(raw, []byte("\xEF\xBB\xBF")) || !bytes.Contains(raw, []byte("\r\n")) {
		t.Fatalf("download: %d, BOM/CRLF missing: %q", resp.StatusCode, raw[:min(len(raw), 80)])
	}
	rows, err := csv.NewReader(bytes.NewReader(raw[3:])).ReadAll()
	if err != nil || len(rows) != 6 {
		t.Fatalf("csv: %d rows, %v", len(rows), err)
	}
	byCode := map[string][]string{}
	for _, row := range rows[1:] {
		byCode[row[0]] = row
	}
	if row := byCode[ra.Code]; row == nil || row[3] != "أمينة بن علي" || row[1] != "cancelled" {
		t.Errorf("Arabic row = %q", row)
	}
	if row := byCode[rb.Code]; row == nil || row[9] != "oui" || row[11] != "Association" || row[12] != "Budget | Données" || row[13] != `'=HYPERLINK("x")` {
		t.Errorf("b's row = %q (header %q)", row, rows[0])
	}

	// The admin cancels the event: everyone still registered gets an .ics CANCEL, once.
	r = do(t, call{method: "POST", path: "/api/admin/events/" + id + "/cancel", token: admin})
	expectStatus(t, r, http.StatusOK)
	var cres struct {
		Notification struct {
			ID         string
			Recipients int
		}
	}
	r.json(t, &cres)
	if cres.Notification.Recipients != 4 || cres.Notification.ID == "" {
		t.Errorf("notification = %+v, want 4 recipients (b, c, d, a again)", cres.Notification)
	}
	expectStatus(t, do(t, call{method: "POST", path: "/api/admin/events/" + id + "/cancel", token: admin}), http.StatusOK)
	// The notifier tells them in the background.
	var progress struct {
		Recorded int
		Done     bool
	}
	deadline := time.Now().Add(30 * time.Second)
	for !progress.Done && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		do(t, call{method: "GET", path: "/api/admin/notifications/" + cres.Notification.ID, token: admin}).json(t, &progress)
	}
	if !progress.Done || progress.Recorded != 4 {
		t.Fatalf("notification progress = %+v, want done with 4", progress)
	}
	for _, addr := range []string{b, c, d} {
		msgs := mailOf(addr, "Événement annulé")
		if len(msgs) != 1 {
			t.Errorf("cancellation emails to %s = %d, want 1", addr, len(msgs))
			continue
		}
		if _, _, method := calendarOf(t, msgs[0]); method != "CANCEL" {
			t.Errorf("cancellation METHOD = %s", method)
		}
	}
	expectProblem(t, do(t, call{method: "POST", path: "/api/events/" + id + "/registrations", body: registration(uniqueEmail("late"), "fr")}), http.StatusConflict, "")
}

// surge registers n distinct people at once on an event and returns the receipts.
func surge(t *testing.T, id string, n int) ([]receipt, int) {
	t.Helper()
	var mu sync.Mutex
	var out []receipt
	var wg sync.WaitGroup
	others := 0
	for i := range n {
		wg.Go(func() {
			r, ok := doAsync(t, call{method: "POST", path: "/api/events/" + id + "/registrations", body: registration(fmt.Sprintf("surge-%s-%d@example.ma", id, i), "fr")})
			mu.Lock()
			defer mu.Unlock()
			if !ok || r.status != http.StatusCreated {
				others++
				if r.status >= 500 {
					t.Errorf("registration %d: %d %s", i, r.status, r.body)
				}
				return
			}
			var rc receipt
			if err := json.Unmarshal(r.body, &rc); err != nil {
				t.Errorf("registration %d: decode %s: %v", i, r.body, err)
				others++
				return
			}
			out = append(out, rc)
		})
	}
	wg.Wait()
	return out, others
}

// TestEventsSmallSurge is a quick version of acceptance 2: 100 concurrent on
// 20 seats and a waitlist of 100, then 5 cancellations promote the first 5.
func TestEventsSmallSurge(t *testing.T) {
	id := newEvent(t, 20, 100, 72*time.Hour)
	got, others := surge(t, id, 100)
	if others != 0 {
		t.Fatalf("%d registrations refused", others)
	}
	var positions []int
	confirmed := 0
	for _, r := range got {
		if r.Status == "confirmed" {
			confirmed++
		} else {
			positions = append(positions, r.Position)
		}
	}
	slices.Sort(positions)
	if confirmed != 20 || len(positions) != 80 || positions[0] != 1 || positions[79] != 80 || len(slices.Compact(positions)) != 80 {
		t.Fatalf("confirmed %d, positions %v", confirmed, positions)
	}
	e := adminEvent(t, id)
	if e["confirmed"] != 20.0 || e["waitlisted"] != 80.0 {
		t.Errorf("counters %v %v", e["confirmed"], e["waitlisted"])
	}
	// Five confirmed cancel: waitlist positions 1..5 are promoted.
	byPos := map[int]receipt{}
	var cancelled int
	for _, r := range got {
		if r.Status == "waitlisted" {
			byPos[r.Position] = r
		}
	}
	for _, r := range got {
		if r.Status != "confirmed" || cancelled == 5 {
			continue
		}
		regID, tok := manageLink(t, registrationEmail(t, id, r.ID))
		expectStatus(t, do(t, call{method: "DELETE", path: "/api/registrations/" + regID + "?token=" + tok}), http.StatusOK)
		cancelled++
	}
	confirmedNow := map[string]bool{}
	for _, x := range adminRegistrations(t, id, "confirmed") {
		confirmedNow[x["id"].(string)] = true
	}
	for p := 1; p <= 5; p++ {
		if !confirmedNow[byPos[p].ID] {
			t.Errorf("waitlist position %d not promoted", p)
		}
	}
	if confirmedNow[byPos[6].ID] || len(confirmedNow) != 20 {
		t.Errorf("confirmed now %d (position 6 promoted: %v)", len(confirmedNow), confirmedNow[byPos[6].ID])
	}
}

// registrationEmail returns the address of registration regID (admin view).
func registrationEmail(t *testing.T, eventID, regID string) string {
	t.Helper()
	for _, x := range adminRegistrations(t, eventID, "") {
		if x["id"] == regID {
			return x["email"].(string)
		}
	}
	t.Fatalf("registration %s not listed", regID)
	return ""
}

// TestEventsSamePerson is acceptance 3: 20 concurrent requests with one
// email make one registration; 20 retries with one Idempotency-Key make one
// registration and get identical responses.
func TestEventsSamePerson(t *testing.T) {
	id := newEvent(t, 50, 0, 72*time.Hour)
	email := uniqueEmail("same")
	statuses := make([]int, 20)
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			r, _ := doAsync(t, call{method: "POST", path: "/api/events/" + id + "/registrations", body: registration(email, "fr")})
			statuses[i] = r.status // 0 when the request failed
		})
	}
	wg.Wait()
	slices.Sort(statuses)
	if statuses[0] != 201 || statuses[1] != 409 || statuses[19] != 409 {
		t.Errorf("statuses = %v, want one 201 and 19 409", statuses)
	}
	if n := len(adminRegistrations(t, id, "confirmed")); n != 1 {
		t.Errorf("registrations = %d, want 1", n)
	}
	if n := len(mailOf(email, "Votre inscription existe déjà")); n != 1 {
		t.Errorf("manage-link resends = %d, want 1 (one per burst)", n)
	}

	email2 := uniqueEmail("idem")
	key := fmt.Sprintf("idem-%d", time.Now().UnixNano())
	bodies := make([]string, 20)
	codes := make([]int, 20)
	for i := range 20 {
		wg.Go(func() {
			r, ok := doAsync(t, call{method: "POST", path: "/api/events/" + id + "/registrations", body: registration(email2, "fr"), headers: map[string]string{"Idempotency-Key": key}})
			if !ok {
				return
			}
			codes[i], bodies[i] = r.status, string(r.body)
		})
	}
	wg.Wait()
	for i := range 20 {
		if codes[i] != 201 || bodies[i] != bodies[0] {
			t.Errorf("retry %d: %d %s, want 201 %s", i, codes[i], bodies[i], bodies[0])
		}
	}
	if n := len(adminRegistrations(t, id, "confirmed")); n != 2 {
		t.Errorf("registrations = %d, want 2", n)
	}
	if msgs := mailTo(email2); len(msgs) != 1 {
		var subjects []string
		for _, m := range msgs {
			subjects = append(subjects, m.Subject)
		}
		t.Errorf("emails = %q, want one confirmation", subjects)
	}
	// Same key, another body: 422.
	other := registration(uniqueEmail("idem-other"), "fr")
	expectProblem(t, do(t, call{method: "POST", path: "/api/events/" + id + "/registrations", body: other, headers: map[string]string{"Idempotency-Key": key}}), http.StatusUnprocessableEntity, "")
}

// TestEventsFaults is acceptance 4: SES down during registrations loses no
// email (the sweeper sends each once); DynamoDB down answers 503 and takes no seat.
func TestEventsFaults(t *testing.T) {
	id := newEvent(t, 10, 10, 72*time.Hour)
	setFault(t, "ses", "fail")
	got, others := surge(t, id, 15)
	if others != 0 || len(got) != 15 {
		t.Fatalf("%d registered, %d refused", len(got), others)
	}
	_ = lc.SetFault("ses", "none")
	if _, err := lc.RunSchedule(t.Context(), "OutboxSweep"); err != nil {
		t.Fatal(err)
	}
	for _, r := range got {
		addr := registrationEmail(t, id, r.ID)
		if n := len(mailTo(addr)); n != 1 {
			t.Errorf("%s got %d emails after the sweep, want 1", r.ID, n)
		}
	}
	before := adminEvent(t, id)
	setFault(t, "dynamodb", "fail")
	r := do(t, call{method: "POST", path: "/api/events/" + id + "/registrations", body: registration(uniqueEmail("ddb-down"), "fr")})
	expectProblem(t, r, http.StatusServiceUnavailable, "")
	_ = lc.SetFault("dynamodb", "none")
	after := adminEvent(t, id)
	if before["confirmed"] != after["confirmed"] || before["waitlisted"] != after["waitlisted"] {
		t.Errorf("counters moved during the outage: %v/%v -> %v/%v", before["confirmed"], before["waitlisted"], after["confirmed"], after["waitlisted"])
	}
}

// TestEventsBadInput is acceptance 5: every field's wrong types, sizes and
// formats, unanswered required questions, choices not offered and missing
// consent give 4xx problem+json in the request's language; nothing is stored.
func TestEventsBadInput(t *testing.T) {
	id := newEvent(t, 5, 5, 72*time.Hour)
	with := func(f func(m map[string]any)) map[string]any {
		m := registration(uniqueEmail("bad"), "fr")
		f(m)
		return m
	}
	cases := []struct {
		name   string
		body   any
		status int
		field  string
	}{
		{"fullName type", with(func(m map[string]any) { m["fullName"] = 42 }), 400, "fullName"},
		{"fullName missing", with(func(m map[string]any) { delete(m, "fullName") }), 400, "fullName"},
		{"fullName too long", with(func(m map[string]any) { m["fullName"] = strings.Repeat("a", 121) }), 400, "fullName"},
		{"fullName newline", with(func(m map[string]any) { m["fullName"] = "a\nb" }), 400, "fullName"},
		{"email format", with(func(m map[string]any) { m["email"] = "not-an-email" }), 400, "email"},
		{"email header injection", with(func(m map[string]any) { m["email"] = "a@b.ma\r\nBcc: x@y.ma" }), 400, "email"},
		{"organisation too long", with(func(m map[string]any) { m["organisation"] = strings.Repeat("o", 201) }), 400, "organisation"},
		{"phone format", with(func(m map[string]any) { m["phone"] = "call me" }), 400, "phone"},
		{"phone type", with(func(m map[string]any) { m["phone"] = 612345678 }), 400, "phone"},
		{"lang", with(func(m map[string]any) { m["lang"] = "en" }), 400, "lang"},
		{"consent missing", with(func(m map[string]any) { delete(m, "consent") }), 400, "consent"},
		{"consent false", with(func(m map[string]any) { m["consent"] = false }), 400, "consent"},
		{"consent type", with(func(m map[string]any) { m["consent"] = "yes" }), 400, "consent"},
		{"required question", with(func(m map[string]any) { m["answers"] = map[string]any{} }), 400, "answers.role"},
		{"choice not offered", with(func(m map[string]any) { m["answers"] = map[string]any{"role": "ministre"} }), 400, "answers.role"},
		{"multiple not offered", with(func(m map[string]any) {
			m["answers"] = map[string]any{"role": "citoyen", "themes": []string{"budget", "x"}}
		}), 400, "answers.themes"},
		{"multiple type", with(func(m map[string]any) { m["answers"] = map[string]any{"role": "citoyen", "themes": "budget"} }), 400, "answers.themes"},
		{"unknown question", with(func(m map[string]any) { m["answers"] = map[string]any{"role": "citoyen", "age": "30"} }), 400, "answers.age"},
		{"long text too long", with(func(m map[string]any) {
			m["answers"] = map[string]any{"role": "citoyen", "attentes": strings.Repeat("x", 3001)}
		}), 400, "answers.attentes"},
		{"unknown field", with(func(m map[string]any) { m["admin"] = true }), 400, "admin"},
		{"malformed", `{"fullName":`, 400, ""},
		{"too large", `{"fullName":"` + strings.Repeat("a", 70<<10) + `"}`, 413, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := expectProblem(t, do(t, call{method: "POST", path: "/api/events/" + id + "/registrations?lang=ar", body: c.body}), c.status, c.field)
			if !regexp.MustCompile(`\p{Arabic}`).MatchString(p.Title) {
				t.Errorf("title %q is not Arabic", p.Title)
			}
		})
	}
	expectStatus(t, do(t, call{method: "POST", path: "/api/events/" + id + "/registrations", body: "fullName=x", headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}}), http.StatusUnsupportedMediaType)
	expectProblem(t, do(t, call{method: "POST", path: "/api/events/unknown-event/registrations", body: registration(uniqueEmail("x"), "fr")}), http.StatusNotFound, "")
	if n := len(adminRegistrations(t, id, "")); n != 0 {
		t.Errorf("bad input stored %d registrations", n)
	}
	if e := adminEvent(t, id); e["confirmed"] != 0.0 {
		t.Errorf("confirmed = %v", e["confirmed"])
	}

	// Closed window, draft and cancelled events: 409 with a reason, nothing stored.
	admin := token(t, "admin")
	draft := fmt.Sprintf("e2e-draft-%d", time.Now().UnixNano()%1e9)
	expectStatus(t, do(t, call{method: "POST", path: "/api/admin/events", body: eventBody(draft, 5, 0, 72*time.Hour), token: admin}), http.StatusCreated)
	p := expectProblem(t, do(t, call{method: "POST", path: "/api/events/" + draft + "/registrations", body: registration(uniqueEmail("x"), "fr")}), http.StatusConflict, "")
	if p.Detail == "" {
		t.Error("a draft's 409 gives no reason")
	}
	// A draft stays invisible to the public.
	expectProblem(t, do(t, call{method: "GET", path: "/api/events/" + draft}), http.StatusNotFound, "")
	notYet := fmt.Sprintf("e2e-later-%d", time.Now().UnixNano()%1e9)
	body := eventBody(notYet, 5, 0, 72*time.Hour)
	body["registrationOpensAt"] = time.Now().UTC().Add(24 * time.Hour).Format(time.RFC3339)
	expectStatus(t, do(t, call{method: "POST", path: "/api/admin/events", body: body, token: admin}), http.StatusCreated)
	expectStatus(t, do(t, call{method: "POST", path: "/api/admin/events/" + notYet + "/publish", token: admin}), http.StatusOK)
	p = expectProblem(t, do(t, call{method: "POST", path: "/api/events/" + notYet + "/registrations", body: registration(uniqueEmail("x"), "fr")}), http.StatusConflict, "")
	if !strings.Contains(p.Detail, "pas encore ouvertes") {
		t.Errorf("detail = %q", p.Detail)
	}
	// Admin input: wrong dates and capacity.
	badEvent := eventBody("e2e-bad", 0, -1, 72*time.Hour)
	badEvent["endsAt"] = "2020-01-01T00:00:00Z"
	badEvent["startsAt"] = "demain"
	expectProblem(t, do(t, call{method: "POST", path: "/api/admin/events", body: badEvent, token: admin}), http.StatusBadRequest, "capacity")
	expectProblem(t, do(t, call{method: "GET", path: "/api/admin/events/e2e-bad", token: admin}), http.StatusNotFound, "")
	expectStatus(t, do(t, call{method: "GET", path: "/api/admin/events", token: token(t, "evaluator")}), http.StatusForbidden)
}

// TestEventsCapacityRaise: seats added by an admin go to the waitlist first
// come first served, each with its confirmation email and .ics; a capacity
// below the confirmed count is a 409 in the request's language.
func TestEventsCapacityRaise(t *testing.T) {
	id := newEvent(t, 1, 5, 72*time.Hour)
	tag := id[len("e2e-event-"):]
	addr := func(i int) string { return fmt.Sprintf("cap%d-%s@example.org", i, tag) }
	var rs []receipt
	for i := range 4 {
		rs = append(rs, register(t, id, addr(i), "fr"))
	}
	if rs[0].Status != "confirmed" || rs[3].Status != "waitlisted" || rs[3].Position != 3 {
		t.Fatalf("receipts %+v", rs)
	}
	admin := token(t, "admin")
	body := eventBody(id, 0, 5, 72*time.Hour)
	delete(body, "id")

	body["capacity"] = 0
	expectProblem(t, do(t, call{method: "PUT", path: "/api/admin/events/" + id, body: body, token: admin}), http.StatusBadRequest, "capacity")

	// Raise by 2 with 3 waitlisted: the first two are promoted and emailed.
	body["capacity"] = 3
	r := do(t, call{method: "PUT", path: "/api/admin/events/" + id, body: body, token: admin})
	expectStatus(t, r, http.StatusOK)
	var e map[string]any
	r.json(t, &e)
	if e["confirmed"] != 3.0 || e["waitlisted"] != 1.0 {
		t.Errorf("event after the raise: confirmed %v waitlisted %v, want 3 and 1", e["confirmed"], e["waitlisted"])
	}
	for i, want := range []int{0, 1, 1, 0} {
		p := mailOf(addr(i), "Une place s'est libérée")
		if len(p) != want {
			t.Errorf("promotion emails to registrant %d = %d, want %d", i, len(p), want)
			continue
		}
		if want == 1 {
			if _, vev, method := calendarOf(t, p[0]); method != "REQUEST" || vev.GetProperty(ical.ComponentPropertyUniqueId).Value != rs[i].ID+"@espace-osc" {
				t.Errorf("promotion .ics of %d: method %s", i, method)
			}
		}
	}
	// The third is now first in line (its position number kept, as after a cancellation).
	if w := adminRegistrations(t, id, "waitlisted"); len(w) != 1 || w[0]["id"] != rs[3].ID || w[0]["position"] != 3.0 {
		t.Errorf("waitlisted = %v, want only %s", w, rs[3].ID)
	}

	// Below the 3 confirmed: 409 with the reason, in French and Arabic.
	body["capacity"] = 2
	for lang, want := range map[string]string{"fr": "3 places", "ar": "3 مقاعد"} {
		p := expectProblem(t, do(t, call{method: "PUT", path: "/api/admin/events/" + id, body: body, token: admin, headers: map[string]string{"Accept-Language": lang}}), http.StatusConflict, "")
		if !strings.Contains(p.Detail, want) {
			t.Errorf("%s detail %q, want it to mention %q", lang, p.Detail, want)
		}
	}
	if got := adminEvent(t, id)["capacity"]; got != 3.0 {
		t.Errorf("capacity after the refused change = %v, want 3", got)
	}
}

// waitFor polls cond until it holds, or fails the test after d.
func waitFor(t *testing.T, what string, d time.Duration, cond func() bool) {
	t.Helper()
	if !eventuallyTrue(d, cond) {
		t.Fatalf("%s: still not after %s", what, d)
	}
}
