package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"espaceosc/infra/local/cloud"
	"espaceosc/shared/cocreation"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/cocreationdb"
	"espaceosc/shared/i18n"
	"espaceosc/shared/outbox"
	"espaceosc/shared/secret"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// seededPlan is the plan of the seed content, in its proposals phase on a
// fresh cloud.
const seededPlan = "pan-2026-2028"

// cocreationLink finds the private link (propositions) or the confirmation
// link (soutiens) in an email.
var cocreationLink = regexp.MustCompile(`/(fr|ar)/cocreation/(propositions|soutiens)/([a-z0-9]{26})\?token=([A-Za-z0-9_-]{43})`)

func proposalBody(email string) map[string]any {
	return map[string]any{
		"theme": "transparence-budgetaire", "title": "Publier les budgets des communes en données ouvertes",
		"problem":  "Les budgets communaux ne sont consultables qu'au siège de la commune, souvent des mois après leur adoption.",
		"solution": "Publier chaque budget communal et son exécution sur data.gov.ma, au format CSV, dans le mois de son adoption.",
		"impact":   "Les habitants et les associations suivent les dépenses de leur commune et en débattent.",
		"region":   "souss-massa",
		"proposer": map[string]any{"name": "Amina Berrada", "email": email, "organisation": "Association Tafra", "memberOrganisationId": "org-tafra"},
		"lang":     "fr", "consent": true,
	}
}

// lastLink returns the id and token of the last email of kind ("propositions"
// or "soutiens") to addr on c.
func lastLink(t testing.TB, c *cloud.Cloud, kind, addr string) (string, string, cloud.Message) {
	t.Helper()
	mail := c.Mail()
	for i := len(mail) - 1; i >= 0; i-- {
		for _, to := range mail[i].To {
			if !strings.EqualFold(to, strings.TrimSpace(addr)) {
				continue
			}
			if m := cocreationLink.FindStringSubmatch(mail[i].Text); m != nil && m[2] == kind {
				return m[3], m[4], mail[i]
			}
		}
	}
	t.Fatalf("no %s link to %s in the mailbox", kind, addr)
	return "", "", cloud.Message{}
}

type proposalRef struct {
	id, reference, token string
	ack                  cloud.Message
}

// submitProposalOn submits body to the plan and reads the acknowledgement.
func submitProposalOn(t testing.TB, c *cloud.Cloud, plan string, body map[string]any) proposalRef {
	t.Helper()
	r := doOn(t, c, call{method: "POST", path: "/api/cocreation/plans/" + plan + "/proposals", body: body})
	expectStatus(t, r, http.StatusCreated)
	var receipt cocreation.Receipt
	r.json(t, &receipt)
	id, token, ack := lastLink(t, c, "propositions", body["proposer"].(map[string]any)["email"].(string))
	if id != receipt.ID {
		t.Fatalf("acknowledgement link for %s, want %s", id, receipt.ID)
	}
	return proposalRef{id: receipt.ID, reference: receipt.Reference, token: token, ack: ack}
}

func moderateOn(t testing.TB, c *cloud.Cloud, id, action string) {
	t.Helper()
	body := map[string]string{"action": action}
	if action == "hide" {
		body["reason"] = "Propos sans rapport avec le plan."
	}
	r := doOn(t, c, call{method: "POST", path: "/api/admin/cocreation/proposals/" + id + "/moderation", body: body, token: tokenFor(t, c, "admin", "")})
	expectStatus(t, r, http.StatusOK)
}

// supportOn asks to support the proposal id as addr and returns the
// confirmation link's request id and token.
func supportOn(t testing.TB, c *cloud.Cloud, id, addr, lang string) (string, string) {
	t.Helper()
	r := doOn(t, c, call{method: "POST", path: "/api/cocreation/proposals/" + id + "/supports", body: map[string]any{"email": addr, "lang": lang, "consent": true}})
	expectStatus(t, r, http.StatusAccepted)
	reqID, token, _ := lastLink(t, c, "soutiens", addr)
	return reqID, token
}

func confirmOn(t testing.TB, c *cloud.Cloud, reqID, token string) reply {
	t.Helper()
	return doOn(t, c, call{method: "POST", path: "/api/cocreation/supports/" + reqID + "/confirmation", body: map[string]string{"token": token}})
}

func createCommitmentOn(t testing.TB, c *cloud.Cloud, plan string, number int) string {
	t.Helper()
	text := func(fr, ar string) map[string]string { return map[string]string{"fr": fr, "ar": ar} }
	r := doOn(t, c, call{method: "POST", path: "/api/admin/cocreation/plans/" + plan + "/commitments", token: tokenFor(t, c, "admin", ""), body: map[string]any{
		"number": number, "title": text("Publier les budgets communaux en données ouvertes", "نشر الميزانيات الجماعية كبيانات مفتوحة"),
		"description":     text("Chaque commune publie son budget et son exécution sur data.gov.ma.", "تنشر كل جماعة ميزانيتها وتنفيذها على data.gov.ma."),
		"leadInstitution": text("Ministère de l'Intérieur — DGCT", "وزارة الداخلية — المديرية العامة للجماعات الترابية"),
		"milestones":      []map[string]any{{"title": text("Format commun des budgets publié", "نشر صيغة موحدة للميزانيات"), "dueOn": "2027-03-31", "status": "in_progress"}},
	}})
	expectStatus(t, r, http.StatusCreated)
	var v cocreation.AdminCommitmentView
	r.json(t, &v)
	return v.ID
}

// localTable is the local cloud's DynamoDB as the account's operator, for
// what no client can do: count the items (nothing stored), plant a support
// request that has expired.
func localTable(t testing.TB) (*dynamodb.Client, string) {
	t.Helper()
	return operatorDynamo(lc), lc.Names()["Table"]
}

// tableItems counts the local table's items (tests may scan; the application never does).
func tableItems(t testing.TB) int {
	t.Helper()
	db, table := localTable(t)
	n := 0
	in := &dynamodb.ScanInput{TableName: aws.String(table)}
	for {
		out, err := db.Scan(context.Background(), in)
		if err != nil {
			t.Fatalf("scan the local table: %v", err)
		}
		n += len(out.Items)
		if len(out.LastEvaluatedKey) == 0 {
			return n
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}

func publicProposal(t *testing.T, id string) cocreation.AuthorView {
	t.Helper()
	r := do(t, call{method: "GET", path: "/api/cocreation/proposals/" + id + "?lang=fr"})
	expectStatus(t, r, http.StatusOK)
	var v cocreation.AuthorView
	r.json(t, &v)
	return v
}

func TestCocreationRoundTrip(t *testing.T) {
	admin := token(t, "admin")
	r := do(t, call{method: "GET", path: "/api/cocreation/plans/" + seededPlan + "?lang=ar"})
	expectStatus(t, r, http.StatusOK)
	var plan cocreation.PlanView
	r.json(t, &plan)
	if plan.CurrentPhase != cocreation.ProposalsPhase || !plan.AcceptingProposals || len(plan.Phases) != 7 || plan.Phases[2].Label != "طلب المقترحات" {
		t.Fatalf("seeded plan = %+v", plan)
	}

	// A proposal: acknowledged by email with its private link.
	author := uniqueEmail("amina")
	p := submitProposalOn(t, lc, seededPlan, proposalBody(author))
	if !strings.HasPrefix(p.reference, "PAN-") || !strings.Contains(p.ack.Subject, p.reference) {
		t.Fatalf("acknowledgement %q for %s", p.ack.Subject, p.reference)
	}
	expectProblem(t, do(t, call{method: "GET", path: "/api/cocreation/proposals/" + p.id}), http.StatusNotFound, "")
	r = do(t, call{method: "GET", path: "/api/cocreation/proposals/" + p.id + "?token=" + p.token})
	expectStatus(t, r, http.StatusOK)
	if !strings.Contains(string(r.body), `"moderation":"pending"`) {
		t.Fatalf("private view = %s", r.body)
	}

	// Moderation publishes it.
	moderateOn(t, lc, p.id, "publish")
	if v := publicProposal(t, p.id); v.Supports != 0 || v.Organisation != "Association Tafra" || v.Moderation != "" {
		t.Fatalf("published = %+v", v)
	}

	// Three confirmed supports count once each; the same address again does
	// not; an unconfirmed support does not.
	for i := range 3 {
		addr := uniqueEmail(fmt.Sprintf("soutien%d", i))
		id, tok := supportOn(t, lc, p.id, addr, "fr")
		r := confirmOn(t, lc, id, tok)
		expectStatus(t, r, http.StatusOK)
		var c cocreation.Confirmation
		r.json(t, &c)
		if !c.Counted {
			t.Fatalf("support %d not counted: %s", i, r.body)
		}
		if i == 0 {
			again, againTok := supportOn(t, lc, p.id, " "+strings.ToUpper(addr), "ar")
			r := confirmOn(t, lc, again, againTok)
			expectStatus(t, r, http.StatusOK)
			if r.json(t, &c); c.Counted {
				t.Fatalf("the same address counted twice: %s", r.body)
			}
		}
	}
	supportOn(t, lc, p.id, uniqueEmail("unconfirmed"), "fr")
	if v := publicProposal(t, p.id); v.Supports != 3 {
		t.Fatalf("supports = %d, want 3", v.Supports)
	}

	// A commitment, and the reasoned response that merges the proposal into it.
	commitment := createCommitmentOn(t, lc, seededPlan, 1)
	justification := map[string]string{
		"fr": "Fusionnée dans l'engagement 1 : les budgets communaux seront publiés en données ouvertes.",
		"ar": "مدمج في الالتزام 1: ستُنشر الميزانيات الجماعية كبيانات مفتوحة.",
	}
	r = do(t, call{method: "PUT", path: "/api/admin/cocreation/proposals/" + p.id + "/response", token: admin,
		body: map[string]any{"outcome": "merged", "commitmentId": commitment, "justification": justification}})
	expectStatus(t, r, http.StatusOK)
	var mails []cloud.Message
	for _, m := range mailTo(author) {
		if strings.Contains(m.Subject, "Réponse motivée") {
			mails = append(mails, m)
		}
	}
	if len(mails) != 1 || !strings.Contains(mails[0].Text, justification["fr"]) || !strings.Contains(mails[0].Text, "Engagement 1 : Publier les budgets communaux") {
		t.Fatalf("response emails = %+v", mails)
	}
	v := publicProposal(t, p.id)
	if v.Status != cocreation.Status(cocreation.Merged) || v.Response == nil || v.Response.Justification != justification["fr"] || v.Commitment == nil || v.Commitment.ID != commitment {
		t.Fatalf("proposal after the response = %+v", v)
	}
	r = do(t, call{method: "GET", path: "/api/cocreation/commitments/" + commitment + "?lang=fr"})
	expectStatus(t, r, http.StatusOK)
	var cv cocreation.CommitmentView
	r.json(t, &cv)
	if len(cv.Proposals) != 1 || cv.Proposals[0].ID != p.id || cv.Proposals[0].Supports != 3 {
		t.Fatalf("commitment = %+v", cv)
	}
	r = do(t, call{method: "GET", path: "/api/cocreation/plans/" + seededPlan + "/proposals?status=merged&theme=transparence-budgetaire"})
	expectStatus(t, r, http.StatusOK)
	if !strings.Contains(string(r.body), p.id) {
		t.Fatalf("merged listing lacks the proposal: %s", r.body)
	}
	r = do(t, call{method: "GET", path: "/api/cocreation/plans/" + seededPlan + "/statistics"})
	expectStatus(t, r, http.StatusOK)
	var st cocreation.StatisticsView
	r.json(t, &st)
	if st.Proposals < 1 || st.WithResponse < 1 || st.Supports < 3 || len(st.ByRegion) != 13 {
		t.Fatalf("statistics = %+v", st)
	}

	// Open data: the proposal and its response, nothing personal.
	for _, format := range []string{"csv", "json"} {
		for _, dataset := range []string{"proposals", "commitments", "statistics"} {
			r := do(t, call{method: "GET", path: "/api/cocreation/plans/" + seededPlan + "/open-data/" + dataset + "?format=" + format})
			expectStatus(t, r, http.StatusOK)
			body := string(r.body)
			for _, personal := range []string{"@", "Amina", "Berrada", "+212", "soutien", "unconfirmed"} {
				if strings.Contains(body, personal) {
					t.Errorf("%s.%s contains %q", dataset, format, personal)
				}
			}
			if dataset == "proposals" && (!strings.Contains(body, p.reference) || !strings.Contains(body, "Association Tafra") || !strings.Contains(body, justification["ar"])) {
				t.Errorf("%s.%s lacks the proposal, its organisation or its response", dataset, format)
			}
			if dataset == "commitments" && !strings.Contains(body, p.reference) {
				t.Errorf("%s.%s lacks the proposal behind the commitment", dataset, format)
			}
		}
	}
}

func TestCocreationRefusalsChangeNothing(t *testing.T) {
	admin := token(t, "admin")
	// A plan whose proposals phase is in the future.
	later := fmt.Sprintf("pan-e2e-%d", time.Now().UnixNano())
	r := do(t, call{method: "POST", path: "/api/admin/cocreation/plans", token: admin, body: map[string]any{
		"id": later, "title": map[string]string{"fr": "Plan futur", "ar": "خطة مقبلة"},
		"phases": []map[string]string{{"kind": "proposals", "startsOn": "2030-03-01", "endsOn": "2030-04-30"}},
		"themes": []map[string]any{{"id": "transparence-budgetaire", "label": map[string]string{"fr": "Transparence", "ar": "الشفافية"}}},
	}})
	expectStatus(t, r, http.StatusCreated)
	hidden := submitProposalOn(t, lc, seededPlan, proposalBody(uniqueEmail("hidden")))
	moderateOn(t, lc, hidden.id, "publish")
	pendingReq, pendingTok := supportOn(t, lc, hidden.id, uniqueEmail("before-hiding"), "fr")
	moderateOn(t, lc, hidden.id, "hide")
	live := submitProposalOn(t, lc, seededPlan, proposalBody(uniqueEmail("live")))
	moderateOn(t, lc, live.id, "publish")
	liveReq, liveTok := supportOn(t, lc, live.id, uniqueEmail("live-supporter"), "fr")

	// An expired link: no client can wait 48 hours, so the request is planted
	// in the local table, as the service writes it, its link 2 hours past.
	db, table := localTable(t)
	expiredToken, expiredHash, err := secret.NewToken(strings.NewReader(strings.Repeat("e2e-expired-token!", 4)))
	if err != nil {
		t.Fatal(err)
	}
	expiredID := fmt.Sprintf("%026d", time.Now().UnixNano())[:26]
	now, expiredAddr := time.Now().UTC(), uniqueEmail("expired")
	store := cocreationdb.New(ddbstore.New(db, table))
	if err := store.CreateSupportRequest(context.Background(), cocreation.SupportRequest{
		ID: expiredID, ProposalID: live.id, PlanID: seededPlan, Email: expiredAddr, Lang: i18n.FR,
		TokenHash: expiredHash, CreatedAt: now.Add(-50 * time.Hour), ExpiresAt: now.Add(-2 * time.Hour), SupportExpiresAt: now.Add(365 * 24 * time.Hour),
	}, plantedEmail(expiredID, expiredAddr, now)); err != nil {
		t.Fatal(err)
	}

	before := tableItems(t)
	cases := []struct {
		name   string
		c      call
		status int
		detail string
	}{
		{"submit outside the proposals phase", call{method: "POST", path: "/api/cocreation/plans/" + later + "/proposals", body: proposalBody(uniqueEmail("late"))}, 409, "n'est pas encore ouvert : il se tiendra du 01/03/2030 au 30/04/2030"},
		{"submit outside the proposals phase (Arabic)", call{method: "POST", path: "/api/cocreation/plans/" + later + "/proposals?lang=ar", body: proposalBody(uniqueEmail("late"))}, 409, "من 01/03/2030 إلى 30/04/2030"},
		{"support a hidden proposal", call{method: "POST", path: "/api/cocreation/proposals/" + hidden.id + "/supports", body: map[string]any{"email": uniqueEmail("s"), "lang": "fr", "consent": true}}, 404, "ne peut pas recevoir de soutien"},
		{"confirm a support of a proposal hidden since", call{method: "POST", path: "/api/cocreation/supports/" + pendingReq + "/confirmation", body: map[string]string{"token": pendingTok}}, 409, "ne peut pas recevoir de soutien"},
		{"confirm with a wrong token", call{method: "POST", path: "/api/cocreation/supports/" + liveReq + "/confirmation", body: map[string]string{"token": strings.Repeat("A", 43)}}, 404, "lien de confirmation est introuvable"},
		{"confirm an unknown link", call{method: "POST", path: "/api/cocreation/supports/" + strings.Repeat("b", 26) + "/confirmation", body: map[string]string{"token": liveTok}}, 404, "lien de confirmation est introuvable"},
		{"confirm an expired link", call{method: "POST", path: "/api/cocreation/supports/" + expiredID + "/confirmation", body: map[string]string{"token": expiredToken}}, 409, "a expiré"},
		{"hidden proposal, publicly", call{method: "GET", path: "/api/cocreation/proposals/" + hidden.id}, 404, ""},
		{"respond to a hidden proposal", call{method: "PUT", path: "/api/admin/cocreation/proposals/" + hidden.id + "/response", token: admin,
			body: map[string]any{"outcome": "not_retained", "justification": map[string]string{"fr": "Hors du champ du plan.", "ar": "خارج نطاق الخطة."}}}, 409, "publiée"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := expectProblem(t, do(t, c.c), c.status, "")
			if !strings.Contains(p.Detail, c.detail) {
				t.Errorf("detail = %q, want it to say %q", p.Detail, c.detail)
			}
		})
	}
	if after := tableItems(t); after != before {
		t.Errorf("refusals stored %d items", after-before)
	}
	if v := publicProposal(t, live.id); v.Supports != 0 {
		t.Errorf("supports of the live proposal = %d, want 0", v.Supports)
	}
}

// plantedEmail is the confirmation email a planted request's transaction
// records with it, as the service composes it (a later sweep may send it).
func plantedEmail(ref, to string, at time.Time) outbox.Email {
	data, _ := json.Marshal(map[string]string{"lang": "fr", "title": "Budget communal ouvert", "reference": "PAN-2026-E2E000",
		"link": "http://127.0.0.1/fr/cocreation/soutiens/" + ref, "validUntil": "01/01/2026 00:00"})
	return outbox.Email{ID: "e2e" + ref[3:], To: to, Lang: i18n.FR, Kind: cocreation.KindSupportConfirm, Data: data, RefID: ref, CreatedAt: at}
}

func TestCocreationBadInputStoresNothing(t *testing.T) {
	admin := token(t, "admin")
	live := submitProposalOn(t, lc, seededPlan, proposalBody(uniqueEmail("bad-input")))
	moderateOn(t, lc, live.id, "publish")
	reqID, _ := supportOn(t, lc, live.id, uniqueEmail("bad-input-supporter"), "fr")
	commitment := createCommitmentOn(t, lc, seededPlan, 9)
	with := func(k string, v any) map[string]any {
		b := proposalBody(uniqueEmail("bad"))
		b[k] = v
		return b
	}
	text := map[string]string{"fr": "Un texte assez long pour passer.", "ar": "نص طويل بما يكفي للقبول."}
	proposal := "/api/admin/cocreation/proposals/" + live.id
	cases := []struct {
		name   string
		c      call
		status int
		field  string
	}{
		{"submit: malformed JSON", call{method: "POST", path: "/api/cocreation/plans/" + seededPlan + "/proposals", body: `{"theme":`}, 400, ""},
		{"submit: unknown theme", call{method: "POST", path: "/api/cocreation/plans/" + seededPlan + "/proposals", body: with("theme", "sante")}, 400, "theme"},
		{"submit: region", call{method: "POST", path: "/api/cocreation/plans/" + seededPlan + "/proposals", body: with("region", "paris")}, 400, "region"},
		{"submit: no consent", call{method: "POST", path: "/api/cocreation/plans/" + seededPlan + "/proposals", body: with("consent", false)}, 400, "consent"},
		{"submit: a phone number", call{method: "POST", path: "/api/cocreation/plans/" + seededPlan + "/proposals", body: with("phone", "+212600000000")}, 400, "phone"},
		{"submit: too large", call{method: "POST", path: "/api/cocreation/plans/" + seededPlan + "/proposals", body: with("problem", strings.Repeat("x", 70<<10))}, 413, ""},
		{"submit: unknown plan", call{method: "POST", path: "/api/cocreation/plans/pan-1999/proposals", body: proposalBody(uniqueEmail("bad"))}, 404, ""},
		{"support: bad email", call{method: "POST", path: "/api/cocreation/proposals/" + live.id + "/supports", body: map[string]any{"email": "x@", "lang": "fr", "consent": true}}, 400, "email"},
		{"support: no consent", call{method: "POST", path: "/api/cocreation/proposals/" + live.id + "/supports", body: map[string]any{"email": uniqueEmail("s"), "lang": "fr"}}, 400, "consent"},
		{"confirm: not JSON", call{method: "POST", path: "/api/cocreation/supports/" + reqID + "/confirmation", body: "token", headers: map[string]string{"Content-Type": "text/plain"}}, 415, ""},
		{"confirm: a number", call{method: "POST", path: "/api/cocreation/supports/" + reqID + "/confirmation", body: `{"token":1}`}, 400, "token"},
		{"listing: status", call{method: "GET", path: "/api/cocreation/plans/" + seededPlan + "/proposals?status=accepted"}, 400, "status"},
		{"listing: cursor", call{method: "GET", path: "/api/cocreation/plans/" + seededPlan + "/proposals?cursor=nope"}, 400, "cursor"},
		{"plans: lang", call{method: "GET", path: "/api/cocreation/plans?lang=en"}, 400, "lang"},
		{"commitments: limit", call{method: "GET", path: "/api/cocreation/plans/" + seededPlan + "/commitments?limit=0"}, 400, "limit"},
		{"statistics: unknown plan", call{method: "GET", path: "/api/cocreation/plans/pan-1999/statistics"}, 404, ""},
		{"open data: dataset", call{method: "GET", path: "/api/cocreation/plans/" + seededPlan + "/open-data/emails"}, 400, "dataset"},
		{"open data: format", call{method: "GET", path: "/api/cocreation/plans/" + seededPlan + "/open-data/proposals?format=xlsx"}, 400, "format"},
		{"proposal: unknown", call{method: "GET", path: "/api/cocreation/proposals/" + strings.Repeat("a", 26)}, 404, ""},
		{"commitment: unknown", call{method: "GET", path: "/api/cocreation/commitments/" + strings.Repeat("a", 26)}, 404, ""},
		{"admin plan: overlapping phases", call{method: "POST", path: "/api/admin/cocreation/plans", token: admin, body: map[string]any{"id": "pan-bad", "title": text,
			"phases": []map[string]string{{"kind": "proposals", "startsOn": "2030-01-10", "endsOn": "2030-02-10"}, {"kind": "analysis", "startsOn": "2030-02-01", "endsOn": "2030-03-01"}},
			"themes": []map[string]any{{"id": "t", "label": text}}}}, 400, "phases[1].startsOn"},
		{"admin plan: taken", call{method: "POST", path: "/api/admin/cocreation/plans", token: admin, body: map[string]any{"id": seededPlan, "title": text,
			"phases": []map[string]string{{"kind": "proposals", "startsOn": "2030-01-10", "endsOn": "2030-02-10"}}, "themes": []map[string]any{{"id": "t", "label": text}}}}, 409, ""},
		{"admin plan: a theme dropped", call{method: "PUT", path: "/api/admin/cocreation/plans/" + seededPlan, token: admin, body: map[string]any{"title": text,
			"phases": []map[string]string{{"kind": "proposals", "startsOn": "2030-01-10", "endsOn": "2030-02-10"}}, "themes": []map[string]any{{"id": "t", "label": text}}}}, 400, "themes"},
		{"admin plan: unknown", call{method: "GET", path: "/api/admin/cocreation/plans/pan-1999", token: admin}, 404, ""},
		{"admin proposals: moderation", call{method: "GET", path: "/api/admin/cocreation/plans/" + seededPlan + "/proposals?moderation=archived", token: admin}, 400, "moderation"},
		{"admin commitment: fields", call{method: "POST", path: "/api/admin/cocreation/plans/" + seededPlan + "/commitments", token: admin, body: map[string]any{"number": 0}}, 400, "number"},
		{"admin commitment update: milestone", call{method: "PUT", path: "/api/admin/cocreation/commitments/" + commitment, token: admin, body: map[string]any{"number": 9, "title": text, "description": text, "leadInstitution": text,
			"milestones": []map[string]any{{"title": text, "dueOn": "bientôt", "status": "planned"}}}}, 400, "milestones[0].dueOn"},
		{"admin moderation: hide without a reason", call{method: "POST", path: proposal + "/moderation", token: admin, body: map[string]string{"action": "hide"}}, 400, "reason"},
		{"admin response: merged without a commitment", call{method: "PUT", path: proposal + "/response", token: admin, body: map[string]any{"outcome": "merged", "justification": text}}, 400, "commitmentId"},
		{"admin response: Arabic missing", call{method: "PUT", path: proposal + "/response", token: admin, body: map[string]any{"outcome": "adopted", "justification": map[string]string{"fr": text["fr"]}}}, 400, "justification.ar"},
		{"admin link: unknown commitment", call{method: "PUT", path: proposal + "/commitment", token: admin, body: map[string]string{"commitmentId": strings.Repeat("c", 26)}}, 400, "commitmentId"},
		{"admin unlink: unknown proposal", call{method: "DELETE", path: "/api/admin/cocreation/proposals/" + strings.Repeat("a", 26) + "/commitment", token: admin}, 404, ""},
		{"admin: evaluators", call{method: "GET", path: proposal, token: token(t, "evaluator")}, 403, ""},
	}
	before, mails := tableItems(t), len(lc.Mail())
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			expectProblem(t, do(t, c.c), c.status, c.field)
		})
	}
	if after := tableItems(t); after != before || len(lc.Mail()) != mails {
		t.Errorf("bad input stored %d items and sent %d emails", after-before, len(lc.Mail())-mails)
	}
	r := do(t, call{method: "GET", path: "/api/admin/cocreation/proposals/" + url.PathEscape(live.id), token: admin})
	expectStatus(t, r, http.StatusOK)
	var v cocreation.AdminProposalView
	r.json(t, &v)
	if v.Moderation.State != cocreation.Published || v.Response != nil || v.CommitmentID != "" {
		t.Errorf("the proposal changed: %+v", v)
	}
}
