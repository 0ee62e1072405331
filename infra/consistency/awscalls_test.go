package consistency

import (
	"fmt"
	"go/types"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"

	"espaceosc/infra/template"

	"golang.org/x/tools/go/callgraph"
	"golang.org/x/tools/go/callgraph/cha"
	"golang.org/x/tools/go/callgraph/vta"
	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/ssa/ssautil"
)

// What each function's code can call, found statically: every function of
// the template is loaded, turned into SSA, and the methods reachable from
// its main (Rapid Type Analysis, which follows interface calls to the types
// that reach them) are read for the AWS SDK operations they include. Each
// operation maps to the IAM actions AWS checks for it.

// sdkActions maps a reachable SDK method ("package.Type.Method") to the IAM
// actions it needs.
var sdkActions = map[string][]string{
	"dynamodb.Client.GetItem":                         {"dynamodb:GetItem"},
	"dynamodb.Client.PutItem":                         {"dynamodb:PutItem"},
	"dynamodb.Client.UpdateItem":                      {"dynamodb:UpdateItem"},
	"dynamodb.Client.DeleteItem":                      {"dynamodb:DeleteItem"},
	"dynamodb.Client.Query":                           {"dynamodb:Query"},
	"dynamodb.Client.Scan":                            {"dynamodb:Scan"},
	"dynamodb.Client.BatchGetItem":                    {"dynamodb:BatchGetItem"},
	"dynamodb.Client.BatchWriteItem":                  {"dynamodb:BatchWriteItem"},
	"dynamodb.Client.TransactGetItems":                {"dynamodb:GetItem"},
	"dynamodb.Client.TransactWriteItems":              nil, // the actions of its items: see txItemActions
	"s3.Client.GetObject":                             {"s3:GetObject"},
	"s3.Client.HeadObject":                            {"s3:GetObject"},
	"s3.Client.PutObject":                             {"s3:PutObject"},
	"s3.Client.DeleteObject":                          {"s3:DeleteObject"},
	"s3.Client.CopyObject":                            {"s3:GetObject", "s3:PutObject"},
	"s3.Client.ListObjectsV2":                         {"s3:ListBucket"},
	"s3.Client.ListObjectVersions":                    {"s3:ListBucketVersions"},
	"s3.Client.DeleteObjects":                         {"s3:DeleteObject"},
	"s3.PresignClient.PresignPostObject":              {"s3:PutObject"},
	"s3.PresignClient.PresignGetObject":               {"s3:GetObject"},
	"s3.PresignClient.PresignPutObject":               {"s3:PutObject"},
	"sesv2.Client.SendEmail":                          {"ses:SendEmail"},
	"sesv2.Client.GetAccount":                         {"ses:GetAccount"},
	"lambda.Client.Invoke":                            {"lambda:InvokeFunction"},
	"sqs.Client.SendMessage":                          {"sqs:SendMessage"},
	"cognitoidentityprovider.Client.ListUsersInGroup": {"cognito-idp:ListUsersInGroup"},
}

// txItemActions maps the ddbstore.Tx methods that add an item to a
// TransactWriteItems to the action DynamoDB checks for that item.
var txItemActions = map[string]string{
	"ddbstore.Tx.Put":    "dynamodb:PutItem",
	"ddbstore.Tx.Update": "dynamodb:UpdateItem",
	"ddbstore.Tx.Delete": "dynamodb:DeleteItem",
	"ddbstore.Tx.Check":  "dynamodb:ConditionCheckItem",
}

var sdkPackages = map[string]string{
	"github.com/aws/aws-sdk-go-v2/service/dynamodb":                "dynamodb",
	"github.com/aws/aws-sdk-go-v2/service/s3":                      "s3",
	"github.com/aws/aws-sdk-go-v2/service/sesv2":                   "sesv2",
	"github.com/aws/aws-sdk-go-v2/service/lambda":                  "lambda",
	"github.com/aws/aws-sdk-go-v2/service/sqs":                     "sqs",
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider": "cognitoidentityprovider",
	"espaceosc/shared/ddbstore":                                    "ddbstore",
}

var (
	callsOnce sync.Once
	callsByFn map[string]map[string][]string // function -> action -> the SDK methods needing it
	callsErr  error
)

// functionCalls returns, for each function of the template, the IAM actions
// its code can need and, for each, the SDK methods that need it.
func functionCalls(t *testing.T) map[string]map[string][]string {
	t.Helper()
	callsOnce.Do(func() { callsByFn, callsErr = analyseCalls(t) })
	if callsErr != nil {
		t.Fatal(callsErr)
	}
	return callsByFn
}

func analyseCalls(t *testing.T) (map[string]map[string][]string, error) {
	tpl, err := template.Load(repoPath(t, "template.yaml"))
	if err != nil {
		return nil, err
	}
	var patterns []string
	byPkg := map[string]string{}
	for _, f := range tpl.Functions {
		pkg := "espaceosc/" + f.Dir
		patterns = append(patterns, pkg)
		byPkg[pkg] = f.LogicalID
	}
	cfg := &packages.Config{
		Mode:       packages.LoadAllSyntax,
		Dir:        repoPath(t, "."),
		BuildFlags: []string{"-tags", "lambda.norpc"},
		Env:        append(envWithout("GOOS", "GOARCH", "CGO_ENABLED"), "GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0"),
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		return nil, err
	}
	if n := packages.PrintErrors(pkgs); n > 0 {
		return nil, fmt.Errorf("%d errors loading the functions", n)
	}
	out := map[string]map[string][]string{}
	for _, p := range pkgs {
		// One program per function: a type that flows into an interface in
		// another function's code must not make calls reachable here.
		prog, ssaPkgs := ssautil.AllPackages([]*packages.Package{p}, ssa.InstantiateGenerics)
		prog.Build()
		main := ssaPkgs[0]
		if main == nil || main.Func("main") == nil {
			return nil, fmt.Errorf("%s has no main", p.PkgPath)
		}
		// aws-lambda-go calls the handler main gives lambda.Start through
		// reflection, which no call graph follows: every function of the
		// function's own packages (main and its handler) is a root.
		var roots []*ssa.Function
		own := p.PkgPath
		for fn := range ssautil.AllFunctions(prog) {
			if fn.Pkg != nil && (fn.Pkg.Pkg.Path() == own || strings.HasPrefix(fn.Pkg.Pkg.Path(), own+"/")) {
				roots = append(roots, fn)
			}
		}
		// Variable type analysis refines the class hierarchy's call graph
		// (an interface call reaches only the types that can flow to it),
		// over what the class hierarchy says is reachable at all.
		initial := cha.CallGraph(prog)
		cg := vta.CallGraph(reach(initial, roots...), initial)
		reachable := reach(cg, roots...)
		actions := map[string][]string{}
		txUsed := false
		for fn := range reachable {
			name, ok := methodName(fn)
			if !ok {
				continue
			}
			if name == "dynamodb.Client.TransactWriteItems" {
				txUsed = true
			}
			for _, a := range sdkActions[name] {
				actions[a] = append(actions[a], name)
			}
		}
		if txUsed {
			for fn := range reachable {
				if name, ok := methodName(fn); ok {
					if a, ok := txItemActions[name]; ok {
						actions[a] = append(actions[a], "dynamodb.Client.TransactWriteItems via "+name)
					}
				}
			}
		}
		for a := range actions {
			sort.Strings(actions[a])
		}
		out[byPkg[p.PkgPath]] = actions
	}
	return out, nil
}

// funcValues lists the functions fn uses as values (method values, closures,
// function references), not only calls.
func funcValues(fn *ssa.Function) []*ssa.Function {
	var out []*ssa.Function
	add := func(v ssa.Value) {
		switch v := v.(type) {
		case *ssa.Function:
			out = append(out, v)
		case *ssa.MakeClosure:
			out = append(out, v.Fn.(*ssa.Function))
		}
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			for _, op := range instr.Operands(nil) {
				if op != nil && *op != nil {
					add(*op)
				}
			}
			if v, ok := instr.(ssa.Value); ok {
				add(v)
			}
		}
	}
	out = append(out, fn.AnonFuncs...)
	return out
}

// reach returns the functions reachable from roots in cg.
func reach(cg *callgraph.Graph, roots ...*ssa.Function) map[*ssa.Function]bool {
	seen := map[*ssa.Function]bool{}
	var stack []*callgraph.Node
	for _, r := range roots {
		if n := cg.Nodes[r]; n != nil && !seen[r] {
			seen[r] = true
			stack = append(stack, n)
		}
	}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, e := range n.Out {
			if f := e.Callee.Func; !seen[f] {
				seen[f] = true
				stack = append(stack, e.Callee)
			}
		}
	}
	return seen
}

// methodName names a method of an SDK client (or of ddbstore.Tx) as
// "package.Type.Method".
func methodName(fn *ssa.Function) (string, bool) {
	if fn.Signature.Recv() == nil || fn.Pkg == nil && fn.Origin() == nil {
		return "", false
	}
	obj, ok := fn.Object().(*types.Func)
	if !ok || obj.Pkg() == nil {
		return "", false
	}
	short, ok := sdkPackages[obj.Pkg().Path()]
	if !ok {
		return "", false
	}
	recv := fn.Signature.Recv().Type()
	if p, ok := recv.(*types.Pointer); ok {
		recv = p.Elem()
	}
	named, ok := recv.(*types.Named)
	if !ok {
		return "", false
	}
	return short + "." + named.Obj().Name() + "." + obj.Name(), true
}

func envWithout(names ...string) []string {
	var out []string
	for _, kv := range osEnviron() {
		keep := true
		for _, n := range names {
			if strings.HasPrefix(kv, n+"=") {
				keep = false
			}
		}
		if keep {
			out = append(out, kv)
		}
	}
	return out
}

// TestPrintFunctionCalls lists what each function can call (go test -v -run
// TestPrintFunctionCalls ./infra/consistency): the starting point of a
// role's statements.
func TestPrintFunctionCalls(t *testing.T) {
	calls := functionCalls(t)
	var fns []string
	for fn := range calls {
		fns = append(fns, fn)
	}
	sort.Strings(fns)
	for _, fn := range fns {
		var actions []string
		for a := range calls[fn] {
			actions = append(actions, a)
		}
		sort.Strings(actions)
		t.Logf("%s: %s", fn, strings.Join(actions, ", "))
	}
}

var osEnviron = os.Environ
