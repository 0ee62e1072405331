package handler

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"espaceosc/shared/testenv"

	"github.com/chromedp/chromedp"
)

// fakeLogin stands in for Cognito managed login: /oauth2/authorize answers
// with a code at once, /oauth2/token checks the PKCE verifier against the
// challenge and returns the ID token, /logout goes back to logout_uri.
type fakeLogin struct {
	portal  string // the portal's origin, for CORS
	idToken string

	mu        sync.Mutex
	authorize url.Values
	token     url.Values
	tokenType string
	logout    url.Values
	verified  bool
}

func (f *fakeLogin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch r.URL.Path {
	case "/oauth2/authorize":
		f.authorize = r.URL.Query()
		back, err := url.Parse(f.authorize.Get("redirect_uri"))
		if err != nil {
			http.Error(w, "bad redirect_uri", http.StatusBadRequest)
			return
		}
		back.RawQuery = url.Values{"code": {"fake-code-1"}, "state": {f.authorize.Get("state")}}.Encode()
		http.Redirect(w, r, back.String(), http.StatusFound)
	case "/oauth2/token":
		w.Header().Set("Access-Control-Allow-Origin", f.portal)
		if r.Method != http.MethodPost {
			http.Error(w, "method", http.StatusMethodNotAllowed)
			return
		}
		f.tokenType = r.Header.Get("Content-Type")
		if err := r.ParseForm(); err != nil {
			http.Error(w, "form", http.StatusBadRequest)
			return
		}
		f.token = r.PostForm
		sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
		f.verified = f.authorize != nil && base64.RawURLEncoding.EncodeToString(sum[:]) == f.authorize.Get("code_challenge")
		if !f.verified || r.PostForm.Get("code") != "fake-code-1" {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, `{"error":"invalid_grant"}`)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"id_token": f.idToken, "access_token": "unused", "token_type": "Bearer", "expires_in": 3600})
	case "/logout":
		f.logout = r.URL.Query()
		http.Redirect(w, r, f.logout.Get("logout_uri"), http.StatusFound)
	default:
		http.NotFound(w, r)
	}
}

// unsignedJWT is enough for the page, which only reads claims to display them.
func unsignedJWT(t *testing.T, claims map[string]any) string {
	t.Helper()
	b, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"RS256","kid":"test"}`)) + "." + enc(b) + "." + enc([]byte("signature"))
}

// portalServer serves the portal handler over HTTP (as API Gateway would)
// and answers /api/ itself with empty lists, recording the Authorization
// header of admin calls.
func portalServer(t *testing.T, auth func() Auth) (*httptest.Server, func() []string) {
	t.Helper()
	var (
		mu      sync.Mutex
		bearers []string
	)
	srv := servePortal(t, newAuthHandler(t, auth()), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/admin/") {
			mu.Lock()
			bearers = append(bearers, r.Header.Get("Authorization"))
			mu.Unlock()
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"items":[]}`)
	}))
	return srv, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), bearers...)
	}
}

// servePortal serves h over HTTP as API Gateway would, and /api/ with api.
// The events are built from testdata on the test's goroutine: the server's
// goroutines must not stop the test.
func servePortal(t *testing.T, h *Handler, api http.Handler) *httptest.Server {
	t.Helper()
	rootEv, proxyEv := get(t, "/", noGzip), get(t, "/x", noGzip)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/") {
			api.ServeHTTP(w, r)
			return
		}
		ev := rootEv
		if r.URL.Path != "/" {
			ev = proxyEv
			proxy, err := url.PathUnescape(strings.TrimPrefix(r.URL.Path, "/"))
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			ev.PathParameters = map[string]string{"proxy": proxy}
		}
		ev.RawPath, ev.RequestContext.HTTP.Path, ev.RawQueryString = r.URL.Path, r.URL.Path, r.URL.RawQuery
		ev.Headers = maps.Clone(ev.Headers)
		for k := range r.Header {
			ev.Headers[strings.ToLower(k)] = r.Header.Get(k)
		}
		resp, _ := h.Serve(r.Context(), ev)
		for k, v := range resp.Headers {
			w.Header().Set(k, v)
		}
		body := []byte(resp.Body)
		if resp.IsBase64Encoded {
			body, _ = base64.StdEncoding.DecodeString(resp.Body)
		}
		w.WriteHeader(resp.StatusCode)
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// browser starts headless Chromium; the function it returns lists the
// console's errors so far (CSP violations, failed loads, exceptions).
func browser(t *testing.T) (context.Context, func() []string) {
	t.Helper()
	const chromium = "/usr/bin/chromium"
	if _, err := os.Stat(chromium); err != nil {
		testenv.Missing(t, "chromium", "apt-get install -y chromium")
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()))
	ctx, cancel := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	// Start the browser on ctx itself: the steps' shorter contexts must not own it.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1024, 768)); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	var (
		mu       sync.Mutex
		problems []string
	)
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				mu.Lock()
				problems = append(problems, m.String()+" ("+m.URL+")")
				mu.Unlock()
			}
		}
	}()
	return ctx, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), problems...)
	}
}

func step(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	stepCtx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := chromedp.Do(stepCtx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func read[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	return v
}

// The admin page signs in through (a stand-in for) Cognito managed login with
// PKCE, uses the ID token on the admin API, and signs out there.
func TestSignInWithManagedLogin(t *testing.T) {
	ctx, consoleProblems := browser(t)
	login := &fakeLogin{}
	idp := httptest.NewServer(login)
	t.Cleanup(idp.Close)
	const client = "4s1ot2k9v0example"
	portal, bearers := portalServer(t, func() Auth { return Auth{Origin: idp.URL, ClientID: client} })
	login.portal = portal.URL
	login.idToken = unsignedJWT(t, map[string]any{
		"sub": "0f1e2d3c", "email": "amina.admin@example.ma", "cognito:groups": []string{"admins"},
		"token_use": "id", "exp": time.Now().Add(time.Hour).Unix(),
	})

	step(t, ctx, "sign in",
		chromedp.Navigate(portal.URL+"/fr/admin"),
		chromedp.WaitVisible(`#signin`),
		chromedp.Click(`#signin`),
		chromedp.WaitVisible(`#whoami`),
		chromedp.WaitVisible(`#tab-news[aria-selected="true"]`),
		chromedp.WaitVisible(`#admin-panel .news-list li`))
	whoami := read(t, ctx, chromedp.Text(`#whoami`))
	search := read(t, ctx, chromedp.Evaluate[string](`location.search`))

	login.mu.Lock()
	a, tok, tokenType, verified := login.authorize, login.token, login.tokenType, login.verified
	login.mu.Unlock()
	for k, want := range map[string]string{
		"response_type": "code", "client_id": client, "redirect_uri": portal.URL + "/fr/admin",
		"code_challenge_method": "S256", "scope": "openid email", "lang": "fr",
	} {
		if got := a.Get(k); got != want {
			t.Errorf("authorize %s = %q, want %q", k, got, want)
		}
	}
	if got := len(a.Get("code_challenge")); got != 43 {
		t.Errorf("code_challenge has %d characters, want 43 (base64url SHA-256)", got)
	}
	if got := len(a.Get("state")); got < 32 {
		t.Errorf("state has %d characters, want a random one of at least 32", got)
	}
	if !verified {
		t.Errorf("the token request's code_verifier does not match the challenge: %v", tok)
	}
	for k, want := range map[string]string{
		"grant_type": "authorization_code", "client_id": client, "code": "fake-code-1", "redirect_uri": portal.URL + "/fr/admin",
	} {
		if got := tok.Get(k); got != want {
			t.Errorf("token %s = %q, want %q", k, got, want)
		}
	}
	if got := len(tok.Get("code_verifier")); got < 43 || got > 128 {
		t.Errorf("code_verifier has %d characters, want 43 to 128", got)
	}
	if !strings.HasPrefix(tokenType, "application/x-www-form-urlencoded") {
		t.Errorf("token request Content-Type = %q", tokenType)
	}
	if search != "" {
		t.Errorf("after sign-in the address still has %q", search)
	}
	if !strings.Contains(whoami, "amina.admin@example.ma") || !strings.Contains(whoami, "administrateurs") {
		t.Errorf("signed-in line = %q, want the email and the admins group", whoami)
	}
	got := bearers()
	if len(got) == 0 || got[0] != "Bearer "+login.idToken {
		t.Errorf("admin API Authorization = %q, want the ID token as Bearer", got)
	}

	// The ID token is in this tab's sessionStorage, never in localStorage.
	stored := read(t, ctx, chromedp.Evaluate[string](`sessionStorage.getItem('espaceosc.adminToken') || ''`))
	local := read(t, ctx, chromedp.Evaluate[int](`localStorage.length`))
	if stored != login.idToken || local != 0 {
		t.Errorf("sessionStorage token %q, localStorage items %d", stored, local)
	}

	// Signing out ends the managed login session and comes back home.
	step(t, ctx, "sign out",
		chromedp.Click(`//button[text()="Se déconnecter"]`),
		chromedp.WaitVisible(`main .news-list, main h1`))
	path := read(t, ctx, chromedp.Evaluate[string](`location.pathname`))
	stored = read(t, ctx, chromedp.Evaluate[string](`sessionStorage.getItem('espaceosc.adminToken') || ''`))
	login.mu.Lock()
	out := login.logout
	login.mu.Unlock()
	if out.Get("client_id") != client || out.Get("logout_uri") != portal.URL+"/fr/" {
		t.Errorf("logout query = %v", out)
	}
	if path != "/fr/" || stored != "" {
		t.Errorf("after sign-out: at %q with token %q", path, stored)
	}
	if problems := consoleProblems(); len(problems) > 0 {
		t.Errorf("console errors (CSP violations, failed loads, exceptions):\n%s", strings.Join(problems, "\n"))
	}
}

// A forged or replayed answer, and an expired token, leave the page signed
// out with a message in its language.
func TestSignInRefusals(t *testing.T) {
	ctx, _ := browser(t)
	login := &fakeLogin{}
	idp := httptest.NewServer(login)
	t.Cleanup(idp.Close)
	portal, bearers := portalServer(t, func() Auth { return Auth{Origin: idp.URL, ClientID: "c1"} })
	login.portal = portal.URL
	login.idToken = unsignedJWT(t, map[string]any{"email": "x@example.ma", "exp": time.Now().Add(-time.Minute).Unix()})

	step(t, ctx, "a code this tab did not ask for",
		chromedp.Navigate(portal.URL+"/fr/admin?code=stolen&state=forged"),
		chromedp.WaitVisible(`.alert p`))
	alert := read(t, ctx, chromedp.Text(`.alert p`))
	search := read(t, ctx, chromedp.Evaluate[string](`location.search`))
	if !strings.Contains(alert, "aucune demande") || search != "" {
		t.Errorf("forged answer: alert %q, address query %q", alert, search)
	}
	step(t, ctx, "an expired token (Arabic page)",
		chromedp.Navigate(portal.URL+"/ar/admin"),
		chromedp.WaitVisible(`#signin`),
		chromedp.Click(`#signin`),
		chromedp.WaitVisible(`.alert p`))
	alert = read(t, ctx, chromedp.Text(`.alert p`))
	if !strings.Contains(alert, "انتهت صلاحية جلستكم") {
		t.Errorf("expired token: alert %q", alert)
	}
	login.mu.Lock()
	lang, redirect := login.authorize.Get("lang"), login.authorize.Get("redirect_uri")
	login.mu.Unlock()
	if lang != "fr" || redirect != portal.URL+"/ar/admin" {
		t.Errorf("Arabic page: lang %q (managed login has no Arabic), redirect_uri %q", lang, redirect)
	}
	if got := bearers(); len(got) != 0 {
		t.Errorf("the admin API was called with %q", got)
	}
}
