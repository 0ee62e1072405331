package cloud

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	sestypes "github.com/aws/aws-sdk-go-v2/service/sesv2/types"
	"github.com/aws/smithy-go"
)

func pidOf(t *testing.T, path string) float64 {
	t.Helper()
	status, _, all := echoEvent(t, "GET", path, "", "")
	if status != 200 {
		t.Fatalf("%s: status %d", path, status)
	}
	return all["pid"].(float64)
}

// dropIdle kills the idle processes of fn so that the next invocation is cold.
func dropIdle(fn *function) {
	fn.mu.Lock()
	idle := fn.idle
	fn.idle = nil
	for _, inst := range idle {
		delete(fn.all, inst)
	}
	fn.mu.Unlock()
	for _, inst := range idle {
		inst.kill()
	}
}

func TestColdThenWarm(t *testing.T) {
	fn := tc.functions["EchoFunction"]
	dropIdle(fn)
	_, coldBefore := fn.stats()
	began := time.Now()
	first := pidOf(t, "/echo/exact")
	t.Logf("cold invoke: %v", time.Since(began))
	began = time.Now()
	second := pidOf(t, "/echo/exact")
	t.Logf("warm invoke: %v", time.Since(began))
	if first != second {
		t.Errorf("warm invoke used another process: %v then %v", first, second)
	}
	if _, cold := fn.stats(); cold != coldBefore+1 {
		t.Errorf("cold starts: got %d, want %d", cold, coldBefore+1)
	}
	// A function with the SDK clients (LoadDefaultConfig at init).
	data := tc.functions["DataFunction"]
	dropIdle(data)
	tok := token(t, "admin")
	began = time.Now()
	do(t, "GET", "/items/cold", tok, "")
	t.Logf("cold invoke with SDK init: %v", time.Since(began))
	began = time.Now()
	do(t, "GET", "/items/cold", tok, "")
	t.Logf("warm invoke with a DynamoDB GetItem: %v", time.Since(began))
}

func TestConcurrencySpawnsProcesses(t *testing.T) {
	const n = 8 // twice MaxInstances: half of them queue
	var (
		mu   sync.Mutex
		pids = map[float64]bool{}
		wg   sync.WaitGroup
	)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			status, body, _, err := send("GET", "/echo/slow", "", "")
			if err != nil {
				t.Errorf("GET /echo/slow: %v", err)
				return
			}
			if status != 200 {
				t.Errorf("status %d %s", status, body)
				return
			}
			var out struct{ PID float64 }
			_ = json.Unmarshal([]byte(body), &out)
			mu.Lock()
			pids[out.PID] = true
			mu.Unlock()
		}()
	}
	wg.Wait()
	if got := len(pids); got < 2 || got > 4 {
		t.Errorf("distinct processes: got %d, want 2..4 (cap 4)", got)
	}
}

func TestTimeout(t *testing.T) {
	before := pidOf(t, "/echo/exact")
	began := time.Now()
	status, body, _ := do(t, "GET", "/echo/sleep", "", "")
	if got, want := status, http.StatusServiceUnavailable; got != want {
		t.Fatalf("status: got %d %s, want %d", got, body, want)
	}
	if d := time.Since(began); d > 2500*time.Millisecond {
		t.Errorf("timeout (1s) took %v", d)
	}
	// The function still serves afterwards (on a new or another warm process).
	if after := pidOf(t, "/echo/exact"); after == 0 {
		t.Errorf("no process after timeout (before: %v)", before)
	}
}

func TestDynamoDBThroughFunction(t *testing.T) {
	tok := token(t, "admin")
	status, body, _ := do(t, "PUT", "/items/1", tok, "first")
	if status != 204 {
		t.Fatalf("put: %d %s", status, body)
	}
	status, body, _ = do(t, "GET", "/items/1", tok, "")
	if got, want := body, `{"body":"first"}`; status != 200 || got != want {
		t.Fatalf("get: got %d %s, want %s", status, got, want)
	}
	setFault(t, "dynamodb", "throttle")
	status, _, _ = do(t, "GET", "/items/1", tok, "")
	if got, want := status, 503; got != want {
		t.Errorf("with throttling: got %d, want %d", got, want)
	}
}

func TestDynamoDBFaultsAsSDKSeesThem(t *testing.T) {
	ddb := ddbClient(tc)
	get := func() error {
		_, err := ddb.GetItem(context.Background(), &dynamodb.GetItemInput{
			TableName: aws.String(tc.names["Table"]),
			Key:       map[string]types.AttributeValue{"PK": &types.AttributeValueMemberS{Value: "x"}, "SK": &types.AttributeValueMemberS{Value: "y"}},
		})
		return err
	}
	cases := []struct{ mode, wantCode string }{
		{"throttle", "ThrottlingException"},
		{"fail", "InternalServerError"},
		{"none", ""},
	}
	for _, c := range cases {
		t.Run(c.mode, func(t *testing.T) {
			setFault(t, "dynamodb", c.mode)
			err := get()
			got := ""
			var ae smithy.APIError
			if errors.As(err, &ae) {
				got = ae.ErrorCode()
			} else if err != nil {
				t.Fatalf("not an API error: %v", err)
			}
			if got != c.wantCode {
				t.Errorf("code: got %q, want %q", got, c.wantCode)
			}
		})
	}
	status, _, _ := do(t, "POST", "/_local/faults", "", `{"service":"dynamodb","mode":"explode"}`)
	if status != 400 {
		t.Errorf("bad fault: got %d, want 400", status)
	}
	status, _, _ = do(t, "POST", "/_local/faults", "", `{"service":"dynamodb","mode":"none"}`)
	if status != 204 {
		t.Errorf("fault none: got %d, want 204", status)
	}
}

func TestTTLSweep(t *testing.T) {
	ddb := ddbClient(tc)
	put := func(pk string, exp int64) {
		_, err := ddb.PutItem(context.Background(), &dynamodb.PutItemInput{TableName: aws.String(tc.names["Table"]), Item: map[string]types.AttributeValue{
			"PK": &types.AttributeValueMemberS{Value: pk}, "SK": &types.AttributeValueMemberS{Value: "ttl"},
			"expiresAt": &types.AttributeValueMemberN{Value: strconv.FormatInt(exp, 10)},
		}})
		if err != nil {
			t.Fatal(err)
		}
	}
	now := time.Now()
	put("TTL#old", now.Add(-time.Hour).Unix())
	put("TTL#new", now.Add(time.Hour).Unix())
	if _, err := tc.dynamo.sweepTTL(now); err != nil {
		t.Fatal(err)
	}
	for pk, want := range map[string]bool{"TTL#old": false, "TTL#new": true} {
		out, err := ddb.GetItem(context.Background(), &dynamodb.GetItemInput{TableName: aws.String(tc.names["Table"]),
			Key: map[string]types.AttributeValue{"PK": &types.AttributeValueMemberS{Value: pk}, "SK": &types.AttributeValueMemberS{Value: "ttl"}}})
		if err != nil {
			t.Fatal(err)
		}
		if got := out.Item != nil; got != want {
			t.Errorf("%s present: got %v, want %v", pk, got, want)
		}
	}
}

func TestSESSendEmailWithAttachment(t *testing.T) {
	if err := tc.ClearMail(); err != nil {
		t.Fatal(err)
	}
	ses := sesClient(tc)
	out, err := ses.SendEmail(context.Background(), &sesv2.SendEmailInput{
		FromEmailAddress: aws.String(SenderEmail),
		Destination:      &sestypes.Destination{ToAddresses: []string{"a@example.org"}, CcAddresses: []string{"b@example.org"}},
		Content: &sestypes.EmailContent{Simple: &sestypes.Message{
			Subject: &sestypes.Content{Data: aws.String("Récépissé")},
			Body: &sestypes.Body{
				Text: &sestypes.Content{Data: aws.String("Bonjour")},
				Html: &sestypes.Content{Data: aws.String("<p>Bonjour <script>x</script></p>")},
			},
			Attachments: []sestypes.Attachment{{FileName: aws.String("recu.pdf"), RawContent: []byte("%PDF-1.4 test"), ContentType: aws.String("application/pdf")}},
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	status, body, _ := do(t, "GET", "/_local/mail?to=b@example.org", "", "")
	var msgs []Message
	if err := json.Unmarshal([]byte(body), &msgs); err != nil || status != 200 {
		t.Fatalf("mail: %d %s %v", status, body, err)
	}
	if got, want := len(msgs), 1; got != want {
		t.Fatalf("messages: got %d, want %d", got, want)
	}
	m := msgs[0]
	checks := []struct{ name, got, want string }{
		{"id", m.ID, aws.ToString(out.MessageId)},
		{"from", m.From, SenderEmail},
		{"to", strings.Join(m.To, ","), "a@example.org"},
		{"subject", m.Subject, "Récépissé"},
		{"text", m.Text, "Bonjour"},
		{"attachment", m.Attachments[0].Filename + " " + m.Attachments[0].ContentType, "recu.pdf application/pdf"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, c.got, c.want)
		}
	}
	status, att, _ := do(t, "GET", "/_local/mail/"+m.ID+"/attachments/0", "", "")
	if status != 200 || att != "%PDF-1.4 test" {
		t.Errorf("attachment: got %d %q", status, att)
	}
	_, page, _ := do(t, "GET", "/_local/mail", "", "", "Accept", "text/html")
	if strings.Contains(page, "<script>") || !strings.Contains(page, "srcdoc=") {
		t.Errorf("html page does not escape or sandbox the body")
	}
	if status, _, _ := do(t, "GET", "/_local/mail?to=nobody@example.org", "", ""); status != 200 {
		t.Errorf("filter: %d", status)
	}
}

func TestSESThroughFunctionAndFaults(t *testing.T) {
	if err := tc.ClearMail(); err != nil {
		t.Fatal(err)
	}
	tok := token(t, "evaluator")
	if status, body, _ := do(t, "POST", "/mail", tok, "c@example.org"); status != 200 {
		t.Fatalf("send: %d %s", status, body)
	}
	if got := tc.Mail(); len(got) != 1 || got[0].To[0] != "c@example.org" || got[0].From != SenderEmail {
		t.Fatalf("mailbox: %+v", got)
	}
	ses := sesClient(tc)
	cases := []struct{ mode, wantCode string }{
		{"throttle", "TooManyRequestsException"},
		{"fail", "InternalFailure"},
	}
	for _, c := range cases {
		t.Run(c.mode, func(t *testing.T) {
			setFault(t, "ses", c.mode)
			_, err := ses.SendEmail(context.Background(), &sesv2.SendEmailInput{
				FromEmailAddress: aws.String(SenderEmail),
				Destination:      &sestypes.Destination{ToAddresses: []string{"a@example.org"}},
				Content:          &sestypes.EmailContent{Simple: &sestypes.Message{Subject: &sestypes.Content{Data: aws.String("s")}, Body: &sestypes.Body{Text: &sestypes.Content{Data: aws.String("b")}}}},
			})
			var ae smithy.APIError
			if !errors.As(err, &ae) || ae.ErrorCode() != c.wantCode {
				t.Errorf("got %v, want code %s", err, c.wantCode)
			}
			if status, _, _ := do(t, "POST", "/mail", tok, "c@example.org"); status != 503 {
				t.Errorf("function under fault: got %d, want 503", status)
			}
		})
	}
	if status, _, _ := do(t, "DELETE", "/_local/mail", "", ""); status != 204 || len(tc.Mail()) != 0 {
		t.Errorf("clear: %d", status)
	}
}

func uploadRecorded(t *testing.T, key, event string) bool {
	t.Helper()
	out, err := ddbClient(tc).GetItem(context.Background(), &dynamodb.GetItemInput{TableName: aws.String(tc.names["Table"]),
		Key: map[string]types.AttributeValue{"PK": &types.AttributeValueMemberS{Value: "UPLOAD#" + key}, "SK": &types.AttributeValueMemberS{Value: event}}})
	if err != nil {
		t.Fatal(err)
	}
	return out.Item != nil
}

func TestS3Events(t *testing.T) {
	bucket := tc.names["Uploads"]
	cli := s3Client(tc)
	for _, key := range []string{"in/a b.pdf", "out/skip.pdf", "in/skip.txt"} {
		if _, err := cli.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: strings.NewReader("%PDF")}); err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, "put event", func() bool { return uploadRecorded(t, "in/a b.pdf", "ObjectCreated:Put") })

	// A browser form upload (presigned POST) to the bucket.
	form := presignPost(t, cli, bucket, "in/form.pdf", "application/pdf", 1<<20, time.Minute)
	if status, b := postForm(t, form, "form.pdf", []byte("%PDF form")); status >= 300 {
		t.Fatalf("browser upload: %d %s", status, b)
	}
	eventually(t, "post event", func() bool { return uploadRecorded(t, "in/form.pdf", "ObjectCreated:Post") })
	for _, key := range []string{"out/skip.pdf", "in/skip.txt"} {
		if uploadRecorded(t, key, "ObjectCreated:Put") {
			t.Errorf("%s triggered the function despite the filter", key)
		}
	}
}

func TestScheduleOnDemand(t *testing.T) {
	cases := []struct {
		name       string
		wantStatus int
		wantBody   string
	}{
		{"Sweep", 200, `{"source":"aws.scheduler"}`},
		{"Nope", 404, `{"message":"Not Found"}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, body, _ := do(t, "POST", "/_local/schedules/"+c.name, "", "")
			if status != c.wantStatus || body != c.wantBody {
				t.Errorf("got %d %s, want %d %s", status, body, c.wantStatus, c.wantBody)
			}
		})
	}
}

func TestParseRate(t *testing.T) {
	cases := []struct {
		expr string
		want time.Duration
		ok   bool
	}{
		{"rate(5 minutes)", 5 * time.Minute, true},
		{"rate(1 hour)", time.Hour, true},
		{"rate(2 days)", 48 * time.Hour, true},
		{"cron(0 12 * * ? *)", 0, false},
	}
	for _, c := range cases {
		got, err := parseRate(c.expr)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("%s: got %v %v, want %v ok=%v", c.expr, got, err, c.want, c.ok)
		}
	}
}
