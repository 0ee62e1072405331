package cocreationdb_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/cocreation"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/cocreationdb"
	"espaceosc/shared/ddbstore/ddbtest"
	"espaceosc/shared/i18n"
	"espaceosc/shared/idempotency"
	"espaceosc/shared/secret"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func testPlan() cocreation.Plan {
	day := func(d int) time.Time { return time.Date(2026, 3, d, 0, 0, 0, 0, i18n.Casablanca).UTC() }
	return cocreation.Plan{
		ID: "pan-2026-2028", Title: i18n.Text{FR: "PAN 2026-2028", AR: "خطة العمل الوطنية 2026-2028"},
		Phases: []cocreation.Phase{
			{Kind: cocreation.Preparation, Start: day(1), End: day(2)},
			{Kind: cocreation.ProposalsPhase, Start: day(2), End: day(30)},
		},
		Themes: []cocreation.Theme{
			{ID: "transparence", Label: i18n.Text{FR: "Transparence", AR: "الشفافية"}},
			{ID: "participation", Label: i18n.Text{FR: "Participation", AR: "المشاركة"}},
		},
		CreatedAt: t0, UpdatedAt: t0, Version: 1,
	}
}

func testProposal(i int, theme string) (cocreation.Proposal, cocreation.Proposer) {
	created := t0.Add(time.Duration(i) * time.Minute)
	id := fmt.Sprintf("prop%022d", i)
	p := cocreation.Proposal{
		ID: id, Reference: fmt.Sprintf("PAN-2026-%06d", i), PlanID: "pan-2026-2028", Theme: theme,
		Title: "Budget ouvert", Problem: "Les budgets communaux ne sont pas publiés.", Solution: "Publier les budgets en données ouvertes.",
		Impact: "Un contrôle citoyen.", Region: "souss-massa", Lang: i18n.FR,
		MemberOrganisation: &cocreation.MemberOrganisation{ID: "org-42", Name: "Association Tafra"},
		Moderation:         cocreation.ModerationRecord{State: cocreation.Pending}, TokenHash: "hash",
		CreatedAt: created, UpdatedAt: created, Version: 1,
	}
	who := cocreation.Proposer{
		ProposalID: id, Name: "Amina Berrada", Email: fmt.Sprintf("Amina%d@Example.org", i), Organisation: "Association Tafra",
		Lang: i18n.FR, Consent: cocreation.Consent{At: created, NoticeVersion: "2026-11-01"}, ExpiresAt: created.Add(cocreation.ProposerRetention),
	}
	return p, who
}

// publish is p as a moderator publishes it.
func publish(p cocreation.Proposal) cocreation.Proposal {
	p.Moderation = cocreation.ModerationRecord{State: cocreation.Published, At: t0, By: "admin-1"}
	p.PublishedAt = t0
	p.Version++
	return p
}

func ids(ps []cocreation.Proposal) string {
	var s []string
	for _, p := range ps {
		s = append(s, p.ID[len(p.ID)-2:])
	}
	return strings.Join(s, ",")
}

func TestPlansAndCommitments(t *testing.T) {
	ddbtest.Each(t, func(t *testing.T, c ddbtest.Client, table string) {
		ctx := context.Background()
		s := cocreationdb.New(ddbstore.New(c, table))
		plan := testPlan()
		if err := s.CreatePlan(ctx, plan); err != nil {
			t.Fatal(err)
		}
		if err := s.CreatePlan(ctx, plan); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("same ID again: %v, want conflict", err)
		}
		got, err := s.GetPlan(ctx, plan.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != plan.Title || len(got.Phases) != 2 || !got.Phases[1].End.Equal(plan.Phases[1].End) ||
			len(got.Themes) != 2 || got.Themes[1].Label.AR != "المشاركة" || !got.CreatedAt.Equal(t0) || got.Version != 1 {
			t.Errorf("GetPlan = %+v", got)
		}
		if _, err := s.GetPlan(ctx, "missing"); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("missing plan: %v", err)
		}
		next := got
		next.Title.FR, next.Version = "PAN 2026-2028 (révisé)", 2
		if err := s.UpdatePlan(ctx, next, 1); err != nil {
			t.Fatal(err)
		}
		if err := s.UpdatePlan(ctx, next, 1); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("stale plan update: %v, want conflict", err)
		}
		other := testPlan()
		other.ID, other.CreatedAt = "pan-2028-2030", t0.Add(time.Hour)
		if err := s.CreatePlan(ctx, other); err != nil {
			t.Fatal(err)
		}
		plans, cursor, err := s.ListPlans(ctx, 1, "")
		if err != nil || len(plans) != 1 || plans[0].ID != "pan-2028-2030" || cursor == "" {
			t.Fatalf("ListPlans page 1 = %v %q %v", plans, cursor, err)
		}
		plans, cursor, err = s.ListPlans(ctx, 1, cursor)
		if err != nil || len(plans) != 1 || plans[0].Title.FR != "PAN 2026-2028 (révisé)" || cursor != "" {
			t.Fatalf("ListPlans page 2 = %v %q %v", plans, cursor, err)
		}

		for i, n := range []int{3, 1, 2} {
			cm := cocreation.Commitment{
				ID: fmt.Sprintf("commit%020d", i), PlanID: plan.ID, Number: n,
				Title: i18n.Text{FR: fmt.Sprintf("Engagement %d", n), AR: "التزام"}, Description: i18n.Text{FR: "D", AR: "و"},
				LeadInstitution: i18n.Text{FR: "Ministère", AR: "وزارة"},
				Milestones:      []cocreation.Milestone{{Title: i18n.Text{FR: "Jalon", AR: "مرحلة"}, DueOn: "2027-06-30", Status: "planned"}},
				CreatedAt:       t0, UpdatedAt: t0, Version: 1,
			}
			if err := s.CreateCommitment(ctx, cm); err != nil {
				t.Fatal(err)
			}
		}
		cs, _, err := s.ListCommitments(ctx, plan.ID, 10, "")
		if err != nil || len(cs) != 3 || cs[0].Number != 1 || cs[1].Number != 2 || cs[2].Number != 3 {
			t.Fatalf("ListCommitments = %+v %v, want by number", cs, err)
		}
		cm := cs[0]
		if len(cm.Milestones) != 1 || cm.Milestones[0].DueOn != "2027-06-30" || cm.LeadInstitution.AR != "وزارة" {
			t.Errorf("commitment = %+v", cm)
		}
		cm.Number, cm.Version = 9, 2
		if err := s.UpdateCommitment(ctx, cm, 1); err != nil {
			t.Fatal(err)
		}
		if err := s.UpdateCommitment(ctx, cm, 1); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("stale commitment update: %v", err)
		}
		all, err := s.AllCommitments(ctx, plan.ID)
		if err != nil || len(all) != 3 || all[2].ID != cm.ID {
			t.Errorf("AllCommitments after renumbering = %+v %v", all, err)
		}
		if none, err := s.AllCommitments(ctx, "pan-2028-2030"); err != nil || len(none) != 0 {
			t.Errorf("another plan's commitments = %d %v", len(none), err)
		}
	})
}

func TestProposalLifecycleMovesItsEntries(t *testing.T) {
	ddbtest.Each(t, func(t *testing.T, c ddbtest.Client, table string) {
		ctx := context.Background()
		st := ddbstore.New(c, table).WithClock(func() time.Time { return t0 })
		s := cocreationdb.New(st)
		req, _ := idempotency.Begin(cocreation.IdempotencyScope, "key-1", "body")
		rec, _ := req.Record(201, map[string]string{"id": "x"}, t0)
		var ps []cocreation.Proposal
		for i, theme := range []string{"transparence", "participation", "transparence"} {
			p, who := testProposal(i, theme)
			var r *idempotency.Record
			if i == 0 {
				r = rec
			}
			if err := s.CreateProposal(ctx, p, who, ddbtest.Email(fmt.Sprintf("ack%d", i), t0), r); err != nil {
				t.Fatal(err)
			}
			ps = append(ps, p)
		}
		p3, who3 := testProposal(3, "transparence")
		if err := s.CreateProposal(ctx, p3, who3, ddbtest.Email("ack3", t0), rec); !errors.Is(err, idempotency.ErrRecorded) {
			t.Fatalf("same key again: %v, want ErrRecorded", err)
		}
		if _, err := s.GetProposal(ctx, p3.ID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("the refused transaction stored its proposal: %v", err)
		}

		got, err := s.GetProposal(ctx, ps[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Reference != ps[0].Reference || got.MemberOrganisation == nil || got.MemberOrganisation.ID != "org-42" ||
			got.Moderation.State != cocreation.Pending || got.TokenHash != "hash" || got.Version != 1 || !got.CreatedAt.Equal(ps[0].CreatedAt) {
			t.Errorf("GetProposal = %+v", got)
		}
		who, err := s.GetProposer(ctx, ps[0].ID)
		if err != nil || who.Email != "Amina0@Example.org" || who.Consent.NoticeVersion != "2026-11-01" || !who.ExpiresAt.Equal(ps[0].CreatedAt.Add(cocreation.ProposerRetention)) {
			t.Errorf("GetProposer = %+v %v", who, err)
		}
		expired := cocreationdb.New(st.WithClock(func() time.Time { return t0.Add(cocreation.ProposerRetention + time.Hour) }))
		if _, err := expired.GetProposer(ctx, ps[0].ID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("expired proposer: %v, want not found", err)
		}

		all, _, err := s.ListProposals(ctx, "pan-2026-2028", "", 10, "")
		if err != nil || ids(all) != "02,01,00" {
			t.Errorf("admin listing = %s %v", ids(all), err)
		}
		pending, _, _ := s.ListProposals(ctx, "pan-2026-2028", cocreation.Pending, 10, "")
		if len(pending) != 3 {
			t.Errorf("pending = %d, want 3", len(pending))
		}
		if pub, _, _ := s.ListPublished(ctx, "pan-2026-2028", cocreation.Filter{}, 10, ""); len(pub) != 0 {
			t.Errorf("published before moderation = %d", len(pub))
		}

		// Publish all three: each appears in its listings, public fields only.
		for i, p := range ps {
			next := publish(p)
			if err := s.UpdateProposal(ctx, p, next, cocreation.Write{}); err != nil {
				t.Fatal(err)
			}
			ps[i] = next
		}
		listing := func(f cocreation.Filter) string {
			t.Helper()
			got, next, err := s.ListPublished(ctx, "pan-2026-2028", f, 10, "")
			if err != nil || next != "" {
				t.Fatalf("ListPublished(%+v) = %v, %q", f, err, next)
			}
			return ids(got)
		}
		for _, c := range []struct {
			f    cocreation.Filter
			want string
		}{
			{cocreation.Filter{}, "02,01,00"},
			{cocreation.Filter{Theme: "transparence"}, "02,00"},
			{cocreation.Filter{Status: cocreation.AwaitingResponse}, "02,01,00"},
			{cocreation.Filter{Theme: "participation", Status: cocreation.AwaitingResponse}, "01"},
			{cocreation.Filter{Status: cocreation.Status(cocreation.Adopted)}, ""},
		} {
			if got := listing(c.f); got != c.want {
				t.Errorf("listing %+v = %q, want %q", c.f, got, c.want)
			}
		}
		pub, _, _ := s.ListPublished(ctx, "pan-2026-2028", cocreation.Filter{Theme: "participation"}, 10, "")
		if e := pub[0]; e.TokenHash != "" || e.MemberOrganisation == nil || e.MemberOrganisation.Name != "Association Tafra" ||
			e.MemberOrganisation.ID != "" || e.Moderation.State != cocreation.Published || e.Title != "Budget ouvert" {
			t.Errorf("entry = %+v", e)
		}
		if pending, _, _ := s.ListProposals(ctx, "pan-2026-2028", cocreation.Pending, 10, ""); len(pending) != 0 {
			t.Errorf("pending after publication = %d", len(pending))
		}

		// A response moves the status listings; a link adds the commitment's.
		commit := cocreation.Commitment{ID: "commit00000000000000000001", PlanID: "pan-2026-2028", Number: 1,
			Title: i18n.Text{FR: "E", AR: "ا"}, CreatedAt: t0, UpdatedAt: t0, Version: 1}
		if err := s.CreateCommitment(ctx, commit); err != nil {
			t.Fatal(err)
		}
		answered := ps[0]
		answered.Response = &cocreation.Response{Outcome: cocreation.Adopted, Justification: i18n.Text{FR: "Retenue.", AR: "مقبول."}, At: t0, By: "admin-1"}
		answered.CommitmentID = commit.ID
		answered.Version++
		email := ddbtest.Email("response0", t0)
		if err := s.UpdateProposal(ctx, ps[0], answered, cocreation.Write{Email: &email, Commitment: commit.ID}); err != nil {
			t.Fatal(err)
		}
		if got := listing(cocreation.Filter{Status: cocreation.AwaitingResponse}); got != "02,01" {
			t.Errorf("awaiting after a response = %q", got)
		}
		if got := listing(cocreation.Filter{Theme: "transparence", Status: cocreation.Status(cocreation.Adopted)}); got != "00" {
			t.Errorf("adopted transparence = %q", got)
		}
		linked, err := s.CommitmentProposals(ctx, commit.ID)
		if err != nil || ids(linked) != "00" || linked[0].Response == nil || linked[0].Response.Justification.AR != "مقبول." || linked[0].Response.By != "" {
			t.Errorf("commitment's proposals = %+v %v", linked, err)
		}
		// Writing over a stale read is refused; so is a commitment of another plan.
		if err := s.UpdateProposal(ctx, ps[0], answered, cocreation.Write{}); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("stale proposal update: %v, want conflict", err)
		}
		ghost := publish(ps[1])
		ghost.Version, ghost.CommitmentID = ps[1].Version+1, "commit00000000000000000009"
		if err := s.UpdateProposal(ctx, ps[1], ghost, cocreation.Write{Commitment: ghost.CommitmentID}); !errors.Is(err, cocreation.ErrNoCommitment) {
			t.Errorf("link to a missing commitment: %v, want ErrNoCommitment", err)
		}
		if got := listing(cocreation.Filter{}); got != "02,01,00" {
			t.Errorf("a refused transaction moved entries: %q", got)
		}

		// Hiding removes every entry, the commitment's included.
		hidden := answered
		hidden.CommitmentID, hidden.Version = "", answered.Version+1
		hidden.Moderation = cocreation.ModerationRecord{State: cocreation.Hidden, Reason: "Hors sujet", At: t0, By: "admin-1"}
		if err := s.UpdateProposal(ctx, answered, hidden, cocreation.Write{}); err != nil {
			t.Fatal(err)
		}
		for _, f := range []cocreation.Filter{{}, {Theme: "transparence"}, {Status: cocreation.Status(cocreation.Adopted)}, {Theme: "transparence", Status: cocreation.Status(cocreation.Adopted)}} {
			if got := listing(f); strings.Contains(got, "00") {
				t.Errorf("hidden proposal still in %+v: %q", f, got)
			}
		}
		if linked, _ := s.CommitmentProposals(ctx, commit.ID); len(linked) != 0 {
			t.Errorf("hidden proposal still behind the commitment")
		}
		stored, _ := s.GetProposal(ctx, ps[0].ID)
		if stored.Moderation.Reason != "Hors sujet" || stored.Response == nil || stored.Response.By != "admin-1" {
			t.Errorf("hidden proposal = %+v", stored)
		}
		hiddenList, _, _ := s.ListProposals(ctx, "pan-2026-2028", cocreation.Hidden, 10, "")
		if ids(hiddenList) != "00" {
			t.Errorf("hidden listing = %s", ids(hiddenList))
		}
		pendingEmails, _, _ := st.Outbox().ListPending(ctx, 10, "")
		if len(pendingEmails) != 4 {
			t.Errorf("pending emails = %s, want the 3 acks and the response", ddbtest.IDs(pendingEmails))
		}
	})
}

func TestSupportsCountOncePerAddress(t *testing.T) {
	ddbtest.Each(t, func(t *testing.T, c ddbtest.Client, table string) {
		ctx := context.Background()
		st := ddbstore.New(c, table).WithClock(func() time.Time { return t0 })
		s := cocreationdb.New(st)
		p, who := testProposal(1, "transparence")
		if err := s.CreateProposal(ctx, p, who, ddbtest.Email("ack", t0), nil); err != nil {
			t.Fatal(err)
		}
		r := cocreation.SupportRequest{
			ID: "req00000000000000000000001", ProposalID: p.ID, PlanID: p.PlanID, Email: "Yassine@Example.ma", Lang: i18n.AR,
			Consent: cocreation.Consent{At: t0, NoticeVersion: "v1"}, TokenHash: "th", CreatedAt: t0,
			ExpiresAt: t0.Add(cocreation.ConfirmationValidity), SupportExpiresAt: t0.Add(cocreation.SupportRetention),
		}
		if err := s.CreateSupportRequest(ctx, r, ddbtest.Email("confirm", t0)); err != nil {
			t.Fatal(err)
		}
		got, err := s.GetSupportRequest(ctx, r.ID)
		if err != nil || got.Email != r.Email || got.Lang != i18n.AR || !got.ExpiresAt.Equal(r.ExpiresAt) || !got.SupportExpiresAt.Equal(r.SupportExpiresAt) {
			t.Errorf("GetSupportRequest = %+v %v", got, err)
		}
		sup := func(email string) cocreation.Support {
			return cocreation.Support{ProposalID: p.ID, EmailHash: secret.EmailHash(email), RequestID: r.ID, ConfirmedAt: t0, ExpiresAt: r.SupportExpiresAt}
		}
		// Not published: refused, nothing counted.
		if err := s.AddSupport(ctx, p, sup("a@example.ma")); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("support of a pending proposal: %v, want conflict", err)
		}
		pub := publish(p)
		if err := s.UpdateProposal(ctx, p, pub, cocreation.Write{}); err != nil {
			t.Fatal(err)
		}
		for _, email := range []string{"a@example.ma", "b@example.ma", " A@Example.MA "} {
			err := s.AddSupport(ctx, pub, sup(email))
			if email == " A@Example.MA " {
				if !errors.Is(err, cocreation.ErrAlreadySupported) {
					t.Errorf("the same address again: %v, want ErrAlreadySupported", err)
				}
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		// A stale version (moderated meanwhile) is a conflict, not a count.
		if err := s.AddSupport(ctx, p, sup("c@example.ma")); !apperr.Is(err, apperr.Conflict) || errors.Is(err, cocreation.ErrAlreadySupported) {
			t.Errorf("support on a stale read: %v, want conflict", err)
		}
		stored, _ := s.GetProposal(ctx, p.ID)
		if stored.Supports != 2 {
			t.Errorf("proposal supports = %d, want 2", stored.Supports)
		}
		for _, f := range []cocreation.Filter{{}, {Theme: "transparence"}, {Status: cocreation.AwaitingResponse}, {Theme: "transparence", Status: cocreation.AwaitingResponse}} {
			list, _, _ := s.ListPublished(ctx, p.PlanID, f, 10, "")
			if len(list) != 1 || list[0].Supports != 2 {
				t.Errorf("entry %+v supports = %+v, want 2", f, list)
			}
		}
		// A write over a read made before the supports is refused, so that
		// it cannot put stale counts in the entries.
		stale := pub
		stale.Title, stale.Version = "Autre titre", pub.Version+1
		if err := s.UpdateProposal(ctx, pub, stale, cocreation.Write{}); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("update over stale supports: %v, want conflict", err)
		}
	})
}
