package membership_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/ddbtest"
	"espaceosc/shared/ddbstore/membershipdb"
	"espaceosc/shared/i18n"
	"espaceosc/shared/membership"
	"espaceosc/shared/outbox"
	"espaceosc/shared/outbox/outboxtest"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	minidyn "github.com/truora/minidyn/aws-v2/client"
)

type env struct {
	svc    *membership.Service
	store  membershipdb.Store
	sender *outboxtest.Sender
	db     *minidyn.Client
	table  string
	now    time.Time
}

func newEnv(t *testing.T) *env {
	t.Helper()
	db, table := ddbtest.Minidyn(t)
	e := &env{db: db, table: table, sender: &outboxtest.Sender{}, now: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)}
	st := ddbstore.New(db, table)
	e.store = membershipdb.New(st)
	e.svc = membership.NewService(membership.Config{
		Store: e.store, Mailer: outbox.New(st.Outbox(), e.sender, membership.Emails, nil),
		PortalOrigin: "https://osc.example/", NoticeVersion: "2026-11-01", Now: func() time.Time { return e.now },
	})
	return e
}

var linkRE = regexp.MustCompile(`https://osc\.example/(fr|ar)/adhesion/([a-z0-9]{26})\?token=([A-Za-z0-9_-]{43})`)

// join requests membership and returns its id and private token.
func (e *env) join(t *testing.T, r membership.JoinRequest) (string, string) {
	t.Helper()
	rec, err := e.svc.Join(context.Background(), r, "")
	if err != nil {
		t.Fatalf("Join: %v", err)
	}
	sent := e.sender.SentOfKind(membership.KindConfirm)
	m := linkRE.FindStringSubmatch(sent[len(sent)-1].Text)
	if m == nil || m[2] != rec.ID {
		t.Fatalf("no private link of %s in %s", rec.ID, sent[len(sent)-1].Text)
	}
	return rec.ID, m[3]
}

// member joins, confirms and is approved.
func (e *env) member(t *testing.T, r membership.JoinRequest) (string, string) {
	t.Helper()
	ctx := context.Background()
	id, token := e.join(t, r)
	if _, err := e.svc.Confirm(ctx, id, token); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Decide(ctx, id, membership.Decision{Decision: "approved"}); err != nil {
		t.Fatal(err)
	}
	return id, token
}

func (e *env) items(t *testing.T) map[string]int {
	t.Helper()
	out, err := e.db.Scan(context.Background(), &dynamodb.ScanInput{TableName: aws.String(e.table)})
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, it := range out.Items {
		typ, _ := it["type"].(*types.AttributeValueMemberS)
		if typ != nil {
			kinds[typ.Value]++
		} else {
			kinds["?"]++
		}
	}
	return kinds
}

func ids(es []membership.EntryView) string {
	var s []string
	for _, e := range es {
		s = append(s, e.Name)
	}
	return strings.Join(s, ",")
}

func codeKey(err error) string {
	if e, ok := apperr.As(err); ok {
		return string(e.Code) + ":" + e.Key
	}
	if err != nil {
		return "uncoded:" + err.Error()
	}
	return ""
}

func TestJoinConfirmApproveListUpdateLeave(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	id, token := e.join(t, validJoin())

	// Stored with consent, expiry, hashes; nothing listed yet.
	m, err := e.store.GetMembership(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if m.Status != membership.Unconfirmed || !m.Consent.Given || !m.Consent.At.Equal(e.now) || m.Consent.NoticeVersion != "2026-11-01" ||
		!m.ExpiresAt.Equal(e.now.Add(membership.ConfirmWithin)) || m.Organisation.Name != "Association Tafra pour la transparence" ||
		m.Contact.Email != "Amina.Benali@Example.org" || strings.Contains(m.TokenHash, token) || len(m.TokenHash) != 64 {
		t.Errorf("stored request = %+v", m)
	}
	if es, _, _ := e.svc.Directory(ctx, "", "", 10, ""); len(es) != 0 {
		t.Errorf("an unconfirmed request is listed: %v", ids(es))
	}
	// Approval needs the confirmation.
	if _, err := e.svc.Decide(ctx, id, membership.Decision{Decision: "approved"}); codeKey(err) != "conflict:membership.not_confirmed" {
		t.Errorf("decide unconfirmed: %v", err)
	}
	v, err := e.svc.Confirm(ctx, id, token)
	if err != nil || v.Status != membership.Pending || v.ConfirmedAt == "" {
		t.Fatalf("Confirm = %+v, %v", v, err)
	}
	if again, err := e.svc.Confirm(ctx, id, token); err != nil || again.Status != membership.Pending || again.UpdatedAt != v.UpdatedAt {
		t.Errorf("confirm again = %+v %v", again, err)
	}
	a, err := e.svc.Decide(ctx, id, membership.Decision{Decision: "approved"})
	if err != nil || a.Status != membership.Approved || a.ExpiresAt != "" {
		t.Fatalf("Decide = %+v, %v", a, err)
	}
	if got := e.sender.SentOfKind(membership.KindApproved); len(got) != 1 || got[0].To != "Amina.Benali@Example.org" || !strings.Contains(got[0].Text, "Association Tafra") {
		t.Errorf("approval emails = %+v", got)
	}
	if _, err := e.svc.Decide(ctx, id, membership.Decision{Decision: "declined"}); codeKey(err) != "conflict:membership.already_decided" {
		t.Errorf("decide twice: %v", err)
	}

	// A second member elsewhere, in Arabic.
	other := validJoin()
	other.Organisation = membership.OrganisationInput{Name: "Émergence citoyenne", LegalForm: "network", RegistrationNumber: "777", Region: "oriental", City: "Oujda"}
	other.Themes, other.Lang = []string{"integrity", "transparency"}, "ar"
	otherID, _ := e.member(t, other)

	for _, c := range []struct{ region, theme, want string }{
		{"", "", "Association Tafra pour la transparence,Émergence citoyenne"},
		{"souss-massa", "", "Association Tafra pour la transparence"},
		{"", "transparency", "Association Tafra pour la transparence,Émergence citoyenne"},
		{"", "integrity", "Émergence citoyenne"},
		{"oriental", "transparency", "Émergence citoyenne"},
		{"oriental", "open_data", ""},
	} {
		es, next, err := e.svc.Directory(ctx, c.region, c.theme, 10, "")
		if err != nil || ids(es) != c.want || next != "" {
			t.Errorf("Directory(%q, %q) = %s (next %q) %v, want %s", c.region, c.theme, ids(es), next, err, c.want)
		}
	}
	es, next, _ := e.svc.Directory(ctx, "", "", 1, "")
	if len(es) != 1 || next == "" {
		t.Fatalf("first page: %v next %q", ids(es), next)
	}
	if es2, next2, _ := e.svc.Directory(ctx, "", "", 1, next); ids(es2) != "Émergence citoyenne" || next2 != "" {
		t.Errorf("second page: %v next %q", ids(es2), next2)
	}
	if es[0].ID != id || es[0].City != "Agadir" || es[0].Since == "" {
		t.Errorf("entry = %+v", es[0])
	}
	if _, _, err := e.svc.Directory(ctx, "atlantis", "weather", 10, ""); codeKey(err) != "invalid:invalid_fields" {
		t.Errorf("bad filters: %v", err)
	}

	// Updating moves the entries: new region, themes, name.
	d := membership.Details{Organisation: validJoin().Organisation, Themes: []string{"integrity"}, Contact: validJoin().Contact, Lang: "ar"}
	d.Organisation.Name, d.Organisation.Region = "Tafra", "oriental"
	if _, err := e.svc.Update(ctx, id, token, d); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ region, theme, want string }{
		{"souss-massa", "", ""},
		{"", "transparency", "Émergence citoyenne"},
		{"oriental", "integrity", "Émergence citoyenne,Tafra"},
	} {
		es, _, _ := e.svc.Directory(ctx, c.region, c.theme, 10, "")
		if ids(es) != c.want {
			t.Errorf("after update Directory(%q, %q) = %s, want %s", c.region, c.theme, ids(es), c.want)
		}
	}
	// Two members may not share a registration number.
	d.Organisation.RegistrationNumber = " 7 7 7 "
	if _, err := e.svc.Update(ctx, id, token, d); codeKey(err) != "conflict:membership.registration_taken" {
		t.Errorf("taken registration number: %v", err)
	}

	// Leaving deletes everything of the membership and keeps the other.
	before := e.items(t)
	if err := e.svc.Leave(ctx, id, token); err != nil {
		t.Fatal(err)
	}
	after := e.items(t)
	if after["membership"] != before["membership"]-1 || after["registration-claim"] != 1 || after["directory-entry"] != 6 {
		t.Errorf("items before %v, after leaving %v", before, after)
	}
	if es, _, _ := e.svc.Directory(ctx, "", "", 10, ""); ids(es) != "Émergence citoyenne" || es[0].ID != otherID {
		t.Errorf("directory after leaving: %v", ids(es))
	}
	if _, err := e.svc.View(ctx, id, token); codeKey(err) != "not_found:membership.not_found" {
		t.Errorf("view after leaving: %v", err)
	}
	if n := len(e.sender.SentOfKind(membership.KindLeft)); n != 1 {
		t.Errorf("%d departure emails", n)
	}
}

func TestExpiredOrWrongLinks(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	id, token := e.join(t, validJoin())
	var msgs []string
	for _, c := range []struct{ id, token string }{{id, ""}, {id, "wrong"}, {id, token[:42]}, {strings.Repeat("z", 26), token}, {"x", "y"}} {
		_, err := e.svc.Confirm(ctx, c.id, c.token)
		if codeKey(err) != "not_found:membership.not_found" {
			t.Fatalf("Confirm(%q, %q) = %v", c.id, c.token, err)
		}
		msgs = append(msgs, err.Error())
	}
	for _, m := range msgs[1:] {
		if m != msgs[0] {
			t.Errorf("not-found errors differ: %q vs %q", m, msgs[0])
		}
	}
	e.now = e.now.Add(membership.ConfirmWithin)
	stored, _ := e.store.GetMembership(ctx, id)
	for name, op := range map[string]func() error{
		"confirm": func() error { _, err := e.svc.Confirm(ctx, id, token); return err },
		"view":    func() error { _, err := e.svc.View(ctx, id, token); return err },
	} {
		if err := op(); codeKey(err) != "not_found:membership.link_expired" {
			t.Errorf("%s after 7 days: %v", name, err)
		}
	}
	if again, _ := e.store.GetMembership(ctx, id); again.Version != stored.Version || again.Status != membership.Unconfirmed {
		t.Errorf("an expired link changed the request: %+v", again)
	}
}

func TestWorkingGroups(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	name := i18n.Text{FR: "Transparence", AR: "الشفافية"}
	if _, err := e.svc.CreateGroup(ctx, membership.NewGroup{ID: "transparence", Kind: "thematic", Name: name, Mandate: i18n.Text{FR: "Suivre les engagements."}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.CreateGroup(ctx, membership.NewGroup{ID: "transparence", Kind: "thematic", Name: name}); codeKey(err) != "conflict:membership.group_id_taken" {
		t.Errorf("same id: %v", err)
	}
	if _, err := e.svc.CreateGroup(ctx, membership.NewGroup{ID: "region-oriental", Kind: "territorial", Name: i18n.Text{FR: "Région de l'Oriental", AR: "جهة الشرق"}, Region: "oriental"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.CreateGroup(ctx, membership.NewGroup{ID: "ancien", Kind: "thematic", Name: name, Status: "closed"}); err != nil {
		t.Fatal(err)
	}
	gs, err := e.svc.Groups(ctx, "", i18n.AR)
	if err != nil || len(gs) != 2 || gs[0].ID != "transparence" || gs[0].Name != "الشفافية" || gs[0].Mandate != "Suivre les engagements." || gs[1].RegionName != "جهة الشرق" {
		t.Errorf("Groups = %+v %v", gs, err)
	}
	if gs, _ := e.svc.Groups(ctx, "territorial", i18n.FR); len(gs) != 1 || gs[0].ID != "region-oriental" {
		t.Errorf("territorial groups = %+v", gs)
	}
	if all, _ := e.svc.AllGroups(ctx); len(all) != 3 {
		t.Errorf("AllGroups = %d", len(all))
	}

	id, token := e.member(t, validJoin())
	pendingID, pendingToken := e.join(t, validJoin())
	if _, err := e.svc.RequestGroup(ctx, pendingID, pendingToken, membership.GroupRequestInput{GroupID: "transparence"}); codeKey(err) != "not_found:membership.not_found" && codeKey(err) != "conflict:membership.not_member" {
		t.Errorf("unconfirmed asks for a group: %v", err)
	}
	for _, c := range []struct{ group, want string }{
		{"nope", "invalid:invalid_fields"},
		{"ancien", "conflict:membership.group_closed"},
	} {
		if _, err := e.svc.RequestGroup(ctx, id, token, membership.GroupRequestInput{GroupID: c.group}); codeKey(err) != c.want {
			t.Errorf("request %s: %v, want %s", c.group, err, c.want)
		}
	}
	r, err := e.svc.RequestGroup(ctx, id, token, membership.GroupRequestInput{GroupID: "transparence", Motivation: " Observatoire des budgets. "})
	if err != nil || r.Status != membership.RequestPending || r.Motivation != "Observatoire des budgets." {
		t.Fatalf("RequestGroup = %+v %v", r, err)
	}
	if _, err := e.svc.RequestGroup(ctx, id, token, membership.GroupRequestInput{GroupID: "transparence"}); codeKey(err) != "conflict:membership.request_pending" {
		t.Errorf("second request: %v", err)
	}
	pending, _, err := e.svc.GroupRequests(ctx, "", 10, "")
	if err != nil || len(pending) != 1 || pending[0].OrganisationID != id || pending[0].Name != "Association Tafra pour la transparence" {
		t.Fatalf("pending requests = %+v %v", pending, err)
	}
	if v, _ := e.svc.View(ctx, id, token); len(v.GroupRequests) != 1 || v.GroupRequests[0].GroupID != "transparence" {
		t.Errorf("member view requests = %+v", v.GroupRequests)
	}
	dec, err := e.svc.DecideGroupRequest(ctx, "transparence", id, membership.Decision{Decision: "approved"})
	if err != nil || dec.Status != membership.RequestApproved {
		t.Fatalf("DecideGroupRequest = %+v %v", dec, err)
	}
	if _, err := e.svc.DecideGroupRequest(ctx, "transparence", id, membership.Decision{Decision: "declined"}); codeKey(err) != "conflict:membership.request_decided" {
		t.Errorf("decide again: %v", err)
	}
	if got := e.sender.SentOfKind(membership.KindGroupJoined); len(got) != 1 || !strings.Contains(got[0].Subject, "Transparence") {
		t.Errorf("group emails = %+v", got)
	}

	// An administrator adds the member to the territorial group too; a
	// GT call selected another association for it.
	if _, err := e.svc.AddMember(ctx, "region-oriental", membership.AddMemberInput{OrganisationID: pendingID}); codeKey(err) != "invalid:invalid_fields" {
		t.Errorf("add a non-member: %v", err)
	}
	if _, err := e.svc.AddMember(ctx, "region-oriental", membership.AddMemberInput{OrganisationID: id}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.AddMember(ctx, "region-oriental", membership.AddMemberInput{OrganisationID: id}); codeKey(err) != "conflict:membership.already_in_group" {
		t.Errorf("add twice: %v", err)
	}
	callMember(t, e, "region-oriental", "c0ffee0000000000000000cand", "Association Al Amal")
	page, err := e.svc.Group(ctx, "region-oriental", i18n.FR)
	if err != nil || len(page.Members) != 2 || page.Members[0].Name != "Association Al Amal" || page.Members[0].Source != membership.SourceCall ||
		page.Members[0].CallID != "gt-2026" || page.Members[0].OrganisationID != "" || page.Members[1].OrganisationID != id || page.Members[1].Source != membership.SourceAdmin {
		t.Fatalf("group page = %+v %v", page, err)
	}
	// The members' entries follow the organisation's details.
	d := membership.Details{Organisation: validJoin().Organisation, Themes: []string{"integrity"}, Contact: validJoin().Contact, Lang: "fr"}
	d.Organisation.Name, d.Organisation.City = "Tafra", "Oujda"
	if _, err := e.svc.Update(ctx, id, token, d); err != nil {
		t.Fatal(err)
	}
	if page, _ := e.svc.Group(ctx, "transparence", i18n.FR); len(page.Members) != 1 || page.Members[0].Name != "Tafra" || page.Members[0].City != "Oujda" {
		t.Errorf("transparence after update = %+v", page.Members)
	}
	// Removing: the call's selection, then the organisation.
	if err := e.svc.RemoveMember(ctx, "region-oriental", "c0ffee0000000000000000cand"); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.RemoveMember(ctx, "region-oriental", id); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.RemoveMember(ctx, "region-oriental", id); codeKey(err) != "not_found:membership.member_not_found" {
		t.Errorf("remove twice: %v", err)
	}
	if v, _ := e.svc.View(ctx, id, token); len(v.Groups) != 1 || v.Groups[0].GroupID != "transparence" {
		t.Errorf("groups after removal = %+v", v.Groups)
	}
	// Leaving removes it from its groups.
	if err := e.svc.Leave(ctx, id, token); err != nil {
		t.Fatal(err)
	}
	if page, _ := e.svc.Group(ctx, "transparence", i18n.FR); len(page.Members) != 0 {
		t.Errorf("transparence after leaving = %+v", page.Members)
	}
	if n := e.items(t)["group-request"]; n != 0 {
		t.Errorf("%d group requests left after leaving", n)
	}
	if _, err := e.svc.Group(ctx, "nope", i18n.FR); codeKey(err) != "not_found:membership.group_not_found" {
		t.Errorf("unknown group: %v", err)
	}
}

func TestDeclines(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if _, err := e.svc.CreateGroup(ctx, membership.NewGroup{ID: "integrite", Kind: "thematic", Name: i18n.Text{FR: "Intégrité", AR: "النزاهة"}}); err != nil {
		t.Fatal(err)
	}
	id, token := e.member(t, validJoin())
	if _, err := e.svc.RequestGroup(ctx, id, token, membership.GroupRequestInput{GroupID: "integrite"}); err != nil {
		t.Fatal(err)
	}
	dec, err := e.svc.DecideGroupRequest(ctx, "integrite", id, membership.Decision{Decision: "declined", Reason: "Le groupe est complet."})
	if err != nil || dec.Status != membership.RequestDeclined || dec.Reason != "Le groupe est complet." {
		t.Fatalf("decline = %+v %v", dec, err)
	}
	if got := e.sender.SentOfKind(membership.KindGroupDeclined); len(got) != 1 || !strings.Contains(got[0].Text, "Le groupe est complet.") {
		t.Errorf("decline email = %+v", got)
	}
	// A new request replaces the declined one.
	if r, err := e.svc.RequestGroup(ctx, id, token, membership.GroupRequestInput{GroupID: "integrite"}); err != nil || r.Status != membership.RequestPending {
		t.Errorf("request again = %+v %v", r, err)
	}

	other := validJoin()
	other.Organisation.RegistrationNumber, other.Lang = "999", "ar"
	oid, otoken := e.join(t, other)
	if _, err := e.svc.Confirm(ctx, oid, otoken); err != nil {
		t.Fatal(err)
	}
	v, err := e.svc.Decide(ctx, oid, membership.Decision{Decision: "declined", Reason: "خارج مجال الفضاء."})
	if err != nil || v.Status != membership.Declined || v.ExpiresAt == "" {
		t.Fatalf("decline = %+v %v", v, err)
	}
	got := e.sender.SentOfKind(membership.KindDeclined)
	if len(got) != 1 || got[0].Lang != i18n.AR || !strings.Contains(got[0].HTML, `dir="rtl"`) || !strings.Contains(got[0].Text, "خارج مجال الفضاء.") {
		t.Errorf("Arabic decline email = %+v", got)
	}
	if _, err := e.svc.Update(ctx, oid, otoken, membership.Details{Organisation: other.Organisation, Themes: other.Themes, Contact: other.Contact, Lang: "ar"}); codeKey(err) != "conflict:membership.declined" {
		t.Errorf("update a declined request: %v", err)
	}

	// The same registration number cannot be approved twice.
	dup := validJoin()
	did, dtoken := e.join(t, dup)
	if _, err := e.svc.Confirm(ctx, did, dtoken); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Decide(ctx, did, membership.Decision{Decision: "approved"}); codeKey(err) != "conflict:membership.registration_taken" {
		t.Errorf("approve a duplicate: %v", err)
	}
	if m, _ := e.store.GetMembership(ctx, did); m.Status != membership.Pending {
		t.Errorf("refused approval changed the request: %s", m.Status)
	}
}

// racing makes the first save lose a race against another change.
type racing struct {
	membershipdb.Store
	raced bool
}

func (r *racing) SaveMembership(ctx context.Context, c membership.Change) error {
	if !r.raced {
		r.raced = true
		other := c.Prev
		other.Version++
		if err := r.Store.SaveMembership(ctx, membership.Change{Prev: c.Prev, Next: other}); err != nil {
			return err
		}
	}
	return r.Store.SaveMembership(ctx, c)
}

func TestDecideRetriesALostRace(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	id, token := e.join(t, validJoin())
	if _, err := e.svc.Confirm(ctx, id, token); err != nil {
		t.Fatal(err)
	}
	st := &racing{Store: e.store}
	e.svc.Store = st
	if _, err := e.svc.Decide(ctx, id, membership.Decision{Decision: "approved"}); err != nil {
		t.Fatal(err)
	}
	m, _ := e.store.GetMembership(ctx, id)
	if !st.raced || m.Status != membership.Approved || m.Version != 4 {
		t.Errorf("after the race: %v %s v%d", st.raced, m.Status, m.Version)
	}
	if n := len(e.sender.SentOfKind(membership.KindApproved)); n != 1 {
		t.Errorf("%d approval emails", n)
	}
}

// callMember writes the item a GT call's results write (calls
// capability, ddbstore/evaluations.go): the contract of docs/data.md.
func callMember(t *testing.T, e *env, group, candidacy, name string) {
	t.Helper()
	s := func(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
	_, err := e.db.PutItem(context.Background(), &dynamodb.PutItemInput{TableName: aws.String(e.table), Item: map[string]types.AttributeValue{
		"PK": s("WG#" + group), "SK": s("MEMBER#" + candidacy), "type": s("wg-member"), "groupId": s(group),
		"candidacyId": s(candidacy), "callId": s("gt-2026"), "name": s(name), "city": s("Nador"), "region": s("oriental"),
		"since": s(ddbstore.Time(e.now)),
	}})
	if err != nil {
		t.Fatal(err)
	}
}
