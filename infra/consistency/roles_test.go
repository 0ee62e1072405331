package consistency

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"espaceosc/infra/template"
	"espaceosc/shared/testenv"
)

// Least privilege, checked on the template as CloudFormation receives it
// (expanded by the SAM transform, so that SAM policy templates show the
// actions they grant) and against what each function's code calls.

var (
	expandOnce sync.Once
	expanded   []byte
	expandErr  error
)

// expandTemplate returns path expanded by aws-sam-translator (JSON).
func expandTemplate(t *testing.T, path string) []byte {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		testenv.Missing(t, "python3", "install Python 3 with aws-sam-translator (it comes with cfn-lint)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, py, repoPath(t, "infra/consistency/expand.py"), path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if strings.Contains(stderr.String(), "No module named") {
			testenv.Missing(t, "aws-sam-translator", "pip install cfn-lint (it brings aws-sam-translator)")
		}
		t.Fatalf("expand %s: %v\n%s", path, err, stderr.String())
	}
	return out
}

func expandedTemplate(t *testing.T) []byte {
	t.Helper()
	expandOnce.Do(func() { expanded = expandTemplate(t, repoPath(t, "template.yaml")) })
	return expanded
}

// roleViolations lists what the expanded template's IAM grants beyond least
// privilege: a wildcard in an action, any Scan or Batch* action, a managed
// policy other than Lambda's basic logging role.
func roleViolations(expandedJSON []byte) ([]string, error) {
	var doc struct {
		Resources map[string]struct {
			Type       string
			Properties map[string]json.RawMessage
		}
	}
	if err := json.Unmarshal(expandedJSON, &doc); err != nil {
		return nil, err
	}
	var out []string
	check := func(where string, policy json.RawMessage) {
		var p struct{ Statement []map[string]json.RawMessage }
		if json.Unmarshal(policy, &p) != nil {
			return
		}
		for _, s := range p.Statement {
			var effect string
			_ = json.Unmarshal(s["Effect"], &effect)
			if effect != "Allow" {
				continue
			}
			for _, a := range stringOrList(s["Action"]) {
				la := strings.ToLower(a)
				switch {
				case strings.Contains(a, "*"):
					out = append(out, fmt.Sprintf("%s allows a wildcard action %s", where, a))
				case la == "dynamodb:scan" || strings.HasPrefix(la, "dynamodb:batch"):
					out = append(out, fmt.Sprintf("%s allows %s", where, a))
				}
			}
			if len(s["NotAction"]) > 0 {
				out = append(out, where+" uses NotAction in an Allow")
			}
		}
	}
	for id, r := range doc.Resources {
		switch r.Type {
		case "AWS::IAM::Role":
			var policies []struct {
				PolicyName     string
				PolicyDocument json.RawMessage
			}
			_ = json.Unmarshal(r.Properties["Policies"], &policies)
			for _, p := range policies {
				check(id+" ("+p.PolicyName+")", p.PolicyDocument)
			}
			for _, arn := range stringOrList(r.Properties["ManagedPolicyArns"]) {
				if !strings.HasSuffix(arn, ":policy/service-role/AWSLambdaBasicExecutionRole") {
					out = append(out, fmt.Sprintf("%s has the managed policy %s", id, arn))
				}
			}
		case "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy":
			check(id, r.Properties["PolicyDocument"])
		}
	}
	sort.Strings(out)
	return out, nil
}

// stringOrList reads a JSON string or list of strings (other values, such
// as intrinsic functions, are rendered as JSON).
func stringOrList(raw json.RawMessage) []string {
	if len(raw) == 0 {
		return nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return []string{s}
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) != nil {
		return []string{string(raw)}
	}
	var out []string
	for _, item := range list {
		if json.Unmarshal(item, &s) == nil {
			out = append(out, s)
		} else {
			out = append(out, string(item))
		}
	}
	return out
}

func TestRolesGrantNoWildcardScanOrBatch(t *testing.T) {
	t.Parallel()
	v, err := roleViolations(expandedTemplate(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range v {
		t.Error(s)
	}
}

// The check fails on a copy of the template that breaks its rule.
func TestRolesCheckCatchesABrokenCopy(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile(repoPath(t, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, extra, want string
	}{
		{"a SAM policy template", "        - DynamoDBCrudPolicy:\n            TableName: !Ref Table\n", "dynamodb:Scan"},
		{"a wildcard", "        - Statement:\n            - Effect: Allow\n              Action: dynamodb:*\n              Resource: !GetAtt Table.Arn\n", "wildcard action dynamodb:*"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			copy := addPolicy(t, string(src), "PublicContentFunction", c.extra)
			path := filepath.Join(t.TempDir(), "template.yaml")
			if err := os.WriteFile(path, []byte(copy), 0o644); err != nil {
				t.Fatal(err)
			}
			v, err := roleViolations(expandTemplate(t, path))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(strings.Join(v, "\n"), c.want) {
				t.Errorf("violations %v do not mention %q", v, c.want)
			}
		})
	}
}

// addPolicy inserts policy (YAML list items, indented for a function's
// Policies) at the top of fn's Policies in a template's text.
func addPolicy(t *testing.T, src, fn, policy string) string {
	t.Helper()
	i := strings.Index(src, "\n  "+fn+":\n")
	if i < 0 {
		t.Fatalf("no %s in the template", fn)
	}
	j := strings.Index(src[i:], "\n      Policies:\n")
	if j < 0 {
		t.Fatalf("%s has no Policies", fn)
	}
	at := i + j + len("\n      Policies:\n")
	return src[:at] + policy + src[at:]
}

// policyActions lists the actions each function's inline Allow statements
// grant.
func policyActions(tpl *template.Template) map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for _, f := range tpl.Functions {
		out[f.LogicalID] = map[string]bool{}
		for _, s := range f.Policies {
			if s.Effect == "Allow" {
				for _, a := range s.Actions {
					out[f.LogicalID][strings.ToLower(a)] = true
				}
			}
		}
	}
	return out
}

// platformActions are granted for what the platform does on the function's
// behalf rather than its code: none for now.
var platformActions = map[string]bool{}

// roleMismatches compares what the code calls with what each role allows:
// an action called but not allowed fails in AWS; one allowed but never
// called breaks least privilege.
func roleMismatches(tpl *template.Template, calls map[string]map[string][]string) []string {
	var out []string
	allowed := policyActions(tpl)
	for fn, needed := range calls {
		for a, by := range needed {
			if !allowed[fn][strings.ToLower(a)] {
				out = append(out, fmt.Sprintf("%s calls %s (%s) but its role does not allow %s", fn, by[0], strings.Join(by[1:], ", "), a))
			}
		}
		for a := range allowed[fn] {
			found := platformActions[a]
			for n := range needed {
				found = found || strings.EqualFold(n, a)
			}
			if !found {
				out = append(out, fmt.Sprintf("%s's role allows %s, which its code never calls", fn, a))
			}
		}
		for _, p := range tpl.Functions {
			if p.LogicalID == fn && len(p.PolicyTemplates) > 0 {
				out = append(out, fmt.Sprintf("%s lists %v: give explicit statements instead", fn, p.PolicyTemplates))
			}
		}
	}
	sort.Strings(out)
	return out
}

func TestRolesAllowExactlyWhatTheCodeCalls(t *testing.T) {
	tpl, err := template.Load(repoPath(t, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	calls := functionCalls(t)
	for _, m := range roleMismatches(tpl, calls) {
		t.Error(m)
	}
	// The comparison fails when an action is taken out of a role, and when
	// a role grants one the code does not call.
	for fn, needed := range calls {
		for a := range needed {
			broken := map[string]map[string][]string{fn: {a: {"an SDK call"}}}
			copy := *tpl
			copy.Functions = nil
			for _, f := range tpl.Functions {
				if f.LogicalID == fn {
					f.Policies = nil
				}
				copy.Functions = append(copy.Functions, f)
			}
			if m := roleMismatches(&copy, broken); len(m) == 0 {
				t.Errorf("a role without %s does not fail the comparison", a)
			}
			return
		}
	}
}
