package membership

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/i18n"
	"espaceosc/shared/idempotency"
	"espaceosc/shared/morocco"
	"espaceosc/shared/outbox"
	"espaceosc/shared/secret"
)

// Config is what the service is built from.
type Config struct {
	Store         Store
	Mailer        Mailer
	PortalOrigin  string  // builds the private links
	NoticeVersion string  // stored with every consent
	Themes        []Theme // the themes of interest; nil: DefaultThemes (see ParseThemes)
	Log           *slog.Logger
	Now           func() time.Time // nil: the system clock
	Rand          io.Reader        // nil: crypto/rand
}

// Service is the capability's logic. Its methods return the views the API
// shows.
type Service struct{ Config }

// NewService returns the service of cfg.
func NewService(cfg Config) *Service {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Reader
	}
	if cfg.Themes == nil {
		cfg.Themes = DefaultThemes
	}
	return &Service{cfg}
}

// clock is the service's time, UTC, to the second (as stored and shown).
func (s *Service) clock() time.Time { return s.Now().UTC().Truncate(time.Second) }

// IdempotencyScope names requests to join among idempotency records.
const IdempotencyScope = "membership.join"

var (
	errNotFound        = apperr.New(apperr.NotFound, "membership.not_found")
	errLinkExpired     = apperr.New(apperr.NotFound, "membership.link_expired")
	errGroupNotFound   = apperr.New(apperr.NotFound, "membership.group_not_found")
	errMemberNotFound  = apperr.New(apperr.NotFound, "membership.member_not_found")
	errRequestNotFound = apperr.New(apperr.NotFound, "membership.request_not_found")
)

// attempts bounds the re-read-and-apply loops when a concurrent change wins
// the race.
const attempts = 3

// raced reports whether err is a store's lost race: a Conflict the domain
// did not name (a failed version condition).
func raced(err error) bool {
	e, ok := apperr.As(err)
	return ok && e.Code == apperr.Conflict && e.Key == ""
}

// retry runs op, which reads, applies a rule and writes, again while it
// loses races (a changed version), at most attempts times.
func retry(op func() error) error {
	var last error
	for range attempts {
		err := op()
		if !raced(err) {
			return err
		}
		last = err
	}
	return apperr.Wrap(apperr.Conflict, "membership.stale", last)
}

// storeErr names the store's sentinel errors for the user.
func storeErr(err error) error {
	switch {
	case errors.Is(err, ErrRegistrationTaken):
		return apperr.Wrap(apperr.Conflict, "membership.registration_taken", err)
	case errors.Is(err, ErrGroupInactive):
		return apperr.Wrap(apperr.Conflict, "membership.group_closed", err)
	}
	return err
}

// Join records a valid request to join with its confirmation email, then
// sends the email. A failed send does not fail the request: the email stays
// in the outbox for the sweeper. With an idempotency key, a retry of the
// same request returns the first receipt and records nothing; the same key
// with another request is apperr.Unprocessable.
func (s *Service) Join(ctx context.Context, req JoinRequest, key idempotency.Key) (Receipt, error) {
	if err := req.Validate(s.Themes); err != nil {
		return Receipt{}, err
	}
	org, themes, contact, lang := Details{Organisation: req.Organisation, Themes: req.Themes, Contact: req.Contact, Lang: req.Lang}.normalized()
	idem, err := idempotency.Begin(IdempotencyScope, key, struct {
		O Organisation
		T []string
		C Contact
		L string
	}{org, themes, contact, string(lang)})
	if err != nil {
		return Receipt{}, err
	}
	now := s.clock()
	id, err := secret.NewID(s.Rand)
	if err != nil {
		return Receipt{}, err
	}
	token, hash, err := secret.NewToken(s.Rand)
	if err != nil {
		return Receipt{}, err
	}
	m := Membership{
		ID: id, Status: Unconfirmed, Organisation: org, Themes: themes, Contact: contact, Lang: lang,
		Consent:   Consent{Given: true, At: now, NoticeVersion: s.NoticeVersion},
		TokenHash: hash, CreatedAt: now, UpdatedAt: now, ExpiresAt: now.Add(ConfirmWithin), Version: 1,
	}
	email, err := s.Mailer.Compose(contact.Email, lang, KindConfirm, id, confirmData{
		letter: letter{Lang: lang, Name: contact.Name, Organisation: org.Name},
		Link:   PrivateLink(s.PortalOrigin, lang, id, token),
	})
	if err != nil {
		return Receipt{}, err
	}
	receipt := Receipt{ID: id, Status: m.Status}
	rec, err := idem.Record(http.StatusCreated, receipt, now)
	if err != nil {
		return Receipt{}, err
	}
	if err := s.Store.CreateMembership(ctx, m, email, rec); err != nil {
		if idempotency.Retried(err) {
			if prev, ok, perr := idempotency.Earlier[Receipt](ctx, s.Store, idem); ok || perr != nil {
				return prev, perr // an earlier attempt with this key won
			}
		}
		return Receipt{}, fmt.Errorf("request membership: %w", err)
	}
	s.deliver(ctx, &email, id)
	s.Log.Info("membership requested", "membershipId", id, "region", org.Region, "lang", lang)
	return receipt, nil
}

// deliver sends an email recorded with a change; a failure is left to the
// sweeper.
func (s *Service) deliver(ctx context.Context, e *outbox.Email, refID string) {
	if e == nil {
		return
	}
	if err := s.Mailer.Deliver(ctx, *e); err != nil {
		s.Log.Warn("email deferred to the sweeper", "refId", refID, "emailId", e.ID, "kind", e.Kind, "code", apperr.CodeOf(err))
	}
}

// private reads the membership id for the holder of its private token. A
// missing or wrong token is errNotFound, exactly like an unknown id; an
// unconfirmed request past its deadline is errLinkExpired, another
// membership past its retention errNotFound.
func (s *Service) private(ctx context.Context, id, token string) (Membership, []GroupRequest, error) {
	if !secret.ValidID(id) || token == "" || len(token) > 100 {
		return Membership{}, nil, errNotFound
	}
	m, reqs, err := s.Store.GetMembershipWithRequests(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return Membership{}, nil, errNotFound
	}
	if err != nil {
		return Membership{}, nil, fmt.Errorf("get membership %s: %w", id, err)
	}
	if !m.TokenMatches(token) {
		return Membership{}, nil, errNotFound
	}
	if m.Expired(s.clock()) {
		if m.Status == Unconfirmed {
			return Membership{}, nil, errLinkExpired
		}
		return Membership{}, nil, errNotFound
	}
	return m, reqs, nil
}

// current drops the requests past their retention (not yet removed by the
// TTL) from what is shown.
func (s *Service) current(reqs []GroupRequest) []GroupRequest {
	now := s.clock()
	out := make([]GroupRequest, 0, len(reqs))
	for _, r := range reqs {
		if !r.Expired(now) {
			out = append(out, r)
		}
	}
	return out
}

// View returns the membership id to the holder of its private link.
func (s *Service) View(ctx context.Context, id, token string) (MemberView, error) {
	m, reqs, err := s.private(ctx, id, token)
	if err != nil {
		return MemberView{}, err
	}
	return m.memberView(s.current(reqs)), nil
}

// Confirm is the contact's confirmation of the address: the request waits
// for the administrators' decision. Confirming again changes nothing; an
// expired link is errLinkExpired and changes nothing either.
func (s *Service) Confirm(ctx context.Context, id, token string) (MemberView, error) {
	var view MemberView
	err := retry(func() error {
		m, reqs, err := s.private(ctx, id, token)
		if err != nil {
			return err
		}
		next, changed := confirm(m, s.clock())
		if changed {
			if err := s.Store.SaveMembership(ctx, Change{Prev: m, Next: next}); err != nil {
				return storeErr(err)
			}
			s.Log.Info("membership confirmed", "membershipId", id)
		}
		view = next.memberView(s.current(reqs))
		return nil
	})
	return view, err
}

// Update replaces the organisation's details (a confirmed request or a
// member). A member's directory entries and working-group entries change in
// the same transaction.
func (s *Service) Update(ctx context.Context, id, token string, d Details) (MemberView, error) {
	if err := d.Validate(s.Themes); err != nil {
		return MemberView{}, err
	}
	var view MemberView
	err := retry(func() error {
		m, reqs, err := s.private(ctx, id, token)
		if err != nil {
			return err
		}
		next, err := update(m, d, s.clock())
		if err != nil {
			return err
		}
		if err := s.Store.SaveMembership(ctx, Change{Prev: m, Next: next}); err != nil {
			return storeErr(err)
		}
		view = next.memberView(s.current(reqs))
		return nil
	})
	if err != nil {
		return MemberView{}, err
	}
	s.Log.Info("membership updated", "membershipId", id)
	return view, nil
}

// Leave withdraws a request or ends a membership: the organisation leaves
// the directory and its working groups, and its data is deleted (the
// confirmation email, in the outbox, follows the outbox's retention).
func (s *Service) Leave(ctx context.Context, id, token string) error {
	var email *outbox.Email
	err := retry(func() error {
		m, reqs, err := s.private(ctx, id, token)
		if err != nil {
			return err
		}
		e, err := s.Mailer.Compose(m.Contact.Email, m.Lang, KindLeft, m.ID, letter{Lang: m.Lang, Name: m.Contact.Name, Organisation: m.Organisation.Name})
		if err != nil {
			return err
		}
		if err := s.Store.DeleteMembership(ctx, m, reqs, e); err != nil {
			return err
		}
		email = &e
		return nil
	})
	if err != nil {
		return err
	}
	s.deliver(ctx, email, id)
	s.Log.Info("membership ended", "membershipId", id)
	return nil
}

// Options returns the regions, themes and legal forms in lang.
func (s *Service) Options(lang i18n.Lang) OptionsView {
	v := OptionsView{Lang: lang, LegalForms: LegalForms}
	for _, r := range morocco.Regions {
		v.Regions = append(v.Regions, OptionView{ID: r.ID, Name: r.Name.In(lang)})
	}
	for _, t := range s.Themes {
		v.Themes = append(v.Themes, OptionView{ID: t.ID, Name: t.Name.In(lang)})
	}
	return v
}
