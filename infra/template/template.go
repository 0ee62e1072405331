// Package template reads the project's AWS SAM template (template.yaml), the single
// source of truth for routes, functions, tables, buckets and schedules. The local
// cloud and the functions' tests use it so that what runs locally is what the
// template declares.
package template

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Template is the parsed subset of a SAM template the project relies on.
type Template struct {
	Parameters map[string]Parameter
	// Conditions are the Conditions section's expressions, unresolved.
	Conditions map[string]Value
	Functions  []Function // document order
	API        API
	Tables     []Table
	Buckets    []Bucket
	// Globals is Globals.Function.Environment.Variables, unresolved.
	Globals map[string]Value
	// ResourceTypes maps every resource's logical ID to its Type.
	ResourceTypes map[string]string
}

// Parameter is a template parameter.
type Parameter struct {
	Name, Type, Default string
	AllowedValues       []string
}

// API is the AWS::Serverless::HttpApi resource.
type API struct {
	LogicalID         string
	DefaultAuthorizer string
	Authorizers       map[string]JWTAuthorizer
	CORS              *CORS
}

// JWTAuthorizer is an HTTP API JWT authorizer.
type JWTAuthorizer struct {
	Name           string
	IdentitySource string // e.g. $request.header.Authorization
	Issuer         Value
	Audience       []Value
}

// CORS is an HTTP API CorsConfiguration.
type CORS struct {
	AllowOrigins     []Value
	AllowMethods     []string
	AllowHeaders     []string
	ExposeHeaders    []string
	MaxAge           int
	AllowCredentials bool
}

// Function is an AWS::Serverless::Function.
type Function struct {
	LogicalID string
	// Dir is the package directory: "functions/<lowercase LogicalID without the Function suffix>".
	Dir         string
	Description string
	Handler     string
	Runtime     string
	Timeout     int // seconds, Globals applied
	MemorySize  int // MB, Globals applied
	Env         map[string]Value
	Routes      []Route
	Schedules   []Schedule
	S3Events    []S3Event
	BuildMethod string
	// Name is the FunctionName property (zero when the stack names it).
	Name Value
	// Policies are the inline statements of the function's role; PolicyTemplates
	// names the SAM policy templates and managed policies it also lists.
	Policies        []Statement
	PolicyTemplates []string
}

// Route is one HttpApi event of a function.
type Route struct {
	FunctionLogicalID string
	EventName         string
	Method            string // upper case; "ANY" matches every method
	Path              string // "$default" for the default route
	Public            bool   // Auth.Authorizer: NONE
	Authorizer        string // effective authorizer name, "" when public
}

// Key returns the route as API Gateway's routeKey, e.g. "GET /api/news/{slug}".
func (r Route) Key() string {
	if r.Path == "$default" {
		return "$default"
	}
	return r.Method + " " + r.Path
}

// Schedule is a Schedule or ScheduleV2 event.
type Schedule struct {
	FunctionLogicalID string
	EventName         string
	Type              string // Schedule (EventBridge rule) or ScheduleV2 (EventBridge Scheduler)
	Expression        string // rate(...) or cron(...)
	Enabled           bool
}

// S3Event is an S3 event of a function.
type S3Event struct {
	FunctionLogicalID string
	EventName         string
	BucketLogicalID   string
	Events            []string // e.g. s3:ObjectCreated:*
	Prefix, Suffix    string
}

// Table is an AWS::DynamoDB::Table.
type Table struct {
	LogicalID      string
	TableName      Value
	HashKey        string
	RangeKey       string
	AttributeTypes map[string]string // attribute name -> S, N or B
	GSIs           []GSI
	TTLAttribute   string
}

// GSI is a global secondary index.
type GSI struct {
	Name, HashKey, RangeKey, Projection string
}

// Bucket is an AWS::S3::Bucket.
type Bucket struct {
	LogicalID  string
	BucketName Value
}

// Load parses the SAM template at path.
func Load(path string) (*Template, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load template: %w", err)
	}
	t, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("load template %s: %w", path, err)
	}
	return t, nil
}

// Parse parses a SAM template document.
func Parse(data []byte) (*Template, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("parse yaml: %w", err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, errors.New("empty template")
	}
	root := doc.Content[0]
	t := &Template{
		Conditions:    map[string]Value{},
		Parameters:    map[string]Parameter{},
		Globals:       map[string]Value{},
		ResourceTypes: map[string]string{},
	}
	for _, p := range pairs(get(root, "Parameters")) {
		t.Parameters[p[0].Value] = Parameter{
			Name:          p[0].Value,
			Type:          str(p[1], "Type"),
			Default:       str(p[1], "Default"),
			AllowedValues: scalars(get(p[1], "AllowedValues")),
		}
	}
	for _, p := range pairs(get(root, "Conditions")) {
		t.Conditions[p[0].Value] = valueOf(p[1])
	}
	globalFn := get(root, "Globals", "Function")
	for _, p := range pairs(get(globalFn, "Environment", "Variables")) {
		t.Globals[p[0].Value] = valueOf(p[1])
	}
	resources := get(root, "Resources")
	if resources == nil {
		return nil, errors.New("template has no Resources")
	}
	for _, p := range pairs(resources) {
		t.ResourceTypes[p[0].Value] = str(p[1], "Type")
	}
	for _, p := range pairs(resources) {
		id, res := p[0].Value, p[1]
		props := get(res, "Properties")
		var err error
		switch str(res, "Type") {
		case "AWS::Serverless::HttpApi":
			if t.API.LogicalID != "" {
				return nil, fmt.Errorf("two HttpApi resources: %s and %s", t.API.LogicalID, id)
			}
			t.API = parseAPI(id, props)
		case "AWS::DynamoDB::Table":
			var tbl Table
			tbl, err = parseTable(id, props)
			t.Tables = append(t.Tables, tbl)
		case "AWS::S3::Bucket":
			t.Buckets = append(t.Buckets, Bucket{LogicalID: id, BucketName: valueOf(get(props, "BucketName"))})
		}
		if err != nil {
			return nil, fmt.Errorf("resource %s: %w", id, err)
		}
	}
	for _, p := range pairs(resources) {
		if str(p[1], "Type") != "AWS::Serverless::Function" {
			continue
		}
		fn, err := t.parseFunction(p[0].Value, p[1], globalFn)
		if err != nil {
			return nil, fmt.Errorf("function %s: %w", p[0].Value, err)
		}
		t.Functions = append(t.Functions, fn)
	}
	return t, nil
}

func parseAPI(id string, props *yaml.Node) API {
	api := API{
		LogicalID:         id,
		DefaultAuthorizer: str(props, "Auth", "DefaultAuthorizer"),
		Authorizers:       map[string]JWTAuthorizer{},
	}
	for _, p := range pairs(get(props, "Auth", "Authorizers")) {
		jc := get(p[1], "JwtConfiguration")
		api.Authorizers[p[0].Value] = JWTAuthorizer{
			Name:           p[0].Value,
			IdentitySource: str(p[1], "IdentitySource"),
			Issuer:         valueOf(get(jc, "issuer")),
			Audience:       values(get(jc, "audience")),
		}
	}
	if c := get(props, "CorsConfiguration"); c != nil && c.Kind == yaml.MappingNode {
		maxAge, _ := strconv.Atoi(str(c, "MaxAge"))
		api.CORS = &CORS{
			AllowOrigins:     values(get(c, "AllowOrigins")),
			AllowMethods:     scalars(get(c, "AllowMethods")),
			AllowHeaders:     scalars(get(c, "AllowHeaders")),
			ExposeHeaders:    scalars(get(c, "ExposeHeaders")),
			MaxAge:           maxAge,
			AllowCredentials: str(c, "AllowCredentials") == "true",
		}
	}
	return api
}

func parseTable(id string, props *yaml.Node) (Table, error) {
	tbl := Table{LogicalID: id, TableName: valueOf(get(props, "TableName")), AttributeTypes: map[string]string{}}
	for _, a := range get(props, "AttributeDefinitions").Content {
		tbl.AttributeTypes[str(a, "AttributeName")] = str(a, "AttributeType")
	}
	tbl.HashKey, tbl.RangeKey = keySchema(get(props, "KeySchema"))
	if tbl.HashKey == "" {
		return tbl, errors.New("no HASH key")
	}
	if g := get(props, "GlobalSecondaryIndexes"); g != nil {
		for _, ix := range g.Content {
			h, r := keySchema(get(ix, "KeySchema"))
			tbl.GSIs = append(tbl.GSIs, GSI{
				Name: str(ix, "IndexName"), HashKey: h, RangeKey: r,
				Projection: str(ix, "Projection", "ProjectionType"),
			})
		}
	}
	if str(props, "TimeToLiveSpecification", "Enabled") != "false" {
		tbl.TTLAttribute = str(props, "TimeToLiveSpecification", "AttributeName")
	}
	return tbl, nil
}

func keySchema(n *yaml.Node) (hash, rng string) {
	if n == nil {
		return "", ""
	}
	for _, k := range n.Content {
		switch str(k, "KeyType") {
		case "HASH":
			hash = str(k, "AttributeName")
		case "RANGE":
			rng = str(k, "AttributeName")
		}
	}
	return hash, rng
}

func (t *Template) parseFunction(id string, res, globalFn *yaml.Node) (Function, error) {
	props := get(res, "Properties")
	fn := Function{
		LogicalID:   id,
		Dir:         "functions/" + strings.ToLower(strings.TrimSuffix(id, "Function")),
		Description: str(props, "Description"),
		Handler:     firstNonEmpty(str(props, "Handler"), str(globalFn, "Handler")),
		Runtime:     firstNonEmpty(str(props, "Runtime"), str(globalFn, "Runtime")),
		BuildMethod: str(res, "Metadata", "BuildMethod"),
		Env:         map[string]Value{},
	}
	var err error
	if fn.Timeout, err = t.intProp(props, globalFn, "Timeout", 3); err != nil {
		return fn, err
	}
	if fn.MemorySize, err = t.intProp(props, globalFn, "MemorySize", 128); err != nil {
		return fn, err
	}
	for k, v := range t.Globals {
		fn.Env[k] = v
	}
	for _, p := range pairs(get(props, "Environment", "Variables")) {
		fn.Env[p[0].Value] = valueOf(p[1])
	}
	if n := get(props, "FunctionName"); n != nil {
		fn.Name = valueOf(n)
	}
	if fn.Policies, fn.PolicyTemplates, err = parsePolicies(get(props, "Policies")); err != nil {
		return fn, fmt.Errorf("function %s: %w", id, err)
	}
	for _, p := range pairs(get(props, "Events")) {
		name, ev := p[0].Value, p[1]
		ep := get(ev, "Properties")
		switch typ := str(ev, "Type"); typ {
		case "HttpApi":
			r := Route{
				FunctionLogicalID: id,
				EventName:         name,
				Method:            strings.ToUpper(str(ep, "Method")),
				Path:              str(ep, "Path"),
			}
			if r.Method == "" && r.Path == "" {
				r.Method, r.Path = "ANY", "$default"
			}
			if r.Method == "" || r.Path == "" {
				return fn, fmt.Errorf("event %s: HttpApi needs both Path and Method", name)
			}
			if a := get(ep, "ApiId"); a != nil {
				if v := valueOf(a); v.Kind == KindRef && v.Literal != t.API.LogicalID {
					return fn, fmt.Errorf("event %s: unknown ApiId %s", name, v.Literal)
				}
			}
			auth := str(ep, "Auth", "Authorizer")
			switch {
			case auth == "NONE":
				r.Public = true
			case auth != "":
				r.Authorizer = auth
			default:
				r.Authorizer = t.API.DefaultAuthorizer
				r.Public = r.Authorizer == ""
			}
			fn.Routes = append(fn.Routes, r)
		case "Schedule", "ScheduleV2":
			expr := str(ep, "Schedule")
			if typ == "ScheduleV2" {
				expr = str(ep, "ScheduleExpression")
			}
			enabled := str(ep, "Enabled") != "false" && str(ep, "State") != "DISABLED"
			fn.Schedules = append(fn.Schedules, Schedule{FunctionLogicalID: id, EventName: name, Type: typ, Expression: expr, Enabled: enabled})
		case "S3":
			s := S3Event{FunctionLogicalID: id, EventName: name, Events: scalars(get(ep, "Events"))}
			if b := valueOf(get(ep, "Bucket")); b.Kind == KindRef {
				s.BucketLogicalID = b.Literal
			} else {
				return fn, fmt.Errorf("event %s: S3 Bucket must be !Ref to a bucket of the template", name)
			}
			if rules := get(ep, "Filter", "S3Key", "Rules"); rules != nil {
				for _, rule := range rules.Content {
					switch strings.ToLower(str(rule, "Name")) {
					case "prefix":
						s.Prefix = str(rule, "Value")
					case "suffix":
						s.Suffix = str(rule, "Value")
					}
				}
			}
			fn.S3Events = append(fn.S3Events, s)
		}
	}
	return fn, nil
}

// intProp reads an integer property, falling back to Globals then def. A !Ref to a
// parameter uses its Default.
func (t *Template) intProp(props, globalFn *yaml.Node, key string, def int) (int, error) {
	n := get(props, key)
	if n == nil {
		n = get(globalFn, key)
	}
	if n == nil {
		return def, nil
	}
	s, err := valueOf(n).Resolve(func(name string) (string, bool) {
		p, ok := t.Parameters[name]
		return p.Default, ok
	})
	if err != nil {
		return 0, fmt.Errorf("%s: %w", key, err)
	}
	i, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", key, err)
	}
	return i, nil
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// Function returns the function with the given logical ID.
func (t *Template) Function(logicalID string) (Function, bool) {
	for _, f := range t.Functions {
		if f.LogicalID == logicalID {
			return f, true
		}
	}
	return Function{}, false
}

// Routes returns every HttpApi route of every function, in document order.
func (t *Template) Routes() []Route {
	var out []Route
	for _, f := range t.Functions {
		out = append(out, f.Routes...)
	}
	return out
}

// Schedules returns every schedule of every function, in document order.
func (t *Template) Schedules() []Schedule {
	var out []Schedule
	for _, f := range t.Functions {
		out = append(out, f.Schedules...)
	}
	return out
}

// S3Events returns every S3 event of every function, in document order.
func (t *Template) S3Events() []S3Event {
	var out []S3Event
	for _, f := range t.Functions {
		out = append(out, f.S3Events...)
	}
	return out
}

// ParameterDefaults returns a resolver that answers parameters with their Default.
func (t *Template) ParameterDefaults() func(string) (string, bool) {
	return func(name string) (string, bool) {
		p, ok := t.Parameters[name]
		return p.Default, ok
	}
}

// FindRepoRoot walks up from the working directory to the directory holding go.mod.
func FindRepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("find repo root: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("find repo root: no go.mod above the working directory")
		}
		dir = parent
	}
}
