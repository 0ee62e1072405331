package calls

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/i18n"
	"espaceosc/shared/outbox"
)

// Config is what the service is built from. A function wires only what its
// routes use: the public calls function gives no Mailer, Uploads or Files.
type Config struct {
	Store   Store
	Mailer  Mailer  // the candidacies' emails and the outcomes
	Uploads Uploads // the association's uploads and their check
	Files   Files   // the evaluators' links, the exports and the dossier ZIPs
	// Directory lists the evaluators group (who can be assigned); the
	// administrators' candidacies function gives it.
	Directory     Directory
	PortalOrigin  string // builds the private links
	NoticeVersion string // stored with every consent
	// TempDir holds a dossier ZIP while it is written ("": os.TempDir(),
	// /tmp on Lambda), so that memory stays flat whatever its size.
	TempDir string
	Log     *slog.Logger
	Now     func() time.Time // nil: the system clock
	Rand    io.Reader        // nil: crypto/rand
}

// Service is the capability's logic. Its public methods return the views
// the API shows.
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
	return &Service{cfg}
}

// now is the service's time, UTC.
func (s *Service) now() time.Time { return s.Now().UTC() }

// clock is the service's time to the second, as stored and shown.
func (s *Service) clock() time.Time { return s.now().Truncate(time.Second) }

var (
	errCallNotFound   = apperr.New(apperr.NotFound, "calls.call_not_found")
	errNotFound       = apperr.New(apperr.NotFound, "calls.not_found")
	errCandNotFound   = apperr.New(apperr.NotFound, "calls.candidacy_not_found")
	errNotDraft       = apperr.New(apperr.Conflict, "calls.not_draft")
	errStale          = apperr.New(apperr.Conflict, "calls.stale")
	errNotAssigned    = apperr.New(apperr.Forbidden, "calls.not_assigned")
	errNotEvaluating  = apperr.New(apperr.Conflict, "calls.not_evaluating")
	errRecused        = apperr.New(apperr.Conflict, "calls.recused")
	errNotSubmitted   = apperr.New(apperr.Conflict, "calls.not_submitted")
	errNotAssignable  = apperr.New(apperr.Conflict, "calls.not_assignable")
	errNotPublished   = apperr.New(apperr.NotFound, "calls.results_not_published")
	errNoVerifiedDocs = apperr.New(apperr.Conflict, "calls.no_documents")
)

// notAccepting is the 409 of an action outside the call's window.
func notAccepting(call Call) error {
	return &apperr.Error{Code: apperr.Conflict, Key: "calls.not_accepting", Params: map[string]any{
		"opensAt":  call.OpensAt.In(i18n.Casablanca).Format("02/01/2006 15:04"),
		"closesAt": call.ClosesAt.In(i18n.Casablanca).Format("02/01/2006 15:04"),
	}}
}

// updateAttempts bounds the optimistic-locking retries of one change.
const updateAttempts = 5

// getCall reads a call; a malformed or unknown id is errCallNotFound.
func (s *Service) getCall(ctx context.Context, id string) (Call, error) {
	if !ValidCallID(id) {
		return Call{}, errCallNotFound
	}
	c, err := s.Store.GetCall(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return Call{}, errCallNotFound
	}
	if err != nil {
		return Call{}, fmt.Errorf("get call %s: %w", id, err)
	}
	return c, nil
}

// candidacy reads a candidacy and its call (admins); a malformed or unknown
// id is errCandNotFound.
func (s *Service) candidacy(ctx context.Context, id string) (Candidacy, Call, error) {
	if !ValidID(id) {
		return Candidacy{}, Call{}, errCandNotFound
	}
	c, err := s.Store.GetCandidacy(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return Candidacy{}, Call{}, errCandNotFound
	}
	if err != nil {
		return Candidacy{}, Call{}, fmt.Errorf("get candidacy %s: %w", id, err)
	}
	call, err := s.Store.GetCall(ctx, c.CallID)
	if err != nil {
		return Candidacy{}, Call{}, fmt.Errorf("call %s of candidacy %s: %w", c.CallID, c.ID, err)
	}
	return c, call, nil
}

// deliver sends a recorded email; a failure leaves it to the sweeper.
func (s *Service) deliver(ctx context.Context, e outbox.Email) {
	if err := s.Mailer.Deliver(ctx, e); err != nil {
		s.Log.Warn("email deferred to the sweeper", "emailId", e.ID, "kind", e.Kind, "refId", e.RefID, "code", apperr.CodeOf(err))
	}
}
