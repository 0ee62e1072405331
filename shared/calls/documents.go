package calls

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"espaceosc/shared/apperr"
)

// The dossier's documents: the association asks for a presigned upload of
// one document and its browser posts the PDF straight to the bucket; the
// upload check (check.go) then verifies it.

// UploadTTL is how long a presigned upload stays valid.
const UploadTTL = 10 * time.Minute

// DocumentContentType is the only type a dossier document may be uploaded as.
const DocumentContentType = "application/pdf"

// KeyPrefix is the prefix of every dossier object in the bucket.
const KeyPrefix = "candidacies/"

// documentKey returns a fresh object key for a document: server-generated
// only (a user's file name never becomes a key).
func documentKey(r io.Reader, candidacyID, docType string) (string, error) {
	s, err := randomBase32(r, 16)
	if err != nil {
		return "", err
	}
	return KeyPrefix + candidacyID + "/" + docType + "/" + s + ".pdf", nil
}

// ParseKey splits a dossier object key into the candidacy ID and the
// document type; ok is false for anything this package did not generate.
func ParseKey(key string) (candidacyID, docType string, ok bool) {
	rest, found := strings.CutPrefix(key, KeyPrefix)
	if !found {
		return "", "", false
	}
	parts := strings.Split(rest, "/")
	if len(parts) != 3 || !ValidID(parts[0]) || !slugRe.MatchString(parts[1]) {
		return "", "", false
	}
	name, found := strings.CutSuffix(parts[2], ".pdf")
	if !found || len(name) != 16 || !ValidID(name+"0000000000") {
		return "", "", false
	}
	return parts[0], parts[1], true
}

// RequestUpload signs an upload of a document of the dossier: a fresh
// server-generated key, recorded as the document's pending upload before
// the form is returned (so that the check recognises it).
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
		k, err := documentKey(s.Rand, c.ID, spec.Type)
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
	url, fields, expires, err := s.Uploads.PresignUpload(ctx, key, DocumentContentType, spec.MaxBytes, UploadTTL)
	if err != nil {
		return UploadView{}, fmt.Errorf("presign upload for candidacy %s: %w", id, err)
	}
	s.Log.Info("upload signed", "candidacyId", id, "type", spec.Type)
	return UploadView{Type: spec.Type, URL: url, Fields: fields, ExpiresAt: rfc3339(expires), MaxBytes: spec.MaxBytes}, nil
}
