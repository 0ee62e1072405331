package membershipdb_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/ddbtest"
	"espaceosc/shared/ddbstore/membershipdb"
	"espaceosc/shared/i18n"
	"espaceosc/shared/idempotency"
	"espaceosc/shared/membership"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

var base = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

func testMembership(i int, status membership.Status, region string, themes ...string) membership.Membership {
	at := base.Add(time.Duration(i) * time.Minute)
	m := membership.Membership{
		ID: fmt.Sprintf("org%023d", i), Status: status,
		Organisation: membership.Organisation{
			Name: fmt.Sprintf("Association %c", 'A'+i), Acronym: "AS", LegalForm: "association",
			RegistrationNumber: fmt.Sprintf("RC-%d", i), Region: region, City: "Agadir",
		},
		Themes: themes, Contact: membership.Contact{Name: "Amina", Email: "Amina@Example.org"}, Lang: i18n.FR,
		Consent:   membership.Consent{Given: true, At: at, NoticeVersion: "2026-11-01"},
		TokenHash: "abc", CreatedAt: at, UpdatedAt: at, Version: 1,
	}
	if status == membership.Approved {
		m.DecidedAt = at
	} else {
		m.ExpiresAt = at.Add(membership.ConfirmWithin)
	}
	return m
}

// keys lists the table's keys with a prefix, sorted (tests may scan).
func keys(t *testing.T, c ddbtest.Client, table, prefix string) []string {
	t.Helper()
	type scanner interface {
		Scan(context.Context, *dynamodb.ScanInput, ...func(*dynamodb.Options)) (*dynamodb.ScanOutput, error)
	}
	out, err := c.(scanner).Scan(context.Background(), &dynamodb.ScanInput{TableName: aws.String(table)})
	if err != nil {
		t.Fatal(err)
	}
	var ks []string
	for _, it := range out.Items {
		pk := it["PK"].(*types.AttributeValueMemberS).Value
		sk := it["SK"].(*types.AttributeValueMemberS).Value
		if strings.HasPrefix(pk, prefix) {
			ks = append(ks, pk+"|"+sk)
		}
	}
	sort.Strings(ks)
	return ks
}

func names(es []membership.Entry) string {
	var s []string
	for _, e := range es {
		s = append(s, e.Name)
	}
	return strings.Join(s, ",")
}

func TestMembershipsAndDirectory(t *testing.T) {
	ddbtest.Each(t, func(t *testing.T, c ddbtest.Client, table string) {
		ctx := context.Background()
		st := ddbstore.New(c, table).WithClock(func() time.Time { return base })
		s := membershipdb.New(st)

		req, _ := idempotency.Begin(membership.IdempotencyScope, "k1", "request")
		rec, _ := req.Record(201, map[string]string{"id": "x"}, base)
		m0 := testMembership(0, membership.Unconfirmed, "souss-massa", "transparency")
		if err := s.CreateMembership(ctx, m0, ddbtest.Email("e0", base), rec); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateMembership(ctx, testMembership(9, membership.Unconfirmed, "oriental"), ddbtest.Email("e9", base), rec); !errors.Is(err, idempotency.ErrRecorded) {
			t.Fatalf("same key: %v, want ErrRecorded", err)
		}
		got, err := s.GetMembership(ctx, m0.ID)
		if err != nil || got.Organisation != m0.Organisation || got.Contact != m0.Contact || !got.ExpiresAt.Equal(m0.ExpiresAt) ||
			!got.Consent.At.Equal(m0.Consent.At) || strings.Join(got.Themes, ",") != "transparency" || got.Version != 1 {
			t.Fatalf("GetMembership = %+v %v", got, err)
		}
		if _, err := s.GetMembership(ctx, "missing"); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("missing: %v", err)
		}
		if ks := keys(t, c, table, "DIR#"); len(ks) != 0 {
			t.Errorf("an unconfirmed request has entries: %v", ks)
		}

		// Approval lists it in every partition of the directory.
		next := m0
		next.Status, next.ExpiresAt, next.DecidedAt, next.Version = membership.Approved, time.Time{}, base, 2
		next.Themes = []string{"transparency", "open_data"}
		if err := s.SaveMembership(ctx, membership.Change{Prev: m0, Next: next}); err != nil {
			t.Fatal(err)
		}
		wantDir := []string{
			"DIR#ALL|association a#" + m0.ID,
			"DIR#REGION#souss-massa#THEME#open_data|association a#" + m0.ID,
			"DIR#REGION#souss-massa#THEME#transparency|association a#" + m0.ID,
			"DIR#REGION#souss-massa|association a#" + m0.ID,
			"DIR#THEME#open_data|association a#" + m0.ID,
			"DIR#THEME#transparency|association a#" + m0.ID,
		}
		if got := keys(t, c, table, "DIR#"); strings.Join(got, "\n") != strings.Join(wantDir, "\n") {
			t.Errorf("directory entries:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantDir, "\n"))
		}
		if got := keys(t, c, table, "ORGREG#"); len(got) != 1 || got[0] != "ORGREG#RC-0|ORGREG" {
			t.Errorf("claims = %v", got)
		}
		if stored, _ := s.GetMembership(ctx, m0.ID); !stored.ExpiresAt.IsZero() {
			t.Errorf("an approved membership expires at %v", stored.ExpiresAt)
		}
		// A stale version changes nothing.
		if err := s.SaveMembership(ctx, membership.Change{Prev: m0, Next: next}); !apperr.Is(err, apperr.Conflict) || errors.Is(err, membership.ErrRegistrationTaken) {
			t.Errorf("stale save: %v", err)
		}

		// Another member with the same registration number is refused.
		m1 := testMembership(1, membership.Pending, "oriental", "integrity")
		m1.Organisation.RegistrationNumber = "rc- 0"
		if err := s.CreateMembership(ctx, m1, ddbtest.Email("e1", base), nil); err != nil {
			t.Fatal(err)
		}
		m1a := m1
		m1a.Status, m1a.ExpiresAt, m1a.DecidedAt, m1a.Version = membership.Approved, time.Time{}, base, 2
		if err := s.SaveMembership(ctx, membership.Change{Prev: m1, Next: m1a}); !errors.Is(err, membership.ErrRegistrationTaken) {
			t.Fatalf("duplicate registration: %v", err)
		}
		if got := keys(t, c, table, "DIR#"); len(got) != 6 {
			t.Errorf("a refused approval wrote entries: %v", got)
		}
		m1.Organisation.RegistrationNumber = "RC-1"
		m1a.Organisation.RegistrationNumber = "RC-1"
		if err := s.SaveMembership(ctx, membership.Change{Prev: m1, Next: m1a}); err != nil {
			t.Fatal(err)
		}

		for _, q := range []struct{ region, theme, want string }{
			{"", "", "Association A,Association B"},
			{"oriental", "", "Association B"},
			{"", "open_data", "Association A"},
			{"souss-massa", "transparency", "Association A"},
			{"oriental", "transparency", ""},
		} {
			es, next, err := s.Directory(ctx, q.region, q.theme, 10, "")
			if err != nil || names(es) != q.want || next != "" {
				t.Errorf("Directory(%q,%q) = %s %q %v, want %s", q.region, q.theme, names(es), next, err, q.want)
			}
		}
		es, cur, err := s.Directory(ctx, "", "", 1, "")
		if err != nil || names(es) != "Association A" || cur == "" {
			t.Fatalf("page 1: %s %q %v", names(es), cur, err)
		}
		if es, cur, err = s.Directory(ctx, "", "", 1, cur); err != nil || names(es) != "Association B" || cur != "" {
			t.Errorf("page 2: %s %q %v", names(es), cur, err)
		}
		if _, _, err := s.Directory(ctx, "oriental", "", 1, "bm90LWEtY3Vyc29y"); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("bad cursor: %v", err)
		}

		// A change of name, region and themes moves the entries, and a new
		// registration number moves the claim.
		moved := next
		moved.Organisation.Name, moved.Organisation.Region, moved.Themes, moved.Version = "Émergence", "oriental", []string{"open_data"}, 3
		moved.Organisation.RegistrationNumber = "RC-0-bis"
		if err := s.SaveMembership(ctx, membership.Change{Prev: next, Next: moved}); err != nil {
			t.Fatal(err)
		}
		if es, _, _ := s.Directory(ctx, "oriental", "", 10, ""); names(es) != "Association B,Émergence" {
			t.Errorf("oriental after the move: %s", names(es))
		}
		if got := keys(t, c, table, "DIR#"); len(got) != 4+4 {
			t.Errorf("entries after the move: %v", got)
		}
		if got := keys(t, c, table, "ORGREG#"); strings.Join(got, ",") != "ORGREG#RC-0-BIS|ORGREG,ORGREG#RC-1|ORGREG" {
			t.Errorf("claims after the move: %v", got)
		}

		// Lists: all newest first, by status.
		all, cursor, err := s.ListMemberships(ctx, "", 1, "")
		if err != nil || len(all) != 1 || all[0].ID != m1.ID || cursor == "" {
			t.Fatalf("ListMemberships page 1: %v %q %v", all, cursor, err)
		}
		if all, _, _ = s.ListMemberships(ctx, "", 5, cursor); len(all) != 1 || all[0].ID != m0.ID {
			t.Errorf("ListMemberships page 2: %v", all)
		}
		if approved, _, _ := s.ListMemberships(ctx, membership.Approved, 5, ""); len(approved) != 2 {
			t.Errorf("approved: %d", len(approved))
		}
		if unconfirmed, _, _ := s.ListMemberships(ctx, membership.Unconfirmed, 5, ""); len(unconfirmed) != 0 {
			t.Errorf("unconfirmed: %d", len(unconfirmed))
		}

		// Leaving deletes the membership and everything derived from it.
		if err := s.DeleteMembership(ctx, moved, nil, ddbtest.Email("bye", base)); err != nil {
			t.Fatal(err)
		}
		if got := keys(t, c, table, "DIR#"); len(got) != 4 {
			t.Errorf("entries after leaving: %v", got)
		}
		if got := keys(t, c, table, "ORG"); strings.Join(got, ",") != "ORG#"+m1.ID+"|ORG,ORGREG#RC-1|ORGREG" {
			t.Errorf("after leaving: %v", got)
		}
		if err := s.DeleteMembership(ctx, moved, nil, ddbtest.Email("bye2", base)); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("leave twice: %v", err)
		}
	})
}

func TestGroupsMembersAndRequests(t *testing.T) {
	ddbtest.Each(t, func(t *testing.T, c ddbtest.Client, table string) {
		ctx := context.Background()
		st := ddbstore.New(c, table).WithClock(func() time.Time { return base })
		s := membershipdb.New(st)
		groups := []membership.Group{
			{ID: "transparence", Kind: membership.Thematic, Name: i18n.Text{FR: "Transparence", AR: "الشفافية"}, Status: membership.Active, Version: 1, CreatedAt: base},
			{ID: "region-oriental", Kind: membership.Territorial, Name: i18n.Text{FR: "Oriental", AR: "الشرق"}, Region: "oriental", Status: membership.Active, Version: 1, CreatedAt: base},
			{ID: "ancien", Kind: membership.Thematic, Name: i18n.Text{FR: "Ancien", AR: "قديم"}, Status: membership.Closed, Version: 1, CreatedAt: base},
		}
		for _, g := range groups {
			if err := s.CreateGroup(ctx, g); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.CreateGroup(ctx, groups[0]); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("same id: %v", err)
		}
		ids := func(gs []membership.Group) string {
			var s []string
			for _, g := range gs {
				s = append(s, g.ID)
			}
			return strings.Join(s, ",")
		}
		for _, q := range []struct {
			status membership.GroupStatus
			kind   membership.GroupKind
			want   string
		}{
			{"", "", "region-oriental,transparence,ancien"},
			{membership.Active, "", "region-oriental,transparence"},
			{membership.Active, membership.Thematic, "transparence"},
			{"", membership.Thematic, "transparence,ancien"},
			{membership.Closed, membership.Thematic, "ancien"},
		} {
			gs, err := s.ListGroups(ctx, q.status, q.kind)
			if err != nil || ids(gs) != q.want {
				t.Errorf("ListGroups(%q, %q) = %s %v, want %s", q.status, q.kind, ids(gs), err, q.want)
			}
		}
		g, err := s.GetGroup(ctx, "region-oriental")
		if err != nil || g.Name.AR != "الشرق" || g.Region != "oriental" {
			t.Errorf("GetGroup = %+v %v", g, err)
		}
		closed := g
		closed.Status, closed.Version = membership.Closed, 2
		if err := s.SaveGroup(ctx, closed, 1); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveGroup(ctx, closed, 1); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("stale group save: %v", err)
		}
		if gs, _ := s.ListGroups(ctx, membership.Active, ""); ids(gs) != "transparence" {
			t.Errorf("active after closing: %s", ids(gs))
		}

		m := testMembership(0, membership.Approved, "oriental", "integrity")
		if err := s.CreateMembership(ctx, m, ddbtest.Email("e0", base), nil); err != nil {
			t.Fatal(err)
		}
		// A request: new, then again while it exists (refused).
		r := membership.GroupRequest{GroupID: "transparence", OrganisationID: m.ID, Name: m.Organisation.Name, Status: membership.RequestPending, CreatedAt: base, Version: 1}
		if err := s.PutGroupRequest(ctx, r, 0, m); err != nil {
			t.Fatal(err)
		}
		if err := s.PutGroupRequest(ctx, r, 0, m); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("second new request: %v", err)
		}
		stale := m
		stale.Version = 7
		r2 := r
		r2.GroupID = "ancien"
		if err := s.PutGroupRequest(ctx, r2, 0, stale); !apperr.Is(err, apperr.Conflict) || errors.Is(err, membership.ErrGroupInactive) {
			t.Errorf("request with a stale organisation: %v", err)
		}
		if err := s.PutGroupRequest(ctx, r2, 0, m); !errors.Is(err, membership.ErrGroupInactive) {
			t.Errorf("request to a closed group: %v", err)
		}
		pending, _, err := s.ListGroupRequests(ctx, membership.RequestPending, 10, "")
		if err != nil || len(pending) != 1 || pending[0].GroupID != "transparence" || pending[0].Name != "Association A" {
			t.Fatalf("pending = %+v %v", pending, err)
		}
		got, reqs, err := s.GetMembershipWithRequests(ctx, m.ID)
		if err != nil || got.ID != m.ID || len(reqs) != 1 || reqs[0].GroupID != "transparence" {
			t.Fatalf("GetMembershipWithRequests = %v %+v %v", got.ID, reqs, err)
		}

		// Approving: the request, the membership with its group and the
		// member entry, in one transaction.
		joined := m
		joined.Groups, joined.Version = []membership.GroupMembership{{GroupID: "transparence", Source: membership.SourceRequest, Since: base}}, 2
		approved := r
		approved.Status, approved.DecidedAt, approved.ExpiresAt, approved.Version = membership.RequestApproved, base, base.Add(membership.RequestRetention), 2
		email := ddbtest.Email("joined", base)
		change := membership.Change{Prev: m, Next: joined, Email: &email, ActiveGroup: "ancien", Request: &approved, RequestVersion: 1}
		if err := s.SaveMembership(ctx, change); !errors.Is(err, membership.ErrGroupInactive) {
			t.Fatalf("join a closed group: %v", err)
		}
		change.ActiveGroup = "transparence"
		if err := s.SaveMembership(ctx, change); err != nil {
			t.Fatal(err)
		}
		if err := s.DecideGroupRequest(ctx, approved, 1, ddbtest.Email("late", base)); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("decide a decided request: %v", err)
		}
		if done, _, _ := s.ListGroupRequests(ctx, membership.RequestApproved, 10, ""); len(done) != 1 {
			t.Errorf("approved requests = %d", len(done))
		}

		// A GT call's selection in the same partition (calls' items).
		s2 := func(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
		if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table), Item: map[string]types.AttributeValue{
			"PK": s2("WG#transparence"), "SK": s2("MEMBER#cand00000000000000000000001"), "type": s2("wg-member"), "groupId": s2("transparence"),
			"candidacyId": s2("cand00000000000000000000001"), "callId": s2("gt-2026"), "name": s2("Al Amal"), "since": s2(ddbstore.Time(base)),
		}}); err != nil {
			t.Fatal(err)
		}
		grp, ms, err := s.GroupWithMembers(ctx, "transparence")
		if err != nil || grp.ID != "transparence" || len(ms) != 2 {
			t.Fatalf("GroupWithMembers = %+v %+v %v", grp, ms, err)
		}
		bySource := map[membership.Source]membership.Member{}
		for _, mm := range ms {
			bySource[mm.Source] = mm
		}
		if call := bySource[membership.SourceCall]; call.CandidacyID != "cand00000000000000000000001" || call.CallID != "gt-2026" || call.Name != "Al Amal" {
			t.Errorf("call member = %+v", call)
		}
		if own := bySource[membership.SourceRequest]; own.OrganisationID != m.ID || own.City != "Agadir" || !own.Since.Equal(base) {
			t.Errorf("own member = %+v", own)
		}
		if _, _, err := s.GroupWithMembers(ctx, "nope"); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("unknown group: %v", err)
		}
		if mm, err := s.GetMember(ctx, "transparence", "cand00000000000000000000001"); err != nil || mm.Source != membership.SourceCall {
			t.Errorf("GetMember = %+v %v", mm, err)
		}
		if err := s.DeleteMemberEntry(ctx, "transparence", "cand00000000000000000000001"); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteMemberEntry(ctx, "transparence", "cand00000000000000000000001"); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("delete twice: %v", err)
		}

		// Leaving removes the member entry and the requests too.
		_, reqs, _ = s.GetMembershipWithRequests(ctx, m.ID)
		if err := s.DeleteMembership(ctx, joined, reqs, ddbtest.Email("bye", base)); err != nil {
			t.Fatal(err)
		}
		if got := keys(t, c, table, "WG#transparence"); len(got) != 1 || got[0] != "WG#transparence|GROUP" {
			t.Errorf("group partition after leaving: %v", got)
		}
		if got := keys(t, c, table, "ORG#"); len(got) != 0 {
			t.Errorf("organisation partition after leaving: %v", got)
		}
	})
}

// The groups' listings need no begins_with on an index: minidyn fails such
// a Query once an email has been marked sent.
func TestGroupListingsAfterAnEmailIsSent(t *testing.T) {
	ddbtest.Each(t, func(t *testing.T, c ddbtest.Client, table string) {
		ctx := context.Background()
		st := ddbstore.New(c, table).WithClock(func() time.Time { return base })
		s := membershipdb.New(st)
		g := membership.Group{ID: "integrite", Kind: membership.Thematic, Name: i18n.Text{FR: "Intégrité", AR: "النزاهة"}, Status: membership.Active, Version: 1, CreatedAt: base}
		if err := s.CreateGroup(ctx, g); err != nil {
			t.Fatal(err)
		}
		m := testMembership(0, membership.Unconfirmed, "oriental", "integrity")
		email := ddbtest.Email("e0", base)
		if err := s.CreateMembership(ctx, m, email, nil); err != nil {
			t.Fatal(err)
		}
		if err := st.Outbox().MarkSent(ctx, email, "message-1"); err != nil {
			t.Fatal(err)
		}
		for _, kind := range []membership.GroupKind{"", membership.Thematic, membership.Territorial} {
			gs, err := s.ListGroups(ctx, membership.Active, kind)
			if err != nil || len(gs) != map[membership.GroupKind]int{"": 1, membership.Thematic: 1, membership.Territorial: 0}[kind] {
				t.Errorf("ListGroups(active, %q) = %v, %v", kind, gs, err)
			}
		}
	})
}
