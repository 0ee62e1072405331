package calls

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/i18n"
	"espaceosc/shared/idempotency"
	"espaceosc/shared/outbox"
	"espaceosc/shared/secret"
	"espaceosc/shared/validate"
)

// The association's candidacy, through its private link: apply, read, edit,
// withdraw. Uploads are in documents.go, the submission in submit.go.

// ApplyScope names applications among idempotency records.
const ApplyScope = "calls.apply"

// applyRequest is what an application's idempotency key is bound to: the
// call and the body as decoded.
type applyRequest struct {
	Call string
	In   Application
}

// Apply records a draft candidacy for an open call and emails the
// association its private link. With an idempotency key, a retry of the
// same application returns the first response and records nothing (no second
// draft, no second email), even after the call closed; the same key with
// another application is apperr.Unprocessable.
func (s *Service) Apply(ctx context.Context, callID string, in Application, key idempotency.Key) (Created, error) {
	call, err := s.publicCall(ctx, callID)
	if err != nil {
		return Created{}, err
	}
	now := s.clock()
	c := in.draft()
	if err := in.validate(c, call, now); err != nil {
		return Created{}, err
	}
	req, err := idempotency.Begin(ApplyScope, key, applyRequest{Call: call.ID, In: in})
	if err != nil {
		return Created{}, err
	}
	if !call.Accepting(now) {
		// The call closed after a first attempt that may have won.
		if prev, ok, perr := idempotency.Earlier[Created](ctx, s.Store, req); ok || perr != nil {
			return prev, perr
		}
		return Created{}, notAccepting(call)
	}
	token, err := s.newCandidacy(&c, call, now)
	if err != nil {
		return Created{}, err
	}
	link, err := s.Mailer.Compose(c.Association.Email, c.Lang, KindLinkEmail, c.ID, linkData{
		Lang: c.Lang, Name: c.Representative.Name, Association: c.Association.Name, Call: call.Title.In(c.Lang),
		ClosesAt: call.ClosesAt, Link: PrivateLink(s.PortalOrigin, c.Lang, c.ID, token),
	})
	if err != nil {
		return Created{}, err
	}
	created := Created{ID: c.ID, Status: c.Status, Documents: c.Dossier(call, c.Lang)}
	rec, err := req.Record(http.StatusCreated, created, now)
	if err != nil {
		return Created{}, err
	}
	if err := s.Store.CreateCandidacy(ctx, c, link, rec); err != nil {
		if idempotency.Retried(err) {
			if prev, ok, perr := idempotency.Earlier[Created](ctx, s.Store, req); ok || perr != nil {
				return prev, perr // an earlier attempt with this key won
			}
		}
		return Created{}, fmt.Errorf("create candidacy: %w", err)
	}
	s.deliver(ctx, link)
	s.Log.Info("candidacy created", "candidacyId", c.ID, "callId", call.ID, "lang", c.Lang)
	return created, nil
}

// newCandidacy gives the draft c of call its id, its private token (returned;
// only its hash is kept), its consent and its retention.
func (s *Service) newCandidacy(c *Candidacy, call Call, now time.Time) (string, error) {
	id, err := secret.NewID(s.Rand)
	if err != nil {
		return "", err
	}
	token, hash, err := secret.NewToken(s.Rand)
	if err != nil {
		return "", err
	}
	c.ID, c.CallID, c.Status, c.TokenHash = id, call.ID, CandidacyDraft, hash
	c.Consent = Consent{Given: true, At: now, NoticeVersion: s.NoticeVersion}
	c.CreatedAt, c.UpdatedAt, c.ExpiresAt, c.Version = now, now, call.ClosesAt.Add(Retention), 1
	return token, nil
}

// authorized returns the candidacy id if token is its private token;
// anything else is the same apperr.NotFound.
func (s *Service) authorized(ctx context.Context, id, token string) (Candidacy, error) {
	if !ValidID(id) || token == "" || len(token) > 200 {
		return Candidacy{}, errNotFound
	}
	c, err := s.Store.GetCandidacy(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return Candidacy{}, errNotFound
	}
	if err != nil {
		return Candidacy{}, fmt.Errorf("get candidacy %s: %w", id, err)
	}
	if !c.TokenMatches(token) {
		return Candidacy{}, errNotFound
	}
	return c, nil
}

// open returns the candidacy id and its call if token is its private token.
func (s *Service) open(ctx context.Context, id, token string) (Candidacy, Call, error) {
	c, err := s.authorized(ctx, id, token)
	if err != nil {
		return Candidacy{}, Call{}, err
	}
	call, err := s.Store.GetCall(ctx, c.CallID)
	if err != nil {
		return Candidacy{}, Call{}, fmt.Errorf("call %s of candidacy %s: %w", c.CallID, c.ID, err)
	}
	return c, call, nil
}

// CheckToken reports whether token opens the candidacy id (apperr.NotFound
// otherwise), so that a stranger learns nothing from a request's
// validation errors.
func (s *Service) CheckToken(ctx context.Context, id, token string) error {
	_, err := s.authorized(ctx, id, token)
	return err
}

// Open returns the candidacy id, in lang, to whoever holds its private token.
func (s *Service) Open(ctx context.Context, id, token string, lang i18n.Lang) (CandidacyView, error) {
	c, call, err := s.open(ctx, id, token)
	if err != nil {
		return CandidacyView{}, err
	}
	return c.View(call, lang, s.now()), nil
}

// changeCandidacy applies change (which checks what it allows) to a candidacy
// with optimistic locking; email (built from the changed candidacy, may be
// nil) is recorded in the same transaction and sent after.
func (s *Service) changeCandidacy(ctx context.Context, id, token string, change func(c *Candidacy, call Call, now time.Time) error,
	email func(c Candidacy, call Call) (*outbox.Email, error)) (Candidacy, Call, error) {
	for range updateAttempts {
		c, call, err := s.open(ctx, id, token)
		if err != nil {
			return Candidacy{}, Call{}, err
		}
		now := s.clock()
		prev := c.Version
		if err := change(&c, call, now); err != nil {
			return Candidacy{}, Call{}, err
		}
		c.UpdatedAt, c.Version = now, prev+1
		var e *outbox.Email
		if email != nil {
			if e, err = email(c, call); err != nil {
				return Candidacy{}, Call{}, err
			}
		}
		err = s.Store.UpdateCandidacy(ctx, c, prev, e)
		if apperr.Is(err, apperr.Conflict) {
			continue
		}
		if err != nil {
			return Candidacy{}, Call{}, fmt.Errorf("update candidacy %s: %w", id, err)
		}
		if e != nil {
			s.deliver(ctx, *e)
		}
		return c, call, nil
	}
	return Candidacy{}, Call{}, errStale
}

// Patch edits a draft; the answer is the candidacy in lang.
func (s *Service) Patch(ctx context.Context, id, token string, p CandidacyPatch, lang i18n.Lang) (CandidacyView, error) {
	c, call, err := s.changeCandidacy(ctx, id, token, func(c *Candidacy, call Call, now time.Time) error {
		var fs apperr.Fields
		if p.Lang != nil && validate.Lang(&fs, "lang", *p.Lang) {
			c.Lang, _ = i18n.Parse(*p.Lang)
		}
		p.apply(c)
		checkDraft(&fs, *c, call, now)
		if err := fs.Err(); err != nil {
			return err
		}
		return guardDraft(*c, call, now)
	}, nil)
	if err != nil {
		return CandidacyView{}, err
	}
	s.Log.Info("candidacy edited", "candidacyId", c.ID, "version", c.Version)
	return c.View(call, lang, s.now()), nil
}

// Withdraw withdraws a draft or submitted candidacy until the call closes
// (a submitted one keeps its reference) and confirms it by email.
func (s *Service) Withdraw(ctx context.Context, id, token string, lang i18n.Lang) (CandidacyView, error) {
	c, call, err := s.changeCandidacy(ctx, id, token, func(c *Candidacy, call Call, now time.Time) error {
		if c.Status == CandidacyWithdrawn {
			return apperr.New(apperr.Conflict, "calls.already_withdrawn")
		}
		if !call.Accepting(now) {
			return notAccepting(call)
		}
		c.Status, c.WithdrawnAt = CandidacyWithdrawn, now
		return nil
	}, func(c Candidacy, call Call) (*outbox.Email, error) {
		e, err := s.Mailer.Compose(c.Association.Email, c.Lang, KindWithdrawEmail, c.ID, withdrawnData{
			Lang: c.Lang, Name: c.Representative.Name, Association: c.Association.Name, Call: call.Title.In(c.Lang),
			Reference: c.Reference, WithdrawnAt: c.WithdrawnAt,
		})
		return &e, err
	})
	if err != nil {
		return CandidacyView{}, err
	}
	s.Log.Info("candidacy withdrawn", "candidacyId", c.ID, "callId", call.ID)
	return c.View(call, lang, s.now()), nil
}
