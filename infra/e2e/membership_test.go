package e2e

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"espaceosc/infra/local/cloud"
)

var membershipLink = regexp.MustCompile(`/(fr|ar)/adhesion/([a-z0-9]{26})\?token=([A-Za-z0-9_-]{43})`)

var orgSeq atomic.Int64

// joinBody is a request to join for a new organisation (its own
// registration number and address).
func joinBody(name, region, lang string, themes ...string) map[string]any {
	n := orgSeq.Add(1)
	if len(themes) == 0 {
		themes = []string{"transparency"}
	}
	return map[string]any{
		"organisation": map[string]any{
			"name": name, "acronym": "ORG", "legalForm": "association",
			"registrationNumber": fmt.Sprintf("E2E-%d-%d", time.Now().UnixNano(), n), "region": region, "city": "Agadir",
		},
		"themes":  themes,
		"contact": map[string]any{"name": "Amina Benali", "email": fmt.Sprintf("contact-%d-%d@example.org", time.Now().UnixNano(), n)},
		"lang":    lang, "consent": true,
	}
}

// org is a membership and the token of its private link.
type org struct {
	id, token, email string
}

// joinOn asks to join on c and returns the membership with the token of the
// confirmation email.
func joinOn(t testing.TB, c *cloud.Cloud, body map[string]any, headers map[string]string) org {
	t.Helper()
	r := doOn(t, c, call{method: "POST", path: "/api/memberships", body: body, headers: headers})
	expectStatus(t, r, http.StatusCreated)
	var rec struct{ ID, Status string }
	r.json(t, &rec)
	if rec.Status != "unconfirmed" {
		t.Fatalf("receipt = %+v", rec)
	}
	email := body["contact"].(map[string]any)["email"].(string)
	for _, m := range c.Mail() {
		if mm := membershipLink.FindStringSubmatch(m.Text); mm != nil && mm[2] == rec.ID {
			if len(m.To) != 1 || m.To[0] != email {
				t.Fatalf("confirmation sent to %v, want %s", m.To, email)
			}
			return org{id: rec.ID, token: mm[3], email: email}
		}
	}
	t.Fatalf("no confirmation email for membership %s", rec.ID)
	return org{}
}

func private(o org, suffix string) string {
	return "/api/memberships/" + o.id + suffix + "?token=" + url.QueryEscape(o.token)
}

// memberOn makes an approved member organisation on c: request, confirm, approve.
func memberOn(t testing.TB, c *cloud.Cloud, body map[string]any) org {
	t.Helper()
	o := joinOn(t, c, body, nil)
	expectStatus(t, doOn(t, c, call{method: "POST", path: private(o, "/confirm")}), http.StatusOK)
	admin := tokenFor(t, c, "admin", "")
	r := doOn(t, c, call{method: "POST", path: "/api/admin/memberships/" + o.id + "/decision", body: map[string]string{"decision": "approved"}, token: admin})
	expectStatus(t, r, http.StatusOK)
	return o
}

type directoryPage struct {
	Items []struct {
		ID, Name, City, Region string
		Themes                 []string
	} `json:"items"`
	NextCursor string `json:"nextCursor"`
}

// listed reports whether id is on the directory's listing query (every page).
func listed(t *testing.T, query, id string) bool {
	t.Helper()
	cursor := ""
	for {
		q := query + "&limit=50"
		if cursor != "" {
			q += "&cursor=" + url.QueryEscape(cursor)
		}
		r := do(t, call{method: "GET", path: "/api/directory?" + q})
		expectStatus(t, r, http.StatusOK)
		for _, personal := range []string{"@example.org", "Amina", "E2E-", "contact", "registrationNumber"} {
			if strings.Contains(string(r.body), personal) {
				t.Fatalf("the directory shows %q: %s", personal, r.body)
			}
		}
		var p directoryPage
		r.json(t, &p)
		for _, it := range p.Items {
			if it.ID == id {
				return true
			}
		}
		if p.NextCursor == "" {
			return false
		}
		cursor = p.NextCursor
	}
}

type groupPage struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Members []struct {
		OrganisationID string `json:"organisationId"`
		CallID         string `json:"callId"`
		Source         string `json:"source"`
		Name           string `json:"name"`
	} `json:"members"`
}

func group(t *testing.T, id, lang string) groupPage {
	t.Helper()
	r := do(t, call{method: "GET", path: "/api/working-groups/" + id + "?lang=" + lang})
	expectStatus(t, r, http.StatusOK)
	if strings.Contains(string(r.body), "@example.org") || strings.Contains(string(r.body), "Amina") {
		t.Fatalf("a group's page shows personal data: %s", r.body)
	}
	var g groupPage
	r.json(t, &g)
	return g
}

func (g groupPage) has(orgID string) bool {
	for _, m := range g.Members {
		if m.OrganisationID == orgID {
			return true
		}
	}
	return false
}

// An organisation joins the space and a working group, through the local
// cloud as the portal and an administrator would, then leaves.
func TestMembershipJourney(t *testing.T) {
	admin := token(t, "admin")
	body := joinBody("Association Tafra pour la transparence", "souss-massa", "fr", "transparency", "integrity")
	o := joinOn(t, lc, body, map[string]string{"Idempotency-Key": "e2e-join-" + fmt.Sprint(time.Now().UnixNano())})
	mails := mailTo(o.email)
	if len(mails) != 1 || !strings.Contains(mails[0].Subject, "Association Tafra pour la transparence") || !strings.Contains(mails[0].HTML, `lang="fr" dir="ltr"`) {
		t.Fatalf("confirmation mail = %+v", mails)
	}
	if listed(t, "region=souss-massa", o.id) {
		t.Fatal("an unconfirmed request is in the directory")
	}

	// A wrong link changes nothing.
	wrong := o
	wrong.token = strings.Repeat("A", 43)
	p := expectProblem(t, do(t, call{method: "POST", path: private(wrong, "/confirm")}), http.StatusNotFound, "")
	if !strings.Contains(p.Detail, "introuvable") {
		t.Errorf("wrong link: %+v", p)
	}
	var view struct {
		Status        string
		ConfirmedAt   string
		Groups        []struct{ GroupID string }
		GroupRequests []struct{ GroupID, Status string }
	}
	r := do(t, call{method: "GET", path: private(o, "")})
	expectStatus(t, r, http.StatusOK)
	r.json(t, &view)
	if view.Status != "unconfirmed" || view.ConfirmedAt != "" {
		t.Fatalf("after a wrong link: %+v", view)
	}

	// Confirm, then the administrators approve.
	r = do(t, call{method: "POST", path: private(o, "/confirm")})
	expectStatus(t, r, http.StatusOK)
	r.json(t, &view)
	if view.Status != "pending" {
		t.Fatalf("confirmed: %+v", view)
	}
	r = do(t, call{method: "GET", path: "/api/admin/memberships?status=pending&limit=50", token: admin})
	expectStatus(t, r, http.StatusOK)
	if !strings.Contains(string(r.body), o.id) {
		t.Fatalf("pending list lacks %s", o.id)
	}
	expectProblem(t, do(t, call{method: "POST", path: "/api/admin/memberships/" + o.id + "/decision", body: map[string]string{"decision": "approved"}, token: token(t, "evaluator")}), http.StatusForbidden, "")
	r = do(t, call{method: "POST", path: "/api/admin/memberships/" + o.id + "/decision", body: map[string]string{"decision": "approved"}, token: admin})
	expectStatus(t, r, http.StatusOK)
	if mails := mailTo(o.email); len(mails) != 2 || !strings.Contains(mails[1].Subject, "est membre") {
		t.Fatalf("approval mail = %+v", mails)
	}

	// Listed, without personal data, by region, by theme, by both; not elsewhere.
	for _, q := range []string{"region=souss-massa", "theme=integrity", "region=souss-massa&theme=transparency", "lang=fr"} {
		if !listed(t, q, o.id) {
			t.Errorf("not in the directory for %s", q)
		}
	}
	for _, q := range []string{"region=oriental", "theme=youth", "region=oriental&theme=transparency"} {
		if listed(t, q, o.id) {
			t.Errorf("in the directory for %s", q)
		}
	}

	// Joins a working group: request, approval, on the group's page.
	r = do(t, call{method: "POST", path: private(o, "/group-requests"), body: map[string]string{"groupId": "integrite", "motivation": "Nous suivons la commande publique communale."}})
	expectStatus(t, r, http.StatusCreated)
	expectProblem(t, do(t, call{method: "POST", path: private(o, "/group-requests"), body: map[string]string{"groupId": "integrite"}}), http.StatusConflict, "")
	r = do(t, call{method: "GET", path: "/api/admin/group-requests?status=pending&limit=50", token: admin})
	expectStatus(t, r, http.StatusOK)
	if !strings.Contains(string(r.body), o.id) {
		t.Fatalf("pending group requests lack %s: %s", o.id, r.body)
	}
	if group(t, "integrite", "fr").has(o.id) {
		t.Fatal("on the group's page before the approval")
	}
	r = do(t, call{method: "POST", path: "/api/admin/working-groups/integrite/requests/" + o.id + "/decision", body: map[string]string{"decision": "approved"}, token: admin})
	expectStatus(t, r, http.StatusOK)
	g := group(t, "integrite", "ar")
	if !g.has(o.id) || g.Name != "النزاهة ومكافحة الفساد" {
		t.Fatalf("group page = %+v", g)
	}
	if mails := mailTo(o.email); len(mails) != 3 || !strings.Contains(mails[2].Subject, "Intégrité") {
		t.Fatalf("group mail = %+v", mails)
	}
	r = do(t, call{method: "GET", path: private(o, "")})
	expectStatus(t, r, http.StatusOK)
	r.json(t, &view)
	if view.Status != "approved" || len(view.Groups) != 1 || view.Groups[0].GroupID != "integrite" || len(view.GroupRequests) != 1 || view.GroupRequests[0].Status != "approved" {
		t.Fatalf("member view = %+v", view)
	}

	// Leaving takes it out of the directory and its groups.
	expectStatus(t, do(t, call{method: "DELETE", path: private(o, "")}), http.StatusNoContent)
	if listed(t, "region=souss-massa", o.id) || group(t, "integrite", "fr").has(o.id) {
		t.Error("still listed after leaving")
	}
	expectProblem(t, do(t, call{method: "GET", path: private(o, "")}), http.StatusNotFound, "")
	if mails := mailTo(o.email); len(mails) != 4 || !strings.Contains(mails[3].Subject, "a quitté") {
		t.Errorf("departure mail = %+v", mails)
	}
}

// The associations a GT call selects for a working group are members of
// the group with that ID (the contract of docs/data.md).
func TestGTCallSelectionOnTheGroupPage(t *testing.T) {
	admin := token(t, "admin")
	now := time.Now()
	body := callBody(fmt.Sprintf("gt-membres-%d", now.UnixNano()), now.Add(-time.Hour), now.Add(30*24*time.Hour))
	body["kind"] = "gt"
	body["workingGroups"] = []map[string]any{{"id": "region-oriental", "name": map[string]string{"fr": "Groupe territorial de l'Oriental", "ar": "المجموعة الترابية لجهة الشرق"}}}
	callID := createOpenCall(t, lc, body)
	s := applySubmitOn(t, lc, callID, "Association Amal de l'Oriental", fmt.Sprintf("amal-%d@example.org", now.UnixNano()), "fr", []string{"region-oriental"})
	setCallStatus(t, lc, admin, callID, "closed", "evaluating")
	expectStatus(t, do(t, call{method: "POST", path: "/api/admin/candidacies/" + s.id + "/decision", body: map[string]string{"outcome": "selected"}, token: admin}), http.StatusOK)
	expectStatus(t, do(t, call{method: "POST", path: "/api/admin/calls/" + callID + "/results", token: admin}), http.StatusOK)

	g := group(t, "region-oriental", "fr")
	found := false
	for _, m := range g.Members {
		found = found || (m.Source == "call" && m.CallID == callID && m.Name == "Association Amal de l'Oriental" && m.OrganisationID == "")
	}
	if !found {
		t.Fatalf("the call's selection is not on the group's page: %+v", g.Members)
	}
	// Administrators see it with its ID in the group, and can remove it.
	r := do(t, call{method: "GET", path: "/api/admin/working-groups/region-oriental", token: admin})
	expectStatus(t, r, http.StatusOK)
	if !strings.Contains(string(r.body), `"memberId":"`+s.id+`"`) {
		t.Fatalf("admin group page lacks %s: %s", s.id, r.body)
	}
	expectStatus(t, do(t, call{method: "DELETE", path: "/api/admin/working-groups/region-oriental/members/" + s.id, token: admin}), http.StatusNoContent)
	for _, m := range group(t, "region-oriental", "fr").Members {
		if m.CallID == callID {
			t.Errorf("still a member after removal: %+v", m)
		}
	}
}

// stateSnapshot is what the API shows of everything the membership routes
// may store: memberships, groups and their members, requests, directory.
func stateSnapshot(t *testing.T) string {
	t.Helper()
	admin := token(t, "admin")
	var b strings.Builder
	for _, path := range []string{"/api/admin/memberships?limit=50", "/api/admin/working-groups", "/api/admin/group-requests?status=pending&limit=50",
		"/api/admin/group-requests?status=declined&limit=50", "/api/admin/working-groups/transparence", "/api/directory?limit=50"} {
		r := do(t, call{method: "GET", path: path, token: admin})
		expectStatus(t, r, http.StatusOK)
		b.Write(r.body)
	}
	return b.String()
}

// Bad input on every membership route is a 4xx problem+json that stores
// nothing.
func TestMembershipBadInput(t *testing.T) {
	admin := token(t, "admin")
	member := memberOn(t, lc, joinBody("Association Nakhil", "draa-tafilalet", "ar"))
	pending := joinOn(t, lc, joinBody("Réseau Atlas", "oriental", "fr"), nil)
	set := func(b map[string]any, path string, v any) map[string]any {
		keys := strings.Split(path, ".")
		cur := b
		for _, k := range keys[:len(keys)-1] {
			cur = cur[k].(map[string]any)
		}
		cur[keys[len(keys)-1]] = v
		return b
	}
	details := func() map[string]any {
		b := joinBody("Association Nakhil", "draa-tafilalet", "ar")
		delete(b, "consent")
		return b
	}
	before := stateSnapshot(t)
	cases := []struct {
		name   string
		c      call
		status int
		field  string
	}{
		{"join: malformed JSON", call{method: "POST", path: "/api/memberships", body: `{"organisation":`}, 400, ""},
		{"join: consent missing", call{method: "POST", path: "/api/memberships", body: set(joinBody("X Y", "oriental", "fr"), "consent", false)}, 400, "consent"},
		{"join: CR/LF in the name", call{method: "POST", path: "/api/memberships", body: set(joinBody("X Y", "oriental", "fr"), "organisation.name", "Atlas\r\nBcc: x@example.org")}, 400, "organisation.name"},
		{"join: bad email", call{method: "POST", path: "/api/memberships", body: set(joinBody("X Y", "oriental", "fr"), "contact.email", "nope")}, 400, "contact.email"},
		{"join: unknown region", call{method: "POST", path: "/api/memberships", body: set(joinBody("X Y", "oriental", "fr"), "organisation.region", "atlantis")}, 400, "organisation.region"},
		{"join: unknown theme", call{method: "POST", path: "/api/memberships", body: set(joinBody("X Y", "oriental", "fr"), "themes", []string{"weather"})}, 400, "themes[0]"},
		{"join: name too long", call{method: "POST", path: "/api/memberships", body: set(joinBody("X Y", "oriental", "fr"), "organisation.name", strings.Repeat("n", 201))}, 400, "organisation.name"},
		{"join: bad Idempotency-Key", call{method: "POST", path: "/api/memberships", body: joinBody("X Y", "oriental", "fr"), headers: map[string]string{"Idempotency-Key": strings.Repeat("k", 101)}}, 400, "Idempotency-Key"},
		{"view: wrong token", call{method: "GET", path: "/api/memberships/" + member.id + "?token=" + strings.Repeat("B", 43)}, 404, ""},
		{"confirm: unknown id", call{method: "POST", path: "/api/memberships/" + strings.Repeat("z", 26) + "/confirm?token=" + member.token}, 404, ""},
		{"update: control character", call{method: "PUT", path: private(member, ""), body: set(details(), "organisation.city", "Er\u0000rachidia")}, 400, "organisation.city"},
		{"update: unconfirmed", call{method: "PUT", path: private(pending, ""), body: details()}, 409, ""},
		{"update: not JSON", call{method: "PUT", path: private(member, ""), body: "x", headers: map[string]string{"Content-Type": "text/plain"}}, 415, ""},
		{"leave: wrong token", call{method: "DELETE", path: "/api/memberships/" + member.id + "?token=" + strings.Repeat("C", 43)}, 404, ""},
		{"group request: unknown group", call{method: "POST", path: private(member, "/group-requests"), body: map[string]string{"groupId": "nope"}}, 400, "groupId"},
		{"group request: not a member", call{method: "POST", path: private(pending, "/group-requests"), body: map[string]string{"groupId": "transparence"}}, 409, ""},
		{"directory: unknown region", call{method: "GET", path: "/api/directory?region=atlantis"}, 400, "region"},
		{"directory: unknown theme", call{method: "GET", path: "/api/directory?theme=weather"}, 400, "theme"},
		{"directory: bad cursor", call{method: "GET", path: "/api/directory?cursor=nope"}, 400, "cursor"},
		{"groups: unknown kind", call{method: "GET", path: "/api/working-groups?kind=secret"}, 400, "kind"},
		{"group: unknown", call{method: "GET", path: "/api/working-groups/nope"}, 404, ""},
		{"options: unknown lang", call{method: "GET", path: "/api/membership/options?lang=en"}, 400, "lang"},
		{"admin list: unknown status", call{method: "GET", path: "/api/admin/memberships?status=left", token: admin}, 400, "status"},
		{"admin get: unknown", call{method: "GET", path: "/api/admin/memberships/" + strings.Repeat("z", 26), token: admin}, 404, ""},
		{"admin decide: unconfirmed", call{method: "POST", path: "/api/admin/memberships/" + pending.id + "/decision", body: map[string]string{"decision": "approved"}, token: admin}, 409, ""},
		{"admin decide: bad decision", call{method: "POST", path: "/api/admin/memberships/" + member.id + "/decision", body: map[string]string{"decision": "maybe"}, token: admin}, 400, "decision"},
		{"admin create group: bad id", call{method: "POST", path: "/api/admin/working-groups", body: map[string]any{"id": "Bad Id", "kind": "thematic", "name": map[string]string{"fr": "Abc", "ar": "أبج"}}, token: admin}, 400, "id"},
		{"admin create group: id taken", call{method: "POST", path: "/api/admin/working-groups", body: map[string]any{"id": "transparence", "kind": "thematic", "name": map[string]string{"fr": "Abc", "ar": "أبج"}}, token: admin}, 409, ""},
		{"admin update group: territorial without region", call{method: "PUT", path: "/api/admin/working-groups/transparence", body: map[string]any{"kind": "territorial", "name": map[string]string{"fr": "Abc", "ar": "أبج"}}, token: admin}, 400, "region"},
		{"admin get group: unknown", call{method: "GET", path: "/api/admin/working-groups/nope", token: admin}, 404, ""},
		{"admin add member: not a member", call{method: "POST", path: "/api/admin/working-groups/transparence/members", body: map[string]string{"organisationId": pending.id}, token: admin}, 400, "organisationId"},
		{"admin remove member: not there", call{method: "DELETE", path: "/api/admin/working-groups/transparence/members/" + member.id, token: admin}, 404, ""},
		{"admin group requests: unknown status", call{method: "GET", path: "/api/admin/group-requests?status=open", token: admin}, 400, "status"},
		{"admin decide request: none", call{method: "POST", path: "/api/admin/working-groups/transparence/requests/" + member.id + "/decision", body: map[string]string{"decision": "approved"}, token: admin}, 404, ""},
		{"admin decide request: reason with approval", call{method: "POST", path: "/api/admin/working-groups/transparence/requests/" + member.id + "/decision", body: map[string]string{"decision": "approved", "reason": "x"}, token: admin}, 400, "reason"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			expectProblem(t, do(t, c.c), c.status, c.field)
		})
	}
	if after := stateSnapshot(t); after != before {
		t.Errorf("refused requests changed what is stored:\nbefore %s\nafter  %s", before, after)
	}
	// Anonymous calls to the admin routes never reach the function.
	expectStatus(t, do(t, call{method: "GET", path: "/api/admin/memberships"}), http.StatusUnauthorized)
}

// membershipExample builds on c the state an x-example-setup of a
// membership route names (openapi_setup_test.go).
func membershipExample(t *testing.T, c *cloud.Cloud, setup, path string, n int) example {
	t.Helper()
	admin := tokenFor(t, c, "admin", "")
	o := joinOn(t, c, joinBody(fmt.Sprintf("Association exemple %d", n), "souss-massa", "fr"), nil)
	ex := example{params: map[string]string{"token": o.token}, fields: map[string]any{"organisationId": o.id}}
	if strings.Contains(path, "/memberships/{id}") {
		ex.id = o.id // else {id} is the documented working group
	}
	if setup == "membership-unconfirmed" {
		return ex
	}
	expectStatus(t, doOn(t, c, call{method: "POST", path: private(o, "/confirm")}), http.StatusOK)
	if setup == "membership-pending" {
		return ex
	}
	r := doOn(t, c, call{method: "POST", path: "/api/admin/memberships/" + o.id + "/decision", body: map[string]string{"decision": "approved"}, token: admin})
	expectStatus(t, r, http.StatusOK)
	switch setup {
	case "membership-approved":
	case "group-member":
		r := doOn(t, c, call{method: "POST", path: "/api/admin/working-groups/transparence/members", body: map[string]string{"organisationId": o.id}, token: admin})
		expectStatus(t, r, http.StatusCreated)
		ex.params["memberId"] = o.id
	case "group-request":
		r := doOn(t, c, call{method: "POST", path: private(o, "/group-requests"), body: map[string]string{"groupId": "transparence"}})
		expectStatus(t, r, http.StatusCreated)
		ex.params["organisationId"] = o.id
	default:
		t.Fatalf("unknown x-example-setup %q", setup)
	}
	return ex
}
