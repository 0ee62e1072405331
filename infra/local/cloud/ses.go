package cloud

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/http"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Message is one email accepted by the local SES v2 endpoint.
type Message struct {
	ID          string       `json:"id"`
	From        string       `json:"from"`
	To          []string     `json:"to"`
	Cc          []string     `json:"cc,omitempty"`
	Bcc         []string     `json:"bcc,omitempty"`
	ReplyTo     []string     `json:"replyTo,omitempty"`
	Subject     string       `json:"subject"`
	Text        string       `json:"text"`
	HTML        string       `json:"html"`
	Attachments []Attachment `json:"attachments"`
	SentAt      time.Time    `json:"sentAt"`
}

// Attachment is an attachment of a Message; Content is kept out of the JSON listing.
type Attachment struct {
	Filename    string `json:"filename"`
	ContentType string `json:"contentType"`
	Size        int    `json:"size"`
	Content     []byte `json:"-"`
}

// mailbox keeps every message, persisted as JSON in the data directory.
type mailbox struct {
	path string
	mu   sync.Mutex
	msgs []Message
}

type storedAttachment struct {
	Attachment
	Data []byte `json:"data"`
}

type storedMessage struct {
	Message
	Attachments []storedAttachment `json:"attachments"`
}

func openMailbox(path string) (*mailbox, error) {
	m := &mailbox{path: path}
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return m, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read mailbox: %w", err)
	}
	var stored []storedMessage
	if err := json.Unmarshal(b, &stored); err != nil {
		return nil, fmt.Errorf("read mailbox %s: %w", path, err)
	}
	for _, s := range stored {
		msg := s.Message
		msg.Attachments = nil
		for _, a := range s.Attachments {
			att := a.Attachment
			att.Content = a.Data
			msg.Attachments = append(msg.Attachments, att)
		}
		m.msgs = append(m.msgs, msg)
	}
	return m, nil
}

func (m *mailbox) saveLocked() error {
	stored := make([]storedMessage, 0, len(m.msgs))
	for _, msg := range m.msgs {
		s := storedMessage{Message: msg}
		for _, a := range msg.Attachments {
			s.Attachments = append(s.Attachments, storedAttachment{Attachment: a, Data: a.Content})
		}
		stored = append(stored, s)
	}
	b, err := json.Marshal(stored)
	if err != nil {
		return err
	}
	tmp := m.path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, m.path)
}

func (m *mailbox) add(msg Message) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.msgs = append(m.msgs, msg)
	return m.saveLocked()
}

// list returns the messages in send order, only those addressed to `to` when set.
func (m *mailbox) list(to string) []Message {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := []Message{}
	for _, msg := range m.msgs {
		if to == "" || addressedTo(msg, to) {
			out = append(out, msg)
		}
	}
	return out
}

func addressedTo(msg Message, to string) bool {
	for _, list := range [][]string{msg.To, msg.Cc, msg.Bcc} {
		for _, a := range list {
			if strings.EqualFold(bareAddress(a), bareAddress(to)) {
				return true
			}
		}
	}
	return false
}

func bareAddress(a string) string {
	if p, err := mail.ParseAddress(a); err == nil {
		return p.Address
	}
	return strings.TrimSpace(a)
}

func (m *mailbox) get(id string) (Message, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, msg := range m.msgs {
		if msg.ID == id {
			return msg, true
		}
	}
	return Message{}, false
}

func (m *mailbox) clear() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.msgs = nil
	return m.saveLocked()
}

// sesService is a local SES v2 endpoint (SendEmail) on its own loopback listener.
type sesService struct {
	box *mailbox
	srv *http.Server
	url string

	mu    sync.Mutex
	fault string

	// iam checks signatures and roles (nil: no checks).
	iam *iam

	// rate is the account's maximum send rate (emails per second), as SES
	// GetAccount reports it and enforces it with TooManyRequestsException;
	// tokens is the bucket of sends allowed now.
	rate     float64
	tokens   float64
	refilled time.Time
	sent     []time.Time // sends of the last 24 hours
}

// defaultSendRate is the local account's sending rate until a test sets one.
const defaultSendRate = 1000

func (s *sesService) setRate(rate float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rate, s.tokens, s.refilled = rate, rate, time.Now()
}

// take reports whether one more email may be sent now (a token bucket of
// one second's sends).
func (s *sesService) take() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	if s.rate == 0 {
		s.rate, s.tokens, s.refilled = defaultSendRate, defaultSendRate, now
	}
	s.tokens = min(s.rate, s.tokens+now.Sub(s.refilled).Seconds()*s.rate)
	s.refilled = now
	if s.tokens < 1 {
		return false
	}
	s.tokens--
	cut := now.Add(-24 * time.Hour)
	for len(s.sent) > 0 && s.sent[0].Before(cut) {
		s.sent = s.sent[1:]
	}
	s.sent = append(s.sent, now)
	return true
}

// serveAccount answers GetAccount: the sending quota and rate.
func (s *sesService) serveAccount(w http.ResponseWriter, r *http.Request) {
	if s.iam != nil {
		p, _, err := s.iam.authenticate(r, "ses")
		if err != nil {
			ae := err.(*authError)
			writeSESError(w, http.StatusForbidden, ae.code, ae.message)
			return
		}
		if denied := p.authorize(iamRequest{action: "ses:GetAccount", resource: "*"}); denied != nil {
			writeSESError(w, http.StatusForbidden, "AccessDeniedException",
				fmt.Sprintf("User `%s' is not authorized to perform `%s' on resource `%s'", p.arn(), denied.action, denied.resource))
			return
		}
	}
	s.mu.Lock()
	rate := s.rate
	if rate == 0 {
		rate = defaultSendRate
	}
	sent := len(s.sent)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-Requestid", newID())
	_, _ = fmt.Fprintf(w, `{"DedicatedIpAutoWarmupEnabled":false,"EnforcementStatus":"HEALTHY","ProductionAccessEnabled":true,"SendQuota":{"Max24HourSend":%d,"MaxSendRate":%g,"SentLast24Hours":%d},"SendingEnabled":true}`,
		int(rate*86400), rate, sent)
}

func startSES(dataDir string) (*sesService, error) {
	box, err := openMailbox(filepath.Join(dataDir, "mail.json"))
	if err != nil {
		return nil, err
	}
	s := &sesService{box: box, fault: faultNone}
	srv, u, err := serveLoopback(http.HandlerFunc(s.serveHTTP))
	if err != nil {
		return nil, fmt.Errorf("ses listener: %w", err)
	}
	s.srv, s.url = srv, u
	return s, nil
}

func (s *sesService) setFault(mode string) {
	s.mu.Lock()
	s.fault = mode
	s.mu.Unlock()
}

func (s *sesService) close() error {
	_ = s.srv.Close()
	return nil
}

func writeSESError(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-Errortype", typ)
	w.Header().Set("X-Amzn-Requestid", newID())
	w.WriteHeader(status)
	_, _ = fmt.Fprintf(w, `{"message":%q}`, msg)
}

// sendEmailInput is the SES v2 SendEmail request body (the fields the mailbox uses).
type sendEmailInput struct {
	FromEmailAddress string
	Destination      *struct {
		ToAddresses, CcAddresses, BccAddresses []string
	}
	ReplyToAddresses []string
	Content          struct {
		Simple *struct {
			Subject struct{ Data string }
			Body    struct {
				Text *struct{ Data string }
				Html *struct{ Data string }
			}
			Attachments []struct {
				FileName    string
				RawContent  []byte // base64 in JSON
				ContentType string
			}
		}
		Raw *struct {
			Data []byte // base64 in JSON
		}
		Template *struct {
			TemplateName string
			TemplateData string
		}
	}
}

func (s *sesService) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet && r.URL.Path == "/v2/email/account" {
		s.serveAccount(w, r)
		return
	}
	if r.Method != http.MethodPost || r.URL.Path != "/v2/email/outbound-emails" {
		writeSESError(w, http.StatusNotFound, "NotFoundException", "operation not implemented by the local SES")
		return
	}
	s.mu.Lock()
	fault := s.fault
	s.mu.Unlock()
	switch fault {
	case faultFail:
		writeSESError(w, http.StatusInternalServerError, "InternalFailure", "The request processing has failed because of an unknown error.")
		return
	case faultThrottle:
		writeSESError(w, http.StatusTooManyRequests, "TooManyRequestsException", "Maximum sending rate exceeded.")
		return
	}
	var p *principal
	if s.iam != nil {
		var err error
		if p, _, err = s.iam.authenticate(r, "ses"); err != nil {
			ae := err.(*authError)
			code := map[string]string{"InvalidClientTokenId": "UnrecognizedClientException", "SignatureDoesNotMatch": "InvalidSignatureException"}[ae.code]
			if code == "" {
				code = ae.code
			}
			writeSESError(w, http.StatusForbidden, code, ae.message)
			return
		}
	}
	var in sendEmailInput
	if err := json.NewDecoder(io.LimitReader(r.Body, 40<<20)).Decode(&in); err != nil {
		writeSESError(w, http.StatusBadRequest, "BadRequestException", "invalid request body")
		return
	}
	if p != nil {
		if denied := p.authorize(sesSendActions(in)...); denied != nil {
			writeSESError(w, http.StatusForbidden, "AccessDeniedException",
				fmt.Sprintf("User `%s' is not authorized to perform `%s' on resource `%s'", p.arn(), denied.action, denied.resource))
			return
		}
	}
	msg := Message{ID: "local-" + newID(), From: in.FromEmailAddress, ReplyTo: in.ReplyToAddresses, SentAt: time.Now().UTC(), Attachments: []Attachment{}}
	if d := in.Destination; d != nil {
		msg.To, msg.Cc, msg.Bcc = d.ToAddresses, d.CcAddresses, d.BccAddresses
	}
	switch c := in.Content; {
	case c.Simple != nil:
		msg.Subject = c.Simple.Subject.Data
		if c.Simple.Body.Text != nil {
			msg.Text = c.Simple.Body.Text.Data
		}
		if c.Simple.Body.Html != nil {
			msg.HTML = c.Simple.Body.Html.Data
		}
		for _, a := range c.Simple.Attachments {
			ct := a.ContentType
			if ct == "" {
				ct = mime.TypeByExtension(filepath.Ext(a.FileName))
			}
			if ct == "" {
				ct = "application/octet-stream"
			}
			msg.Attachments = append(msg.Attachments, Attachment{Filename: a.FileName, ContentType: ct, Size: len(a.RawContent), Content: a.RawContent})
		}
	case c.Raw != nil:
		if err := parseRaw(c.Raw.Data, &msg); err != nil {
			writeSESError(w, http.StatusBadRequest, "BadRequestException", "invalid raw message: "+err.Error())
			return
		}
	case c.Template != nil:
		msg.Subject = "[template " + c.Template.TemplateName + "]"
		msg.Text = c.Template.TemplateData
	default:
		writeSESError(w, http.StatusBadRequest, "BadRequestException", "Content is required")
		return
	}
	if msg.From == "" {
		writeSESError(w, http.StatusBadRequest, "BadRequestException", "FromEmailAddress is required")
		return
	}
	if len(msg.To)+len(msg.Cc)+len(msg.Bcc) == 0 {
		writeSESError(w, http.StatusBadRequest, "BadRequestException", "at least one destination address is required")
		return
	}
	if !s.take() {
		writeSESError(w, http.StatusTooManyRequests, "TooManyRequestsException", "Maximum sending rate exceeded.")
		return
	}
	if err := s.box.add(msg); err != nil {
		writeSESError(w, http.StatusInternalServerError, "InternalFailure", "mailbox write failed")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-Requestid", newID())
	_, _ = fmt.Fprintf(w, `{"MessageId":%q}`, msg.ID)
}

// parseRaw fills msg from a raw MIME message.
func parseRaw(data []byte, msg *Message) error {
	m, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		return err
	}
	dec := new(mime.WordDecoder)
	if msg.From == "" {
		msg.From = m.Header.Get("From")
	}
	if s, err := dec.DecodeHeader(m.Header.Get("Subject")); err == nil {
		msg.Subject = s
	}
	if len(msg.To) == 0 {
		for _, h := range []string{"To", "Cc"} {
			if list, err := m.Header.AddressList(h); err == nil {
				for _, a := range list {
					msg.To = append(msg.To, a.Address)
				}
			}
		}
	}
	return walkPart(asHeader(m.Header), m.Body, msg)
}

type header interface{ Get(string) string }

func asHeader(h mail.Header) header { return h }

func walkPart(h header, body io.Reader, msg *Message) error {
	ct := h.Get("Content-Type")
	if ct == "" {
		ct = "text/plain"
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		mt = "application/octet-stream"
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			if err := walkPart(p.Header, p, msg); err != nil {
				return err
			}
		}
	}
	var r io.Reader = body
	switch strings.ToLower(h.Get("Content-Transfer-Encoding")) {
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, &newlineStripper{r: body})
	case "quoted-printable":
		r = quotedprintable.NewReader(body)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	disp, dparams, _ := mime.ParseMediaType(h.Get("Content-Disposition"))
	filename := dparams["filename"]
	if filename == "" {
		filename = params["name"]
	}
	switch {
	case disp != "attachment" && filename == "" && mt == "text/plain" && msg.Text == "":
		msg.Text = string(b)
	case disp != "attachment" && filename == "" && mt == "text/html" && msg.HTML == "":
		msg.HTML = string(b)
	default:
		msg.Attachments = append(msg.Attachments, Attachment{Filename: filename, ContentType: mt, Size: len(b), Content: b})
	}
	return nil
}

// newlineStripper drops CR and LF so base64 bodies split in lines decode.
type newlineStripper struct{ r io.Reader }

func (n *newlineStripper) Read(p []byte) (int, error) {
	for {
		k, err := n.r.Read(p)
		j := 0
		for _, c := range p[:k] {
			if c != '\r' && c != '\n' {
				p[j] = c
				j++
			}
		}
		if j > 0 || err != nil {
			return j, err
		}
	}
}

// sesSendActions is what SendEmail needs, as in the SES sandbox (where the
// local cloud's SES stands): ses:SendEmail on the sender's identity and on
// each recipient's, with the ses:FromAddress condition key.
func sesSendActions(in sendEmailInput) []iamRequest {
	from := in.FromEmailAddress
	if a, err := mail.ParseAddress(from); err == nil {
		from = a.Address
	}
	ctx := map[string][]string{"ses:fromaddress": {from}}
	identity := func(addr string) string {
		if a, err := mail.ParseAddress(addr); err == nil {
			addr = a.Address
		}
		return "arn:aws:ses:" + Region + ":" + AccountID + ":identity/" + addr
	}
	reqs := []iamRequest{{action: "ses:SendEmail", resource: identity(from), context: ctx}}
	if d := in.Destination; d != nil {
		for _, list := range [][]string{d.ToAddresses, d.CcAddresses, d.BccAddresses} {
			for _, to := range list {
				reqs = append(reqs, iamRequest{action: "ses:SendEmail", resource: identity(to), context: ctx})
			}
		}
	}
	return reqs
}
