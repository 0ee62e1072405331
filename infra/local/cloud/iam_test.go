package cloud

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"espaceosc/infra/template"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	lambdasvc "github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	sestypes "github.com/aws/aws-sdk-go-v2/service/sesv2/types"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/logging"
)

// presignedForm is a presigned POST: where to post and the form's fields.
type presignedForm struct {
	url    string
	fields map[string]string
}

func presignPost(t *testing.T, cli *s3.Client, bucket, key, contentType string, max int64, ttl time.Duration) presignedForm {
	t.Helper()
	req, err := s3.NewPresignClient(cli).PresignPostObject(context.Background(), &s3.PutObjectInput{
		Bucket: aws.String(bucket), Key: aws.String(key), ContentType: aws.String(contentType),
	}, func(o *s3.PresignPostOptions) {
		o.Expires = ttl
		o.Conditions = []any{
			map[string]string{"key": key},
			map[string]string{"Content-Type": contentType},
			[]any{"content-length-range", 1, max},
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	f := presignedForm{url: req.URL, fields: map[string]string{"Content-Type": contentType}}
	for k, v := range req.Values {
		f.fields[k] = v
	}
	return f
}

// postForm posts the form as a browser does: fields first, the file last.
func postForm(t *testing.T, f presignedForm, filename string, body []byte) (int, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range f.fields {
		_ = mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("file", filename)
	_, _ = fw.Write(body)
	_ = mw.Close()
	resp, err := http.Post(f.url, mw.FormDataContentType(), &buf)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// The local S3 checks a POST form as S3 does: its signature, its expiry and
// every condition of its policy.
func TestPresignedPostIsCheckedAsS3ChecksIt(t *testing.T) {
	bucket := tc.names["Uploads"]
	cli := s3Client(tc)
	pdf := []byte("%PDF-1.7 dossier")
	with := func(f presignedForm, k, v string) presignedForm {
		out := presignedForm{url: f.url, fields: map[string]string{}}
		for a, b := range f.fields {
			out.fields[a] = b
		}
		if v == "" {
			delete(out.fields, k)
		} else {
			out.fields[k] = v
		}
		return out
	}
	good := presignPost(t, cli, bucket, "in/checked.pdf", "application/pdf", 64, time.Minute)
	policy, _ := base64.StdEncoding.DecodeString(good.fields["policy"])
	looser := base64.StdEncoding.EncodeToString(bytes.Replace(policy, []byte(`"application/pdf"`), []byte(`"text/html"`), 1))
	expired := presignPost(t, cli, bucket, "in/late.pdf", "application/pdf", 64, time.Second)
	time.Sleep(1100 * time.Millisecond)

	cases := []struct {
		name     string
		form     presignedForm
		body     []byte
		status   int
		contains string
	}{
		{"another content type", with(good, "Content-Type", "text/html"), pdf, 403, "Policy Condition failed"},
		{"another key", with(good, "key", "in/other.pdf"), pdf, 403, "Policy Condition failed"},
		{"a file over the range", good, bytes.Repeat([]byte("x"), 65), 400, "EntityTooLarge"},
		{"a tampered policy", with(good, "policy", looser), pdf, 403, "SignatureDoesNotMatch"},
		{"an expired policy", expired, pdf, 403, "Policy expired"},
		{"a field the policy does not cover", with(good, "acl", "public-read"), pdf, 403, "Extra input fields: acl"},
		{"no signature", with(good, "X-Amz-Signature", ""), pdf, 403, "x-amz-signature"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, body := postForm(t, c.form, "d.pdf", c.body)
			if status != c.status || !strings.Contains(body, c.contains) {
				t.Errorf("got %d %s, want %d with %q", status, body, c.status, c.contains)
			}
		})
	}
	if _, err := cli.HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String("in/other.pdf")}); err == nil {
		t.Errorf("a refused form stored its file")
	}
	if status, body := postForm(t, good, "d.pdf", pdf); status >= 300 {
		t.Fatalf("the form as signed: %d %s", status, body)
	}
}

// A presigned GET link works until it expires, then S3 refuses it.
func TestPresignedGetExpires(t *testing.T) {
	bucket := tc.names["Uploads"]
	cli := s3Client(tc)
	ctx := context.Background()
	if _, err := cli.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("out/link.pdf"), Body: strings.NewReader("%PDF")}); err != nil {
		t.Fatal(err)
	}
	req, err := s3.NewPresignClient(cli).PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("out/link.pdf")}, s3.WithPresignExpires(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	get := func(u string) (int, string) {
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if status, body := get(req.URL); status != 200 || body != "%PDF" {
		t.Fatalf("fresh link: %d %s", status, body)
	}
	if status, body := get(strings.Replace(req.URL, "out/link.pdf", "out/other.pdf", 1)); status != 403 || !strings.Contains(body, "SignatureDoesNotMatch") {
		t.Errorf("the link's signature on another key: %d %s, want 403 SignatureDoesNotMatch", status, body)
	}
	time.Sleep(2100 * time.Millisecond)
	if status, body := get(req.URL); status != 403 || !strings.Contains(body, "Request has expired") {
		t.Errorf("expired link: %d %s, want 403 Request has expired", status, body)
	}
	if status, _ := get(tc.s3.url + "/" + bucket + "/out/link.pdf"); status != 403 {
		t.Errorf("anonymous GET of a private object: %d, want 403", status)
	}
}

// functionClient is an SDK configuration holding the function's own
// credentials, as its process has them.
func functionConfig(t *testing.T, c *Cloud, logicalID string) aws.Config {
	t.Helper()
	p := c.iam.byFn[logicalID]
	if p == nil {
		t.Fatalf("no principal for %s", logicalID)
	}
	return aws.Config{
		Region:           Region,
		Credentials:      credentials.NewStaticCredentialsProvider(p.accessKey, p.secretKey, p.sessionToken),
		RetryMaxAttempts: 1,
	}
}

func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// Each function's calls are checked against its own statements in the
// template: what they allow works, anything else gets AWS's refusal.
func TestFunctionCallsAreCheckedAgainstTheirRole(t *testing.T) {
	ctx := context.Background()
	table := tc.names["Table"]
	key := map[string]types.AttributeValue{"PK": &types.AttributeValueMemberS{Value: "IAM#1"}, "SK": &types.AttributeValueMemberS{Value: "x"}}
	data := dynamodb.NewFromConfig(functionConfig(t, tc, "DataFunction"), func(o *dynamodb.Options) { o.BaseEndpoint = aws.String(tc.dynamo.url) })
	if _, err := data.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table), Item: key}); err != nil {
		t.Fatalf("PutItem, which DataFunction's role allows: %v", err)
	}
	if _, err := data.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(table), Key: key}); err != nil {
		t.Fatalf("GetItem, which DataFunction's role allows: %v", err)
	}
	for name, call := range map[string]func() error{
		"Scan": func() error { _, err := data.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String(table)}); return err },
		"DeleteItem": func() error {
			_, err := data.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(table), Key: key})
			return err
		},
		"Query on an index": func() error {
			_, err := data.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(table), IndexName: aws.String("GSI1"),
				KeyConditionExpression: aws.String("GSI1PK = :p"), ExpressionAttributeValues: map[string]types.AttributeValue{":p": &types.AttributeValueMemberS{Value: "x"}}})
			return err
		},
		"a transaction item": func() error {
			_, err := data.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
				{Put: &types.Put{TableName: aws.String(table), Item: key}},
				{Delete: &types.Delete{TableName: aws.String(table), Key: map[string]types.AttributeValue{"PK": &types.AttributeValueMemberS{Value: "IAM#2"}, "SK": &types.AttributeValueMemberS{Value: "x"}}}},
			}})
			return err
		},
	} {
		if err := call(); apiCode(err) != "AccessDeniedException" {
			t.Errorf("%s by DataFunction: %v, want AccessDeniedException", name, err)
		}
	}
	// UploadFunction may only put: it cannot read.
	upload := dynamodb.NewFromConfig(functionConfig(t, tc, "UploadFunction"), func(o *dynamodb.Options) { o.BaseEndpoint = aws.String(tc.dynamo.url) })
	if _, err := upload.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(table), Key: key}); apiCode(err) != "AccessDeniedException" {
		t.Errorf("GetItem by UploadFunction: %v, want AccessDeniedException", err)
	}
	// A forged key or secret is refused before any role is looked at.
	forged := functionConfig(t, tc, "DataFunction")
	forged.Credentials = credentials.NewStaticCredentialsProvider(tc.iam.byFn["DataFunction"].accessKey, "not-the-secret", tc.iam.byFn["DataFunction"].sessionToken)
	if _, err := dynamodb.NewFromConfig(forged, func(o *dynamodb.Options) { o.BaseEndpoint = aws.String(tc.dynamo.url) }).
		GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(table), Key: key}); apiCode(err) != "InvalidSignatureException" {
		t.Errorf("GetItem with a wrong secret: %v, want InvalidSignatureException", err)
	}

	// SES: the sender may send from the template's address only.
	ses := sesv2.NewFromConfig(functionConfig(t, tc, "DataFunction"), func(o *sesv2.Options) { o.BaseEndpoint = aws.String(tc.ses.url) })
	send := func(from string) error {
		_, err := ses.SendEmail(ctx, &sesv2.SendEmailInput{
			FromEmailAddress: aws.String(from),
			Destination:      &sestypes.Destination{ToAddresses: []string{"amina@example.org"}},
			Content: &sestypes.EmailContent{Simple: &sestypes.Message{
				Subject: &sestypes.Content{Data: aws.String("s")}, Body: &sestypes.Body{Text: &sestypes.Content{Data: aws.String("t")}},
			}},
		})
		return err
	}
	if err := send(tc.names["SenderEmail"]); err != nil {
		t.Errorf("SendEmail from the sender address: %v", err)
	}
	if err := send("ministre@gouvernement.ma"); apiCode(err) != "AccessDeniedException" {
		t.Errorf("SendEmail from another address: %v, want AccessDeniedException", err)
	}
	uploadSES := sesv2.NewFromConfig(functionConfig(t, tc, "UploadFunction"), func(o *sesv2.Options) { o.BaseEndpoint = aws.String(tc.ses.url) })
	if _, err := uploadSES.SendEmail(ctx, &sesv2.SendEmailInput{
		FromEmailAddress: aws.String(tc.names["SenderEmail"]),
		Destination:      &sestypes.Destination{ToAddresses: []string{"amina@example.org"}},
		Content:          &sestypes.EmailContent{Simple: &sestypes.Message{Subject: &sestypes.Content{Data: aws.String("s")}, Body: &sestypes.Body{Text: &sestypes.Content{Data: aws.String("t")}}}},
	}); apiCode(err) != "AccessDeniedException" {
		t.Errorf("SendEmail by a function without ses:SendEmail: %v, want AccessDeniedException", err)
	}

	// S3: without s3:ListBucket, a missing key is a 403, not a 404.
	s3c := s3.NewFromConfig(functionConfig(t, tc, "DataFunction"), func(o *s3.Options) { o.BaseEndpoint = aws.String(tc.s3.url); o.UsePathStyle = true })
	_, err := s3c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(tc.names["Uploads"]), Key: aws.String("in/none.pdf")})
	if apiCode(err) != "AccessDenied" {
		t.Errorf("GetObject without any S3 statement: %v, want AccessDenied", err)
	}
}

func TestPolicyEvaluation(t *testing.T) {
	arn := "arn:aws:dynamodb:eu-west-3:123456789012:table/espace-osc-local"
	stmts := []template.Statement{
		{Effect: "Allow", Actions: []string{"dynamodb:Get*", "dynamodb:Query"}, Resources: []template.Value{template.Lit(arn), template.Lit(arn + "/index/*")}},
		{Effect: "Deny", Actions: []string{"dynamodb:GetItem"}, Resources: []template.Value{template.Lit(arn)},
			Conditions: map[string]map[string][]template.Value{"ForAnyValue:StringLike": {"dynamodb:LeadingKeys": {template.Lit("SECRET#*")}}}},
		{Effect: "Allow", Actions: []string{"s3:ListBucket"}, Resources: []template.Value{template.Lit("arn:aws:s3:::b")},
			Conditions: map[string]map[string][]template.Value{"StringLike": {"s3:prefix": {template.Lit("exports/*")}}}},
	}
	p := &principal{name: "F"}
	for _, s := range stmts {
		ps, err := resolveStatement(s, func(string) (string, bool) { return "", false }, func(s string) string { return s })
		if err != nil {
			t.Fatal(err)
		}
		p.statements = append(p.statements, ps)
	}
	cases := []struct {
		req  iamRequest
		want bool
	}{
		{iamRequest{action: "dynamodb:GetItem", resource: arn}, true},
		{iamRequest{action: "DynamoDB:getitem", resource: arn}, true}, // actions are case-insensitive
		{iamRequest{action: "dynamodb:Query", resource: arn + "/index/GSI1"}, true},
		{iamRequest{action: "dynamodb:PutItem", resource: arn}, false},
		{iamRequest{action: "dynamodb:GetItem", resource: arn + "-other"}, false},
		{iamRequest{action: "dynamodb:GetItem", resource: arn, context: map[string][]string{"dynamodb:leadingkeys": {"SECRET#1"}}}, false}, // an explicit deny wins
		{iamRequest{action: "dynamodb:GetItem", resource: arn, context: map[string][]string{"dynamodb:leadingkeys": {"NEWS#1"}}}, true},
		{iamRequest{action: "s3:ListBucket", resource: "arn:aws:s3:::b", context: map[string][]string{"s3:prefix": {"exports/x"}}}, true},
		{iamRequest{action: "s3:ListBucket", resource: "arn:aws:s3:::b", context: map[string][]string{"s3:prefix": {"candidacies/x"}}}, false},
		{iamRequest{action: "s3:ListBucket", resource: "arn:aws:s3:::b"}, false}, // a missing key matches no StringLike
	}
	for _, c := range cases {
		if got := p.allowed(c.req); got != c.want {
			t.Errorf("%s on %s %v: allowed = %v, want %v", c.req.action, c.req.resource, c.req.context, got, c.want)
		}
	}
}

// API Gateway's JWT authorizer answers 401 with a Bearer challenge.
func TestUnauthorizedCarriesAChallenge(t *testing.T) {
	for _, c := range []struct{ auth, want string }{
		{"", "Bearer"},
		{"Bearer not-a-token", `Bearer error="invalid_token"`},
	} {
		req, _ := http.NewRequest(http.MethodGet, tc.URL()+"/secure", nil)
		if c.auth != "" {
			req.Header.Set("Authorization", c.auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 401 || resp.Header.Get("WWW-Authenticate") != c.want {
			t.Errorf("auth %q: %d WWW-Authenticate %q, want 401 %q", c.auth, resp.StatusCode, resp.Header.Get("WWW-Authenticate"), c.want)
		}
	}
}

// DynamoDB's answers carry the X-Amz-Crc32 of their body, which the SDK
// checks (without it, every call logged a checksum warning).
func TestDynamoDBAnswersCarryTheirCRC32(t *testing.T) {
	var logs bytes.Buffer
	cfg := awsConfig(tc)
	cfg.Logger = loggerTo(&logs)
	cli := dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) { o.BaseEndpoint = aws.String(tc.dynamo.url) })
	if _, err := cli.GetItem(context.Background(), &dynamodb.GetItemInput{TableName: aws.String(tc.names["Table"]),
		Key: map[string]types.AttributeValue{"PK": &types.AttributeValueMemberS{Value: "none"}, "SK": &types.AttributeValueMemberS{Value: "x"}}}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(logs.String(), "checksum") || strings.Contains(logs.String(), "CRC32") {
		t.Errorf("the SDK complained about the response checksum: %s", logs.String())
	}
	req, _ := http.NewRequest(http.MethodPost, tc.dynamo.url, strings.NewReader("{}"))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("X-Amz-Crc32") == "" {
		t.Errorf("a refusal has no X-Amz-Crc32")
	}
}

func loggerTo(w io.Writer) logging.Logger {
	return logging.LoggerFunc(func(c logging.Classification, format string, v ...any) {
		fmt.Fprintf(w, string(c)+" "+format+"\n", v...)
	})
}

func lambdaClient(cfg aws.Config) *lambdasvc.Client {
	return lambdasvc.NewFromConfig(cfg, func(o *lambdasvc.Options) { o.BaseEndpoint = aws.String(tc.lambda.url) })
}

// The Lambda API invokes a function synchronously or asynchronously; an
// asynchronous invocation that keeps failing is retried, then recorded as a
// failure (the twin of an on-failure destination); a role without
// lambda:InvokeFunction is refused.
func TestLambdaInvoke(t *testing.T) {
	ctx := context.Background()
	op := lambdaClient(awsConfig(tc))
	out, err := op.Invoke(ctx, &lambdasvc.InvokeInput{FunctionName: aws.String(tc.names["EchoFunction"]), Payload: []byte(`{"rawPath":"/echo/direct"}`)})
	if err != nil || out.StatusCode != 200 || out.FunctionError != nil || !strings.Contains(string(out.Payload), "/echo/direct") {
		t.Fatalf("synchronous invoke: %v %+v", err, out)
	}
	before := len(tc.Failures())
	out, err = op.Invoke(ctx, &lambdasvc.InvokeInput{
		FunctionName:   aws.String("arn:aws:lambda:" + Region + ":" + AccountID + ":function:" + tc.names["EchoFunction"]),
		InvocationType: lambdatypes.InvocationTypeEvent, Payload: []byte(`{"rawPath":"/echo/error"}`),
	})
	if err != nil || out.StatusCode != 202 {
		t.Fatalf("asynchronous invoke: %v %+v", err, out)
	}
	eventually(t, "the failure after the retries", func() bool { return len(tc.Failures()) > before })
	f := tc.Failures()[len(tc.Failures())-1]
	if f.Function != "EchoFunction" || f.Attempts != 3 || !strings.Contains(string(f.Payload), "/echo/error") {
		t.Errorf("failure = %+v", f)
	}
	_, err = lambdaClient(functionConfig(t, tc, "DataFunction")).Invoke(ctx, &lambdasvc.InvokeInput{FunctionName: aws.String(tc.names["EchoFunction"])})
	if apiCode(err) != "AccessDeniedException" {
		t.Errorf("invoke by a role without lambda:InvokeFunction: %v, want AccessDeniedException", err)
	}
}

// The local SES enforces the account's sending rate as SES does (throttled
// sends are refused with TooManyRequestsException) and GetAccount reports it.
func TestSESSendingRate(t *testing.T) {
	ctx := context.Background()
	ses := sesClient(tc)
	tc.ses.setRate(5)
	t.Cleanup(func() { tc.ses.setRate(defaultSendRate) })
	acct, err := ses.GetAccount(ctx, &sesv2.GetAccountInput{})
	if err != nil || acct.SendQuota == nil || acct.SendQuota.MaxSendRate != 5 {
		t.Fatalf("GetAccount = %+v, %v; want MaxSendRate 5", acct, err)
	}
	sent, throttled := 0, 0
	for range 12 {
		_, err := ses.SendEmail(ctx, &sesv2.SendEmailInput{
			FromEmailAddress: aws.String(tc.names["SenderEmail"]),
			Destination:      &sestypes.Destination{ToAddresses: []string{"rate@example.org"}},
			Content:          &sestypes.EmailContent{Simple: &sestypes.Message{Subject: &sestypes.Content{Data: aws.String("s")}, Body: &sestypes.Body{Text: &sestypes.Content{Data: aws.String("t")}}}},
		})
		switch code := apiCode(err); {
		case err == nil:
			sent++
		case code == "TooManyRequestsException":
			throttled++
		default:
			t.Fatalf("send: %v", err)
		}
	}
	if sent < 5 || sent > 6 || throttled == 0 {
		t.Errorf("12 sends at once at 5/s: %d sent, %d throttled; want about 5 sent, the rest throttled", sent, throttled)
	}
}

// The local user pool answers ListUsersInGroup as Cognito does: the
// seeded evaluators and every identity a token was issued for, by name and
// email, to a role allowed cognito-idp:ListUsersInGroup on the pool's ARN;
// any other role, or another pool, is refused.
func TestCognitoListUsersInGroup(t *testing.T) {
	ctx := context.Background()
	if _, err := tc.Token("evaluator", "eval-iam-test"); err != nil {
		t.Fatal(err)
	}
	client := func(fn string) *cognitoidentityprovider.Client {
		return cognitoidentityprovider.NewFromConfig(functionConfig(t, tc, fn), func(o *cognitoidentityprovider.Options) {
			o.BaseEndpoint = aws.String(tc.Endpoints()["cognito-idp"])
		})
	}
	members := map[string]map[string]string{}
	var next *string
	for page := 0; ; page++ {
		out, err := client("DataFunction").ListUsersInGroup(ctx, &cognitoidentityprovider.ListUsersInGroupInput{
			UserPoolId: aws.String(UserPoolID), GroupName: aws.String("evaluators"), Limit: aws.Int32(2), NextToken: next,
		})
		if err != nil {
			t.Fatalf("ListUsersInGroup, which DataFunction's role allows: %v", err)
		}
		for _, u := range out.Users {
			attrs := map[string]string{}
			for _, a := range u.Attributes {
				attrs[aws.ToString(a.Name)] = aws.ToString(a.Value)
			}
			members[attrs["sub"]] = attrs
		}
		if next = out.NextToken; next == nil || page > 10 {
			break
		}
	}
	if m := members["local-evaluator"]; m["name"] == "" || m["email"] != "local-evaluator@espace-osc.local" {
		t.Errorf("the seeded evaluator: %v", m)
	}
	if m := members["eval-iam-test"]; m["email"] != "eval-iam-test@espace-osc.local" {
		t.Errorf("the identity a token was issued for: %v (members %v)", m, members)
	}
	if _, ok := members["local-admin"]; ok {
		t.Error("an administrator is listed among the evaluators")
	}
	if _, err := client("UploadFunction").ListUsersInGroup(ctx, &cognitoidentityprovider.ListUsersInGroupInput{
		UserPoolId: aws.String(UserPoolID), GroupName: aws.String("evaluators"),
	}); apiCode(err) != "AccessDeniedException" {
		t.Errorf("ListUsersInGroup by a role without the action: %v, want AccessDeniedException", err)
	}
	if _, err := client("DataFunction").ListUsersInGroup(ctx, &cognitoidentityprovider.ListUsersInGroupInput{
		UserPoolId: aws.String(Region + "_other"), GroupName: aws.String("evaluators"),
	}); apiCode(err) != "AccessDeniedException" {
		t.Errorf("ListUsersInGroup on another pool: %v, want AccessDeniedException", err)
	}
	if _, err := client("DataFunction").ListUsersInGroup(ctx, &cognitoidentityprovider.ListUsersInGroupInput{
		UserPoolId: aws.String(UserPoolID), GroupName: aws.String("nobody"),
	}); apiCode(err) != "ResourceNotFoundException" {
		t.Errorf("ListUsersInGroup of an unknown group: %v, want ResourceNotFoundException", err)
	}
}
