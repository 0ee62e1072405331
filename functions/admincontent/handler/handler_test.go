package handler

import (
	"context"
	"encoding/base64"
	"io"
	"strings"
	"testing"
	"time"

	"espaceosc/infra/template"
	"espaceosc/shared/apperr"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/httpapi/httpapitest"
	"espaceosc/shared/links"
	"espaceosc/shared/news"

	minidyn "github.com/truora/minidyn/aws-v2/client"
)

// counts returns how many news items and links the table holds.
func (e *env) counts(t *testing.T) (int, int) {
	t.Helper()
	items, _, err := e.news.List(context.Background(), "", "", 50, "")
	if err != nil {
		t.Fatal(err)
	}
	ls, err := e.links.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return len(items), len(ls)
}

// public reports whether slug is readable by everyone.
func (e *env) public(t *testing.T, slug string) bool {
	t.Helper()
	_, err := e.news.GetPublished(context.Background(), slug)
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		t.Fatal(err)
	}
	return err == nil
}

// calls checks the DynamoDB calls of the last request.
func (e *env) wantCalls(t *testing.T, what string, want int64) {
	t.Helper()
	if got := e.calls.n.Load(); got != want {
		t.Errorf("%s made %d DynamoDB calls, want %d", what, got, want)
	}
}

// noPersonalData checks that the logs carry none of what the requests'
// payloads say about the administrator.
func noPersonalData(t *testing.T, e *env) {
	t.Helper()
	logs := e.logs.String()
	if !strings.Contains(logs, `"route"`) {
		t.Fatalf("no request logged:\n%s", logs)
	}
	for _, personal := range []string{"7c1e9a2b-4f3d-4e8a-9b6c-2d1f0e3a5b7c", "196.200.1.10", "eyJ", "Mozilla"} {
		if strings.Contains(logs, personal) {
			t.Errorf("logs contain %q:\n%s", personal, logs)
		}
	}
}

func TestRoutesMatchTemplate(t *testing.T) {
	rt := New(nil, nil, httpapi.NewLogger(io.Discard))
	template.CheckRoutes(t, "", "AdminContentFunction", rt.Routes())
}

func TestNewsFlow(t *testing.T) {
	e := newEnv(t)
	const slug = "atelier-de-co-creation-a-casablanca"

	var created news.AdminView
	resp := e.serve(t, httpapitest.Load(t, "create-news.json"), 201, &created)
	e.wantCalls(t, "create", 1)
	if created.Slug != slug || created.Status != news.StatusDraft || created.Lang != "fr" || created.CreatedAt != "2026-11-27T08:00:00Z" || created.PublishedAt != "" {
		t.Fatalf("created = %+v", created)
	}
	if got, want := resp.Headers["Location"], "/api/admin/news/"+slug; got != want {
		t.Errorf("Location = %q, want %q", got, want)
	}
	// The same slug again is a conflict.
	var p httpapi.Problem
	e.serve(t, httpapitest.Load(t, "create-news.json"), 409, &p)
	if p.Detail != "Une actualité utilise déjà cet identifiant." {
		t.Errorf("conflict detail = %q", p.Detail)
	}

	// Drafts are listed for admins and hidden from the public.
	var list struct{ Items []news.AdminView }
	e.serve(t, httpapitest.Load(t, "list-news.json"), 200, &list)
	e.wantCalls(t, "list", 1)
	if len(list.Items) != 1 || list.Items[0].Slug != slug {
		t.Fatalf("drafts = %+v", list.Items)
	}
	if e.public(t, slug) {
		t.Fatal("draft readable publicly")
	}

	var updated news.AdminView
	e.serve(t, httpapitest.Load(t, "update-news.json"), 200, &updated)
	e.wantCalls(t, "update", 2)
	if updated.Slug != slug || updated.Title != "Atelier de co-création à Casablanca (report)" || updated.Lang != "fr" || updated.Summary != "" {
		t.Fatalf("updated = %+v", updated)
	}

	var published news.AdminView
	e.serve(t, httpapitest.Load(t, "publish-news.json"), 200, &published)
	e.wantCalls(t, "publish", 2)
	if published.Status != news.StatusPublished || published.PublishedAt != "2024-10-01T09:00:00Z" {
		t.Fatalf("published = %+v", published)
	}
	if !e.public(t, slug) {
		t.Fatal("published item not public")
	}
	// Publishing with an empty body keeps the date the item has.
	ev := httpapitest.Load(t, "publish-news.json")
	ev.Body = ""
	e.serve(t, ev, 200, &published)
	if published.PublishedAt != "2024-10-01T09:00:00Z" {
		t.Fatalf("republished at %q", published.PublishedAt)
	}

	var got news.AdminView
	e.serve(t, httpapitest.Load(t, "get-news.json"), 200, &got)
	e.wantCalls(t, "get", 1)
	if got.Status != news.StatusPublished {
		t.Fatalf("get = %+v", got)
	}

	e.serve(t, httpapitest.Load(t, "unpublish-news.json"), 200, &got)
	e.wantCalls(t, "unpublish", 2)
	if got.Status != news.StatusDraft || got.PublishedAt != "2024-10-01T09:00:00Z" {
		t.Fatalf("unpublished = %+v", got)
	}
	if e.public(t, slug) {
		t.Fatal("unpublished item still public")
	}

	resp = e.serve(t, httpapitest.Load(t, "delete-news.json"), 204, nil)
	e.wantCalls(t, "delete", 1)
	if resp.Body != "" {
		t.Errorf("204 body = %q", resp.Body)
	}
	e.serve(t, httpapitest.Load(t, "delete-news.json"), 404, nil)
	e.serve(t, httpapitest.Load(t, "get-news.json"), 404, nil)
	e.serve(t, httpapitest.Load(t, "publish-news.json"), 404, nil)
	e.serve(t, httpapitest.Load(t, "unpublish-news.json"), 404, nil)
	e.serve(t, httpapitest.Load(t, "update-news.json"), 404, &p)
	if p.Detail != "Cette actualité est introuvable." {
		t.Errorf("not found detail = %q", p.Detail)
	}
	if n, _ := e.counts(t); n != 0 {
		t.Fatalf("%d news left after delete", n)
	}
	noPersonalData(t, e)
}

func TestArabicSlug(t *testing.T) {
	e := newEnv(t)
	ev := httpapitest.Load(t, "create-news.json")
	ev.Body = `{"lang":"ar","title":"نتائج انتقاء ممثلي المجتمع المدني","body":"نص الخبر."}`
	var created news.AdminView
	e.serve(t, ev, 201, &created)
	if !strings.HasPrefix(created.Slug, "actualite-") || !news.ValidSlug(created.Slug) || created.Lang != "ar" {
		t.Fatalf("slug of an Arabic title = %q", created.Slug)
	}
	ev.Body = `{"slug":"nataij-intiqa-copil-2024","lang":"ar","title":"نتائج","body":"نص."}`
	e.serve(t, ev, 201, &created)
	if created.Slug != "nataij-intiqa-copil-2024" {
		t.Fatalf("given slug = %q", created.Slug)
	}
}

func TestForbiddenAndUnauthorized(t *testing.T) {
	e := newEnv(t)
	var p httpapi.Problem
	resp := e.serve(t, httpapitest.Load(t, "create-news-evaluator.json"), 403, &p)
	if !strings.HasPrefix(resp.Headers["Content-Type"], "application/problem+json") || p.Type != httpapi.ProblemTypeBase+"forbidden" {
		t.Fatalf("evaluator: %s %s", resp.Headers["Content-Type"], resp.Body)
	}
	e.wantCalls(t, "an evaluator's request", 0)
	for _, name := range []string{"list-news.json", "create-link.json", "delete-news.json", "publish-news.json", "update-link.json", "list-links.json"} {
		ev := httpapitest.Load(t, name)
		ev.RequestContext.Authorizer.JWT.Claims["cognito:groups"] = "[evaluators]"
		e.serve(t, ev, 403, nil)
		e.wantCalls(t, name+" as an evaluator", 0)
		ev.RequestContext.Authorizer = nil
		e.serve(t, ev, 401, nil)
		e.wantCalls(t, name+" without a token", 0)
	}
	if n, l := e.counts(t); n != 0 || l != 0 {
		t.Fatalf("stored %d news, %d links", n, l)
	}
	noPersonalData(t, e)
}

func TestBadInputStoresNothing(t *testing.T) {
	long := strings.Repeat("a", httpapi.MaxBodyBytes)
	tests := []struct {
		name    string
		payload string
		body    string
		b64     bool
		ctype   string
		status  int
		field   string
	}{
		{"malformed json", "create-news.json", `{"lang":"fr","title":`, false, "", 400, ""},
		{"trailing data", "create-news.json", `{"lang":"fr","title":"T","body":"B"} {}`, false, "", 400, ""},
		{"wrong type", "create-news.json", `{"lang":"fr","title":12,"body":"B"}`, false, "", 400, "title"},
		{"unknown field", "create-news.json", `{"lang":"fr","title":"T","body":"B","status":"published"}`, false, "", 400, "status"},
		{"oversize", "create-news.json", `{"lang":"fr","title":"T","body":"` + long + `"}`, false, "", 413, ""},
		{"oversize base64", "create-news.json", base64.StdEncoding.EncodeToString([]byte(`{"body":"` + long + `"}`)), true, "", 413, ""},
		{"not json", "create-news.json", `lang=fr`, false, "application/x-www-form-urlencoded", 415, ""},
		{"missing title", "create-news.json", `{"lang":"fr","body":"B"}`, false, "", 400, "title"},
		{"missing lang", "create-news.json", `{"title":"T","body":"B"}`, false, "", 400, "lang"},
		{"unknown lang", "create-news.json", `{"lang":"de","title":"T","body":"B"}`, false, "", 400, "lang"},
		{"bad slug", "create-news.json", `{"slug":"Résultats 2024","lang":"fr","title":"T","body":"B"}`, false, "", 400, "slug"},
		{"short slug", "create-news.json", `{"slug":"ab","lang":"fr","title":"T","body":"B"}`, false, "", 400, "slug"},
		{"title too long", "create-news.json", `{"lang":"fr","title":"` + strings.Repeat("é", 201) + `","body":"B"}`, false, "", 400, "title"},
		{"bad date", "create-news.json", `{"lang":"fr","title":"T","body":"B","publishedAt":"27/09/2024"}`, false, "", 400, "publishedAt"},
		{"bad update", "update-news.json", `{"title":"","body":"B"}`, false, "", 400, "title"},
		{"bad publish date", "publish-news.json", `{"publishedAt":"hier"}`, false, "", 400, "publishedAt"},
		{"bad url", "create-link.json", `{"url":"javascript:alert(1)","title":{"fr":"X"}}`, false, "", 400, "url"},
		{"relative url", "create-link.json", `{"url":"/chikaya","title":{"fr":"X"}}`, false, "", 400, "url"},
		{"link missing title", "create-link.json", `{"url":"https://www.chikaya.ma","title":{"ar":"شكاية"}}`, false, "", 400, "title.fr"},
		{"link bad order", "create-link.json", `{"url":"https://www.chikaya.ma","title":{"fr":"X"},"order":"10"}`, false, "", 400, "order"},
		{"link order range", "create-link.json", `{"url":"https://www.chikaya.ma","title":{"fr":"X"},"order":10001}`, false, "", 400, "order"},
		{"link bad id", "create-link.json", `{"id":"Chikaya!","url":"https://www.chikaya.ma","title":{"fr":"X"}}`, false, "", 400, "id"},
		{"bad link update", "update-link.json", `{"url":"ftp://chikaya.ma","title":{"fr":"X"}}`, false, "", 400, "url"},
		{"empty body", "create-link.json", ``, false, "", 400, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			ev := httpapitest.Load(t, tt.payload)
			ev.Body, ev.IsBase64Encoded = tt.body, tt.b64
			if tt.ctype != "" {
				ev.Headers["content-type"] = tt.ctype
			}
			var p httpapi.Problem
			resp := e.serve(t, ev, tt.status, &p)
			e.wantCalls(t, "a refused request", 0)
			if !strings.HasPrefix(resp.Headers["Content-Type"], "application/problem+json") {
				t.Fatalf("content type %q", resp.Headers["Content-Type"])
			}
			if tt.field != "" && (len(p.Errors) == 0 || p.Errors[0].Field != tt.field) {
				t.Fatalf("errors = %+v, want field %q", p.Errors, tt.field)
			}
			if n, l := e.counts(t); n != 0 || l != 0 {
				t.Fatalf("stored %d news, %d links", n, l)
			}
		})
	}
}

func TestAdminListFilters(t *testing.T) {
	tick := clock()
	e := newEnvWith(t, func() time.Time { tick = tick.Add(time.Minute); return tick })
	ctx := context.Background()
	for _, d := range []news.Draft{
		{Slug: "fr-one", Lang: "fr", Title: "Un", Body: "x"},
		{Slug: "ar-one", Lang: "ar", Title: "واحد", Body: "x"},
		{Slug: "fr-two", Lang: "fr", Title: "Deux", Body: "x"},
	} {
		if _, err := e.news.Create(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.news.Publish(ctx, "fr-two", news.PublishInput{}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		query  map[string]string
		status int
		want   string
	}{
		{map[string]string{}, 200, "fr-two,ar-one,fr-one"}, // newest created first
		{map[string]string{"lang": "fr"}, 200, "fr-two,fr-one"},
		{map[string]string{"status": "published"}, 200, "fr-two"},
		{map[string]string{"lang": "fr", "status": "draft"}, 200, "fr-one"},
		{map[string]string{"status": "archived"}, 400, ""},
		{map[string]string{"lang": "de"}, 400, ""},
		{map[string]string{"cursor": "%%%"}, 400, ""},
	}
	for _, tt := range tests {
		ev := httpapitest.Load(t, "list-news.json")
		ev.QueryStringParameters = tt.query
		var p struct{ Items []news.AdminView }
		resp := e.serve(t, ev, tt.status, &p)
		if tt.status != 200 {
			continue
		}
		if strings.Contains(resp.Body, "nextCursor") {
			t.Errorf("list %v: one page, yet a cursor: %s", tt.query, resp.Body)
		}
		var got []string
		for _, it := range p.Items {
			got = append(got, it.Slug)
		}
		if strings.Join(got, ",") != tt.want {
			t.Errorf("list %v = %v, want %s", tt.query, got, tt.want)
		}
	}
	// Pages: a cursor while there is more, none on the last page.
	ev := httpapitest.Load(t, "list-news.json")
	ev.QueryStringParameters = map[string]string{"limit": "2"}
	var page struct {
		Items      []news.AdminView
		NextCursor string
	}
	e.serve(t, ev, 200, &page)
	if len(page.Items) != 2 || page.NextCursor == "" {
		t.Fatalf("first page = %+v", page)
	}
	ev.QueryStringParameters["cursor"] = page.NextCursor
	resp := e.serve(t, ev, 200, &page)
	if len(page.Items) != 1 || page.Items[0].Slug != "fr-one" || strings.Contains(resp.Body, "nextCursor") {
		t.Fatalf("last page = %s", resp.Body)
	}
}

func TestLinksFlow(t *testing.T) {
	e := newEnv(t)
	var l links.AdminView
	e.serve(t, httpapitest.Load(t, "create-link.json"), 201, &l)
	e.wantCalls(t, "create link", 1)
	if l.ID != "chikaya" || l.Title.AR != "شكاية" || l.Order != 20 {
		t.Fatalf("created = %+v", l)
	}
	var p httpapi.Problem
	e.serve(t, httpapitest.Load(t, "create-link.json"), 409, &p)
	if p.Detail != "Un lien utilise déjà cet identifiant." {
		t.Errorf("conflict detail = %q", p.Detail)
	}

	ev := httpapitest.Load(t, "create-link.json")
	ev.Body = `{"url":"https://www.cndp.ma","title":{"fr":"CNDP"},"order":1}`
	var generated links.AdminView
	e.serve(t, ev, 201, &generated)
	if !links.ValidID(generated.ID) || generated.ID == "chikaya" {
		t.Fatalf("generated id = %q", generated.ID)
	}

	e.serve(t, httpapitest.Load(t, "update-link.json"), 200, &l)
	e.wantCalls(t, "update link", 1)
	if l.Title.FR != "Chikaya.ma" || l.Order != 5 || l.Description.FR != "" || l.CreatedAt != "2026-11-27T08:00:00Z" {
		t.Fatalf("updated = %+v", l)
	}
	var list struct{ Items []links.AdminView }
	resp := e.serve(t, httpapitest.Load(t, "list-links.json"), 200, &list)
	e.wantCalls(t, "list links", 1)
	if len(list.Items) != 2 || list.Items[0].Title.FR != "CNDP" || list.Items[1].ID != "chikaya" || strings.Contains(resp.Body, "nextCursor") {
		t.Fatalf("list = %s", resp.Body)
	}

	ev = httpapitest.Load(t, "update-link.json")
	ev.PathParameters = map[string]string{"id": "absent"}
	e.serve(t, ev, 404, &p)
	if p.Detail != "Ce lien est introuvable." {
		t.Errorf("not found detail = %q", p.Detail)
	}
	e.serve(t, httpapitest.Load(t, "delete-link.json"), 204, nil)
	e.wantCalls(t, "delete link", 1)
	e.serve(t, httpapitest.Load(t, "delete-link.json"), 404, nil)
	if _, n := e.counts(t); n != 1 {
		t.Fatalf("%d links left, want 1", n)
	}
	noPersonalData(t, e)
}

func TestDynamoDBDown(t *testing.T) {
	e := newEnv(t)
	e.serve(t, httpapitest.Load(t, "create-news.json"), 201, nil)
	minidyn.EmulateFailure(e.db, minidyn.FailureConditionInternalServerError)
	defer minidyn.EmulateFailure(e.db, minidyn.FailureConditionNone)
	for _, name := range []string{"list-news.json", "get-news.json", "update-news.json", "publish-news.json", "create-link.json", "list-links.json"} {
		var p httpapi.Problem
		resp := e.serve(t, httpapitest.Load(t, name), 503, &p)
		if p.Type != httpapi.ProblemTypeBase+"unavailable" || resp.Headers["Retry-After"] == "" {
			t.Errorf("%s while DynamoDB is down: %s", name, resp.Body)
		}
	}
	noPersonalData(t, e)
}
