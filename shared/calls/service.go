package calls

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/i18n"
	"espaceosc/shared/idempotency"
	"espaceosc/shared/mail"
	"espaceosc/shared/outbox"
	"espaceosc/shared/validate"
)

// UploadTTL is how long a presigned upload stays valid.
const UploadTTL = 10 * time.Minute

// Config is what the service needs besides its dependencies.
type Config struct {
	PortalOrigin  string // builds private links
	NoticeVersion string // stored with every consent
}

// Service is the capability's logic. Functions wire only what their routes
// use: the public calls function gives no Uploads and no Deliverer.
type Service struct {
	store   Store
	uploads Uploads
	outbox  Deliverer
	cfg     Config
	log     *slog.Logger
	now     func() time.Time
	rand    io.Reader
}

// NewService returns the service.
func NewService(store Store, uploads Uploads, ob Deliverer, cfg Config, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	return &Service{store: store, uploads: uploads, outbox: ob, cfg: cfg, log: log,
		now: func() time.Time { return time.Now().UTC() }, rand: defaultRand}
}

// WithClock replaces the clock (tests).
func (s *Service) WithClock(now func() time.Time) *Service {
	c := *s
	c.now = now
	return &c
}

// Now is the service's clock (UTC).
func (s *Service) Now() time.Time { return s.now().UTC() }

var (
	errCallNotFound = apperr.New(apperr.NotFound, "calls.call_not_found")
	errNotFound     = apperr.New(apperr.NotFound, "calls.not_found")
	errNotDraft     = apperr.New(apperr.Conflict, "calls.not_draft")
	errStale        = apperr.New(apperr.Conflict, "calls.stale")
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

// ---------------------------------------------------------------- calls (admins)

// CreateCall records a new call as a draft.
func (s *Service) CreateCall(ctx context.Context, in CallInput) (Call, error) {
	if err := in.Validate(); err != nil {
		return Call{}, err
	}
	now := s.now().Truncate(time.Second)
	id := in.ID
	if id == "" {
		suffix, err := randomBase32(s.rand, 6)
		if err != nil {
			return Call{}, err
		}
		id = in.Kind + "-" + in.OpensAt[:min(4, len(in.OpensAt))] + "-" + suffix
		if !ValidCallID(id) {
			id = in.Kind + "-" + suffix
		}
	}
	c := Call{ID: id, Status: StatusDraft, CreatedAt: now, UpdatedAt: now, Version: 1}
	in.apply(&c)
	if err := s.store.CreateCall(ctx, c); err != nil {
		if apperr.Is(err, apperr.Conflict) {
			return Call{}, apperr.Wrap(apperr.Conflict, "calls.id_taken", err)
		}
		return Call{}, fmt.Errorf("create call: %w", err)
	}
	s.log.Info("call created", "callId", c.ID, "kind", c.Kind)
	return c, nil
}

// GetCall returns any call (admins).
func (s *Service) GetCall(ctx context.Context, id string) (Call, error) {
	if !ValidCallID(id) {
		return Call{}, errCallNotFound
	}
	c, err := s.store.GetCall(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return Call{}, errCallNotFound
	}
	return c, err
}

// ListCalls lists calls (admins): all, or those with status.
func (s *Service) ListCalls(ctx context.Context, status string, limit int, cursor string) ([]Call, string, error) {
	if status != "" {
		var fs apperr.Fields
		if !slices.Contains(Statuses, status) {
			fs.Add("status", "one_of", map[string]any{"values": joinComma(Statuses)})
			return nil, "", fs.Err()
		}
	}
	return s.store.ListCalls(ctx, Status(status), limit, cursor)
}

// UpdateCall replaces a call's content. A draft or open call can be edited;
// once closed, the rules of the selection are frozen.
func (s *Service) UpdateCall(ctx context.Context, id string, in CallInput) (Call, error) {
	if in.ID != "" && in.ID != id {
		var fs apperr.Fields
		fs.Add("id", "calls.immutable_id", nil)
		return Call{}, fs.Err()
	}
	in.ID = ""
	if err := in.Validate(); err != nil {
		return Call{}, err
	}
	return s.changeCall(ctx, id, func(c *Call) error {
		if c.Status != StatusDraft && c.Status != StatusOpen {
			return apperr.New(apperr.Conflict, "calls.not_editable")
		}
		if Kind(in.Kind) != c.Kind && c.Status != StatusDraft {
			var fs apperr.Fields
			fs.Add("kind", "calls.kind_frozen", nil)
			return fs.Err()
		}
		in.apply(c)
		return nil
	})
}

// SetCallStatus moves a call one step forward: draft → open → closed →
// evaluating. Publishing results belongs to the evaluation capability.
func (s *Service) SetCallStatus(ctx context.Context, id string, in StatusInput) (Call, error) {
	var fs apperr.Fields
	allowed := []string{string(StatusOpen), string(StatusClosed), string(StatusEvaluating)}
	if !validate.OneOf(&fs, "status", in.Status, allowed...) {
		return Call{}, fs.Err()
	}
	to := Status(in.Status)
	return s.changeCall(ctx, id, func(c *Call) error {
		if c.Status == to {
			return nil
		}
		if to.rank() != c.Status.rank()+1 {
			return apperr.New(apperr.Conflict, "calls.bad_transition")
		}
		c.Status = to
		return nil
	})
}

func (s *Service) changeCall(ctx context.Context, id string, change func(*Call) error) (Call, error) {
	for range updateAttempts {
		c, err := s.GetCall(ctx, id)
		if err != nil {
			return Call{}, err
		}
		before := c
		if err := change(&c); err != nil {
			return Call{}, err
		}
		if sameCall(before, c) {
			return c, nil
		}
		c.UpdatedAt, c.Version = s.now().Truncate(time.Second), before.Version+1
		err = s.store.UpdateCall(ctx, c, before.Version)
		if apperr.Is(err, apperr.Conflict) {
			continue
		}
		if err != nil {
			return Call{}, fmt.Errorf("update call %s: %w", id, err)
		}
		s.log.Info("call updated", "callId", c.ID, "status", c.Status, "version", c.Version)
		return c, nil
	}
	return Call{}, errStale
}

func sameCall(a, b Call) bool {
	return fmt.Sprintf("%#v", a) == fmt.Sprintf("%#v", b)
}

// ---------------------------------------------------------------- calls (public)

// PublicCalls lists the calls with a public status (open by default).
func (s *Service) PublicCalls(ctx context.Context, status string, limit int, cursor string) ([]Call, string, error) {
	if status == "" {
		status = string(StatusOpen)
	}
	var fs apperr.Fields
	if !validate.OneOf(&fs, "status", status, PublicStatuses...) {
		return nil, "", fs.Err()
	}
	return s.store.ListCalls(ctx, Status(status), limit, cursor)
}

// PublicCall returns a call the public may see (not a draft).
func (s *Service) PublicCall(ctx context.Context, id string) (Call, error) {
	c, err := s.GetCall(ctx, id)
	if err != nil {
		return Call{}, err
	}
	if c.Status == StatusDraft {
		return Call{}, errCallNotFound
	}
	return c, nil
}

// ---------------------------------------------------------------- candidacies

// ApplyScope names applications among idempotency records.
const ApplyScope = "calls.apply"

// Apply records a draft candidacy for an open call and emails the
// association its private link. With an idempotency key, a retry of the
// same application returns the first response and records nothing (no second
// draft, no second email); the same key with another application is
// apperr.Unprocessable.
func (s *Service) Apply(ctx context.Context, callID string, in Application, idemKey string) (Created, error) {
	if idemKey != "" {
		if err := idempotency.ValidateKey(idemKey); err != nil {
			return Created{}, err
		}
	}
	call, err := s.PublicCall(ctx, callID)
	if err != nil {
		return Created{}, err
	}
	now := s.now().Truncate(time.Second)
	lang, _ := i18n.Parse(in.Lang)
	c := Candidacy{
		CallID: call.ID, Status: CandidacyDraft,
		Association: trimAssociation(in.Association), Representative: trimRepresentative(in.Representative),
		ThematicAreas: in.ThematicAreas, WorkingGroups: in.WorkingGroups, Motivation: trimText(in.Motivation),
		Lang: lang,
	}
	var fs apperr.Fields
	checkDraft(&fs, c, call, now)
	validate.Lang(&fs, "lang", in.Lang)
	if in.Consent == nil || !*in.Consent {
		fs.Add("consent", "consent", nil)
	}
	if err := fs.Err(); err != nil {
		return Created{}, err
	}
	var rec *idempotency.Record
	var fingerprint string
	if idemKey != "" {
		if fingerprint, err = applyFingerprint(call.ID, in); err != nil {
			return Created{}, err
		}
		r := idempotency.New(ApplyScope, idemKey, fingerprint, http.StatusCreated, nil, now)
		rec = &r
	}
	if !call.Accepting(now) {
		if rec != nil {
			// The call closed after a first attempt that may have won.
			if prev, ok, rerr := s.replayApply(ctx, rec, fingerprint); ok || rerr != nil {
				return prev, rerr
			}
		}
		return Created{}, notAccepting(call)
	}
	id, err := newID(s.rand)
	if err != nil {
		return Created{}, err
	}
	token, hash, err := newToken(s.rand)
	if err != nil {
		return Created{}, err
	}
	c.ID, c.TokenHash = id, hash
	c.Consent = Consent{Given: true, At: now, NoticeVersion: s.cfg.NoticeVersion}
	c.CreatedAt, c.UpdatedAt, c.ExpiresAt, c.Version = now, now, call.ClosesAt.Add(Retention), 1
	email, err := s.email(KindLinkEmail, c, linkMessage(c, call, PrivateLink(s.cfg.PortalOrigin, c.Lang, c.ID, token)), now)
	if err != nil {
		return Created{}, err
	}
	created := Created{ID: c.ID, Status: c.Status, Documents: c.Dossier(call, c.Lang)}
	if rec != nil {
		if rec.Body, err = json.Marshal(created); err != nil {
			return Created{}, fmt.Errorf("marshal created candidacy: %w", err)
		}
	}
	if err := s.store.CreateCandidacy(ctx, c, email, rec); err != nil {
		if rec != nil && (errors.Is(err, idempotency.ErrRecorded) || apperr.Is(err, apperr.Unavailable)) {
			// A previous attempt with this key won: answer as it did.
			if prev, ok, rerr := s.replayApply(ctx, rec, fingerprint); ok || rerr != nil {
				return prev, rerr
			}
		}
		return Created{}, fmt.Errorf("create candidacy: %w", err)
	}
	s.deliver(ctx, email)
	s.log.Info("candidacy created", "candidacyId", c.ID, "callId", call.ID, "lang", c.Lang)
	return created, nil
}

// applyFingerprint identifies an application: the call and the body as decoded.
func applyFingerprint(callID string, in Application) (string, error) {
	return idempotency.Fingerprint(struct {
		Call string
		In   Application
	}{callID, in})
}

// replayApply returns the response recorded under rec's key; ok is false
// when there is none (the original outcome stands).
func (s *Service) replayApply(ctx context.Context, rec *idempotency.Record, fingerprint string) (Created, bool, error) {
	return idempotency.Lookup[Created](ctx, s.store, rec, fingerprint)
}

// Open returns the candidacy id and its call if token is its private token;
// anything else is the same apperr.NotFound.
func (s *Service) Open(ctx context.Context, id, token string) (Candidacy, Call, error) {
	if !ValidID(id) || token == "" || len(token) > 200 {
		return Candidacy{}, Call{}, errNotFound
	}
	c, err := s.store.GetCandidacy(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return Candidacy{}, Call{}, errNotFound
	}
	if err != nil {
		return Candidacy{}, Call{}, err
	}
	if !c.TokenMatches(token) {
		return Candidacy{}, Call{}, errNotFound
	}
	call, err := s.store.GetCall(ctx, c.CallID)
	if err != nil {
		return Candidacy{}, Call{}, fmt.Errorf("call %s of candidacy %s: %w", c.CallID, c.ID, err)
	}
	return c, call, nil
}

// changeCandidacy applies change (which checks what it allows) to a candidacy
// with optimistic locking; email (built from the changed candidacy, may be
// nil) is recorded in the same transaction and sent after.
func (s *Service) changeCandidacy(ctx context.Context, id, token string, change func(c *Candidacy, call Call, now time.Time) error,
	email func(c Candidacy, call Call, now time.Time) (*outbox.Email, error)) (Candidacy, Call, error) {
	for range updateAttempts {
		c, call, err := s.Open(ctx, id, token)
		if err != nil {
			return Candidacy{}, Call{}, err
		}
		now := s.now().Truncate(time.Second)
		prev := c.Version
		if err := change(&c, call, now); err != nil {
			return Candidacy{}, Call{}, err
		}
		c.UpdatedAt, c.Version = now, prev+1
		var e *outbox.Email
		if email != nil {
			if e, err = email(c, call, now); err != nil {
				return Candidacy{}, Call{}, err
			}
		}
		err = s.store.UpdateCandidacy(ctx, c, prev, e)
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

// guardDraft refuses changes to a candidacy that is not an editable draft.
func guardDraft(c Candidacy, call Call, now time.Time) error {
	if c.Status != CandidacyDraft {
		return errNotDraft
	}
	if !call.Accepting(now) {
		return notAccepting(call)
	}
	return nil
}

// Patch edits a draft.
func (s *Service) Patch(ctx context.Context, id, token string, p CandidacyPatch) (Candidacy, Call, error) {
	return s.changeCandidacy(ctx, id, token, func(c *Candidacy, call Call, now time.Time) error {
		if p.Association != nil {
			c.Association = trimAssociation(*p.Association)
		}
		if p.Representative != nil {
			c.Representative = trimRepresentative(*p.Representative)
		}
		if p.ThematicAreas != nil {
			c.ThematicAreas = *p.ThematicAreas
		}
		if p.WorkingGroups != nil {
			c.WorkingGroups = *p.WorkingGroups
		}
		if p.Motivation != nil {
			c.Motivation = trimText(*p.Motivation)
		}
		var fs apperr.Fields
		if p.Lang != nil && validate.Lang(&fs, "lang", *p.Lang) {
			c.Lang, _ = i18n.Parse(*p.Lang)
		}
		checkDraft(&fs, *c, call, now)
		if err := fs.Err(); err != nil {
			return err
		}
		return guardDraft(*c, call, now)
	}, nil)
}

// RequestUpload signs an upload of a document of the dossier: a fresh
// server-generated key, recorded as the document's pending upload before
// the form is returned (so the check recognises it).
func (s *Service) RequestUpload(ctx context.Context, id, token string, in DocumentRequest) (UploadView, error) {
	var spec DocumentSpec
	var key string
	_, _, err := s.changeCandidacy(ctx, id, token, func(c *Candidacy, call Call, now time.Time) error {
		var ok bool
		if spec, ok = call.Document(in.Type); !ok {
			var fs apperr.Fields
			if in.Type == "" {
				fs.Add("type", "required", nil)
			} else {
				fs.Add("type", "calls.unknown_document", nil)
			}
			return fs.Err()
		}
		if err := guardDraft(*c, call, now); err != nil {
			return err
		}
		k, err := documentKey(s.rand, c.ID, spec.Type)
		if err != nil {
			return err
		}
		key = k
		d, i, found := c.Document(spec.Type)
		if !found {
			d = Document{Type: spec.Type, Status: DocumentMissing}
		}
		d.PendingKey, d.SignedAt = key, now
		if found {
			c.Documents[i] = d
		} else {
			c.Documents = append(c.Documents, d)
		}
		return nil
	}, nil)
	if err != nil {
		return UploadView{}, err
	}
	form, err := s.uploads.PresignUpload(ctx, key, spec.MaxBytes, UploadTTL)
	if err != nil {
		return UploadView{}, fmt.Errorf("presign upload for candidacy %s: %w", id, err)
	}
	return UploadView{Type: spec.Type, URL: form.URL, Fields: form.Fields, ExpiresAt: rfc3339(form.ExpiresAt), MaxBytes: spec.MaxBytes}, nil
}

// Submit files a complete draft: 409 listing every missing item (one
// error per document type, and per missing field), else the next
// reference of the call, read-only, and the receipt email. Submitting a
// submitted candidacy again returns it as is.
func (s *Service) Submit(ctx context.Context, id, token string) (Candidacy, Call, error) {
	for range updateAttempts {
		c, call, err := s.Open(ctx, id, token)
		if err != nil {
			return Candidacy{}, Call{}, err
		}
		if c.Status == CandidacySubmitted {
			return c, call, nil
		}
		now := s.now().Truncate(time.Second)
		if err := guardDraft(c, call, now); err != nil {
			return Candidacy{}, Call{}, err
		}
		if err := incomplete(c, call, now); err != nil {
			return Candidacy{}, Call{}, err
		}
		var receipt outbox.Email
		sub, err := s.store.SubmitCandidacy(ctx, call.ID, c.Version, func(seq int) (Candidacy, outbox.Email, error) {
			sc := c
			sc.Status, sc.Sequence, sc.Reference = CandidacySubmitted, seq, FormatReference(call, seq)
			sc.SubmittedAt, sc.UpdatedAt, sc.Version = now, now, c.Version+1
			sc.Documents = slices.Clone(c.Documents)
			for i := range sc.Documents {
				sc.Documents[i].PendingKey = "" // a late upload no longer counts
			}
			e, err := s.email(KindReceiptEmail, sc, receiptMessage(sc, call), now)
			receipt = e
			return sc, e, err
		})
		if apperr.Is(err, apperr.Conflict) {
			continue // changed meanwhile (an upload checked, a double click): look again
		}
		if err != nil {
			return Candidacy{}, Call{}, fmt.Errorf("submit candidacy %s: %w", id, err)
		}
		s.deliver(ctx, receipt)
		s.log.Info("candidacy submitted", "candidacyId", sub.ID, "callId", call.ID, "sequence", sub.Sequence)
		return sub, call, nil
	}
	return Candidacy{}, Call{}, errStale
}

// incomplete lists what keeps c from being submitted.
func incomplete(c Candidacy, call Call, now time.Time) error {
	var fs apperr.Fields
	checkDraft(&fs, c, call, now)
	checkComplete(&fs, c, call)
	for _, spec := range call.Documents {
		if !spec.Required {
			continue
		}
		d, _, _ := c.Document(spec.Type)
		switch d.documentStatus() {
		case DocumentVerified:
		case DocumentPending:
			fs.Add("documents."+spec.Type, "calls.document_pending", nil)
		case DocumentRejected:
			fs.Add("documents."+spec.Type, "calls.document_rejected", nil)
		default:
			fs.Add("documents."+spec.Type, "calls.document_missing", nil)
		}
	}
	if len(fs) == 0 {
		return nil
	}
	return &apperr.Error{Code: apperr.Conflict, Key: "calls.incomplete", Fields: fs}
}

// Withdraw withdraws a draft or submitted candidacy until the call closes.
func (s *Service) Withdraw(ctx context.Context, id, token string) (Candidacy, Call, error) {
	return s.changeCandidacy(ctx, id, token, func(c *Candidacy, call Call, now time.Time) error {
		if c.Status == CandidacyWithdrawn {
			return apperr.New(apperr.Conflict, "calls.already_withdrawn")
		}
		if !call.Accepting(now) {
			return notAccepting(call)
		}
		c.Status, c.WithdrawnAt = CandidacyWithdrawn, now
		return nil
	}, func(c Candidacy, call Call, now time.Time) (*outbox.Email, error) {
		e, err := s.email(KindWithdrawEmail, c, withdrawnMessage(c, call), now)
		return &e, err
	})
}

// ---------------------------------------------------------------- the upload check

// CheckResult is what the check did with one object.
type CheckResult string

const (
	CheckIgnored  CheckResult = "ignored"  // not a pending upload of a draft (unknown key, duplicate event, late upload)
	CheckVerified CheckResult = "verified" // recorded as the document; the replaced object deleted
	CheckRejected CheckResult = "rejected" // recorded as rejected; the object deleted
)

// pdfMagic starts every PDF file.
var pdfMagic = []byte("%PDF-")

// CheckUpload checks an object that arrived in the dossier bucket. A
// pending upload of a draft becomes its document, verified (size within
// the limit, %PDF- magic bytes; its SHA-256 recorded for the receipt) or
// rejected (with a reason; the object deleted). Verified, it replaces the
// document's previous object, which is deleted; rejected, it leaves a
// verified document in place (with the reason, ReplacementRejected in views). The S3 event may come
// twice: the second finds nothing pending under that key and changes
// nothing. Objects of a known candidacy that are not its pending upload
// are deleted (a dossier holds only checked documents); other keys are
// ignored.
func (s *Service) CheckUpload(ctx context.Context, key string) (CheckResult, error) {
	id, typ, ok := ParseKey(key)
	if !ok {
		s.log.Warn("upload check: key not generated by the portal, ignored")
		return CheckIgnored, nil
	}
	for range updateAttempts {
		c, err := s.store.GetCandidacy(ctx, id)
		if apperr.Is(err, apperr.NotFound) {
			s.log.Warn("upload check: no such candidacy, ignored", "candidacyId", id)
			return CheckIgnored, nil
		}
		if err != nil {
			return "", err
		}
		d, i, found := c.Document(typ)
		if found && d.Key == key && d.Status == DocumentVerified {
			return CheckIgnored, nil // a repeated event for an object already verified
		}
		if !found || d.PendingKey != key || c.Status != CandidacyDraft {
			s.log.Warn("upload check: not a pending upload, object deleted", "candidacyId", id, "type", typ)
			return CheckIgnored, s.uploads.Delete(ctx, key)
		}
		call, err := s.store.GetCall(ctx, c.CallID)
		if err != nil {
			return "", fmt.Errorf("call %s of candidacy %s: %w", c.CallID, id, err)
		}
		max := DefaultDocumentBytes
		if spec, ok := call.Document(typ); ok {
			max = spec.MaxBytes
		}
		reason, size, sum, err := s.inspect(ctx, key, max)
		if apperr.Is(err, apperr.NotFound) {
			return CheckIgnored, nil // deleted meanwhile (a duplicate event raced us)
		}
		if err != nil {
			return "", err
		}
		now := s.now().Truncate(time.Second)
		prev := c.Version
		old := d.Key
		nd := Document{Type: typ, CheckedAt: now, SignedAt: d.SignedAt}
		switch {
		case reason == "":
			nd.Status, nd.Key, nd.Size, nd.SHA256 = DocumentVerified, key, size, sum
		case d.Status == DocumentVerified:
			// A rejected replacement leaves the verified document in place.
			nd = d
			nd.PendingKey, nd.Reason, nd.CheckedAt = "", reason, now
			old = ""
		default:
			nd.Status, nd.Reason = DocumentRejected, reason
		}
		c.Documents = slices.Clone(c.Documents)
		c.Documents[i] = nd
		c.UpdatedAt, c.Version = now, prev+1
		err = s.store.UpdateCandidacy(ctx, c, prev, nil)
		if apperr.Is(err, apperr.Conflict) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("record check of candidacy %s: %w", id, err)
		}
		// Only the winner of the write deletes: the rejected object, and
		// the object a verified or rejected upload replaces.
		var toDelete []string
		if reason != "" {
			toDelete = append(toDelete, key)
		}
		if old != "" && old != key {
			toDelete = append(toDelete, old)
		}
		for _, k := range toDelete {
			if err := s.uploads.Delete(ctx, k); err != nil {
				return "", fmt.Errorf("delete object of candidacy %s: %w", id, err)
			}
		}
		if reason != "" {
			s.log.Info("upload rejected", "candidacyId", id, "type", typ, "reason", reason, "size", size)
			return CheckRejected, nil
		}
		s.log.Info("upload verified", "candidacyId", id, "type", typ, "size", size)
		return CheckVerified, nil
	}
	return "", errStale
}

// inspect returns the rejection reason ("" when the object is a PDF within
// max bytes), its size and, when verified, its SHA-256.
func (s *Service) inspect(ctx context.Context, key string, max int64) (reason string, size int64, sum string, err error) {
	size, head, err := s.uploads.Inspect(ctx, key, len(pdfMagic))
	if err != nil {
		return "", 0, "", err
	}
	switch {
	case size == 0:
		return ReasonEmpty, size, "", nil
	case size > max:
		return ReasonTooLarge, size, "", nil
	case !bytes.HasPrefix(head, pdfMagic):
		return ReasonNotPDF, size, "", nil
	}
	sum, n, err := s.uploads.Digest(ctx, key)
	if err != nil {
		return "", 0, "", err
	}
	if n > max { // replaced between the two reads: judge what was hashed
		return ReasonTooLarge, n, "", nil
	}
	return "", n, sum, nil
}

// ---------------------------------------------------------------- helpers

// email composes an email to the association's address.
func (s *Service) email(kind string, c Candidacy, m mail.Message, now time.Time) (outbox.Email, error) {
	content, err := m.Render()
	if err != nil {
		return outbox.Email{}, err
	}
	id, err := newID(s.rand)
	if err != nil {
		return outbox.Email{}, err
	}
	return outbox.Email{
		ID: id, To: c.Association.Email, Subject: content.Subject, Text: content.Text, HTML: content.HTML,
		Lang: c.Lang, Kind: kind, RefID: c.ID, CreatedAt: now,
	}, nil
}

// deliver sends a recorded email; a failure leaves it to the sweeper.
func (s *Service) deliver(ctx context.Context, e outbox.Email) {
	if s.outbox == nil {
		return
	}
	if err := s.outbox.Deliver(ctx, e); err != nil {
		s.log.Warn("email deferred to the sweeper", "emailId", e.ID, "kind", e.Kind, "code", apperr.CodeOf(err))
	}
}

func trimText(s string) string { return strings.TrimSpace(s) }

func joinComma(v []string) string { return strings.Join(v, ", ") }
