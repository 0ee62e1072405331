// Package cloud runs the project's AWS SAM application on one machine: an HTTP API
// gateway with the template's JWT authorizer, Lambda functions run as real bootstrap
// processes over the Lambda Runtime API, DynamoDB (minidyn), S3 (gofakes3), SES v2
// (a local mailbox) and the template's schedules. Everything under /_local/ is a
// local-only convenience that does not exist in AWS.
package cloud

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"espaceosc/infra/template"
)

// Local names and values given to the template's parameters and resources.
const (
	Region       = "eu-west-3"
	AccountID    = "123456789012"
	LocalStage   = "dev"
	SenderEmail  = "no-reply@espace-osc.local"
	UserPoolID   = Region + "_local"
	UserPoolApp  = "local-portal-client"
	apiID        = "local"
	seedMarker   = ".seeded"
	maxBodyBytes = 10 << 20
)

// Config configures a local cloud.
type Config struct {
	// Addr is the gateway's listen address (default 127.0.0.1:8080; use 127.0.0.1:0 in tests).
	Addr string
	// DataDir holds binaries, logs, keys and the services' data (default .local at the repo root).
	DataDir string
	// Reset wipes DataDir before starting.
	Reset bool
	// TemplatePath is the SAM template (default template.yaml at the repo root).
	TemplatePath string
	// SourceRoot is the directory function Dirs are relative to and where go build
	// runs (default: the template's directory).
	SourceRoot string
	// NoSchedules turns the schedule timers off (schedules still run on demand).
	NoSchedules bool
	// SkipMissing starts without the functions whose source directory does not exist
	// (their routes answer 500) instead of failing.
	SkipMissing bool
	// MaxInstances caps the warm processes per function (default 10); beyond, invocations queue.
	MaxInstances int
	// TTLInterval is how often expired DynamoDB items are swept (default 30s).
	TTLInterval time.Duration
	// SnapshotDelay debounces DynamoDB snapshots after writes (default 300ms).
	SnapshotDelay time.Duration
	// Seed, when set, runs once on a new data directory after the cloud is ready.
	Seed func(ctx context.Context, baseURL, adminToken string) error
	// Out receives the ready line and human messages (default: discarded).
	Out io.Writer
}

// Cloud is a running local cloud.
type Cloud struct {
	cfg      Config
	tpl      *template.Template
	url      string
	listener net.Listener
	server   *http.Server

	names map[string]string // Ref name -> local value
	// aliases maps a bucket's deployed name, as a function's env may spell
	// it with !Sub (espace-osc-dossiers-dev-<account>), to its local name.
	aliases   map[string]string
	functions map[string]*function
	gateway   *gateway
	auth      *authority
	dynamo    *dynamo
	s3        *s3Service
	ses       *sesService
	cognito   *cognitoService
	schedules *scheduler
	lambda    *lambdaAPI
	iam       *iam
	operator  *principal
	runtimeIP string

	closeOnce sync.Mutex
	closed    bool
	BuildTime time.Duration
}

// Start builds the template's functions, starts every local service and serves the
// gateway. It returns once the gateway accepts requests (and the seed, if any, ran).
func Start(ctx context.Context, cfg Config) (*Cloud, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	if cfg.Reset {
		if err := os.RemoveAll(cfg.DataDir); err != nil {
			return nil, fmt.Errorf("reset data: %w", err)
		}
	}
	if err := os.MkdirAll(filepath.Join(cfg.DataDir, "logs"), 0o755); err != nil {
		return nil, fmt.Errorf("create data dir: %w", err)
	}
	_, err := os.Stat(filepath.Join(cfg.DataDir, seedMarker))
	needSeed := errors.Is(err, os.ErrNotExist)

	tpl, err := template.Load(cfg.TemplatePath)
	if err != nil {
		return nil, err
	}
	c := &Cloud{cfg: cfg, tpl: tpl, functions: map[string]*function{}, runtimeIP: "127.0.0.1"}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("listen %s: %w", cfg.Addr, err)
	}
	c.listener = ln
	c.url = "http://" + ln.Addr().String()
	if err := c.start(ctx); err != nil {
		_ = ln.Close()
		_ = c.Close()
		return nil, err
	}
	c.server = &http.Server{Handler: c.handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = c.server.Serve(ln) }()

	out := cfg.Out
	fmt.Fprintf(out, "ready: %s\n", c.url)
	fmt.Fprintf(out, "  portal:  %s/\n", c.url)
	fmt.Fprintf(out, "  mailbox: %s/_local/mail\n", c.url)
	fmt.Fprintf(out, "  token:   curl '%s/_local/token?role=admin'   (or role=evaluator)\n", c.url)
	fmt.Fprintf(out, "  logs:    %s\n", filepath.Join(cfg.DataDir, "logs"))
	fmt.Fprintf(out, "  built %d function(s) in %s\n", len(c.functions), c.BuildTime.Round(time.Millisecond))

	if needSeed && cfg.Seed != nil {
		token, err := c.auth.issueRole("admin", "")
		if err == nil {
			err = cfg.Seed(ctx, c.url, token)
		}
		if err != nil {
			_ = c.Close()
			return nil, fmt.Errorf("seed: %w", err)
		}
		fmt.Fprintln(out, "  seeded the new data directory")
	}
	if needSeed {
		if err := os.WriteFile(filepath.Join(cfg.DataDir, seedMarker), []byte(time.Now().UTC().Format(time.RFC3339)+"\n"), 0o644); err != nil {
			_ = c.Close()
			return nil, fmt.Errorf("write seed marker: %w", err)
		}
	}
	return c, nil
}

func (cfg *Config) defaults() error {
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:8080"
	}
	if cfg.TemplatePath == "" || cfg.DataDir == "" {
		root, err := template.FindRepoRoot()
		if err != nil {
			return err
		}
		if cfg.TemplatePath == "" {
			cfg.TemplatePath = filepath.Join(root, "template.yaml")
		}
		if cfg.DataDir == "" {
			cfg.DataDir = filepath.Join(root, ".local")
		}
	}
	var err error
	if cfg.TemplatePath, err = filepath.Abs(cfg.TemplatePath); err != nil {
		return err
	}
	if cfg.DataDir, err = filepath.Abs(cfg.DataDir); err != nil {
		return err
	}
	if cfg.SourceRoot == "" {
		cfg.SourceRoot = filepath.Dir(cfg.TemplatePath)
	}
	if cfg.MaxInstances <= 0 {
		cfg.MaxInstances = 10
	}
	if cfg.TTLInterval <= 0 {
		cfg.TTLInterval = 30 * time.Second
	}
	if cfg.SnapshotDelay <= 0 {
		cfg.SnapshotDelay = 300 * time.Millisecond
	}
	if cfg.Out == nil {
		cfg.Out = io.Discard
	}
	return nil
}

func (c *Cloud) start(ctx context.Context) error {
	var err error
	if c.dynamo, err = startDynamo(c.cfg.DataDir, c.cfg.SnapshotDelay, c.cfg.TTLInterval); err != nil {
		return err
	}
	if c.s3, err = startS3(c.cfg.DataDir, c.invokeAsync); err != nil {
		return err
	}
	if c.ses, err = startSES(c.cfg.DataDir); err != nil {
		return err
	}
	if c.cognito, err = startCognito(c.cfg.DataDir, UserPoolID); err != nil {
		return err
	}
	c.names = c.localNames()
	c.aliases = bucketAliases(c.tpl, c.names)
	addEndpointAliases(c.aliases, c.s3.url)
	c.iam = newIAM()
	c.operator = c.iam.addOperator()
	c.dynamo.iam, c.s3.iam, c.ses.iam, c.cognito.iam = c.iam, c.iam, c.iam, c.iam
	c.lambda = &lambdaAPI{iam: c.iam, byArn: c.functionByName, run: c.runFunction, pause: time.Second}
	if err := startLambdaAPI(c.lambda); err != nil {
		return err
	}
	for _, t := range c.tpl.Tables {
		if err := c.dynamo.ensureTable(t, c.names[t.LogicalID]); err != nil {
			return err
		}
	}
	if err := c.dynamo.restore(); err != nil {
		return err
	}
	for _, b := range c.tpl.Buckets {
		if err := c.s3.ensureBucket(c.names[b.LogicalID]); err != nil {
			return err
		}
	}
	c.s3.setEvents(c.tpl, c.names)
	if c.auth, err = newAuthority(c.cfg.DataDir, c.tpl, c.resolve); err != nil {
		return err
	}
	c.auth.issued = c.cognito.remember
	began := time.Now()
	present := c.tpl.Functions
	if c.cfg.SkipMissing {
		present = nil
		for _, f := range c.tpl.Functions {
			if st, err := os.Stat(filepath.Join(c.cfg.SourceRoot, filepath.FromSlash(f.Dir))); err == nil && st.IsDir() {
				present = append(present, f)
			} else {
				fmt.Fprintf(c.cfg.Out, "  skipping %s: %s does not exist (its routes answer 500)\n", f.LogicalID, f.Dir)
			}
		}
	}
	bins, err := buildAll(ctx, present, c.cfg.SourceRoot, filepath.Join(c.cfg.DataDir, "bin"))
	if err != nil {
		return err
	}
	c.BuildTime = time.Since(began)
	for _, f := range present {
		p, err := c.iam.addFunction(f, c.resolve, c.localName)
		if err != nil {
			return err
		}
		if len(p.templates) > 0 {
			fmt.Fprintf(c.cfg.Out, "  %s: policies %v are not evaluated locally and grant nothing: list explicit statements\n", f.LogicalID, p.templates)
		}
		env, err := c.functionEnv(f, p)
		if err != nil {
			return err
		}
		fn, err := newFunction(f, bins[f.LogicalID], env, c.cfg.MaxInstances, filepath.Join(c.cfg.DataDir, "logs", f.LogicalID+".log"))
		if err != nil {
			return err
		}
		c.functions[f.LogicalID] = fn
	}
	if c.gateway, err = newGateway(c.tpl, c.functions, c.auth, c.resolve); err != nil {
		return err
	}
	c.schedules = newScheduler(c.tpl, c.functions)
	if !c.cfg.NoSchedules {
		c.schedules.start(c.cfg.Out)
	}
	return nil
}

// localNames gives every Ref a local value: parameters, pseudo parameters and resources.
func (c *Cloud) localNames() map[string]string {
	n := map[string]string{
		"AWS::Region":    Region,
		"AWS::AccountId": AccountID,
		"AWS::Partition": "aws",
		"AWS::StackName": "espace-osc-local",
		"AWS::URLSuffix": "amazonaws.com",
		"AWS::NoValue":   "",
	}
	for name, p := range c.tpl.Parameters {
		n[name] = p.Default
	}
	n["Stage"] = LocalStage
	n["SenderEmail"] = SenderEmail
	n["PortalOrigin"] = c.url
	for id, typ := range c.tpl.ResourceTypes {
		switch typ {
		case "AWS::Cognito::UserPool":
			n[id] = UserPoolID
			n[id+".Arn"] = "arn:aws:cognito-idp:" + Region + ":" + AccountID + ":userpool/" + UserPoolID
		case "AWS::Cognito::UserPoolClient":
			n[id] = UserPoolApp
		case "AWS::Serverless::HttpApi":
			n[id] = apiID
		default:
			n[id] = strings.ToLower(id) + "-local"
		}
	}
	// Tables and buckets: the template's name computed for stage "local", without an
	// account suffix (espace-osc-local, espace-osc-dossiers-local).
	localName := func(v template.Value, id string) string {
		s, err := v.Resolve(func(name string) (string, bool) {
			switch name {
			case "Stage":
				return "local", true
			case "AWS::AccountId":
				return "", true
			}
			x, ok := n[name]
			return x, ok
		})
		s = strings.Trim(s, "-")
		if err != nil || s == "" {
			return strings.ToLower(id) + "-local"
		}
		return s
	}
	// A function named by the template is known by that name (its Ref).
	for _, f := range c.tpl.Functions {
		if f.Name.Kind == template.KindLiteral && f.Name.Literal == "" {
			continue
		}
		if name, err := f.Name.Resolve(func(k string) (string, bool) { v, ok := n[k]; return v, ok }); err == nil && name != "" {
			n[f.LogicalID] = name
		}
	}
	for _, t := range c.tpl.Tables {
		n[t.LogicalID] = localName(t.TableName, t.LogicalID)
		n[t.LogicalID+".Arn"] = "arn:aws:dynamodb:" + Region + ":" + AccountID + ":table/" + n[t.LogicalID]
	}
	for _, b := range c.tpl.Buckets {
		n[b.LogicalID] = localName(b.BucketName, b.LogicalID)
		n[b.LogicalID+".Arn"] = "arn:aws:s3:::" + n[b.LogicalID]
	}
	return n
}

func (c *Cloud) resolve(name string) (string, bool) {
	if cond, ok := strings.CutPrefix(name, template.ConditionPrefix); ok {
		expr, found := c.tpl.Conditions[cond]
		if !found {
			return "", false
		}
		holds, err := expr.Condition(c.resolve)
		if err != nil {
			return "", false
		}
		return strconv.FormatBool(holds), true
	}
	v, ok := c.names[name]
	return v, ok
}

// localName rewrites the deployed bucket names that s contains (as a
// policy's ARN spells them with !Sub) to the local ones.
func (c *Cloud) localName(s string) string {
	for deployed, local := range c.aliases {
		if !strings.HasPrefix(deployed, "https://") {
			s = strings.ReplaceAll(s, deployed, local)
		}
	}
	return s
}

func (c *Cloud) functionEnv(f template.Function, p *principal) ([]string, error) {
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"TZ=:UTC",
		"LANG=en_US.UTF-8",
		"AWS_REGION=" + Region,
		"AWS_DEFAULT_REGION=" + Region,
		// The function's own role session: the local services find its
		// policy statements by this key.
		"AWS_ACCESS_KEY_ID=" + p.accessKey,
		"AWS_SECRET_ACCESS_KEY=" + p.secretKey,
		"AWS_SESSION_TOKEN=" + p.sessionToken,
		"AWS_CONFIG_FILE=" + os.DevNull,
		"AWS_SHARED_CREDENTIALS_FILE=" + os.DevNull,
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_LAMBDA_FUNCTION_NAME=" + c.functionName(f.LogicalID),
		"AWS_LAMBDA_FUNCTION_VERSION=$LATEST",
		fmt.Sprintf("AWS_LAMBDA_FUNCTION_MEMORY_SIZE=%d", f.MemorySize),
		"AWS_LAMBDA_LOG_GROUP_NAME=/aws/lambda/" + f.LogicalID,
		"AWS_LAMBDA_LOG_STREAM_NAME=local",
		"AWS_EXECUTION_ENV=AWS_Lambda_provided.al2023",
		"_HANDLER=" + f.Handler,
		"AWS_ENDPOINT_URL_DYNAMODB=" + c.dynamo.url,
		"AWS_ENDPOINT_URL_S3=" + c.s3.url,
		"AWS_ENDPOINT_URL_SESV2=" + c.ses.url,
		"AWS_ENDPOINT_URL_LAMBDA=" + c.lambda.url,
		"AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER=" + c.cognito.url,
		"S3_USE_PATH_STYLE=true",
	}
	for k, v := range f.Env {
		s, err := c.envValue(v)
		if err != nil {
			return nil, fmt.Errorf("function %s: env %s: %w", f.LogicalID, k, err)
		}
		if local, ok := c.aliases[s]; ok {
			s = local
		}
		env = append(env, k+"="+s)
	}
	return env, nil
}

// bucketAliases maps each bucket's name as the template computes it with the
// local parameters (e.g. espace-osc-dossiers-dev-000000000000) to the local
// bucket's name, so that a function env naming the bucket with !Sub rather
// than !Ref (a Ref would make the bucket's S3 event circular) reaches it.
func bucketAliases(tpl *template.Template, names map[string]string) map[string]string {
	out := map[string]string{}
	for _, b := range tpl.Buckets {
		deployed, err := b.BucketName.Resolve(func(name string) (string, bool) {
			v, ok := names[name]
			return v, ok
		})
		if err == nil && deployed != "" && deployed != names[b.LogicalID] {
			out[deployed] = names[b.LogicalID]
		}
	}
	return out
}

// addEndpointAliases maps each deployed bucket's virtual-hosted endpoint
// origin (https://<bucket>.s3.<region>.amazonaws.com, where presigned POSTs
// go in AWS) to the local S3 endpoint, which serves every bucket path-style.
func addEndpointAliases(aliases map[string]string, s3URL string) {
	for deployed := range aliases {
		if !strings.HasPrefix(deployed, "https://") {
			aliases["https://"+deployed+".s3."+Region+".amazonaws.com"] = s3URL
		}
	}
}

// envValue resolves a function's environment value. There is no Cognito
// managed login locally, so a value built from a user pool domain (e.g. its
// host name) is empty: functions read that as "no hosted sign-in".
func (c *Cloud) envValue(v template.Value) (string, error) {
	noDomain := false
	s, err := v.Resolve(func(name string) (string, bool) {
		if c.tpl.ResourceTypes[name] == "AWS::Cognito::UserPoolDomain" {
			noDomain = true
			return "", true
		}
		return c.resolve(name)
	})
	if err != nil || noDomain {
		return "", err
	}
	return s, nil
}

// URL returns the gateway's base URL (http://host:port, no trailing slash).
func (c *Cloud) URL() string { return c.url }

// Names returns the local value of every Ref of the template (e.g. "Table" -> "espace-osc-local").
func (c *Cloud) Names() map[string]string {
	out := make(map[string]string, len(c.names))
	for k, v := range c.names {
		out[k] = v
	}
	return out
}

// Endpoints returns the local service endpoints, keyed "dynamodb", "s3",
// "sesv2" and "cognito-idp".
func (c *Cloud) Endpoints() map[string]string {
	return map[string]string{"dynamodb": c.dynamo.url, "s3": c.s3.url, "sesv2": c.ses.url, "cognito-idp": c.cognito.url}
}

// OperatorCredentials are an access key and secret that every local service
// accepts for anything (the account's administrator): for tests and tools
// that read or write the services directly rather than as a function.
func (c *Cloud) OperatorCredentials() (accessKey, secretKey string) {
	return c.operator.accessKey, c.operator.secretKey
}

// Mail returns every message of the local mailbox, in send order.
func (c *Cloud) Mail() []Message { return c.ses.box.list("") }

// ClearMail empties the local mailbox.
func (c *Cloud) ClearMail() error { return c.ses.box.clear() }

// Token issues a local JWT for role "admin" or "evaluator"; sub defaults to local-<role>.
func (c *Cloud) Token(role, sub string) (string, error) { return c.auth.issueRole(role, sub) }

// SetFault injects a fault: service "dynamodb" or "ses", mode "fail", "throttle" or "none".
func (c *Cloud) SetFault(service, mode string) error {
	switch mode {
	case faultNone, faultFail, faultThrottle:
	default:
		return fmt.Errorf("unknown fault mode %q", mode)
	}
	switch service {
	case "dynamodb":
		c.dynamo.setFault(mode)
	case "ses":
		c.ses.setFault(mode)
	default:
		return fmt.Errorf("unknown fault service %q", service)
	}
	return nil
}

// RunSchedule runs the schedule event named name now and returns the function's result.
func (c *Cloud) RunSchedule(ctx context.Context, name string) ([]byte, error) {
	return c.schedules.run(ctx, name)
}

// invokeAsync runs an asynchronous invocation (S3 events), with Lambda's
// retries and a recorded failure after them.
func (c *Cloud) invokeAsync(logicalID string, payload []byte) {
	if _, ok := c.functions[logicalID]; !ok {
		return
	}
	c.lambda.async(logicalID, payload)
}

// runFunction runs one invocation of a built function.
func (c *Cloud) runFunction(ctx context.Context, logicalID string, payload []byte) (result, error) {
	fn, ok := c.functions[logicalID]
	if !ok || fn == nil {
		return result{}, fmt.Errorf("function %s is not built", logicalID)
	}
	return fn.invoke(ctx, payload)
}

// functionName is the deployed name of the function id: its FunctionName,
// else its logical ID.
func (c *Cloud) functionName(id string) string {
	if n, ok := c.names[id]; ok && n != strings.ToLower(id)+"-local" {
		return n
	}
	return id
}

// functionByName finds a function by its name (as !Ref gives it), its ARN
// or its logical ID.
func (c *Cloud) functionByName(name string) (string, bool) {
	if i := strings.LastIndex(name, ":function:"); i >= 0 {
		name = name[i+len(":function:"):]
	}
	for id := range c.functions {
		if name == id || name == c.names[id] {
			return id, true
		}
	}
	return "", false
}

// Failures lists the asynchronous invocations that failed every attempt.
func (c *Cloud) Failures() []Failure { return c.lambda.listFailures() }

// Close stops the schedules, the gateway, every function process and service, and
// flushes the DynamoDB snapshot and the mailbox.
func (c *Cloud) Close() error {
	c.closeOnce.Lock()
	defer c.closeOnce.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	var errs []error
	if c.schedules != nil {
		c.schedules.stop()
	}
	if c.server != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		_ = c.server.Shutdown(ctx)
		cancel()
	} else if c.listener != nil {
		_ = c.listener.Close()
	}
	for _, fn := range c.functions {
		fn.close()
	}
	if c.dynamo != nil {
		errs = append(errs, c.dynamo.close())
	}
	if c.s3 != nil {
		errs = append(errs, c.s3.close())
	}
	if c.ses != nil {
		errs = append(errs, c.ses.close())
	}
	if c.cognito != nil {
		errs = append(errs, c.cognito.close())
	}
	if c.lambda != nil {
		c.lambda.close()
	}
	return errors.Join(errs...)
}

// serveLoopback serves h on a new 127.0.0.1 listener and returns its base URL.
func serveLoopback(h http.Handler) (*http.Server, string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return srv, "http://" + ln.Addr().String(), nil
}
