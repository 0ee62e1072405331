package handler

import (
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"espaceosc/infra/template"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/ddbtest"
	"espaceosc/shared/ddbstore/membershipdb"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/httpapi/httpapitest"
	"espaceosc/shared/membership"
	"espaceosc/shared/outbox"
	"espaceosc/shared/outbox/outboxtest"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	minidyn "github.com/truora/minidyn/aws-v2/client"
)

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

type env struct {
	db     *minidyn.Client
	table  string
	sender *outboxtest.Sender
	svc    *membership.Service
	router *httpapi.Router
	logs   *syncBuffer
}

func newEnv(t *testing.T) *env {
	t.Helper()
	db, table := ddbtest.Minidyn(t)
	e := &env{db: db, table: table, sender: &outboxtest.Sender{}, logs: &syncBuffer{}}
	log := httpapi.NewLogger(e.logs)
	now := func() time.Time { return time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC) }
	store := ddbstore.New(db, table).WithClock(now)
	e.svc = membership.NewService(membership.Config{
		Store: membershipdb.New(store), Mailer: outbox.New(store.Outbox(), e.sender, membership.Emails, log), Log: log,
		PortalOrigin: "http://portal.test", NoticeVersion: "2026-11-01", Now: now,
	})
	e.router = New(e.svc, log)
	return e
}

// req loads testdata/name with its ID placeholders replaced and a body (if
// not empty).
func req(t *testing.T, name, id, body string) events.APIGatewayV2HTTPRequest {
	t.Helper()
	r := httpapitest.Load(t, name)
	for k, v := range r.PathParameters {
		if v == "ID" {
			r.PathParameters[k] = id
		}
	}
	r.RawPath = strings.Replace(r.RawPath, "ID", id, 1)
	r.RequestContext.HTTP.Path = r.RawPath
	if strings.Contains(r.Body, `"ID"`) {
		r.Body = strings.Replace(r.Body, `"ID"`, `"`+id+`"`, 1)
	}
	if body != "" {
		r.Body = body
	}
	return r
}

func (e *env) serve(t *testing.T, r events.APIGatewayV2HTTPRequest) (int, map[string]any) {
	t.Helper()
	resp, err := e.router.Serve(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]any
	if resp.Body != "" {
		if err := json.Unmarshal([]byte(resp.Body), &body); err != nil {
			t.Fatalf("body %s: %v", resp.Body, err)
		}
	}
	if resp.StatusCode >= 400 && !strings.HasPrefix(resp.Headers["Content-Type"], "application/problem+json") {
		t.Errorf("%s: %d is not problem+json", r.RouteKey, resp.StatusCode)
	}
	return resp.StatusCode, body
}

func (e *env) items(t *testing.T) int {
	t.Helper()
	out, err := e.db.Scan(context.Background(), &dynamodb.ScanInput{TableName: aws.String(e.table)})
	if err != nil {
		t.Fatal(err)
	}
	return len(out.Items)
}

var linkRE = regexp.MustCompile(`\?token=([A-Za-z0-9_-]{43})`)

// join requests membership as the public function would and confirms it; it
// returns the id and the token.
func (e *env) join(t *testing.T, name, registration string) (string, string) {
	t.Helper()
	yes := true
	ctx := context.Background()
	r, err := e.svc.Join(ctx, membership.JoinRequest{
		Organisation: membership.OrganisationInput{Name: name, LegalForm: "association", RegistrationNumber: registration, Region: "oriental", City: "Oujda"},
		Themes:       []string{"integrity"}, Contact: membership.ContactInput{Name: "Youssef Alami", Email: "youssef@example.org"}, Lang: "fr", Consent: &yes,
	}, "")
	if err != nil {
		t.Fatal(err)
	}
	sent := e.sender.SentOfKind(membership.KindConfirm)
	token := linkRE.FindStringSubmatch(sent[len(sent)-1].Text)[1]
	if _, err := e.svc.Confirm(ctx, r.ID, token); err != nil {
		t.Fatal(err)
	}
	return r.ID, token
}

func TestRoutesMatchTemplate(t *testing.T) {
	template.CheckRoutes(t, "", "AdminMembershipFunction", newEnv(t).router.Routes())
}

func allRequests(t *testing.T, id string) []events.APIGatewayV2HTTPRequest {
	var out []events.APIGatewayV2HTTPRequest
	for _, name := range []string{"list.json", "get.json", "decide.json", "groups.json", "create-group.json", "get-group.json",
		"update-group.json", "add-member.json", "remove-member.json", "group-requests.json", "decide-request.json"} {
		out = append(out, req(t, name, id, ""))
	}
	return out
}

func TestEvaluatorsAndAnonymousAreRefused(t *testing.T) {
	e := newEnv(t)
	id, _ := e.join(t, "Association Al Amal", "A-1")
	before := e.items(t)
	for _, r := range allRequests(t, id) {
		r.RequestContext.Authorizer.JWT.Claims["cognito:groups"] = "[evaluators]"
		if status, body := e.serve(t, r); status != 403 || body["type"] != httpapi.ProblemTypeBase+"forbidden" {
			t.Errorf("%s as evaluator: %d %v", r.RouteKey, status, body)
		}
		r.RequestContext.Authorizer = nil
		if status, _ := e.serve(t, r); status != 401 {
			t.Errorf("%s without identity: %d", r.RouteKey, status)
		}
	}
	if after := e.items(t); after != before {
		t.Errorf("refused requests changed the table: %d -> %d", before, after)
	}
}

func TestDecideManageGroupsAndRequests(t *testing.T) {
	e := newEnv(t)
	id, token := e.join(t, "Association Al Amal", "A-1")
	other, _ := e.join(t, "Réseau Chabaka", "B-2")

	status, body := e.serve(t, req(t, "list.json", "", ""))
	if status != 200 || len(body["items"].([]any)) != 2 {
		t.Fatalf("pending list: %d %v", status, body)
	}
	first := body["items"].([]any)[0].(map[string]any)
	if first["consent"].(map[string]any)["noticeVersion"] != "2026-11-01" || first["contact"].(map[string]any)["email"] != "youssef@example.org" {
		t.Errorf("admin view = %v", first)
	}
	status, body = e.serve(t, req(t, "decide.json", id, ""))
	if status != 200 || body["status"] != "approved" {
		t.Fatalf("approve: %d %v", status, body)
	}
	if got := e.sender.SentOfKind(membership.KindApproved); len(got) != 1 || got[0].RefID != id {
		t.Errorf("approval emails = %d", len(got))
	}
	status, body = e.serve(t, req(t, "decide.json", other, `{"decision":"declined","reason":"Hors du champ de l'espace."}`))
	if status != 200 || body["status"] != "declined" || body["reason"] != "Hors du champ de l'espace." {
		t.Fatalf("decline: %d %v", status, body)
	}
	if got := e.sender.SentOfKind(membership.KindDeclined); len(got) != 1 || !strings.Contains(got[0].Text, "Hors du champ") {
		t.Errorf("decline emails = %+v", got)
	}
	if status, _ := e.serve(t, req(t, "decide.json", other, "")); status != 409 {
		t.Errorf("decide twice: %d", status)
	}
	if status, body := e.serve(t, req(t, "get.json", id, "")); status != 200 || body["status"] != "approved" {
		t.Errorf("get: %d %v", status, body)
	}

	// Groups: create, list, add the member, read, remove.
	if status, body := e.serve(t, req(t, "create-group.json", "", "")); status != 201 || body["id"] != "transparence" {
		t.Fatalf("create group: %d %v", status, body)
	}
	if status, _ := e.serve(t, req(t, "create-group.json", "", "")); status != 409 {
		t.Errorf("create the same group: %d", status)
	}
	if status, body := e.serve(t, req(t, "groups.json", "", "")); status != 200 || len(body["items"].([]any)) != 1 {
		t.Errorf("groups: %d %v", status, body)
	}
	if status, body := e.serve(t, req(t, "add-member.json", id, "")); status != 201 || body["memberId"] != id || body["source"] != "admin" {
		t.Fatalf("add member: %d %v", status, body)
	}
	if status, _ := e.serve(t, req(t, "add-member.json", other, "")); status != 400 {
		t.Errorf("add a declined organisation: %d", status)
	}
	status, body = e.serve(t, req(t, "get-group.json", "", ""))
	if status != 200 || len(body["members"].([]any)) != 1 || body["name"].(map[string]any)["ar"] != "الشفافية والحق في الحصول على المعلومات" {
		t.Fatalf("group page: %d %v", status, body)
	}
	if status, _ := e.serve(t, req(t, "remove-member.json", id, "")); status != 204 {
		t.Errorf("remove member: %d", status)
	}
	if status, _ := e.serve(t, req(t, "remove-member.json", id, "")); status != 404 {
		t.Errorf("remove again: %d", status)
	}

	// A request to join, declined then asked again and approved.
	if _, err := e.svc.RequestGroup(context.Background(), id, token, membership.GroupRequestInput{GroupID: "transparence"}); err != nil {
		t.Fatal(err)
	}
	status, body = e.serve(t, req(t, "group-requests.json", "", ""))
	if status != 200 || len(body["items"].([]any)) != 1 || body["items"].([]any)[0].(map[string]any)["organisationId"] != id {
		t.Fatalf("pending requests: %d %v", status, body)
	}
	if status, body := e.serve(t, req(t, "decide-request.json", id, "")); status != 200 || body["status"] != "declined" {
		t.Fatalf("decline request: %d %v", status, body)
	}
	if _, err := e.svc.RequestGroup(context.Background(), id, token, membership.GroupRequestInput{GroupID: "transparence"}); err != nil {
		t.Fatal(err)
	}
	if status, body := e.serve(t, req(t, "decide-request.json", id, `{"decision":"approved"}`)); status != 200 || body["status"] != "approved" {
		t.Fatalf("approve request: %d %v", status, body)
	}
	if got := e.sender.SentOfKind(membership.KindGroupJoined); len(got) != 2 {
		t.Errorf("group emails = %d, want 2 (added, approved)", len(got))
	}
	// Closing the group keeps its members.
	if status, body := e.serve(t, req(t, "update-group.json", "", "")); status != 200 || body["status"] != "closed" {
		t.Fatalf("close group: %d %v", status, body)
	}
	if _, body := e.serve(t, req(t, "get-group.json", "", "")); len(body["members"].([]any)) != 1 {
		t.Errorf("members of the closed group = %v", body["members"])
	}

	logs := e.logs.String()
	for _, personal := range []string{"youssef", "Youssef", "Alami", token, "Al Amal", "Hors du champ"} {
		if strings.Contains(logs, personal) {
			t.Errorf("logs contain %q", personal)
		}
	}
}

// A GT call's selection (written by the calls capability) is a member an
// administrator sees and can remove.
func TestCallSelectionMembers(t *testing.T) {
	e := newEnv(t)
	if status, _ := e.serve(t, req(t, "create-group.json", "", "")); status != 201 {
		t.Fatal(status)
	}
	s := func(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
	const cand = "8m3k2v9q4x7t1r5w0y6z3c8b2n"
	if _, err := e.db.PutItem(context.Background(), &dynamodb.PutItemInput{TableName: aws.String(e.table), Item: map[string]types.AttributeValue{
		"PK": s("WG#transparence"), "SK": s("MEMBER#" + cand), "type": s("wg-member"), "groupId": s("transparence"),
		"candidacyId": s(cand), "callId": s("gt-transparence-2026"), "name": s("Association Amal"), "acronym": s("AA"),
		"city": s("Nador"), "region": s("oriental"), "since": s("2026-10-01T09:00:00.000000000Z"),
	}}); err != nil {
		t.Fatal(err)
	}
	_, body := e.serve(t, req(t, "get-group.json", "", ""))
	ms := body["members"].([]any)
	if len(ms) != 1 || ms[0].(map[string]any)["source"] != "call" || ms[0].(map[string]any)["memberId"] != cand || ms[0].(map[string]any)["callId"] != "gt-transparence-2026" {
		t.Fatalf("members = %v", ms)
	}
	if status, _ := e.serve(t, req(t, "remove-member.json", cand, "")); status != 204 {
		t.Errorf("remove the call's selection: %d", status)
	}
}

func TestAdminBadInputStoresNothing(t *testing.T) {
	e := newEnv(t)
	id, _ := e.join(t, "Association Al Amal", "A-1")
	if status, _ := e.serve(t, req(t, "create-group.json", "", "")); status != 201 {
		t.Fatal(status)
	}
	missing := strings.Repeat("a", 26)
	cases := []struct {
		name   string
		r      events.APIGatewayV2HTTPRequest
		status int
		field  string
	}{
		{"list: unknown status", func() events.APIGatewayV2HTTPRequest {
			r := req(t, "list.json", "", "")
			r.QueryStringParameters["status"] = "left"
			return r
		}(), 400, "status"},
		{"list: bad cursor", func() events.APIGatewayV2HTTPRequest {
			r := req(t, "list.json", "", "")
			r.QueryStringParameters["cursor"] = "nope"
			return r
		}(), 400, "cursor"},
		{"get: unknown", req(t, "get.json", missing, ""), 404, ""},
		{"get: malformed id", req(t, "get.json", "../x", ""), 404, ""},
		{"decide: unknown decision", req(t, "decide.json", id, `{"decision":"maybe"}`), 400, "decision"},
		{"decide: reason with an approval", req(t, "decide.json", id, `{"decision":"approved","reason":"ok"}`), 400, "reason"},
		{"decide: control character", req(t, "decide.json", id, `{"decision":"declined","reason":"a\u0000b"}`), 400, "reason"},
		{"decide: not JSON", func() events.APIGatewayV2HTTPRequest {
			r := req(t, "decide.json", id, "decision=approved")
			r.Headers["content-type"] = "text/plain"
			return r
		}(), 415, ""},
		{"decide: unknown", req(t, "decide.json", missing, ""), 404, ""},
		{"create group: bad id", req(t, "create-group.json", "", `{"id":"Bad Id","kind":"thematic","name":{"fr":"Transparence","ar":"الشفافية"}}`), 400, "id"},
		{"create group: territorial without region", req(t, "create-group.json", "", `{"id":"region-x","kind":"territorial","name":{"fr":"Région","ar":"جهة"}}`), 400, "region"},
		{"create group: name with a line break", req(t, "create-group.json", "", `{"id":"x-y","kind":"thematic","name":{"fr":"A\nB","ar":"الشفافية"}}`), 400, "name.fr"},
		{"create group: unknown field", req(t, "create-group.json", "", `{"id":"x-y","kind":"thematic","name":{"fr":"Abc","ar":"الشفافية"},"members":[]}`), 400, "members"},
		{"update group: unknown", func() events.APIGatewayV2HTTPRequest {
			r := req(t, "update-group.json", "", "")
			r.PathParameters["id"] = "nope"
			return r
		}(), 404, ""},
		{"update group: unknown status", req(t, "update-group.json", "", `{"kind":"thematic","name":{"fr":"Transparence","ar":"الشفافية"},"status":"archived"}`), 400, "status"},
		{"add member: not a member", req(t, "add-member.json", id, ""), 400, "organisationId"},
		{"add member: missing id", req(t, "add-member.json", "", `{}`), 400, "organisationId"},
		{"add member: unknown group", func() events.APIGatewayV2HTTPRequest {
			r := req(t, "add-member.json", id, "")
			r.PathParameters["id"] = "nope"
			return r
		}(), 404, ""},
		{"remove member: not there", req(t, "remove-member.json", missing, ""), 404, ""},
		{"group requests: unknown status", func() events.APIGatewayV2HTTPRequest {
			r := req(t, "group-requests.json", "", "")
			r.QueryStringParameters["status"] = "open"
			return r
		}(), 400, "status"},
		{"decide request: none", req(t, "decide-request.json", id, ""), 404, ""},
		{"decide request: reason too long", req(t, "decide-request.json", id, `{"decision":"declined","reason":"`+strings.Repeat("r", 1001)+`"}`), 400, "reason"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := e.items(t)
			status, body := e.serve(t, c.r)
			if status != c.status {
				t.Fatalf("status = %d, want %d (%v)", status, c.status, body)
			}
			if c.field != "" && !strings.Contains(jsonString(body["errors"]), `"field":"`+c.field+`"`) {
				t.Errorf("errors = %v, want field %s", body["errors"], c.field)
			}
			if after := e.items(t); after != before {
				t.Errorf("a refused request changed the table: %d -> %d", before, after)
			}
		})
	}
	if n := len(e.sender.SentOfKind(membership.KindApproved)) + len(e.sender.SentOfKind(membership.KindDeclined)); n != 0 {
		t.Errorf("refused requests sent %d emails", n)
	}
}

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
