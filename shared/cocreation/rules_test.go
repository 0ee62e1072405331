package cocreation

import (
	"testing"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/i18n"
)

var ruleNow = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

func proposalIn(state Moderation, outcome Outcome, commitment string) Proposal {
	p := Proposal{ID: "p", Moderation: ModerationRecord{State: state}, CommitmentID: commitment, Version: 4}
	if outcome != "" {
		p.Response = &Response{Outcome: outcome, Justification: i18n.Text{FR: "Motif.", AR: "تعليل."}}
	}
	return p
}

func TestModeration(t *testing.T) {
	publish, hide := ModerationInput{Action: ActionPublish}, ModerationInput{Action: ActionHide, Reason: " Hors sujet "}
	cases := []struct {
		name    string
		p       Proposal
		in      ModerationInput
		state   Moderation
		changed bool
		key     string
	}{
		{"publish a pending proposal", proposalIn(Pending, "", ""), publish, Published, true, ""},
		{"publish again: nothing", proposalIn(Published, "", ""), publish, Published, false, ""},
		{"publish a hidden proposal", proposalIn(Hidden, "", ""), publish, Published, true, ""},
		{"hide a pending proposal", proposalIn(Pending, "", ""), hide, Hidden, true, ""},
		{"hide a published proposal", proposalIn(Published, Adopted, ""), hide, Hidden, true, ""},
		{"a linked proposal stays", proposalIn(Published, Adopted, "c1"), hide, Published, false, "cocreation.hide_linked"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			next, changed, err := c.p.moderated(c.in, "admin-1", ruleNow)
			if c.key != "" {
				if e, ok := apperr.As(err); !ok || e.Key != c.key {
					t.Fatalf("err = %v, want %s", err, c.key)
				}
				return
			}
			if err != nil || changed != c.changed || next.Moderation.State != c.state {
				t.Fatalf("moderated = %s changed %v err %v", next.Moderation.State, changed, err)
			}
			if changed && (next.Version != 5 || !next.UpdatedAt.Equal(ruleNow) || next.Moderation.By != "admin-1") {
				t.Errorf("change not stamped: %+v", next)
			}
			if c.state == Hidden && next.Moderation.Reason != "Hors sujet" {
				t.Errorf("reason = %q", next.Moderation.Reason)
			}
			if c.state == Published && changed && !next.PublishedAt.Equal(ruleNow) {
				t.Errorf("publishedAt = %v", next.PublishedAt)
			}
		})
	}
	// Publishing again keeps the first publication date.
	first := proposalIn(Hidden, "", "")
	first.PublishedAt = ruleNow.Add(-time.Hour)
	if next, _, _ := first.moderated(publish, "a", ruleNow); !next.PublishedAt.Equal(first.PublishedAt) {
		t.Errorf("republished at %v, want %v", next.PublishedAt, first.PublishedAt)
	}
}

func TestResponses(t *testing.T) {
	just := i18n.Text{FR: "La proposition rejoint l'engagement 3.", AR: "ينضم المقترح إلى الالتزام 3."}
	cases := []struct {
		name            string
		p               Proposal
		in              ResponseInput
		changed, notify bool
		commitment      string
		key             string
	}{
		{"first response", proposalIn(Published, "", ""), ResponseInput{Outcome: "adopted", Justification: just}, true, true, "", ""},
		{"merged into a commitment links it", proposalIn(Published, "", ""), ResponseInput{Outcome: "merged", Justification: just, CommitmentID: "c3"}, true, true, "c3", ""},
		{"the same response again: nothing", proposalIn(Published, Adopted, ""), ResponseInput{Outcome: "adopted", Justification: i18n.Text{FR: "Motif.", AR: "تعليل."}}, false, false, "", ""},
		{"same response, a commitment named: linked, not emailed", proposalIn(Published, Adopted, ""), ResponseInput{Outcome: "adopted", Justification: i18n.Text{FR: "Motif.", AR: "تعليل."}, CommitmentID: "c1"}, true, false, "c1", ""},
		{"a changed justification is emailed again", proposalIn(Published, Adopted, "c1"), ResponseInput{Outcome: "adopted", Justification: just}, true, true, "c1", ""},
		{"not retained while linked", proposalIn(Published, Adopted, "c1"), ResponseInput{Outcome: "not_retained", Justification: just}, false, false, "", "cocreation.linked_not_retained"},
		{"unpublished", proposalIn(Pending, "", ""), ResponseInput{Outcome: "adopted", Justification: just}, false, false, "", "cocreation.response_unpublished"},
		{"hidden", proposalIn(Hidden, "", ""), ResponseInput{Outcome: "not_retained", Justification: just}, false, false, "", "cocreation.response_unpublished"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			next, changed, notify, err := c.p.responded(c.in, "admin-2", ruleNow)
			if c.key != "" {
				if e, ok := apperr.As(err); !ok || e.Code != apperr.Conflict || e.Key != c.key {
					t.Fatalf("err = %v, want conflict %s", err, c.key)
				}
				return
			}
			if err != nil || changed != c.changed || notify != c.notify || next.CommitmentID != c.commitment {
				t.Fatalf("responded: changed %v notify %v commitment %q err %v", changed, notify, next.CommitmentID, err)
			}
			if notify && (next.Response.By != "admin-2" || !next.Response.At.Equal(ruleNow) || next.Status() != Status(c.in.Outcome)) {
				t.Errorf("response = %+v", next.Response)
			}
		})
	}
}

func TestLinks(t *testing.T) {
	cases := []struct {
		name    string
		p       Proposal
		link    bool // link to c2, else unlink
		want    string
		changed bool
		key     string
	}{
		{"link a published proposal", proposalIn(Published, "", ""), true, "c2", true, ""},
		{"move an adopted proposal", proposalIn(Published, Adopted, "c1"), true, "c2", true, ""},
		{"link again: nothing", proposalIn(Published, "", "c2"), true, "c2", false, ""},
		{"a pending proposal", proposalIn(Pending, "", ""), true, "", false, "cocreation.link_unpublished"},
		{"a not retained proposal", proposalIn(Published, NotRetained, ""), true, "", false, "cocreation.link_not_retained"},
		{"unlink", proposalIn(Published, Adopted, "c1"), false, "", true, ""},
		{"unlink nothing", proposalIn(Published, "", ""), false, "", false, ""},
		{"a merged proposal keeps its commitment", proposalIn(Published, Merged, "c1"), false, "", false, "cocreation.unlink_merged"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var next Proposal
			var changed bool
			var err error
			if c.link {
				next, changed, err = c.p.linked("c2", ruleNow)
			} else {
				next, changed, err = c.p.unlinked(ruleNow)
			}
			if c.key != "" {
				if e, ok := apperr.As(err); !ok || e.Key != c.key {
					t.Fatalf("err = %v, want %s", err, c.key)
				}
				return
			}
			if err != nil || changed != c.changed || next.CommitmentID != c.want {
				t.Fatalf("commitment %q changed %v err %v", next.CommitmentID, changed, err)
			}
		})
	}
}

func TestPlanKeepsItsThemes(t *testing.T) {
	p := Plan{Themes: []Theme{{ID: "a"}, {ID: "b"}}}
	if _, ok := p.keepsThemes(Plan{Themes: []Theme{{ID: "b"}, {ID: "a"}, {ID: "c"}}}); !ok {
		t.Error("reordering and adding themes is refused")
	}
	if dropped, ok := p.keepsThemes(Plan{Themes: []Theme{{ID: "a"}}}); ok || dropped != "b" {
		t.Errorf("dropping b: %q %v", dropped, ok)
	}
}
