package cocreation

import (
	"testing"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/i18n"
)

func TestCurrentPhaseAndProposalsWindow(t *testing.T) {
	p, err := validPlan().plan()
	if err != nil {
		t.Fatal(err)
	}
	casa := func(y int, m time.Month, d, h, min int) time.Time {
		return time.Date(y, m, d, h, min, 0, 0, i18n.Casablanca)
	}
	cases := []struct {
		name    string
		now     time.Time
		current PhaseKind // "" between phases
		key     string    // acceptsProposals' refusal, "" when open
		states  string    // the three phases' states
	}{
		{"before the plan", casa(2026, 1, 1, 12, 0), "", "cocreation.proposals_not_open", "upcoming,upcoming,upcoming"},
		{"preparation", casa(2026, 1, 31, 23, 59), Preparation, "cocreation.proposals_not_open", "current,upcoming,upcoming"},
		{"first minute of the proposals (Casablanca midnight)", casa(2026, 2, 1, 0, 0), ProposalsPhase, "", "done,current,upcoming"},
		{"last minute of the proposals", casa(2026, 3, 15, 23, 59), ProposalsPhase, "", "done,current,upcoming"},
		{"analysis", casa(2026, 3, 16, 0, 0), Analysis, "cocreation.proposals_closed", "done,done,current"},
		{"after the plan", casa(2026, 6, 1, 0, 0), "", "cocreation.proposals_closed", "done,done,done"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			now := c.now.UTC()
			cur, ok := p.Current(now)
			if ok != (c.current != "") || cur.Kind != c.current {
				t.Errorf("current = %q (%v), want %q", cur.Kind, ok, c.current)
			}
			err := p.acceptsProposals(now)
			if c.key == "" && err != nil {
				t.Errorf("proposals refused: %v", err)
			}
			if c.key != "" {
				e, ok := apperr.As(err)
				if !ok || e.Code != apperr.Conflict || e.Key != c.key || e.Params["startsOn"] != "01/02/2026" || e.Params["endsOn"] != "15/03/2026" {
					t.Errorf("refusal = %v %+v, want conflict %s with the days", err, e, c.key)
				}
			}
			var states []string
			for _, ph := range p.Phases {
				states = append(states, string(ph.State(now)))
			}
			if got := join(states); got != c.states {
				t.Errorf("states = %s, want %s", got, c.states)
			}
			v := p.View(i18n.AR, now)
			if v.CurrentPhase != c.current || v.AcceptingProposals != (c.key == "") || v.Phases[1].Label != "طلب المقترحات" || v.TimeZone != "Africa/Casablanca" {
				t.Errorf("view = %+v", v)
			}
		})
	}
	noCall := p
	noCall.Phases = p.Phases[:1]
	if err := noCall.acceptsProposals(casa(2026, 2, 2, 0, 0)); apperr.CodeOf(err) != apperr.Conflict {
		t.Errorf("a plan without a proposals phase accepts: %v", err)
	}
}

func join(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += ","
		}
		out += x
	}
	return out
}

func TestSupportExpiry(t *testing.T) {
	p, _ := validPlan().plan()
	withAdoption := p
	withAdoption.Phases = append(append([]Phase{}, p.Phases...), Phase{
		Kind: Adoption, Start: time.Date(2026, 9, 1, 0, 0, 0, 0, i18n.Casablanca).UTC(), End: time.Date(2026, 10, 1, 0, 0, 0, 0, i18n.Casablanca).UTC(),
	})
	now := time.Date(2026, 2, 10, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		name string
		plan Plan
		now  time.Time
		want time.Time
	}{
		{"a year after adoption", withAdoption, now, withAdoption.Phases[3].End.Add(SupportRetention)},
		{"no adoption: after the last phase", p, now, p.Phases[2].End.Add(SupportRetention)},
		{"late support: a year from now", withAdoption, now.AddDate(3, 0, 0), now.AddDate(3, 0, 0).Add(SupportRetention)},
	}
	for _, c := range cases {
		if got := c.plan.supportExpiry(c.now); !got.Equal(c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
