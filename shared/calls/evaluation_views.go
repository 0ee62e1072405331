package calls

import (
	"espaceosc/shared/i18n"
	"espaceosc/shared/mail"
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
		Call: CallSummary{ID: call.ID, Kind: call.Kind, Title: call.Title.In(lang), ClosesAt: rfc3339(call.ClosesAt)},
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

// RankingView is a call's weighted ranking.
type RankingView struct {
	CallID   string       `json:"callId"`
	Status   Status       `json:"status"`
	Seats    int          `json:"seats"`
	MaxTotal int          `json:"maxTotal"` // Σ weight: a perfect score
	Items    []RankedView `json:"items"`
}

// outcomeMessage tells a candidate the outcome, in their language.
func outcomeMessage(c Candidacy, call Call) mail.Message {
	ref := c.Reference
	if c.Lang == i18n.AR {
		var verdict string
		switch c.Outcome {
		case OutcomeSelected:
			verdict = "يسعدنا إخباركم بأن لجنة الانتقاء المستقلة قد اختارت جمعية «" + c.Association.Name + "»."
		case OutcomeReserve:
			verdict = "وضعت لجنة الانتقاء المستقلة جمعية «" + c.Association.Name + "» في لائحة الانتظار. سنتصل بكم إذا شغر مقعد."
		default:
			verdict = "نأسف لإخباركم بأن لجنة الانتقاء المستقلة لم تختر جمعية «" + c.Association.Name + "» هذه المرة. نشكركم على اهتمامكم ومشاركتكم."
		}
		return mail.Message{Lang: i18n.AR, Subject: "نتيجة الترشيح — " + ref, Blocks: []mail.Block{
			{Text: "مرحبًا " + c.Representative.Name + "،"},
			{Text: "تم نشر نتائج طلب «" + call.Title.AR + "» (المرجع " + ref + ")."},
			{Text: verdict},
		}, Footer: footerAR}
	}
	var verdict string
	switch c.Outcome {
	case OutcomeSelected:
		verdict = "Nous avons le plaisir de vous informer que le comité de sélection indépendant a retenu l'association « " + c.Association.Name + " »."
	case OutcomeReserve:
		verdict = "Le comité de sélection indépendant a inscrit l'association « " + c.Association.Name + " » sur la liste d'attente. Nous vous contacterons si un siège se libère."
	default:
		verdict = "Nous avons le regret de vous informer que le comité de sélection indépendant n'a pas retenu l'association « " + c.Association.Name + " » cette fois-ci. Merci de votre intérêt et de votre participation."
	}
	return mail.Message{Lang: i18n.FR, Subject: "Résultat de votre candidature — " + ref, Blocks: []mail.Block{
		{Text: "Bonjour " + c.Representative.Name + ","},
		{Text: "Les résultats de l'appel « " + call.Title.FR + " » (référence " + ref + ") sont publiés."},
		{Text: verdict},
	}, Footer: footerFR}
}
