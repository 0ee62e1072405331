package handler

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The evaluators' page signs in through managed login too and comes back to
// itself (a callback URL of the app client), with its own token: the
// administration's stays empty.
func TestEvaluatorSignInReturnsToTheEvaluationPage(t *testing.T) {
	ctx, consoleProblems := browser(t)
	login := &fakeLogin{}
	idp := httptest.NewServer(login)
	t.Cleanup(idp.Close)
	portal, _ := portalServer(t, func() Auth { return Auth{Origin: idp.URL, ClientID: "c1"} })
	login.portal = portal.URL
	login.idToken = unsignedJWT(t, map[string]any{
		"sub": "5a1c3f0e", "email": "youssef.evaluateur@example.ma", "cognito:groups": []string{"evaluators"},
		"token_use": "id", "exp": time.Now().Add(time.Hour).Unix(),
	})

	step(t, ctx, "sign in on the Arabic evaluation page",
		chromedp.Navigate(portal.URL+"/ar/evaluation"),
		chromedp.WaitVisible(`#signin`),
		chromedp.Click(`#signin`),
		chromedp.WaitVisible(`#whoami`),
		chromedp.WaitVisible(`#assignments li`))
	login.mu.Lock()
	authorizeURI, tokenURI, verified := login.authorize.Get("redirect_uri"), login.token.Get("redirect_uri"), login.verified
	login.mu.Unlock()
	if want := portal.URL + "/ar/evaluation"; authorizeURI != want || tokenURI != want || !verified {
		t.Errorf("redirect_uri authorize %q, token %q (want %q), PKCE verified %v", authorizeURI, tokenURI, want, verified)
	}
	path := read(t, ctx, chromedp.Evaluate[string](`location.pathname + location.search`))
	stored := read(t, ctx, chromedp.Evaluate[string](`(sessionStorage.getItem('espaceosc.evaluatorToken') || '') + '|' + (sessionStorage.getItem('espaceosc.adminToken') || '')`))
	if path != "/ar/evaluation" || stored != login.idToken+"|" {
		t.Errorf("after sign-in: address %q, tokens (evaluator|admin) %q", path, stored)
	}
	if got := read(t, ctx, chromedp.Text(`#whoami`)); !strings.Contains(got, "youssef.evaluateur@example.ma") || !strings.Contains(got, "المقيّمون") {
		t.Errorf("signed-in line = %q", got)
	}
	if problems := consoleProblems(); len(problems) > 0 {
		t.Errorf("console errors: %s", strings.Join(problems, "\n"))
	}
}
