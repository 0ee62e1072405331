package handler

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"espaceosc/infra/template"
	"espaceosc/shared/bulk"
	"espaceosc/shared/bulk/bulktest"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/ddbtest"
	"espaceosc/shared/ddbstore/eventsdb"
	"espaceosc/shared/events"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/httpapi/httpapitest"
	"espaceosc/shared/outbox"
	"espaceosc/shared/outbox/outboxtest"

	lambdaevents "github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// counting counts the DynamoDB calls of a request.
type counting struct {
	ddbstore.Client
	n atomic.Int64
}

func (c *counting) GetItem(ctx context.Context, in *dynamodb.GetItemInput, o ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	c.n.Add(1)
	return c.Client.GetItem(ctx, in, o...)
}
func (c *counting) PutItem(ctx context.Context, in *dynamodb.PutItemInput, o ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	c.n.Add(1)
	return c.Client.PutItem(ctx, in, o...)
}
func (c *counting) UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, o ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error) {
	c.n.Add(1)
	return c.Client.UpdateItem(ctx, in, o...)
}
func (c *counting) Query(ctx context.Context, in *dynamodb.QueryInput, o ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	c.n.Add(1)
	return c.Client.Query(ctx, in, o...)
}
func (c *counting) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, o ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	c.n.Add(1)
	return c.Client.TransactWriteItems(ctx, in, o...)
}

// files is the dossier bucket in memory.
type files struct {
	mu      sync.Mutex
	objects map[string][]byte
	names   map[string]string
}

func (f *files) Put(_ context.Context, key, contentType, filename string, body io.Reader, size int64) error {
	b, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	if int64(len(b)) != size || contentType != "text/csv; charset=utf-8" {
		return fmt.Errorf("put %s: %d bytes of %s, announced %d", key, len(b), contentType, size)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.objects[key], f.names[key] = b, filename
	return nil
}

func (f *files) PresignGet(_ context.Context, key, version, filename string, ttl time.Duration) (string, error) {
	return fmt.Sprintf("https://s3.test/%s?X-Amz-Expires=%d", key, int(ttl.Seconds())), nil
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// env is the function wired as main.go wires it, on minidyn, a recording
// sender and a bucket in memory.
type env struct {
	calls  *counting
	sender *outboxtest.Sender
	files  *files
	svc    *events.Service
	router *httpapi.Router
	logs   *syncBuffer

	started  *recordingStarter
	notifier *bulk.Runner
}

func newEnv(t *testing.T) *env {
	t.Helper()
	db, table := ddbtest.Minidyn(t)
	e := &env{calls: &counting{Client: db}, sender: &outboxtest.Sender{}, logs: &syncBuffer{},
		files: &files{objects: map[string][]byte{}, names: map[string]string{}}}
	log := httpapi.NewLogger(e.logs)
	st := ddbstore.New(e.calls, table)
	mailer := outbox.New(st.Outbox(), e.sender, events.Emails, log)
	e.started = &recordingStarter{}
	e.svc = events.NewService(events.Config{
		Store: eventsdb.New(st), Mailer: mailer, Files: e.files, Log: log,
		PortalOrigin: "http://portal.test", NoticeVersion: "2026-11-01",
		Jobs: st.Jobs(), Starter: e.started,
	})
	// The notifier, run by the test where AWS would invoke it.
	e.notifier = &bulk.Runner{Store: st.Jobs(), Sources: e.svc.Sources(), Mailer: mailer, Pace: bulktest.Pace(1000), Starter: e.started, Log: log, Batch: 3}
	e.router = New(e.svc, log)
	return e
}

// recordingStarter records the jobs a request starts (the notifier is
// invoked asynchronously: the request does not wait for it).
type recordingStarter struct {
	mu  sync.Mutex
	ids []string
}

func (r *recordingStarter) Start(_ context.Context, id string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ids = append(r.ids, id)
	return nil
}

// load is testdata/name for the event id, its times set from now (starts
// in 3 days, registrations open).
func load(t *testing.T, name, id string) lambdaevents.APIGatewayV2HTTPRequest {
	t.Helper()
	req := httpapitest.Load(t, name)
	if _, ok := req.PathParameters["id"]; ok {
		req.PathParameters["id"] = id
		req.RawPath = strings.Replace(req.RawPath, "ID", id, 1)
		req.RequestContext.HTTP.Path = req.RawPath
	}
	now := time.Now().UTC().Truncate(time.Second)
	req.Body = strings.NewReplacer(
		"STARTS", now.Add(72*time.Hour).Format(time.RFC3339), "ENDS", now.Add(75*time.Hour).Format(time.RFC3339),
		"OPENS", now.Add(-time.Hour).Format(time.RFC3339), "CLOSES", now.Add(70*time.Hour).Format(time.RFC3339),
	).Replace(req.Body)
	return req
}

func (e *env) serve(t *testing.T, req lambdaevents.APIGatewayV2HTTPRequest) lambdaevents.APIGatewayV2HTTPResponse {
	t.Helper()
	resp, err := e.router.Serve(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func decode[T any](t *testing.T, resp lambdaevents.APIGatewayV2HTTPResponse, status int) T {
	t.Helper()
	if resp.StatusCode != status {
		t.Fatalf("status = %d, want %d; body %s", resp.StatusCode, status, resp.Body)
	}
	var v T
	if err := json.Unmarshal([]byte(resp.Body), &v); err != nil {
		t.Fatalf("body %s: %v", resp.Body, err)
	}
	return v
}

// published creates and publishes the event of create.json under id.
func (e *env) published(t *testing.T, id string) {
	t.Helper()
	req := load(t, "create.json", id)
	req.Body = strings.Replace(req.Body, "atelier-cocreation-pan", id, 1)
	decode[events.AdminView](t, e.serve(t, req), 201)
	decode[events.AdminView](t, e.serve(t, load(t, "publish.json", id)), 200)
}

// register registers person i as the public function would (French, or
// Arabic for odd i).
func (e *env) register(t *testing.T, id string, i int) events.Receipt {
	t.Helper()
	yes := true
	lang, name := "fr", fmt.Sprintf("Salma Idrissi %d", i)
	if i%2 == 1 {
		lang, name = "ar", fmt.Sprintf("أمينة بن علي %d", i)
	}
	r, err := e.svc.Register(context.Background(), id, events.RegistrationInput{
		FullName: name, Email: fmt.Sprintf("personne%d@example.org", i), Phone: "+212 6 12 34 56 78", Organisation: "=Tafra",
		Answers: map[string]json.RawMessage{"role": json.RawMessage(`"association"`)}, Lang: lang, Consent: &yes,
	}, "")
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// checkLogs fails if the logs carry personal data of the registrants.
func (e *env) checkLogs(t *testing.T) {
	t.Helper()
	logs := e.logs.String()
	for _, p := range []string{"Salma", "أمينة", "personne", "example.org", "Tafra", "+212"} {
		if strings.Contains(logs, p) {
			t.Errorf("logs contain %q:\n%s", p, logs)
		}
	}
}

func TestRoutesMatchTemplate(t *testing.T) {
	template.CheckRoutes(t, "", "AdminEventsFunction", newEnv(t).router.Routes())
}

func TestEvaluatorsAreForbidden(t *testing.T) {
	e := newEnv(t)
	for _, name := range []string{"list.json", "create.json", "cancel.json", "export.json", "checkin.json"} {
		req := load(t, name, "atelier-cocreation-pan")
		req.RequestContext.Authorizer.JWT.Claims["cognito:groups"] = "[evaluators]"
		p := decode[httpapi.Problem](t, e.serve(t, req), 403)
		if p.Type != httpapi.ProblemTypeBase+"forbidden" {
			t.Errorf("%s as evaluator: %+v", name, p)
		}
	}
	decode[httpapi.Problem](t, e.serve(t, httpapitest.Load(t, "list-evaluator.json")), 403)
	if n := e.calls.n.Load(); n != 0 {
		t.Errorf("forbidden requests made %d DynamoDB calls", n)
	}
}

func TestCreatePublishUpdateList(t *testing.T) {
	e := newEnv(t)
	e.calls.n.Store(0)
	v := decode[events.AdminView](t, e.serve(t, load(t, "create.json", "")), 201)
	if e.calls.n.Load() != 1 {
		t.Errorf("create made %d DynamoDB calls, want 1", e.calls.n.Load())
	}
	if v.ID != "atelier-cocreation-pan" || v.Status != events.Draft || v.Title.AR != "ورشة الإنشاء المشترك لخطة العمل" || v.Capacity != 2 || v.Version != 1 || len(v.Questions) != 1 {
		t.Errorf("created = %+v", v)
	}
	p := decode[httpapi.Problem](t, e.serve(t, load(t, "create.json", "")), 409)
	if !strings.Contains(p.Detail, "déjà utilisé") {
		t.Errorf("id taken: %+v", p)
	}
	bad := load(t, "create.json", "")
	bad.Body = strings.Replace(bad.Body, `"capacity": 2`, `"capacity": 0`, 1)
	if p := decode[httpapi.Problem](t, e.serve(t, bad), 400); len(p.Errors) != 1 || p.Errors[0].Field != "capacity" {
		t.Errorf("capacity 0: %+v", p)
	}

	v = decode[events.AdminView](t, e.serve(t, load(t, "publish.json", "atelier-cocreation-pan")), 200)
	if v.Status != events.Published || v.PublishedAt == "" || v.Version != 2 {
		t.Errorf("published = %+v", v)
	}
	if again := decode[events.AdminView](t, e.serve(t, load(t, "publish.json", "atelier-cocreation-pan")), 200); again.Version != 2 {
		t.Errorf("publishing again changed the event: %+v", again)
	}

	// Two confirmed, two waitlisted; a raise to 4 promotes both.
	for i := range 4 {
		e.register(t, "atelier-cocreation-pan", i)
	}
	v = decode[events.AdminView](t, e.serve(t, load(t, "update.json", "atelier-cocreation-pan")), 200)
	if v.Capacity != 4 || v.Confirmed != 4 || v.Waitlisted != 0 || v.SeatsLeft != 0 {
		t.Errorf("after the raise: %+v", v)
	}
	if n := len(e.sender.SentOfKind(events.KindPromoted)); n != 2 {
		t.Errorf("promotions = %d, want 2", n)
	}
	below := load(t, "update.json", "atelier-cocreation-pan")
	below.Body = strings.Replace(below.Body, `"capacity": 4`, `"capacity": 3`, 1)
	if p := decode[httpapi.Problem](t, e.serve(t, below), 409); !strings.Contains(p.Detail, "4 places") {
		t.Errorf("capacity below the confirmed: %+v", p)
	}
	withID := load(t, "update.json", "atelier-cocreation-pan")
	withID.Body = strings.Replace(withID.Body, `{"kind"`, `{"id": "autre", "kind"`, 1)
	decode[httpapi.Problem](t, e.serve(t, withID), 400)
	decode[httpapi.Problem](t, e.serve(t, load(t, "update.json", "inconnu")), 404)

	got := decode[events.AdminView](t, e.serve(t, load(t, "get.json", "atelier-cocreation-pan")), 200)
	if got.Capacity != 4 || got.Confirmed != 4 {
		t.Errorf("GET = %+v", got)
	}
	decode[httpapi.Problem](t, e.serve(t, load(t, "get.json", "../x")), 404)

	// Pages: newest created first; the last page has no nextCursor.
	e.published(t, "atelier-deux")
	list := load(t, "list.json", "")
	list.QueryStringParameters["limit"] = "1"
	resp := e.serve(t, list)
	page := decode[httpapi.Page[events.AdminView]](t, resp, 200)
	if len(page.Items) != 1 || page.NextCursor == "" {
		t.Fatalf("first page = %+v", page)
	}
	list.QueryStringParameters["cursor"] = page.NextCursor
	resp = e.serve(t, list)
	if page := decode[httpapi.Page[events.AdminView]](t, resp, 200); len(page.Items) != 1 || strings.Contains(resp.Body, "nextCursor") {
		t.Errorf("last page = %s", resp.Body)
	}
	e.checkLogs(t)
}

func TestRegistrationsCheckInExport(t *testing.T) {
	e := newEnv(t)
	const id = "atelier-cocreation-pan"
	e.published(t, id)
	var rs []events.Receipt
	for i := range 3 {
		rs = append(rs, e.register(t, id, i))
	}

	// Registrations: by status, in pages.
	req := load(t, "registrations.json", id)
	req.QueryStringParameters["limit"] = "1"
	resp := e.serve(t, req)
	page := decode[httpapi.Page[events.RegistrationView]](t, resp, 200)
	if len(page.Items) != 1 || page.NextCursor == "" || page.Items[0].Status != events.RegConfirmed || page.Items[0].Email == "" {
		t.Fatalf("first page = %+v", page)
	}
	req.QueryStringParameters["cursor"] = page.NextCursor
	resp = e.serve(t, req)
	if page := decode[httpapi.Page[events.RegistrationView]](t, resp, 200); len(page.Items) != 1 || strings.Contains(resp.Body, "nextCursor") {
		t.Errorf("last page = %s", resp.Body)
	}
	all := load(t, "registrations.json", id)
	delete(all.QueryStringParameters, "status")
	if page := decode[httpapi.Page[events.RegistrationView]](t, e.serve(t, all), 200); len(page.Items) != 3 {
		t.Errorf("all registrations = %d, want 3", len(page.Items))
	}
	badStatus := load(t, "registrations.json", id)
	badStatus.QueryStringParameters["status"] = "present"
	decode[httpapi.Problem](t, e.serve(t, badStatus), 400)
	decode[httpapi.Problem](t, e.serve(t, load(t, "registrations.json", "inconnu")), 404)

	// Check-in by code as typed at the door; once; confirmed only.
	checkin := func(code string) lambdaevents.APIGatewayV2HTTPResponse {
		req := load(t, "checkin.json", id)
		req.Body = strings.Replace(req.Body, "CODE", code, 1)
		return e.serve(t, req)
	}
	e.calls.n.Store(0)
	v := decode[events.CheckInView](t, checkin(strings.ToLower(rs[0].Code[:4]+"-"+rs[0].Code[4:])), 200)
	if v.RegistrationID != rs[0].ID || v.Attended != 1 || v.CheckedInAt == "" {
		t.Errorf("check-in = %+v", v)
	}
	if n := e.calls.n.Load(); n != 4 {
		t.Errorf("check-in made %d DynamoDB calls, want 4 (the event, the code, the registration, one transaction)", n)
	}
	decode[httpapi.Problem](t, checkin(rs[0].Code), 409)
	decode[httpapi.Problem](t, checkin(rs[2].Code), 409) // waitlisted
	decode[httpapi.Problem](t, checkin("ZZZZZZZZ"), 404)
	if p := decode[httpapi.Problem](t, checkin("ABC"), 400); len(p.Errors) != 1 || p.Errors[0].Field != "code" {
		t.Errorf("malformed code: %+v", p)
	}

	// Export: a CSV in the bucket under exports/events/<id>/, a 10-minute link.
	x := decode[events.ExportView](t, e.serve(t, load(t, "export.json", id)), 201)
	if x.Rows != 3 || !strings.HasPrefix(x.URL, "https://s3.test/exports/events/"+id+"/") || !strings.HasSuffix(x.URL, "X-Amz-Expires=600") || x.ExpiresAt == "" {
		t.Fatalf("export = %+v", x)
	}
	key := strings.TrimPrefix(strings.Split(x.URL, "?")[0], "https://s3.test/")
	raw := e.files.objects[key]
	if !bytes.HasPrefix(raw, []byte("\xEF\xBB\xBF")) || !bytes.Contains(raw, []byte("\r\n")) || e.files.names[key] != "inscriptions.csv" {
		t.Fatalf("export file %s: %q", key, raw)
	}
	rows, err := csv.NewReader(bytes.NewReader(raw[3:])).ReadAll()
	if err != nil || len(rows) != 4 {
		t.Fatalf("csv: %d rows, %v", len(rows), err)
	}
	if rows[0][0] != "code" || rows[0][11] != "Vous êtes" {
		t.Errorf("header = %q", rows[0])
	}
	byCode := map[string][]string{}
	for _, row := range rows[1:] {
		byCode[row[0]] = row
	}
	if row := byCode[rs[0].Code]; row == nil || row[9] != "oui" || row[5] != "'=Tafra" || row[11] != "Association" {
		t.Errorf("checked-in row = %q", row)
	}
	if row := byCode[rs[1].Code]; row == nil || !strings.HasPrefix(row[3], "أمينة") || row[9] != "non" {
		t.Errorf("Arabic row = %q", row)
	}
	if row := byCode[rs[2].Code]; row == nil || row[1] != "waitlisted" || row[2] != "1" {
		t.Errorf("waitlisted row = %q", row)
	}
	decode[httpapi.Problem](t, e.serve(t, load(t, "export.json", "inconnu")), 404)
	e.checkLogs(t)
	if !strings.Contains(e.logs.String(), x.ID) {
		t.Errorf("logs do not name the export")
	}
}

func TestCancelNotifiesOnce(t *testing.T) {
	e := newEnv(t)
	const id = "atelier-cocreation-pan"
	e.published(t, id)
	for i := range 4 {
		e.register(t, id, i)
	}
	e.calls.n.Store(0)
	res := decode[events.CancelResult](t, e.serve(t, load(t, "cancel.json", id)), 200)
	if res.Notification.Recipients != 4 || res.Notification.ID == "" || res.Event.Status != events.Cancelled || res.Event.CancelledAt == "" {
		t.Errorf("cancel = %+v", res)
	}
	// The request records the change and its job and answers: it sends
	// nothing itself, whatever the number of registrants.
	if n := e.calls.n.Load(); n > 3 {
		t.Errorf("cancel made %d DynamoDB calls, want at most 3", n)
	}
	if n := len(e.sender.SentOfKind(events.KindEventCancelled)); n != 0 {
		t.Errorf("the request sent %d emails itself", n)
	}
	if len(e.started.ids) != 1 || e.started.ids[0] != res.Notification.ID {
		t.Fatalf("started jobs = %v, want the notification's", e.started.ids)
	}
	progress := decode[events.NotificationProgress](t, e.serve(t, load(t, "notification.json", res.Notification.ID)), 200)
	if progress.Done || progress.Recorded != 0 || progress.EventID != id {
		t.Errorf("progress before the notifier ran = %+v", progress)
	}
	// The notifier runs the job: everyone is told.
	if r, err := e.notifier.Run(context.Background(), res.Notification.ID); err != nil || !r.Done || r.Sent != 4 {
		t.Fatalf("notifier run = %+v %v", r, err)
	}
	if again := decode[events.CancelResult](t, e.serve(t, load(t, "cancel.json", id)), 200); again.Notification.ID != res.Notification.ID {
		t.Errorf("cancel again = %+v, want the same notification", again)
	}
	if r, err := e.notifier.Run(context.Background(), res.Notification.ID); err != nil || r.Recorded != 0 {
		t.Errorf("the job run again = %+v %v, want nothing recorded", r, err)
	}
	progress = decode[events.NotificationProgress](t, e.serve(t, load(t, "notification.json", res.Notification.ID)), 200)
	if !progress.Done || progress.Recorded != 4 {
		t.Errorf("progress after = %+v, want done with 4", progress)
	}
	decode[httpapi.Problem](t, e.serve(t, load(t, "notification.json", "events.cancelled.inconnu.1")), 404)
	sent := e.sender.SentOfKind(events.KindEventCancelled)
	if len(sent) != 4 {
		t.Fatalf("cancellation emails = %d, want 4", len(sent))
	}
	for _, m := range sent {
		if len(m.Attachments) != 1 || m.Attachments[0].Filename != "annulation.ics" || !strings.Contains(string(m.Attachments[0].Data), "METHOD:CANCEL") {
			t.Errorf("cancellation email to %s lacks its .ics CANCEL", m.RefID)
		}
	}
	// Nothing more to change: editing or publishing a cancelled event is a 409.
	decode[httpapi.Problem](t, e.serve(t, load(t, "update.json", id)), 409)
	decode[httpapi.Problem](t, e.serve(t, load(t, "publish.json", id)), 409)
	decode[httpapi.Problem](t, e.serve(t, load(t, "cancel.json", "inconnu")), 404)
	e.checkLogs(t)
}
