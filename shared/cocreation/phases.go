package cocreation

import (
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/i18n"
)

// PhaseKind is one step of a plan's co-creation.
type PhaseKind string

const (
	Preparation    PhaseKind = "preparation"    // method workshop; the space opens
	ThemesPhase    PhaseKind = "themes"         // consultation on priority themes
	ProposalsPhase PhaseKind = "proposals"      // call for proposals: submissions accepted
	Analysis       PhaseKind = "analysis"       // proposals analysed; reasoned responses
	Commitments    PhaseKind = "commitments"    // commitments drafted with the proposals behind them
	Adoption       PhaseKind = "adoption"       // consultation on the draft plan, adoption
	Implementation PhaseKind = "implementation" // the plan is carried out
)

// PhaseKinds lists the phases in their order.
var PhaseKinds = []PhaseKind{Preparation, ThemesPhase, ProposalsPhase, Analysis, Commitments, Adoption, Implementation}

// PhaseLabels are the phases' names as people read them.
var PhaseLabels = map[PhaseKind]i18n.Text{
	Preparation:    {FR: "Préparation", AR: "الإعداد"},
	ThemesPhase:    {FR: "Consultation sur les thèmes prioritaires", AR: "التشاور حول المحاور ذات الأولوية"},
	ProposalsPhase: {FR: "Appel à propositions", AR: "طلب المقترحات"},
	Analysis:       {FR: "Analyse des propositions et réponses motivées", AR: "تحليل المقترحات والردود المعللة"},
	Commitments:    {FR: "Rédaction des engagements", AR: "صياغة الالتزامات"},
	Adoption:       {FR: "Consultation et adoption du plan", AR: "التشاور حول الخطة واعتمادها"},
	Implementation: {FR: "Mise en œuvre", AR: "التنفيذ"},
}

// Phase is one phase of a plan: whole days in Casablanca, from the start of
// its first day to the end of its last.
type Phase struct {
	Kind  PhaseKind
	Start time.Time // 00:00 Casablanca of the first day (UTC)
	End   time.Time // 00:00 Casablanca of the day after the last (UTC, exclusive)
}

// dayLayout is how a phase's days are written (Casablanca calendar days).
const dayLayout = "2006-01-02"

// parseDay reads a YYYY-MM-DD day and returns its start in Casablanca.
func parseDay(s string) (time.Time, bool) {
	t, err := time.ParseInLocation(dayLayout, s, i18n.Casablanca)
	if err != nil || t.Year() < 2000 || t.Year() > 2200 {
		return time.Time{}, false
	}
	return t, true
}

// nextDay is the start (Casablanca) of the day after day t.
func nextDay(t time.Time) time.Time {
	l := t.In(i18n.Casablanca)
	return time.Date(l.Year(), l.Month(), l.Day()+1, 0, 0, 0, 0, i18n.Casablanca)
}

// StartsOn is the phase's first day (YYYY-MM-DD, Casablanca).
func (ph Phase) StartsOn() string { return ph.Start.In(i18n.Casablanca).Format(dayLayout) }

// EndsOn is the phase's last day (YYYY-MM-DD, Casablanca).
func (ph Phase) EndsOn() string {
	return ph.End.Add(-time.Second).In(i18n.Casablanca).Format(dayLayout)
}

// Contains reports whether now is within the phase.
func (ph Phase) Contains(now time.Time) bool { return !now.Before(ph.Start) && now.Before(ph.End) }

// PhaseState is where a phase stands at a given time.
type PhaseState string

const (
	PhaseDone     PhaseState = "done"
	PhaseCurrent  PhaseState = "current"
	PhaseUpcoming PhaseState = "upcoming"
)

// State is where the phase stands at now.
func (ph Phase) State(now time.Time) PhaseState {
	switch {
	case !now.Before(ph.End):
		return PhaseDone
	case ph.Contains(now):
		return PhaseCurrent
	}
	return PhaseUpcoming
}

// Phase returns the plan's phase of kind.
func (p Plan) Phase(kind PhaseKind) (Phase, bool) {
	for _, ph := range p.Phases {
		if ph.Kind == kind {
			return ph, true
		}
	}
	return Phase{}, false
}

// Current returns the phase under way at now; between phases, or before the
// first and after the last, there is none.
func (p Plan) Current(now time.Time) (Phase, bool) {
	for _, ph := range p.Phases {
		if ph.Contains(now) {
			return ph, true
		}
	}
	return Phase{}, false
}

// day formats a day for a message (DD/MM/YYYY).
func day(t time.Time) string { return t.In(i18n.Casablanca).Format("02/01/2006") }

// acceptsProposals returns nil during the plan's proposals phase, else the
// Conflict that says when proposals are (or were) received.
func (p Plan) acceptsProposals(now time.Time) error {
	ph, ok := p.Phase(ProposalsPhase)
	if !ok {
		return apperr.New(apperr.Conflict, "cocreation.no_proposals_phase")
	}
	params := map[string]any{"startsOn": day(ph.Start), "endsOn": day(ph.End.Add(-time.Second))}
	switch ph.State(now) {
	case PhaseUpcoming:
		return &apperr.Error{Code: apperr.Conflict, Key: "cocreation.proposals_not_open", Params: params}
	case PhaseDone:
		return &apperr.Error{Code: apperr.Conflict, Key: "cocreation.proposals_closed", Params: params}
	}
	return nil
}

// supportExpiry is when a support confirmed now may be deleted:
// SupportRetention after the end of the adoption phase (of the last phase
// when the plan has none), and never less than SupportRetention from now.
func (p Plan) supportExpiry(now time.Time) time.Time {
	end := now
	if ph, ok := p.Phase(Adoption); ok {
		end = ph.End
	} else if n := len(p.Phases); n > 0 {
		end = p.Phases[n-1].End
	}
	if end.Before(now) {
		end = now
	}
	return end.Add(SupportRetention).UTC()
}
