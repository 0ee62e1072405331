package handler

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"espaceosc/infra/template"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/ddbtest"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/httpapi/httpapitest"
	"espaceosc/shared/links"
	"espaceosc/shared/news"

	"github.com/aws/aws-lambda-go/events"
)

var clock = func() time.Time { return time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC) }

type fixture struct {
	router *httpapi.Router
	news   *news.Service
	links  *links.Service
}

func setup(t *testing.T) fixture { t.Helper(); return setupWith(t, clock) }

func setupWith(t *testing.T, now func() time.Time) fixture {
	t.Helper()
	c, table := ddbtest.Minidyn(t)
	store := ddbstore.New(c, table)
	f := fixture{news: news.NewService(store.News(), now), links: links.NewService(store.Links(), now)}
	f.router = New(httpapi.NewLogger(io.Discard), f.news, f.links)
	return f
}

func serve(t *testing.T, rt *httpapi.Router, ev events.APIGatewayV2HTTPRequest, wantStatus int, out any) events.APIGatewayV2HTTPResponse {
	t.Helper()
	resp, err := rt.Serve(context.Background(), ev)
	if err != nil {
		t.Fatalf("Serve returned an error: %v", err)
	}
	if resp.StatusCode != wantStatus {
		t.Fatalf("%s: status = %d, want %d: %s", ev.RouteKey, resp.StatusCode, wantStatus, resp.Body)
	}
	if out != nil {
		if err := json.Unmarshal([]byte(resp.Body), out); err != nil {
			t.Fatalf("body %q: %v", resp.Body, err)
		}
	}
	return resp
}

// counts returns how many news items and links the table holds.
func (f fixture) counts(t *testing.T) (int, int) {
	t.Helper()
	p, err := f.news.ListAll(context.Background(), news.Filter{}, 50, "")
	if err != nil {
		t.Fatal(err)
	}
	ls, err := f.links.List(context.Background(), "fr")
	if err != nil {
		t.Fatal(err)
	}
	return len(p.Items), len(ls)
}

func TestRoutesMatchTemplate(t *testing.T) {
	rt := New(httpapi.NewLogger(io.Discard), nil, nil)
	template.CheckRoutes(t, "", "AdminContentFunction", rt.Routes())
}

func TestNewsFlow(t *testing.T) {
	f := setup(t)
	const slug = "atelier-de-co-creation-a-casablanca"

	var created news.AdminView
	resp := serve(t, f.router, httpapitest.Load(t, "create-news.json"), 201, &created)
	if created.Slug != slug || created.Status != news.StatusDraft || created.Lang != "fr" || created.CreatedAt != "2026-11-27T08:00:00Z" || created.PublishedAt != "" {
		t.Fatalf("created = %+v", created)
	}
	if got, want := resp.Headers["Location"], "/api/admin/news/"+slug; got != want {
		t.Errorf("Location = %q, want %q", got, want)
	}
	// The same slug again is a conflict.
	serve(t, f.router, httpapitest.Load(t, "create-news.json"), 409, nil)

	// Drafts are listed for admins and hidden from the public.
	var list struct{ Items []news.AdminView }
	serve(t, f.router, httpapitest.Load(t, "list-news.json"), 200, &list)
	if len(list.Items) != 1 || list.Items[0].Slug != slug {
		t.Fatalf("drafts = %+v", list.Items)
	}
	if _, err := f.news.GetPublished(context.Background(), slug); err == nil {
		t.Fatal("draft readable publicly")
	}

	var updated news.AdminView
	serve(t, f.router, httpapitest.Load(t, "update-news.json"), 200, &updated)
	if updated.Slug != slug || updated.Title != "Atelier de co-création à Casablanca (report)" || updated.Lang != "fr" || updated.Summary != "" {
		t.Fatalf("updated = %+v", updated)
	}

	var published news.AdminView
	serve(t, f.router, httpapitest.Load(t, "publish-news.json"), 200, &published)
	if published.Status != news.StatusPublished || published.PublishedAt != "2024-10-01T09:00:00Z" {
		t.Fatalf("published = %+v", published)
	}
	if _, err := f.news.GetPublished(context.Background(), slug); err != nil {
		t.Fatalf("published item not public: %v", err)
	}
	// Publishing with an empty body keeps the date the item has.
	ev := httpapitest.Load(t, "publish-news.json")
	ev.Body = ""
	serve(t, f.router, ev, 200, &published)
	if published.PublishedAt != "2024-10-01T09:00:00Z" {
		t.Fatalf("republished at %q", published.PublishedAt)
	}

	var got news.AdminView
	serve(t, f.router, httpapitest.Load(t, "get-news.json"), 200, &got)
	if got.Status != news.StatusPublished {
		t.Fatalf("get = %+v", got)
	}

	serve(t, f.router, httpapitest.Load(t, "unpublish-news.json"), 200, &got)
	if got.Status != news.StatusDraft {
		t.Fatalf("unpublished = %+v", got)
	}
	if _, err := f.news.GetPublished(context.Background(), slug); err == nil {
		t.Fatal("unpublished item still public")
	}

	resp = serve(t, f.router, httpapitest.Load(t, "delete-news.json"), 204, nil)
	if resp.Body != "" {
		t.Errorf("204 body = %q", resp.Body)
	}
	serve(t, f.router, httpapitest.Load(t, "delete-news.json"), 404, nil)
	serve(t, f.router, httpapitest.Load(t, "get-news.json"), 404, nil)
	serve(t, f.router, httpapitest.Load(t, "publish-news.json"), 404, nil)
	if n, _ := f.counts(t); n != 0 {
		t.Fatalf("%d news left after delete", n)
	}
}

func TestArabicSlug(t *testing.T) {
	f := setup(t)
	ev := httpapitest.Load(t, "create-news.json")
	ev.Body = `{"lang":"ar","title":"نتائج انتقاء ممثلي المجتمع المدني","body":"نص الخبر."}`
	var created news.AdminView
	serve(t, f.router, ev, 201, &created)
	if !strings.HasPrefix(created.Slug, "actualite-") || !news.ValidSlug(created.Slug) || created.Lang != "ar" {
		t.Fatalf("slug of an Arabic title = %q", created.Slug)
	}
	ev.Body = `{"slug":"nataij-intiqa-copil-2024","lang":"ar","title":"نتائج","body":"نص."}`
	serve(t, f.router, ev, 201, &created)
	if created.Slug != "nataij-intiqa-copil-2024" {
		t.Fatalf("given slug = %q", created.Slug)
	}
}

func TestForbiddenAndUnauthorized(t *testing.T) {
	f := setup(t)
	var p httpapi.Problem
	resp := serve(t, f.router, httpapitest.Load(t, "create-news-evaluator.json"), 403, &p)
	if !strings.HasPrefix(resp.Headers["Content-Type"], "application/problem+json") || p.Type != httpapi.ProblemTypeBase+"forbidden" {
		t.Fatalf("evaluator: %s %s", resp.Headers["Content-Type"], resp.Body)
	}
	for _, name := range []string{"list-news.json", "create-link.json", "delete-news.json"} {
		ev := httpapitest.Load(t, name)
		ev.RequestContext.Authorizer.JWT.Claims["cognito:groups"] = "[evaluators]"
		serve(t, f.router, ev, 403, nil)
		ev.RequestContext.Authorizer = nil
		serve(t, f.router, ev, 401, nil)
	}
	if n, l := f.counts(t); n != 0 || l != 0 {
		t.Fatalf("stored %d news, %d links", n, l)
	}
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
		{"bad url", "create-link.json", `{"url":"javascript:alert(1)","title":{"fr":"X"}}`, false, "", 400, "url"},
		{"relative url", "create-link.json", `{"url":"/chikaya","title":{"fr":"X"}}`, false, "", 400, "url"},
		{"link missing title", "create-link.json", `{"url":"https://www.chikaya.ma","title":{"ar":"شكاية"}}`, false, "", 400, "title.fr"},
		{"link bad order", "create-link.json", `{"url":"https://www.chikaya.ma","title":{"fr":"X"},"order":"10"}`, false, "", 400, "order"},
		{"link order range", "create-link.json", `{"url":"https://www.chikaya.ma","title":{"fr":"X"},"order":10001}`, false, "", 400, "order"},
		{"link bad id", "create-link.json", `{"id":"Chikaya!","url":"https://www.chikaya.ma","title":{"fr":"X"}}`, false, "", 400, "id"},
		{"empty body", "create-link.json", ``, false, "", 400, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := setup(t)
			ev := httpapitest.Load(t, tt.payload)
			ev.Body, ev.IsBase64Encoded = tt.body, tt.b64
			if tt.ctype != "" {
				ev.Headers["content-type"] = tt.ctype
			}
			var p httpapi.Problem
			resp := serve(t, f.router, ev, tt.status, &p)
			if !strings.HasPrefix(resp.Headers["Content-Type"], "application/problem+json") {
				t.Fatalf("content type %q", resp.Headers["Content-Type"])
			}
			if tt.field != "" && (len(p.Errors) == 0 || p.Errors[0].Field != tt.field) {
				t.Fatalf("errors = %+v, want field %q", p.Errors, tt.field)
			}
			if n, l := f.counts(t); n != 0 || l != 0 {
				t.Fatalf("stored %d news, %d links", n, l)
			}
		})
	}
}

func TestAdminListFilters(t *testing.T) {
	tick := clock()
	f := setupWith(t, func() time.Time { tick = tick.Add(time.Minute); return tick })
	ctx := context.Background()
	for _, d := range []news.Draft{
		{Slug: "fr-one", Lang: "fr", Title: "Un", Body: "x"},
		{Slug: "ar-one", Lang: "ar", Title: "واحد", Body: "x"},
		{Slug: "fr-two", Lang: "fr", Title: "Deux", Body: "x"},
	} {
		if _, err := f.news.Create(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.news.Publish(ctx, "fr-two", news.PublishInput{}); err != nil {
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
		serve(t, f.router, ev, tt.status, &p)
		if tt.status != 200 {
			continue
		}
		var got []string
		for _, it := range p.Items {
			got = append(got, it.Slug)
		}
		if strings.Join(got, ",") != tt.want {
			t.Errorf("list %v = %v, want %s", tt.query, got, tt.want)
		}
	}
}

func TestLinksFlow(t *testing.T) {
	f := setup(t)
	var l links.AdminView
	serve(t, f.router, httpapitest.Load(t, "create-link.json"), 201, &l)
	if l.ID != "chikaya" || l.Title.AR != "شكاية" || l.Order != 20 {
		t.Fatalf("created = %+v", l)
	}
	serve(t, f.router, httpapitest.Load(t, "create-link.json"), 409, nil)

	ev := httpapitest.Load(t, "create-link.json")
	ev.Body = `{"url":"https://www.cndp.ma","title":{"fr":"CNDP"},"order":1}`
	var generated links.AdminView
	serve(t, f.router, ev, 201, &generated)
	if !links.ValidID(generated.ID) || generated.ID == "chikaya" {
		t.Fatalf("generated id = %q", generated.ID)
	}

	serve(t, f.router, httpapitest.Load(t, "update-link.json"), 200, &l)
	if l.Title.FR != "Chikaya.ma" || l.Order != 5 || l.Description.FR != "" || l.CreatedAt != "2026-11-27T08:00:00Z" {
		t.Fatalf("updated = %+v", l)
	}
	var list struct{ Items []links.AdminView }
	serve(t, f.router, httpapitest.Load(t, "list-links.json"), 200, &list)
	if len(list.Items) != 2 || list.Items[0].Title.FR != "CNDP" || list.Items[1].ID != "chikaya" {
		t.Fatalf("list = %+v", list.Items)
	}

	ev = httpapitest.Load(t, "update-link.json")
	ev.PathParameters = map[string]string{"id": "absent"}
	serve(t, f.router, ev, 404, nil)
	serve(t, f.router, httpapitest.Load(t, "delete-link.json"), 204, nil)
	serve(t, f.router, httpapitest.Load(t, "delete-link.json"), 404, nil)
	if _, n := f.counts(t); n != 1 {
		t.Fatalf("%d links left, want 1", n)
	}
}
