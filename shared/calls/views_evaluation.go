package calls

import (
	"time"

	"espaceosc/shared/i18n"
)

// ScoreView is one criterion's score.
type ScoreView struct {
	Criterion string `json:"criterion"`
	Label     string `json:"label"`
	Score     int    `json:"score"`
	MaxScore  int    `json:"maxScore"`
	Weight    int    `json:"weight"`
	Comment   string `json:"comment"`
}

// EvaluationView is one evaluator's evaluation of one candidacy.
type EvaluationView struct {
	CandidacyID string           `json:"candidacyId"`
	Evaluator   string           `json:"evaluator"`
	Status      EvaluationStatus `json:"status"`
	Scores      []ScoreView      `json:"scores"`
	Total       *float64         `json:"total"` // Σ weight·score/max; null until scored
	Reason      string           `json:"reason,omitempty"`
	AssignedAt  string           `json:"assignedAt"`
	ScoredAt    string           `json:"scoredAt,omitempty"`
	RecusedAt   string           `json:"recusedAt,omitempty"`
}

// View returns the evaluation with the grid's labels in lang.
func (e Evaluation) View(call Call, lang i18n.Lang) EvaluationView {
	v := EvaluationView{CandidacyID: e.CandidacyID, Evaluator: e.Evaluator, Status: e.Status, Scores: []ScoreView{},
		Reason: e.Reason, AssignedAt: rfc3339(e.AssignedAt), ScoredAt: rfc3339(e.ScoredAt), RecusedAt: rfc3339(e.RecusedAt)}
	for _, k := range call.Criteria {
		for _, s := range e.Scores {
			if s.Criterion == k.ID {
				v.Scores = append(v.Scores, ScoreView{Criterion: k.ID, Label: k.Label.In(lang), Score: s.Score, MaxScore: k.MaxScore, Weight: k.Weight, Comment: s.Comment})
			}
		}
	}
	if e.Counts() {
		v.Total = Tally(call, []Evaluation{e}).Total
	}
	return v
}

// AssignmentView is one line of an evaluator's list.
type AssignmentView struct {
	CandidacyID string           `json:"candidacyId"`
	CallID      string           `json:"callId"`
	Reference   string           `json:"reference"`
	Association string           `json:"association"`
	Status      EvaluationStatus `json:"status"`
	AssignedAt  string           `json:"assignedAt"`
	ScoredAt    string           `json:"scoredAt,omitempty"`
}

// AssignmentView returns e as a line of its evaluator's list.
func (e Evaluation) AssignmentView() AssignmentView {
	return AssignmentView{CandidacyID: e.CandidacyID, CallID: e.CallID, Reference: e.Reference,
		Association: e.Association, Status: e.Status, AssignedAt: rfc3339(e.AssignedAt), ScoredAt: rfc3339(e.ScoredAt)}
}

// EvaluatorDocumentView is a verified document with its short-lived link.
type EvaluatorDocumentView struct {
	Type      string `json:"type"`
	Label     string `json:"label"`
	Size      int64  `json:"size"`
	SHA256    string `json:"sha256"`
	URL       string `json:"url,omitempty"` // absent once recused
	ExpiresAt string `json:"expiresAt,omitempty"`
}

// EvaluatorAssociationView is the association as evaluators see it: no
// email, phone or representative.
type EvaluatorAssociationView struct {
	Name               string `json:"name"`
	Acronym            string `json:"acronym,omitempty"`
	LegalForm          string `json:"legalForm,omitempty"`
	RegistrationNumber string `json:"registrationNumber,omitempty"`
	YearFounded        int    `json:"yearFounded,omitempty"`
	Region             string `json:"region,omitempty"`
	City               string `json:"city,omitempty"`
	Website            string `json:"website,omitempty"`
}

// EvaluatorCandidacyView is an assigned candidacy as its evaluator sees it.
type EvaluatorCandidacyView struct {
	ID            string                   `json:"id"`
	Reference     string                   `json:"reference"`
	Call          CallSummary              `json:"call"`
	CallStatus    Status                   `json:"callStatus"`
	Association   EvaluatorAssociationView `json:"association"`
	ThematicAreas []string                 `json:"thematicAreas"`
	WorkingGroups []string                 `json:"workingGroups"`
	Motivation    string                   `json:"motivation"`
	SubmittedAt   string                   `json:"submittedAt"`
	Documents     []EvaluatorDocumentView  `json:"documents"`
	Criteria      []CriterionView          `json:"criteria"`
	Evaluation    EvaluationView           `json:"evaluation"`
	CanScore      bool                     `json:"canScore"`
}

// EvaluatorView returns c as evaluator e sees it (without links).
func (c Candidacy) EvaluatorView(call Call, e Evaluation, lang i18n.Lang) EvaluatorCandidacyView {
	a := c.Association
	v := EvaluatorCandidacyView{
		ID: c.ID, Reference: c.Reference, CallStatus: call.Status,
		Call: call.summary(lang, false),
		Association: EvaluatorAssociationView{Name: a.Name, Acronym: a.Acronym, LegalForm: a.LegalForm, RegistrationNumber: a.RegistrationNumber,
			YearFounded: a.YearFounded, Region: a.Region, City: a.City, Website: a.Website},
		ThematicAreas: append([]string{}, c.ThematicAreas...), WorkingGroups: append([]string{}, c.WorkingGroups...),
		Motivation: c.Motivation, SubmittedAt: rfc3339(c.SubmittedAt),
		Documents: []EvaluatorDocumentView{}, Criteria: []CriterionView{},
		Evaluation: e.View(call, lang),
		CanScore:   e.Status != EvaluationRecused && call.Status == StatusEvaluating,
	}
	for _, spec := range call.Documents {
		if d, _, ok := c.Document(spec.Type); ok && d.Status == DocumentVerified && d.Key != "" {
			v.Documents = append(v.Documents, EvaluatorDocumentView{Type: spec.Type, Label: spec.Label.In(lang), Size: d.Size, SHA256: d.SHA256})
		}
	}
	for _, k := range call.Criteria {
		v.Criteria = append(v.Criteria, CriterionView{ID: k.ID, Label: k.Label.In(lang), Weight: k.Weight, MaxScore: k.MaxScore})
	}
	return v
}

// CandidacySummary is one line of the admins' list of a call's candidacies.
type CandidacySummary struct {
	ID          string          `json:"id"`
	Reference   string          `json:"reference,omitempty"`
	Status      CandidacyStatus `json:"status"`
	Outcome     Outcome         `json:"outcome,omitempty"`
	Association string          `json:"association"`
	Acronym     string          `json:"acronym,omitempty"`
	Region      string          `json:"region,omitempty"`
	City        string          `json:"city,omitempty"`
	Lang        i18n.Lang       `json:"lang"`
	CreatedAt   string          `json:"createdAt"`
	SubmittedAt string          `json:"submittedAt,omitempty"`
}

// Summary returns c's line in the admins' list.
func (c Candidacy) Summary() CandidacySummary {
	a := c.Association
	return CandidacySummary{ID: c.ID, Reference: c.Reference, Status: c.Status, Outcome: c.Outcome, Association: a.Name,
		Acronym: a.Acronym, Region: a.Region, City: a.City, Lang: c.Lang, CreatedAt: rfc3339(c.CreatedAt), SubmittedAt: rfc3339(c.SubmittedAt)}
}

// AdminCandidacyView is a candidacy with its evaluations, as admins see it.
type AdminCandidacyView struct {
	CandidacyView
	Outcome     Outcome          `json:"outcome,omitempty"`
	Evaluations []EvaluationView `json:"evaluations"`
	Total       *float64         `json:"total"`   // mean over counting evaluations; null when none
	Percent     *float64         `json:"percent"` // of the grid's total weight
	Scored      int              `json:"scored"`
	Recused     int              `json:"recused"`
}

// AdminView returns c with its evaluations evs, in lang, as of now.
func (c Candidacy) AdminView(call Call, evs []Evaluation, lang i18n.Lang, now time.Time) AdminCandidacyView {
	v := AdminCandidacyView{CandidacyView: c.View(call, lang, now), Outcome: c.Outcome, Evaluations: []EvaluationView{}}
	for _, e := range evs {
		v.Evaluations = append(v.Evaluations, e.View(call, lang))
	}
	t := Tally(call, evs)
	v.Total, v.Percent, v.Scored, v.Recused = t.Total, t.Percent, t.Scored, t.Recused
	return v
}

// RankedView is one line of the ranking.
type RankedView struct {
	Rank        int      `json:"rank"`
	CandidacyID string   `json:"candidacyId"`
	Reference   string   `json:"reference"`
	Sequence    int      `json:"-"`
	Association string   `json:"association"`
	Acronym     string   `json:"acronym,omitempty"`
	Total       *float64 `json:"total"`
	Percent     *float64 `json:"percent"`
	Scored      int      `json:"scored"`
	Recused     int      `json:"recused"`
	Outcome     Outcome  `json:"outcome,omitempty"`
}

// RankedView returns c's line of the ranking (its rank not yet set).
func (c Candidacy) RankedView(t Tallied) RankedView {
	return RankedView{CandidacyID: c.ID, Reference: c.Reference, Sequence: c.Sequence,
		Association: c.Association.Name, Acronym: c.Association.Acronym,
		Total: t.Total, Percent: t.Percent, Scored: t.Scored, Recused: t.Recused, Outcome: c.Outcome}
}

// RankingView is a call's weighted ranking.
type RankingView struct {
	CallID   string       `json:"callId"`
	Status   Status       `json:"status"`
	Seats    int          `json:"seats"`
	MaxTotal int          `json:"maxTotal"` // Σ weight: a perfect score
	Items    []RankedView `json:"items"`
}

// ExportView is the answer to an export: a short-lived download link.
type ExportView struct {
	ID        string `json:"id"`
	URL       string `json:"url"`
	ExpiresAt string `json:"expiresAt"`
	Rows      int    `json:"rows"`
	Bytes     int64  `json:"bytes,omitempty"`
}

// PublishView is the answer to publishing the results.
type PublishView struct {
	CallID      string `json:"callId"`
	Status      Status `json:"status"`
	Notified    int    `json:"notified"`    // outcomes recorded and emailed by this request
	Already     int    `json:"already"`     // outcomes recorded by an earlier request
	Selected    int    `json:"selected"`    // selected associations published
	Memberships int    `json:"memberships"` // working-group memberships created by this request
}

// ResultsView is the public list of selected associations: nothing personal.
type ResultsView struct {
	CallID   string             `json:"callId"`
	Kind     Kind               `json:"kind"`
	Title    string             `json:"title"`
	Lang     i18n.Lang          `json:"lang"`
	Seats    int                `json:"seats"`
	Selected []SelectedView     `json:"selected"`
	Groups   []WorkingGroupView `json:"workingGroups,omitempty"`
}

// SelectedView is one selected association.
type SelectedView struct {
	Name          string   `json:"name"`
	Acronym       string   `json:"acronym,omitempty"`
	City          string   `json:"city,omitempty"`
	Region        string   `json:"region,omitempty"`
	WorkingGroups []string `json:"workingGroups,omitempty"`
}

// ResultsView returns the published selection sel of c in lang.
func (c Call) ResultsView(sel []Selected, lang i18n.Lang) ResultsView {
	v := ResultsView{CallID: c.ID, Kind: c.Kind, Title: c.Title.In(lang), Lang: lang, Seats: c.Seats, Selected: []SelectedView{}}
	for _, g := range c.WorkingGroups {
		v.Groups = append(v.Groups, WorkingGroupView{ID: g.ID, Name: g.Name.In(lang)})
	}
	for _, x := range sel {
		v.Selected = append(v.Selected, SelectedView{Name: x.Name, Acronym: x.Acronym, City: x.City, Region: x.Region, WorkingGroups: x.Groups})
	}
	return v
}

// view is the answer to the export x of size bytes, whose link is url.
func (x Export) view(url string, size int64) ExportView {
	return ExportView{ID: x.ID, URL: url, ExpiresAt: rfc3339(x.At.Add(ExportLinkTTL)), Rows: x.Rows, Bytes: size}
}
