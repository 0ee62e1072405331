package cloud

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// AWS Signature Version 4, as the services check it: the local cloud
// recomputes the signature of every request a function (or a browser holding
// a presigned link or form) sends, with the secret of the access key it
// names, so that a tampered, expired or foreign request is refused as AWS
// refuses it.

const (
	sigAlgorithm = "AWS4-HMAC-SHA256"
	amzDateFmt   = "20060102T150405Z"
	maxClockSkew = 15 * time.Minute
)

// sigRequest is what a request says about its signature.
type sigRequest struct {
	accessKey     string
	date          string // yyyymmdd of the scope
	region        string
	service       string
	signedHeaders []string
	signature     string
	amzDate       time.Time
	presigned     bool
	expires       time.Duration // presigned only
	token         string        // X-Amz-Security-Token
}

var errNoAuth = errors.New("no credentials")

// parseSig reads the Authorization header or, for a presigned URL, the query.
func parseSig(r *http.Request) (sigRequest, error) {
	var s sigRequest
	q := r.URL.Query()
	var cred, amzDate string
	if auth := r.Header.Get("Authorization"); auth != "" {
		rest, ok := strings.CutPrefix(auth, sigAlgorithm+" ")
		if !ok {
			return s, fmt.Errorf("unsupported authorization %q", strings.SplitN(auth, " ", 2)[0])
		}
		for _, part := range strings.Split(rest, ",") {
			k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
			switch k {
			case "Credential":
				cred = v
			case "SignedHeaders":
				s.signedHeaders = strings.Split(v, ";")
			case "Signature":
				s.signature = v
			}
		}
		amzDate = r.Header.Get("X-Amz-Date")
		s.token = r.Header.Get("X-Amz-Security-Token")
	} else if q.Get("X-Amz-Algorithm") != "" {
		if q.Get("X-Amz-Algorithm") != sigAlgorithm {
			return s, fmt.Errorf("unsupported algorithm %q", q.Get("X-Amz-Algorithm"))
		}
		s.presigned = true
		cred = q.Get("X-Amz-Credential")
		s.signedHeaders = strings.Split(q.Get("X-Amz-SignedHeaders"), ";")
		s.signature = q.Get("X-Amz-Signature")
		amzDate = q.Get("X-Amz-Date")
		s.token = q.Get("X-Amz-Security-Token")
		secs, err := strconv.Atoi(q.Get("X-Amz-Expires"))
		if err != nil || secs < 1 || secs > 7*24*3600 {
			return s, fmt.Errorf("X-Amz-Expires %q", q.Get("X-Amz-Expires"))
		}
		s.expires = time.Duration(secs) * time.Second
	} else {
		return s, errNoAuth
	}
	if err := s.parseCredential(cred); err != nil {
		return s, err
	}
	t, err := time.Parse(amzDateFmt, amzDate)
	if err != nil {
		return s, fmt.Errorf("X-Amz-Date %q", amzDate)
	}
	s.amzDate = t
	if s.signature == "" || len(s.signedHeaders) == 0 {
		return s, errors.New("incomplete signature")
	}
	return s, nil
}

func (s *sigRequest) parseCredential(cred string) error {
	parts := strings.Split(cred, "/")
	if len(parts) != 5 || parts[4] != "aws4_request" {
		return fmt.Errorf("credential %q", cred)
	}
	s.accessKey, s.date, s.region, s.service = parts[0], parts[1], parts[2], parts[3]
	return nil
}

func (s sigRequest) scope() string {
	return s.date + "/" + s.region + "/" + s.service + "/aws4_request"
}

// signingKey derives the key of secret for a scope.
func signingKey(secret, date, region, service string) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), date)
	k = hmacSHA256(k, region)
	k = hmacSHA256(k, service)
	return hmacSHA256(k, "aws4_request")
}

func hmacSHA256(key []byte, data string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(data))
	return h.Sum(nil)
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// verify checks s against r (whose body is read and restored) with secret, at now.
func (s sigRequest) verify(r *http.Request, secret string, now time.Time) error {
	if s.presigned {
		if now.After(s.amzDate.Add(s.expires)) {
			return errExpired
		}
	} else if d := now.Sub(s.amzDate); d > maxClockSkew || d < -maxClockSkew {
		return errSkewed
	}
	if s.date != s.amzDate.Format("20060102") {
		return errors.New("credential date differs from X-Amz-Date")
	}
	payload := r.Header.Get("X-Amz-Content-Sha256")
	if s.presigned {
		payload = "UNSIGNED-PAYLOAD"
	} else if payload == "" {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return err
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		payload = sha256Hex(body)
	}
	canonical := strings.Join([]string{
		r.Method,
		canonicalURI(r, s.service),
		canonicalQuery(r.URL.Query(), s.presigned),
		canonicalHeaders(r, s.signedHeaders),
		strings.Join(s.signedHeaders, ";"),
		payload,
	}, "\n")
	toSign := strings.Join([]string{sigAlgorithm, s.amzDate.Format(amzDateFmt), s.scope(), sha256Hex([]byte(canonical))}, "\n")
	want := hex.EncodeToString(hmacSHA256(signingKey(secret, s.date, s.region, s.service), toSign))
	if !hmac.Equal([]byte(want), []byte(s.signature)) {
		return errSignature
	}
	return nil
}

var (
	errSignature = errors.New("signature does not match")
	errExpired   = errors.New("request has expired")
	errSkewed    = errors.New("request time too skewed")
)

// canonicalURI is the request path as sent; services other than S3 encode
// it a second time.
func canonicalURI(r *http.Request, service string) string {
	p := r.URL.EscapedPath()
	if p == "" {
		p = "/"
	}
	if service == "s3" {
		return p
	}
	segs := strings.Split(p, "/")
	for i, seg := range segs {
		segs[i] = uriEncode(seg, false)
	}
	return strings.Join(segs, "/")
}

func canonicalQuery(q url.Values, presigned bool) string {
	type kv struct{ k, v string }
	var pairs []kv
	for k, vs := range q {
		if presigned && k == "X-Amz-Signature" {
			continue
		}
		for _, v := range vs {
			pairs = append(pairs, kv{uriEncode(k, true), uriEncode(v, true)})
		}
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].k != pairs[j].k {
			return pairs[i].k < pairs[j].k
		}
		return pairs[i].v < pairs[j].v
	})
	parts := make([]string, len(pairs))
	for i, p := range pairs {
		parts[i] = p.k + "=" + p.v
	}
	return strings.Join(parts, "&")
}

func canonicalHeaders(r *http.Request, signed []string) string {
	var b strings.Builder
	for _, h := range signed {
		var v string
		switch h {
		case "host":
			v = r.Host
		case "content-length":
			v = r.Header.Get("Content-Length")
			if v == "" && r.ContentLength >= 0 {
				v = strconv.FormatInt(r.ContentLength, 10)
			}
		default:
			v = strings.Join(r.Header.Values(h), ",")
		}
		b.WriteString(h + ":" + strings.Join(strings.Fields(v), " ") + "\n")
	}
	return b.String()
}

// uriEncode is SigV4's URI encoding: every byte but the unreserved
// characters percent-encoded (and '/' too unless encodeSlash is false).
func uriEncode(s string, encodeSlash bool) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-', c == '_', c == '.', c == '~':
			b.WriteByte(c)
		case c == '/' && !encodeSlash:
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		}
	}
	return b.String()
}
