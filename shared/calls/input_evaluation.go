package calls

import (
	"fmt"
	"slices"
	"strings"

	"espaceosc/shared/apperr"
	"espaceosc/shared/validate"
)

// The bodies of the evaluation's requests.

// AssignInput is the body of POST /api/admin/candidacies/{id}/assignments.
type AssignInput struct {
	Evaluators []string `json:"evaluators"`
}

// Validate checks the evaluators' subs.
func (in AssignInput) Validate() error {
	var fs apperr.Fields
	switch {
	case len(in.Evaluators) == 0:
		fs.Add("evaluators", "required", nil)
	case len(in.Evaluators) > MaxEvaluatorsPerRequest:
		fs.Add("evaluators", "calls.too_many", map[string]any{"max": MaxEvaluatorsPerRequest})
	}
	seen := map[string]bool{}
	for i, sub := range in.Evaluators {
		f := fmt.Sprintf("evaluators[%d]", i)
		switch {
		case !ValidSub(sub):
			fs.Add(f, "calls.sub", nil)
		case seen[sub]:
			fs.Add(f, "calls.duplicate", nil)
		}
		seen[sub] = true
	}
	return fs.Err()
}

// ScoreInput is the body of PUT /api/evaluator/candidacies/{id}/score.
type ScoreInput struct {
	Scores []ScoreItem `json:"scores"`
}

// ScoreItem is one criterion's score.
type ScoreItem struct {
	Criterion string `json:"criterion"`
	Score     *int   `json:"score"`
	Comment   string `json:"comment"`
}

// Validate checks in against the call's grid: every criterion once, each
// score within 0..MaxScore, each comment at most MaxCommentRunes. It
// returns the scores in the grid's order.
func (in ScoreInput) Validate(call Call) ([]Score, error) {
	var fs apperr.Fields
	if len(in.Scores) == 0 {
		fs.Add("scores", "required", nil)
		return nil, fs.Err()
	}
	if len(in.Scores) > len(call.Criteria) {
		fs.Add("scores", "calls.too_many", map[string]any{"max": len(call.Criteria)})
	}
	given := map[string]Score{}
	for i, it := range in.Scores {
		f := fmt.Sprintf("scores[%d]", i)
		var crit Criterion
		found := false
		for _, k := range call.Criteria {
			if k.ID == it.Criterion {
				crit, found = k, true
			}
		}
		switch {
		case it.Criterion == "":
			fs.Add(f+".criterion", "required", nil)
		case !found:
			fs.Add(f+".criterion", "calls.unknown_criterion", nil)
		case given[it.Criterion].Criterion != "":
			fs.Add(f+".criterion", "calls.duplicate", nil)
		}
		switch {
		case it.Score == nil:
			fs.Add(f+".score", "required", nil)
		case found && (*it.Score < 0 || *it.Score > crit.MaxScore):
			fs.Add(f+".score", "range", map[string]any{"min": 0, "max": crit.MaxScore})
		}
		validate.Text(&fs, f+".comment", it.Comment, 0, MaxCommentRunes, false)
		if found && it.Score != nil {
			given[it.Criterion] = Score{Criterion: it.Criterion, Score: *it.Score, Comment: strings.TrimSpace(it.Comment)}
		}
	}
	var missing []string
	for _, k := range call.Criteria {
		if _, ok := given[k.ID]; !ok && !slices.ContainsFunc(in.Scores, func(it ScoreItem) bool { return it.Criterion == k.ID }) {
			missing = append(missing, k.ID)
		}
	}
	if len(missing) > 0 {
		fs.Add("scores", "calls.missing_criteria", map[string]any{"criteria": strings.Join(missing, ", ")})
	}
	if err := fs.Err(); err != nil {
		return nil, err
	}
	out := make([]Score, 0, len(call.Criteria))
	for _, k := range call.Criteria {
		out = append(out, given[k.ID])
	}
	return out, nil
}

// RecuseInput is the body of POST /api/evaluator/candidacies/{id}/recuse.
type RecuseInput struct {
	Reason string `json:"reason"`
}

// DecisionInput is the body of POST /api/admin/candidacies/{id}/decision.
type DecisionInput struct {
	Outcome string `json:"outcome"`
}

// Validate checks the outcome.
func (in DecisionInput) Validate() error {
	var fs apperr.Fields
	validate.OneOf(&fs, "outcome", in.Outcome, Outcomes...)
	return fs.Err()
}
