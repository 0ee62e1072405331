package template

import (
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func loadReal(t *testing.T) *Template {
	t.Helper()
	root, err := FindRepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := Load(filepath.Join(root, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return tpl
}

func TestRealTemplateFunctions(t *testing.T) {
	tpl := loadReal(t)
	// The template grows with every capability: check the foundation's
	// functions precisely and that Routes() is the union of every function's.
	sum := 0
	for _, fn := range tpl.Functions {
		sum += len(fn.Routes)
	}
	if got, want := len(tpl.Routes()), sum; got != want || got < 22 {
		t.Errorf("routes: got %d, want %d (the functions' routes, at least 22)", got, want)
	}
	cases := []struct {
		id                string
		dir               string
		timeout, memory   int
		routes, schedules int
	}{
		{"PortalFunction", "functions/portal", 10, 128, 2, 0},
		{"PublicContentFunction", "functions/publiccontent", 10, 256, 4, 0},
		{"AdminContentFunction", "functions/admincontent", 10, 256, 11, 0},
		{"ObservationsFunction", "functions/observations", 10, 256, 2, 0},
		{"AdminObservationsFunction", "functions/adminobservations", 10, 256, 3, 0},
		{"OutboxSweeperFunction", "functions/outboxsweeper", 60, 256, 0, 1},
	}
	if got, want := len(tpl.Functions), len(cases); got < want {
		t.Fatalf("functions: got %d, want at least %d", got, want)
	}
	for _, c := range cases {
		t.Run(c.id, func(t *testing.T) {
			fn, ok := tpl.Function(c.id)
			if !ok {
				t.Fatalf("missing %s", c.id)
			}
			if got, want := fn.Dir, c.dir; got != want {
				t.Errorf("Dir: got %q, want %q", got, want)
			}
			if got, want := fn.Timeout, c.timeout; got != want {
				t.Errorf("Timeout: got %d, want %d", got, want)
			}
			if got, want := fn.MemorySize, c.memory; got != want {
				t.Errorf("MemorySize: got %d, want %d", got, want)
			}
			if got, want := len(fn.Routes), c.routes; got != want {
				t.Errorf("routes: got %d, want %d", got, want)
			}
			if got, want := len(fn.Schedules), c.schedules; got != want {
				t.Errorf("schedules: got %d, want %d", got, want)
			}
			if got, want := fn.BuildMethod, "makefile"; got != want {
				t.Errorf("BuildMethod: got %q, want %q", got, want)
			}
			if got, want := fn.Env["TABLE_NAME"], (Value{Kind: KindRef, Literal: "Table"}); got.Kind != want.Kind || got.Literal != want.Literal {
				t.Errorf("TABLE_NAME: got %v, want %v", got, want)
			}
		})
	}
}

func TestRealTemplateRoutes(t *testing.T) {
	tpl := loadReal(t)
	byKey := map[string]Route{}
	for _, r := range tpl.Routes() {
		if _, dup := byKey[r.Key()]; dup {
			t.Errorf("duplicate route %s", r.Key())
		}
		byKey[r.Key()] = r
	}
	cases := []struct {
		key, fn    string
		public     bool
		authorizer string
	}{
		{"GET /", "PortalFunction", true, ""},
		{"GET /{proxy+}", "PortalFunction", true, ""},
		{"GET /api/news/{slug}", "PublicContentFunction", true, ""},
		{"POST /api/observations", "ObservationsFunction", true, ""},
		{"GET /api/admin/news", "AdminContentFunction", false, "CognitoJwt"},
		{"POST /api/admin/news/{slug}/publish", "AdminContentFunction", false, "CognitoJwt"},
		{"PATCH /api/admin/observations/{id}", "AdminObservationsFunction", false, "CognitoJwt"},
	}
	for _, c := range cases {
		t.Run(c.key, func(t *testing.T) {
			r, ok := byKey[c.key]
			if !ok {
				t.Fatalf("missing route %s", c.key)
			}
			if got, want := r.FunctionLogicalID, c.fn; got != want {
				t.Errorf("function: got %s, want %s", got, want)
			}
			if got, want := r.Public, c.public; got != want {
				t.Errorf("Public: got %v, want %v", got, want)
			}
			if got, want := r.Authorizer, c.authorizer; got != want {
				t.Errorf("Authorizer: got %q, want %q", got, want)
			}
		})
	}
}

func TestRealTemplateResources(t *testing.T) {
	tpl := loadReal(t)
	if got, want := len(tpl.Tables), 1; got != want {
		t.Fatalf("tables: got %d, want %d", got, want)
	}
	tbl := tpl.Tables[0]
	if got, want := tbl.HashKey+"/"+tbl.RangeKey, "PK/SK"; got != want {
		t.Errorf("keys: got %s, want %s", got, want)
	}
	if got, want := tbl.TTLAttribute, "expiresAt"; got != want {
		t.Errorf("TTL: got %s, want %s", got, want)
	}
	wantGSIs := []GSI{
		{"GSI1", "GSI1PK", "GSI1SK", "ALL"},
		{"GSI2", "GSI2PK", "GSI2SK", "ALL"},
		{"ByEmail", "EmailHash", "PK", "KEYS_ONLY"},
	}
	if got, want := tbl.GSIs, wantGSIs; !slices.Equal(got, want) {
		t.Errorf("GSIs: got %v, want %v", got, want)
	}
	if got, want := tbl.AttributeTypes["EmailHash"], "S"; got != want {
		t.Errorf("EmailHash type: got %s, want %s", got, want)
	}
	if got, want := len(tpl.Buckets), 1; got != want || tpl.Buckets[0].LogicalID != "DossierBucket" {
		t.Fatalf("buckets: got %v", tpl.Buckets)
	}
	api := tpl.API
	if got, want := api.LogicalID+" "+api.DefaultAuthorizer, "HttpApi CognitoJwt"; got != want {
		t.Errorf("api: got %q, want %q", got, want)
	}
	az := api.Authorizers["CognitoJwt"]
	if got, want := az.Issuer.Kind, KindSub; got != want {
		t.Errorf("issuer kind: got %v, want %v", got, want)
	}
	if got, want := len(az.Audience), 1; got != want {
		t.Fatalf("audience: got %d, want %d", got, want)
	}
	if api.CORS == nil || api.CORS.MaxAge != 600 || len(api.CORS.AllowHeaders) != 4 {
		t.Errorf("CORS: got %+v", api.CORS)
	}
	var sweep []string
	for _, s := range tpl.Schedules() {
		if s.EventName == "OutboxSweep" {
			sweep = append(sweep, s.EventName+" "+s.Expression)
		}
	}
	if got, want := sweep, []string{"OutboxSweep rate(5 minutes)"}; !slices.Equal(got, want) {
		t.Errorf("schedules: got %q, want %q", got, want)
	}
	if got, want := tpl.Parameters["Stage"].AllowedValues, []string{"dev", "staging", "prod"}; !slices.Equal(got, want) {
		t.Errorf("Stage allowed: got %v, want %v", got, want)
	}
}

func TestValueResolve(t *testing.T) {
	tpl, err := Parse([]byte(`
Parameters:
  Stage: {Type: String, Default: dev}
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 7
      Environment:
        Variables:
          LIT: plain
          REF: !Ref Stage
          SUB: !Sub "x-${Stage}-${AWS::Region}-${!Keep}"
          SUBVARS: !Sub ["${A}/${Stage}", {A: !Ref Bucket}]
          GETATT: !GetAtt Bucket.Arn
          LONGREF: {Ref: Stage}
          LONGSUB: {"Fn::Sub": "y-${Stage}"}
          IF: !If [C, a, b]
  Bucket:
    Type: AWS::S3::Bucket
`))
	if err != nil {
		t.Fatal(err)
	}
	fn, _ := tpl.Function("Fn")
	names := map[string]string{"Stage": "dev", "AWS::Region": "eu-west-3", "Bucket": "bkt", "Bucket.Arn": "arn:aws:s3:::bkt"}
	ref := func(n string) (string, bool) { v, ok := names[n]; return v, ok }
	cases := []struct {
		key, want string
		wantErr   bool
	}{
		{"LIT", "plain", false},
		{"REF", "dev", false},
		{"SUB", "x-dev-eu-west-3-${Keep}", false},
		{"SUBVARS", "bkt/dev", false},
		{"GETATT", "arn:aws:s3:::bkt", false},
		{"LONGREF", "dev", false},
		{"LONGSUB", "y-dev", false},
		{"IF", "", true},
	}
	for _, c := range cases {
		t.Run(c.key, func(t *testing.T) {
			got, err := fn.Env[c.key].Resolve(ref)
			if (err != nil) != c.wantErr {
				t.Fatalf("err: got %v, wantErr %v", err, c.wantErr)
			}
			if got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
	if got, want := fn.Timeout, 7; got != want {
		t.Errorf("Timeout: got %d, want %d", got, want)
	}
}

func TestCheckRoutes(t *testing.T) {
	CheckRoutes(t, "", "PublicContentFunction", []string{
		"GET /api/news", "GET /api/news/{slug}", "GET /api/links", "GET /api/notice",
	})
	ft := &fakeTB{TB: t}
	CheckRoutes(ft, "", "PublicContentFunction", []string{"GET /api/news", "GET /nope"})
	if got, want := ft.errors, 2; got != want {
		t.Errorf("errors reported: got %d, want %d", got, want)
	}
}

type fakeTB struct {
	testing.TB
	errors int
}

func (f *fakeTB) Errorf(string, ...any) { f.errors++ }
func (f *fakeTB) Helper()               {}

func TestResolveConditionsAndListIntrinsics(t *testing.T) {
	tpl, err := Parse([]byte(`
Parameters:
  DomainName: {Type: String, Default: ""}
  SenderEmail: {Type: String, Default: no-reply@osc.example.ma}
Conditions:
  HasDomain: !Not [!Equals [!Ref DomainName, ""]]
  Both: !And [!Condition HasDomain, !Equals [!Ref SenderEmail, x]]
Globals:
  Function:
    Environment:
      Variables:
        ORIGIN: !If [HasDomain, !Sub "https://${DomainName}", http://localhost:8080]
        SENDER_DOMAIN: !Select [1, !Split ["@", !Ref SenderEmail]]
        HOSTS: !Join [",", [a, !Ref DomainName, b]]
        BOTH: !If [Both, "yes", "no"]
Resources:
  F:
    Type: AWS::Serverless::Function
`))
	if err != nil {
		t.Fatal(err)
	}
	params := map[string]string{"DomainName": "", "SenderEmail": "no-reply@osc.example.ma"}
	var ref func(string) (string, bool)
	ref = func(name string) (string, bool) {
		if c, ok := strings.CutPrefix(name, ConditionPrefix); ok {
			holds, err := tpl.Conditions[c].Condition(ref)
			return strconv.FormatBool(holds), err == nil
		}
		v, ok := params[name]
		return v, ok
	}
	want := map[string]string{"ORIGIN": "http://localhost:8080", "SENDER_DOMAIN": "osc.example.ma", "HOSTS": "a,,b", "BOTH": "no"}
	for k, w := range want {
		if got, err := tpl.Globals[k].Resolve(ref); err != nil || got != w {
			t.Errorf("%s = %q, %v; want %q", k, got, err, w)
		}
	}
	params["DomainName"] = "osc.example.ma"
	if got, _ := tpl.Globals["ORIGIN"].Resolve(ref); got != "https://osc.example.ma" {
		t.Errorf("ORIGIN with a domain = %q", got)
	}
}
