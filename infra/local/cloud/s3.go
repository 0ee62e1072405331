package cloud

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3bolt"
	bolt "go.etcd.io/bbolt"

	"espaceosc/infra/template"
)

const maxBrowserUpload = 100 << 20

// s3Service is gofakes3 (bolt backend) behind its own loopback listener. gofakes3
// sends no events, so the service emits the template's S3 events itself.
type s3Service struct {
	db      *bolt.DB
	backend *s3bolt.Backend
	fake    *gofakes3.GoFakeS3
	handler http.Handler
	srv     *http.Server
	url     string
	invoke  func(logicalID string, payload []byte)

	mu     sync.RWMutex
	events map[string][]template.S3Event // by local bucket name

	// iam checks signatures and roles (nil: no checks, for the cloud's own
	// tests of gofakes3).
	iam *iam
}

func startS3(dataDir string, invoke func(string, []byte)) (*s3Service, error) {
	db, err := bolt.Open(filepath.Join(dataDir, "s3.bolt"), 0o600, &bolt.Options{Timeout: 2 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("open s3 store: %w", err)
	}
	be := s3bolt.New(db)
	s := &s3Service{db: db, backend: be, invoke: invoke, events: map[string][]template.S3Event{}}
	s.fake = gofakes3.New(be, gofakes3.WithLogger(gofakes3.DiscardLog()))
	s.handler = s.fake.Server()
	srv, u, err := serveLoopback(http.HandlerFunc(s.serveHTTP))
	if err != nil {
		return nil, fmt.Errorf("s3 listener: %w", err)
	}
	s.srv, s.url = srv, u
	return s, nil
}

func (s *s3Service) ensureBucket(name string) error {
	ok, err := s.backend.BucketExists(name)
	if err != nil {
		return fmt.Errorf("bucket %s: %w", name, err)
	}
	if ok {
		return nil
	}
	if err := s.backend.CreateBucket(name); err != nil {
		return fmt.Errorf("create bucket %s: %w", name, err)
	}
	return nil
}

func (s *s3Service) setEvents(tpl *template.Template, names map[string]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ev := range tpl.S3Events() {
		bucket := names[ev.BucketLogicalID]
		s.events[bucket] = append(s.events[bucket], ev)
	}
}

func (s *s3Service) serveHTTP(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(r.URL.Path, "/")
	bucket, key, _ := strings.Cut(path, "/")
	q := r.URL.Query()
	if s.iam != nil && r.Method != http.MethodOptions {
		var ok bool
		if w, r, ok = s.authorize(w, r, bucket, key); !ok {
			return
		}
	}
	eventName := ""
	switch {
	case r.Method == http.MethodPut && key != "" && !q.Has("uploadId") && !q.Has("versioning"):
		eventName = "ObjectCreated:Put"
		if r.Header.Get("X-Amz-Copy-Source") != "" {
			eventName = "ObjectCreated:Copy"
		}
	case r.Method == http.MethodPost && key != "" && q.Has("uploadId"):
		eventName = "ObjectCreated:CompleteMultipartUpload"
	case r.Method == http.MethodPost && key == "" && bucket != "" && !q.Has("delete"):
		eventName = "ObjectCreated:Post"
		f, err := readBrowserForm(r)
		if err != nil {
			writeS3Error(w, http.StatusBadRequest, "MalformedPOSTRequest", err.Error())
			return
		}
		key = f.fields["key"]
		r.Body = io.NopCloser(bytes.NewReader(f.body))
	case r.Method == http.MethodDelete && key != "" && !q.Has("uploadId"):
		eventName = "ObjectRemoved:Delete"
	}
	if eventName == "" || !s.hasEvents(bucket) {
		s.handler.ServeHTTP(w, r)
		return
	}
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	s.handler.ServeHTTP(rec, r)
	if rec.status >= 300 {
		return
	}
	s.emit(bucket, key, eventName, r)
}

func (s *s3Service) hasEvents(bucket string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.events[bucket]) > 0
}

// matchS3Event reports whether a template event pattern (e.g. s3:ObjectCreated:*)
// covers an event name (e.g. ObjectCreated:Put).
func matchS3Event(pattern, name string) bool {
	p := strings.TrimPrefix(pattern, "s3:")
	if base, ok := strings.CutSuffix(p, "*"); ok {
		return strings.HasPrefix(name, base)
	}
	return p == name
}

func (s *s3Service) emit(bucket, key, eventName string, r *http.Request) {
	var size int64
	var etag, version string
	if strings.HasPrefix(eventName, "ObjectCreated") {
		if obj, err := s.backend.HeadObject(bucket, key); err == nil {
			size, etag, version = obj.Size, hex.EncodeToString(obj.Hash), string(obj.VersionID)
			if obj.Contents != nil {
				_ = obj.Contents.Close()
			}
		}
	}
	s.mu.RLock()
	evs := s.events[bucket]
	s.mu.RUnlock()
	sourceIP, _, _ := net.SplitHostPort(r.RemoteAddr)
	for _, ev := range evs {
		if !strings.HasPrefix(key, ev.Prefix) || !strings.HasSuffix(key, ev.Suffix) {
			continue
		}
		matched := false
		for _, p := range ev.Events {
			matched = matched || matchS3Event(p, eventName)
		}
		if !matched {
			continue
		}
		rec := events.S3EventRecord{
			EventVersion:      "2.1",
			EventSource:       "aws:s3",
			AWSRegion:         Region,
			EventTime:         time.Now().UTC(),
			EventName:         eventName,
			PrincipalID:       events.S3UserIdentity{PrincipalID: "AWS:LOCAL"},
			RequestParameters: events.S3RequestParameters{SourceIPAddress: sourceIP},
			ResponseElements:  map[string]string{"x-amz-request-id": strings.ToUpper(newID()[:16]), "x-amz-id-2": newID()},
			S3: events.S3Entity{
				SchemaVersion:   "1.0",
				ConfigurationID: ev.EventName,
				Bucket: events.S3Bucket{
					Name:          bucket,
					OwnerIdentity: events.S3UserIdentity{PrincipalID: "LOCAL"},
					Arn:           "arn:aws:s3:::" + bucket,
				},
				Object: events.S3Object{
					Key:           key,
					URLDecodedKey: key,
					Size:          size,
					ETag:          etag,
					VersionID:     version,
					Sequencer:     fmt.Sprintf("%016X", time.Now().UnixNano()),
				},
			},
		}
		// S3 puts the key URL-encoded (form encoding) in the event.
		rec.S3.Object.Key = url.QueryEscape(key)
		payload, _ := json.Marshal(events.S3Event{Records: []events.S3EventRecord{rec}})
		s.invoke(ev.FunctionLogicalID, payload)
	}
}

func (s *s3Service) close() error {
	_ = s.srv.Close()
	return s.db.Close()
}

// authorize authenticates r (a POST form, a presigned URL or a signed
// request) and checks the signer's role for the request's action. It
// returns the writer and request to go on with (a POST's body is read and
// restored; without s3:ListBucket, a missing object's 404 becomes the 403
// AWS sends), or false after writing S3's refusal.
func (s *s3Service) authorize(w http.ResponseWriter, r *http.Request, bucket, key string) (http.ResponseWriter, *http.Request, bool) {
	var p *principal
	req := s3Action(r, bucket, key)
	if r.Method == http.MethodPost && key == "" && bucket != "" && !r.URL.Query().Has("delete") {
		f, err := readBrowserForm(r)
		if err == errTooLarge {
			writeS3Error(w, http.StatusBadRequest, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size")
			return w, r, false
		}
		if err != nil {
			writeS3Error(w, http.StatusBadRequest, "MalformedPOSTRequest", "The body of your POST request is not well-formed multipart/form-data.")
			return w, r, false
		}
		signer, ae := s.iam.checkBrowserForm(f, bucket, s.iam.now().UTC())
		if ae != nil {
			writeS3Error(w, ae.status, ae.code, ae.message)
			return w, r, false
		}
		p = signer
		req = iamRequest{action: "s3:PutObject", resource: "arn:aws:s3:::" + bucket + "/" + f.fields["key"]}
		r.Body = io.NopCloser(bytes.NewReader(f.body))
	} else {
		signer, _, err := s.iam.authenticate(r, "s3")
		if err != nil {
			ae := err.(*authError)
			status := ae.status
			if ae.code == "MissingAuthenticationToken" {
				writeS3Error(w, http.StatusForbidden, "AccessDenied", "Access Denied")
				return w, r, false
			}
			if ae.code == "InvalidClientTokenId" {
				ae.code = "InvalidAccessKeyId"
				ae.message = "The AWS Access Key Id you provided does not exist in our records."
			}
			writeS3Error(w, status, ae.code, ae.message)
			return w, r, false
		}
		p = signer
	}
	if denied := p.authorize(req); denied != nil {
		writeS3Error(w, http.StatusForbidden, "AccessDenied", "Access Denied")
		return w, r, false
	}
	if (req.action == "s3:GetObject" || req.action == "s3:GetObjectVersion") &&
		!p.allowed(iamRequest{action: "s3:ListBucket", resource: "arn:aws:s3:::" + bucket, context: map[string][]string{"s3:prefix": {key}}}) {
		return &hideMissing{ResponseWriter: w}, r, true
	}
	return w, r, true
}

// hideMissing turns S3's 404 NoSuchKey into the 403 AccessDenied that AWS
// answers a caller who may not list the bucket (so that a missing key and
// a forbidden one look the same).
type hideMissing struct {
	http.ResponseWriter
	hidden bool
}

func (h *hideMissing) WriteHeader(code int) {
	if code == http.StatusNotFound {
		h.hidden = true
		writeS3Error(h.ResponseWriter, http.StatusForbidden, "AccessDenied", "Access Denied")
		return
	}
	h.ResponseWriter.WriteHeader(code)
}

func (h *hideMissing) Write(b []byte) (int, error) {
	if h.hidden {
		return len(b), nil
	}
	return h.ResponseWriter.Write(b)
}
