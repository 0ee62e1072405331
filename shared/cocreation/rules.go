package cocreation

import (
	"strings"
	"time"

	"espaceosc/shared/apperr"
)

// The life of a proposal: received (pending), then published or hidden by a
// moderator, in any order and as often as needed (a hidden proposal keeps
// the reason for the record). A published proposal gets supports, a
// reasoned response and, unless not retained, a commitment. Each change but
// a support moves Version on.

// touched is p after a change at now.
func (p Proposal) touched(now time.Time) Proposal {
	p.UpdatedAt = now
	p.Version++
	return p
}

// moderated is p after the moderation in by the administrator by; changed
// is false when it changes nothing (publishing a published proposal). A
// proposal linked to a commitment cannot be hidden: the commitment shows it.
func (p Proposal) moderated(in ModerationInput, by string, now time.Time) (next Proposal, changed bool, err error) {
	reason := strings.TrimSpace(in.Reason)
	switch in.Action {
	case ActionPublish:
		if p.Moderation.State == Published {
			return p, false, nil
		}
		p.Moderation = ModerationRecord{State: Published, At: now, By: by}
		if p.PublishedAt.IsZero() {
			p.PublishedAt = now
		}
	case ActionHide:
		if p.CommitmentID != "" {
			return p, false, apperr.New(apperr.Conflict, "cocreation.hide_linked")
		}
		if p.Moderation.State == Hidden && p.Moderation.Reason == reason {
			return p, false, nil
		}
		p.Moderation = ModerationRecord{State: Hidden, Reason: reason, At: now, By: by}
	}
	return p.touched(now), true, nil
}

// responded is p with the reasoned response in; changed is false when it
// changes nothing, notify is true when the proposer is owed an email (a
// first response, or a changed outcome or justification). Only a published proposal gets a response, and a proposal
// linked to a commitment cannot be not retained. A commitment named by in
// links p to it.
func (p Proposal) responded(in ResponseInput, by string, now time.Time) (next Proposal, changed, notify bool, err error) {
	if !p.Public() {
		return p, false, false, apperr.New(apperr.Conflict, "cocreation.response_unpublished")
	}
	outcome := Outcome(in.Outcome)
	if outcome == NotRetained && p.CommitmentID != "" {
		return p, false, false, apperr.New(apperr.Conflict, "cocreation.linked_not_retained")
	}
	justification := trimText(in.Justification)
	sameResponse := p.Response != nil && p.Response.Outcome == outcome && p.Response.Justification == justification
	sameLink := in.CommitmentID == "" || in.CommitmentID == p.CommitmentID
	if sameResponse && sameLink {
		return p, false, false, nil
	}
	if in.CommitmentID != "" {
		p.CommitmentID = in.CommitmentID
	}
	if !sameResponse {
		p.Response = &Response{Outcome: outcome, Justification: justification, At: now, By: by}
	}
	return p.touched(now), true, !sameResponse, nil
}

// linked is p as part of the commitment id; changed is false when it
// already was. Only a published proposal that is not "not retained" can be
// linked.
func (p Proposal) linked(id string, now time.Time) (next Proposal, changed bool, err error) {
	switch {
	case !p.Public():
		return p, false, apperr.New(apperr.Conflict, "cocreation.link_unpublished")
	case p.Response != nil && p.Response.Outcome == NotRetained:
		return p, false, apperr.New(apperr.Conflict, "cocreation.link_not_retained")
	case p.CommitmentID == id:
		return p, false, nil
	}
	p.CommitmentID = id
	return p.touched(now), true, nil
}

// unlinked is p without its commitment. A merged proposal keeps the
// commitment it was merged into (respond again first).
func (p Proposal) unlinked(now time.Time) (next Proposal, changed bool, err error) {
	if p.CommitmentID == "" {
		return p, false, nil
	}
	if p.Response != nil && p.Response.Outcome == Merged {
		return p, false, apperr.New(apperr.Conflict, "cocreation.unlink_merged")
	}
	p.CommitmentID = ""
	return p.touched(now), true, nil
}

// keepsThemes reports the first theme of p that next drops (proposals are
// filed under them), if any.
func (p Plan) keepsThemes(next Plan) (dropped string, ok bool) {
	for _, t := range p.Themes {
		if _, found := next.Theme(t.ID); !found {
			return t.ID, false
		}
	}
	return "", true
}
