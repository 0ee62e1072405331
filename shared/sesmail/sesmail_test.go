package sesmail_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"espaceosc/shared/apperr"
	"espaceosc/shared/mail"
	"espaceosc/shared/outbox"
	"espaceosc/shared/sesmail"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
)

// sent is the JSON the SDK sends for SendEmail (the fields we check).
type sent struct {
	FromEmailAddress string
	Destination      struct{ ToAddresses []string }
	Content          struct {
		Simple struct {
			Subject struct{ Data, Charset string }
			Body    struct {
				Text struct{ Data, Charset string }
				Html struct{ Data, Charset string }
			}
			Attachments []struct {
				FileName, ContentType, ContentDisposition string
				RawContent                                string
			}
		}
	}
}

func newSender(t *testing.T, h http.HandlerFunc) *sesmail.Sender {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c := sesv2.New(sesv2.Options{
		Region:           "eu-west-3",
		BaseEndpoint:     aws.String(srv.URL),
		Credentials:      credentials.NewStaticCredentialsProvider("test", "test", ""),
		RetryMaxAttempts: 1,
	})
	return sesmail.New(c, "no-reply@espace-osc.ma")
}

func TestSendEncodesTheMessage(t *testing.T) {
	var got sent
	var path string
	s := newSender(t, func(w http.ResponseWriter, r *http.Request) {
		path = r.URL.Path
		if err := json.NewDecoder(r.Body).Decode(&got); err != nil {
			t.Errorf("decode request: %v", err)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"MessageId":"msg-1"}`))
	})
	ics := []byte("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
	id, err := s.Send(context.Background(), outbox.Message{
		ID: "e1", To: "amina@example.org", Subject: "Accusé de réception — OBS-2026-7KQ4M9",
		Text: "Bonjour,\nمرحبا", HTML: `<p dir="rtl">مرحبا &amp;</p>`,
		Attachments: []mail.Attachment{{Filename: "atelier.ics", ContentType: "text/calendar", Data: ics}},
	})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if id != "msg-1" {
		t.Errorf("message id = %q, want msg-1", id)
	}
	if want := "/v2/email/outbound-emails"; path != want {
		t.Errorf("path = %q, want %q", path, want)
	}
	sm := got.Content.Simple
	checks := []struct{ name, got, want string }{
		{"from", got.FromEmailAddress, "no-reply@espace-osc.ma"},
		{"to", strings.Join(got.Destination.ToAddresses, ","), "amina@example.org"},
		{"subject", sm.Subject.Data, "Accusé de réception — OBS-2026-7KQ4M9"},
		{"subject charset", sm.Subject.Charset, "UTF-8"},
		{"text", sm.Body.Text.Data, "Bonjour,\nمرحبا"},
		{"text charset", sm.Body.Text.Charset, "UTF-8"},
		{"html", sm.Body.Html.Data, `<p dir="rtl">مرحبا &amp;</p>`},
		{"html charset", sm.Body.Html.Charset, "UTF-8"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if len(sm.Attachments) != 1 {
		t.Fatalf("attachments = %d, want 1", len(sm.Attachments))
	}
	a := sm.Attachments[0]
	if a.FileName != "atelier.ics" || a.ContentType != "text/calendar" || a.ContentDisposition != "ATTACHMENT" {
		t.Errorf("attachment = %+v", a)
	}
	if want := base64.StdEncoding.EncodeToString(ics); a.RawContent != want {
		t.Errorf("attachment content = %q, want %q", a.RawContent, want)
	}
}

func TestSendFoldsSubjectToOneLine(t *testing.T) {
	var got sent
	s := newSender(t, func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewDecoder(r.Body).Decode(&got)
		_, _ = w.Write([]byte(`{"MessageId":"m"}`))
	})
	if _, err := s.Send(context.Background(), outbox.Message{ID: "e", To: "a@example.org", Subject: "a\r\nBcc: x@example.org", Text: "t"}); err != nil {
		t.Fatal(err)
	}
	if got, want := got.Content.Simple.Subject.Data, "a Bcc: x@example.org"; got != want {
		t.Errorf("subject = %q, want %q", got, want)
	}
}

func TestSendErrors(t *testing.T) {
	cases := []struct {
		name    string
		status  int
		errType string
		want    apperr.Code
	}{
		{"outage", 500, "InternalServiceErrorException", apperr.Unavailable},
		{"throttled", 429, "TooManyRequestsException", apperr.Unavailable},
		{"rejected", 400, "MessageRejected", apperr.Internal},
		{"bad request", 400, "BadRequestException", apperr.Internal},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newSender(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("X-Amzn-ErrorType", c.errType)
				w.WriteHeader(c.status)
				_, _ = w.Write([]byte(`{"message":"rejected for amina@example.org"}`))
			})
			_, err := s.Send(context.Background(), outbox.Message{ID: "e1", To: "amina@example.org", Subject: "s", Text: "t"})
			if err == nil {
				t.Fatal("Send succeeded, want an error")
			}
			if got := apperr.CodeOf(err); got != c.want {
				t.Errorf("code = %s, want %s (%v)", got, c.want, err)
			}
			if strings.Contains(err.Error(), "amina@") {
				t.Errorf("error leaks the address: %v", err)
			}
		})
	}
}

func TestFailFastMakesOneAttempt(t *testing.T) {
	var o sesv2.Options
	sesmail.FailFast(&o)
	if got, want := o.RetryMaxAttempts, 1; got != want {
		t.Fatalf("RetryMaxAttempts = %d, want %d", got, want)
	}
	if o.HTTPClient == nil {
		t.Fatal("FailFast sets no HTTP client with a timeout")
	}
}
