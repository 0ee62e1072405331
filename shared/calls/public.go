package calls

import (
	"context"
	"fmt"

	"espaceosc/shared/apperr"
	"espaceosc/shared/i18n"
	"espaceosc/shared/validate"
)

// What everyone sees: the calls that are not drafts, and the published
// results.

// publicCall reads a call the public may see (not a draft).
func (s *Service) publicCall(ctx context.Context, id string) (Call, error) {
	c, err := s.getCall(ctx, id)
	if err != nil {
		return Call{}, err
	}
	if c.Status == StatusDraft {
		return Call{}, errCallNotFound
	}
	return c, nil
}

// PublicCalls lists the calls with a public status (open by default), in
// lang, latest opening first.
func (s *Service) PublicCalls(ctx context.Context, status string, lang i18n.Lang, limit int, cursor string) ([]PublicCallView, string, error) {
	if status == "" {
		status = string(StatusOpen)
	}
	var fs apperr.Fields
	if !validate.OneOf(&fs, "status", status, PublicStatuses...) {
		return nil, "", fs.Err()
	}
	cs, next, err := s.Store.ListCalls(ctx, Status(status), limit, cursor)
	if err != nil {
		return nil, "", fmt.Errorf("list %s calls: %w", status, err)
	}
	now := s.now()
	views := make([]PublicCallView, 0, len(cs))
	for _, c := range cs {
		views = append(views, c.PublicView(lang, now))
	}
	return views, next, nil
}

// PublicCall returns a call that is not a draft, in lang.
func (s *Service) PublicCall(ctx context.Context, id string, lang i18n.Lang) (PublicCallView, error) {
	c, err := s.publicCall(ctx, id)
	if err != nil {
		return PublicCallView{}, err
	}
	return c.PublicView(lang, s.now()), nil
}

// PublicResults lists a call's selected associations (nothing personal)
// once its results are published; apperr.NotFound before.
func (s *Service) PublicResults(ctx context.Context, callID string, lang i18n.Lang) (ResultsView, error) {
	call, err := s.getCall(ctx, callID)
	if err != nil {
		return ResultsView{}, err
	}
	if call.Status != StatusResultsPublished {
		return ResultsView{}, errNotPublished
	}
	sel, err := s.Store.SelectedOf(ctx, call.ID)
	if err != nil {
		return ResultsView{}, fmt.Errorf("selection of call %s: %w", call.ID, err)
	}
	return call.ResultsView(sel, lang), nil
}
