package seed

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	admincalls "espaceosc/functions/admincalls/handler"
	admincocreation "espaceosc/functions/admincocreation/handler"
	admin "espaceosc/functions/admincontent/handler"
	adminevents "espaceosc/functions/adminevents/handler"
	adminmembership "espaceosc/functions/adminmembership/handler"
	public "espaceosc/functions/publiccontent/handler"
	"espaceosc/shared/calls"
	"espaceosc/shared/cocreation"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/callsdb"
	"espaceosc/shared/ddbstore/cocreationdb"
	"espaceosc/shared/ddbstore/ddbtest"
	"espaceosc/shared/ddbstore/eventsdb"
	"espaceosc/shared/ddbstore/linksdb"
	"espaceosc/shared/ddbstore/membershipdb"
	"espaceosc/shared/ddbstore/newsdb"
	eventsvc "espaceosc/shared/events"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/i18n"
	"espaceosc/shared/links"
	"espaceosc/shared/membership"
	"espaceosc/shared/news"
	"espaceosc/shared/outbox"

	"github.com/aws/aws-lambda-go/events"
)

const adminToken = "test-admin-token"

// gateway is a minimal API Gateway: it matches a request to a route key of
// one of the routers, builds the payload 2.0 event (with admin claims when
// the bearer token is the admin's) and writes the function's response.
type gateway struct {
	routers []*httpapi.Router
	calls   map[string]int // route key -> count
}

func (g *gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	for _, rt := range g.routers {
		for _, key := range rt.Routes() {
			method, pattern, _ := strings.Cut(key, " ")
			params, ok := match(pattern, r.URL.Path)
			if !ok || method != r.Method {
				continue
			}
			g.calls[key]++
			body, _ := io.ReadAll(r.Body)
			headers := map[string]string{}
			for k := range r.Header {
				headers[strings.ToLower(k)] = r.Header.Get(k)
			}
			query := map[string]string{}
			for k := range r.URL.Query() {
				query[k] = r.URL.Query().Get(k)
			}
			ev := events.APIGatewayV2HTTPRequest{
				Version: "2.0", RouteKey: key, RawPath: r.URL.Path, RawQueryString: r.URL.RawQuery,
				Headers: headers, QueryStringParameters: query, PathParameters: params, Body: string(body),
				RequestContext: events.APIGatewayV2HTTPRequestContext{
					RouteKey: key, RequestID: "seed-test",
					HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: r.Method, Path: r.URL.Path},
				},
			}
			if r.Header.Get("Authorization") == "Bearer "+adminToken {
				ev.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
					JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{
						Claims: map[string]string{"sub": "seed-admin", "cognito:groups": "[admins]"},
					},
				}
			}
			resp, _ := rt.Serve(r.Context(), ev)
			for k, v := range resp.Headers {
				w.Header().Set(k, v)
			}
			w.WriteHeader(resp.StatusCode)
			_, _ = io.WriteString(w, resp.Body)
			return
		}
	}
	http.Error(w, `{"message":"Not Found"}`, http.StatusNotFound)
}

// match matches a route path like /api/admin/news/{slug}/publish.
func match(pattern, path string) (map[string]string, bool) {
	ps, xs := strings.Split(pattern, "/"), strings.Split(path, "/")
	if len(ps) != len(xs) {
		return nil, false
	}
	params := map[string]string{}
	for i, p := range ps {
		if strings.HasPrefix(p, "{") && strings.HasSuffix(p, "}") {
			if xs[i] == "" {
				return nil, false
			}
			params[strings.Trim(p, "{}")] = xs[i]
		} else if p != xs[i] {
			return nil, false
		}
	}
	return params, true
}

func TestContent(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(c.News), 6; got != want {
		t.Fatalf("%d news, want %d", got, want)
	}
	for _, n := range c.News {
		if !news.ValidSlug(n.Slug) || n.Title == "" || n.Body == "" || n.Summary == "" {
			t.Errorf("news %q incomplete", n.Slug)
		}
		if strings.Contains(n.Body, "...") || strings.Contains(n.Body, "Lire plus") {
			t.Errorf("news %q keeps the page's truncation", n.Slug)
		}
		if n.Lang == "ar" && !strings.ContainsAny(n.Title, "ابتثجحخدذرزسشصضطظعغفقكلمنهوي") {
			t.Errorf("Arabic news %q has no Arabic title", n.Slug)
		}
		if utf8.RuneCountInString(n.Title) > news.TitleMax {
			t.Errorf("news %q title too long", n.Slug)
		}
	}
	for _, g := range c.WorkingGroups {
		if err := (membership.NewGroup{ID: g.ID, Kind: g.Kind, Name: i18nText(g.Name), Mandate: i18nText(g.Mandate), Region: g.Region}).Validate(); err != nil {
			t.Errorf("working group %q: %v", g.ID, err)
		}
	}
	for _, l := range c.Links {
		if l.Title.FR == "" || l.Title.AR == "" || l.Description.FR == "" || l.Description.AR == "" {
			t.Errorf("link %q lacks a text", l.ID)
		}
	}
}

func TestApply(t *testing.T) {
	dc, table := ddbtest.Minidyn(t)
	store := ddbstore.New(dc, table)
	now := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	clock := func() time.Time { now = now.Add(time.Second); return now }
	log := httpapi.NewLogger(io.Discard)
	newsSvc := news.NewService(news.Config{Store: newsdb.New(store), Log: log, Now: clock})
	linksSvc := links.NewService(links.Config{Store: linksdb.New(store), Log: log, Now: clock})
	membershipSvc := membership.NewService(membership.Config{Store: membershipdb.New(store), Log: log, Now: clock})
	g := &gateway{
		routers: []*httpapi.Router{
			public.New(newsSvc, linksSvc, public.Config{CNDPNumber: "D-W-000/2026", NoticeVersion: "2026-11-01"}, log),
			admin.New(newsSvc, linksSvc, log),
			adminevents.New(eventsvc.NewService(eventsvc.Config{
				Store: eventsdb.New(store), Mailer: noMail{}, Log: log, PortalOrigin: "http://portal.test", NoticeVersion: "2026-11-01",
			}), log),
			admincalls.New(calls.NewService(calls.Config{Store: callsdb.New(store), Log: log}), log),
			adminmembership.New(membershipSvc, log),
			admincocreation.New(cocreation.NewService(cocreation.Config{Store: cocreationdb.New(store), Log: log}), log),
		},
		calls: map[string]int{},
	}
	srv := httptest.NewServer(g)
	defer srv.Close()
	ctx := context.Background()

	if err := Apply(ctx, srv.URL, adminToken); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if got, want := g.calls["POST /api/admin/news/{slug}/publish"], 6; got != want {
		t.Errorf("%d publish calls, want %d", got, want)
	}
	if ev, err := eventsdb.New(store).GetEvent(ctx, "atelier-cocreation-pan"); err != nil || ev.Status != eventsvc.Published || !ev.StartsAt.After(time.Now()) {
		t.Errorf("seed event: %+v %v, want published and upcoming", ev, err)
	}

	if c, err := callsdb.New(store).GetCall(ctx, "copil-societe-civile"); err != nil || !c.Accepting(time.Now()) || len(c.Documents) != 5 {
		t.Errorf("seed call: %+v %v, want open and accepting, with 5 documents", c, err)
	}

	groups, err := membershipSvc.AllGroups(ctx)
	var groupIDs []string
	for _, g := range groups {
		groupIDs = append(groupIDs, g.ID+":"+string(g.Status))
	}
	if err != nil || strings.Join(groupIDs, ",") != "integrite:active,participation-citoyenne:active,redevabilite:active,transparence:active,region-oriental:active,region-souss-massa:active" {
		t.Errorf("seed working groups: %v %v", groupIDs, err)
	}
	plan, err := cocreationdb.New(store).GetPlan(ctx, "pan-2026-2028")
	if cur, ok := plan.Current(time.Now()); err != nil || !ok || cur.Kind != cocreation.ProposalsPhase || len(plan.Phases) != 7 || len(plan.Themes) != 7 {
		t.Errorf("seed plan: %+v %v, want in its proposals phase, with 7 phases and 7 themes", plan, err)
	}

	get := func(path string, out any) {
		t.Helper()
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %s", path, resp.Status)
		}
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			t.Fatal(err)
		}
	}
	type page struct {
		Items []map[string]any `json:"items"`
	}
	field := func(p page, name string) string {
		var s []string
		for _, it := range p.Items {
			s = append(s, it[name].(string))
		}
		return strings.Join(s, ",")
	}
	snapshot := func() string {
		t.Helper()
		var fr, ar, ls page
		get("/api/news?lang=fr", &fr)
		get("/api/news?lang=ar", &ar)
		get("/api/links?lang=ar", &ls)
		all, _, err := newsSvc.List(ctx, "", "", 50, "")
		if err != nil {
			t.Fatal(err)
		}
		gs, _ := membershipSvc.AllGroups(ctx)
		b, _ := json.Marshal([]any{all, gs})
		return field(fr, "slug") + "|" + field(fr, "publishedAt") + "|" + field(ar, "slug") + "|" + field(ls, "id") + "|" + string(b)
	}

	var fr, ar page
	get("/api/news?lang=fr", &fr)
	get("/api/news?lang=ar", &ar)
	tests := []struct{ name, got, want string }{
		{"fr slugs", field(fr, "slug"), "resultats-selection-copil-2024,visite-delegation-cote-divoire,appel-candidature-copil-2024"},
		{"fr dates", field(fr, "publishedAt"), "2024-09-27T09:00:00Z,2024-09-26T09:00:00Z,2024-08-13T09:00:00Z"},
		{"ar slugs", field(ar, "slug"), "nataij-intiqa-copil-2024,ziyarat-wafd-cote-divoire,iilan-tarashuh-copil-2024"},
	}
	var ls page
	get("/api/links?lang=ar", &ls)
	tests = append(tests,
		struct{ name, got, want string }{"link ids", field(ls, "id"), "eparticipation,chikaya,chafafiya,data-gov,idarati,cndp,ogp-morocco"},
		struct{ name, got, want string }{"link title ar", ls.Items[1]["title"].(string), "شكاية: البوابة الوطنية للشكايات"},
	)
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %q, want %q", tt.name, tt.got, tt.want)
		}
	}
	var one map[string]any
	get("/api/news/visite-delegation-cote-divoire", &one)
	if body, _ := one["body"].(string); !strings.Contains(body, "Rachid Talbi Alami") || !strings.Contains(body, "\n\n") {
		t.Errorf("body = %q", body)
	}

	// A second run changes nothing.
	before := snapshot()
	publishes := g.calls["POST /api/admin/news/{slug}/publish"]
	if err := Apply(ctx, srv.URL, adminToken); err != nil {
		t.Fatalf("second Apply: %v", err)
	}
	if got := snapshot(); got != before {
		t.Errorf("second Apply changed the content:\n%s\n%s", before, got)
	}
	if got := g.calls["POST /api/admin/news/{slug}/publish"]; got != publishes {
		t.Errorf("second Apply published again (%d calls)", got-publishes)
	}

	// Without an admin token nothing is seeded and Apply says so.
	if err := Apply(ctx, srv.URL, "wrong"); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("Apply with a bad token: %v, want a 401 error", err)
	}
}

func i18nText(t Text) i18n.Text { return i18n.Text{FR: t.FR, AR: t.AR} }

// noMail is an events.Mailer that sends nothing (the seed registers nobody).
type noMail struct{}

func (noMail) Compose(string, i18n.Lang, string, string, any) (outbox.Email, error) {
	return outbox.Email{}, nil
}

func (noMail) Deliver(context.Context, outbox.Email) error { return nil }
