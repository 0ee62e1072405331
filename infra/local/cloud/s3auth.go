package cloud

import (
	"bytes"
	"crypto/hmac"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// The local S3 as AWS checks requests: the signature (header, presigned URL
// or POST form), a presigned URL's expiry, every condition of a POST form's
// policy, and the signer's role.

// s3Action is the IAM action and resource of a request on bucket/key.
func s3Action(r *http.Request, bucket, key string) iamRequest {
	q := r.URL.Query()
	objectARN := "arn:aws:s3:::" + bucket + "/" + key
	bucketARN := "arn:aws:s3:::" + bucket
	switch {
	case key == "" && r.Method == http.MethodGet && q.Has("versions"):
		return iamRequest{action: "s3:ListBucketVersions", resource: bucketARN, context: map[string][]string{"s3:prefix": {q.Get("prefix")}}}
	case key == "" && r.Method == http.MethodGet && (q.Has("versioning") || q.Has("cors") || q.Has("lifecycle")):
		return iamRequest{action: "s3:GetBucket" + firstQueryKey(q), resource: bucketARN}
	case key == "" && (r.Method == http.MethodGet || r.Method == http.MethodHead):
		return iamRequest{action: "s3:ListBucket", resource: bucketARN, context: map[string][]string{"s3:prefix": {q.Get("prefix")}}}
	case key == "" && r.Method == http.MethodPost && q.Has("delete"):
		return iamRequest{action: "s3:DeleteObject", resource: bucketARN + "/*"}
	case key == "":
		return iamRequest{action: "s3:" + r.Method + "Bucket", resource: bucketARN}
	case r.Method == http.MethodGet || r.Method == http.MethodHead:
		if q.Get("versionId") != "" {
			return iamRequest{action: "s3:GetObjectVersion", resource: objectARN}
		}
		return iamRequest{action: "s3:GetObject", resource: objectARN}
	case r.Method == http.MethodPut || r.Method == http.MethodPost:
		return iamRequest{action: "s3:PutObject", resource: objectARN}
	case r.Method == http.MethodDelete:
		if q.Get("versionId") != "" {
			return iamRequest{action: "s3:DeleteObjectVersion", resource: objectARN}
		}
		return iamRequest{action: "s3:DeleteObject", resource: objectARN}
	}
	return iamRequest{action: "s3:Unknown", resource: objectARN}
}

func firstQueryKey(q url.Values) string {
	for k := range q {
		return strings.ToUpper(k[:1]) + k[1:]
	}
	return ""
}

// writeS3Error writes S3's XML error.
func writeS3Error(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("X-Amz-Request-Id", strings.ToUpper(newID()[:16]))
	w.WriteHeader(status)
	_, _ = fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+`<Error><Code>%s</Code><Message>%s</Message><RequestId>%s</RequestId></Error>`,
		code, xmlEscape(msg), strings.ToUpper(newID()[:16]))
}

func xmlEscape(s string) string {
	var b bytes.Buffer
	_ = xmlEscapeText(&b, s)
	return b.String()
}

func xmlEscapeText(w io.Writer, s string) error {
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;")
	_, err := io.WriteString(w, r.Replace(s))
	return err
}

// browserForm is a POST upload's form: its fields (names lower-cased) and
// its file.
type browserForm struct {
	fields   map[string]string
	names    map[string]string // lower-cased name -> name as sent
	fileSize int64
	filename string
	body     []byte // the whole request body, for gofakes3 to read again
}

// readBrowserForm reads a multipart/form-data POST upload.
func readBrowserForm(r *http.Request) (browserForm, error) {
	f := browserForm{fields: map[string]string{}, names: map[string]string{}}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBrowserUpload+1))
	if err != nil {
		return f, err
	}
	f.body = body
	if len(body) > maxBrowserUpload {
		return f, errTooLarge
	}
	_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || params["boundary"] == "" {
		return f, fmt.Errorf("POST requires multipart/form-data")
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return f, fmt.Errorf("malformed form: %w", err)
		}
		name := p.FormName()
		if strings.EqualFold(name, "file") {
			f.filename = p.FileName()
			n, _ := io.Copy(io.Discard, p)
			f.fileSize = n
			break // S3 ignores fields after the file
		}
		v, _ := io.ReadAll(io.LimitReader(p, 20<<10))
		f.fields[strings.ToLower(name)] = string(v)
		f.names[strings.ToLower(name)] = name
	}
	if k, ok := f.fields["key"]; ok {
		f.fields["key"] = strings.ReplaceAll(k, "${filename}", f.filename)
	}
	return f, nil
}

var errTooLarge = fmt.Errorf("upload larger than %d bytes", maxBrowserUpload)

// postPolicy is a POST form's policy document.
type postPolicy struct {
	Expiration string            `json:"expiration"`
	Conditions []json.RawMessage `json:"conditions"`
}

// checkBrowserForm authenticates a POST upload to bucket (its signature over
// the policy, with the signer's secret), checks the policy's expiry and
// every condition against the form, and returns the signer. It returns the
// error S3 would send.
func (m *iam) checkBrowserForm(f browserForm, bucket string, now time.Time) (*principal, *authError) {
	for _, req := range []string{"key", "policy", "x-amz-algorithm", "x-amz-credential", "x-amz-date", "x-amz-signature"} {
		if _, ok := f.fields[req]; !ok {
			if req == "policy" || strings.HasPrefix(req, "x-amz") {
				return nil, &authError{http.StatusForbidden, "AccessDenied", "Bucket POST must contain a field named '" + req + "'.  If it is specified, please check the order of the fields."}
			}
			return nil, &authError{http.StatusBadRequest, "InvalidArgument", "Bucket POST must contain a field named '" + req + "'.  If it is specified, please check the order of the fields."}
		}
	}
	if f.fields["x-amz-algorithm"] != sigAlgorithm {
		return nil, &authError{http.StatusBadRequest, "InvalidArgument", "unsupported x-amz-algorithm"}
	}
	var s sigRequest
	if err := s.parseCredential(f.fields["x-amz-credential"]); err != nil || s.service != "s3" || s.region != Region {
		return nil, &authError{http.StatusBadRequest, "InvalidArgument", "invalid x-amz-credential"}
	}
	m.mu.RLock()
	p := m.byKey[s.accessKey]
	m.mu.RUnlock()
	if p == nil {
		return nil, &authError{http.StatusForbidden, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records."}
	}
	if p.sessionToken != "" && f.fields["x-amz-security-token"] != p.sessionToken {
		return nil, &authError{http.StatusForbidden, "InvalidToken", "The provided token is malformed or otherwise invalid."}
	}
	want := hex.EncodeToString(hmacSHA256(signingKey(p.secretKey, s.date, s.region, s.service), f.fields["policy"]))
	if !hmac.Equal([]byte(want), []byte(f.fields["x-amz-signature"])) {
		return nil, &authError{http.StatusForbidden, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method."}
	}
	raw, err := base64.StdEncoding.DecodeString(f.fields["policy"])
	if err != nil {
		return nil, &authError{http.StatusBadRequest, "InvalidPolicyDocument", "Invalid Policy: Invalid Base64 encoding."}
	}
	var pol postPolicy
	if err := json.Unmarshal(raw, &pol); err != nil {
		return nil, &authError{http.StatusBadRequest, "InvalidPolicyDocument", "Invalid Policy: Invalid JSON."}
	}
	exp, err := time.Parse(time.RFC3339, pol.Expiration)
	if err != nil {
		return nil, &authError{http.StatusBadRequest, "InvalidPolicyDocument", "Invalid Policy: Invalid 'expiration' value."}
	}
	if !now.Before(exp) {
		return nil, &authError{http.StatusForbidden, "AccessDenied", "Invalid according to Policy: Policy expired."}
	}
	values := map[string]string{"bucket": bucket}
	for k, v := range f.fields {
		values[k] = v
	}
	covered := map[string]bool{}
	for _, c := range pol.Conditions {
		name, ok, ae := checkPolicyCondition(c, values, f.fileSize)
		if ae != nil {
			return nil, ae
		}
		if !ok {
			return nil, &authError{http.StatusForbidden, "AccessDenied", "Invalid according to Policy: Policy Condition failed: " + string(c)}
		}
		covered[name] = true
	}
	for name := range f.fields {
		switch {
		case name == "policy" || name == "x-amz-signature" || name == "file" || strings.HasPrefix(name, "x-ignore-"):
		case !covered[name]:
			return nil, &authError{http.StatusForbidden, "AccessDenied", "Invalid according to Policy: Extra input fields: " + f.names[name]}
		}
	}
	return p, nil
}

// checkPolicyCondition evaluates one condition; it returns the field it
// covers (lower case) and whether it holds, or the error of an oversize or
// undersize file (S3 answers those with 400).
func checkPolicyCondition(raw json.RawMessage, values map[string]string, size int64) (string, bool, *authError) {
	var exact map[string]string
	if json.Unmarshal(raw, &exact) == nil {
		for k, v := range exact {
			name := strings.ToLower(k)
			return name, values[name] == v, nil
		}
		return "", false, nil
	}
	var list []any
	if err := json.Unmarshal(raw, &list); err != nil || len(list) != 3 {
		return "", false, &authError{http.StatusBadRequest, "InvalidPolicyDocument", "Invalid Policy: Invalid Simple-Condition: " + string(raw)}
	}
	op, _ := list[0].(string)
	switch strings.ToLower(op) {
	case "content-length-range":
		lo, ok1 := list[1].(float64)
		hi, ok2 := list[2].(float64)
		if !ok1 || !ok2 {
			return "", false, &authError{http.StatusBadRequest, "InvalidPolicyDocument", "Invalid Policy: Invalid content-length-range"}
		}
		if float64(size) > hi {
			return "", false, &authError{http.StatusBadRequest, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size"}
		}
		if float64(size) < lo {
			return "", false, &authError{http.StatusBadRequest, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size"}
		}
		return "", true, nil
	case "eq", "starts-with":
		field, _ := list[1].(string)
		want, _ := list[2].(string)
		name := strings.ToLower(strings.TrimPrefix(field, "$"))
		got := values[name]
		if strings.ToLower(op) == "eq" {
			return name, got == want, nil
		}
		return name, strings.HasPrefix(got, want), nil
	}
	return "", false, &authError{http.StatusBadRequest, "InvalidPolicyDocument", "Invalid Policy: Invalid Condition: " + string(raw)}
}
