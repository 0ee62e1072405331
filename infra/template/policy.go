package template

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// Statement is one IAM policy statement of a function's Policies (an inline
// `Statement` list). SAM policy templates (DynamoDBCrudPolicy: ...) and
// managed policy names are not statements: they are listed in
// Function.PolicyTemplates and grant nothing locally.
type Statement struct {
	Effect       string // Allow or Deny
	Actions      []string
	NotActions   []string
	Resources    []Value
	NotResources []Value
	// Conditions maps an operator (StringEquals, StringLike,
	// ForAllValues:StringLike, ...) to its keys and their values.
	Conditions map[string]map[string][]Value
}

func parsePolicies(n *yaml.Node) (stmts []Statement, templates []string, err error) {
	if n == nil {
		return nil, nil, nil
	}
	items := n.Content
	if n.Kind != yaml.SequenceNode {
		items = []*yaml.Node{n}
	}
	for _, item := range items {
		switch item.Kind {
		case yaml.ScalarNode: // a managed policy name or ARN
			templates = append(templates, item.Value)
			continue
		case yaml.MappingNode:
		default:
			return nil, nil, fmt.Errorf("policy: unexpected %s", item.Tag)
		}
		for _, p := range pairs(item) {
			if p[0].Value != "Statement" {
				templates = append(templates, p[0].Value)
				continue
			}
			list := p[1].Content
			if p[1].Kind != yaml.SequenceNode {
				list = []*yaml.Node{p[1]}
			}
			for _, sn := range list {
				s := Statement{
					Effect:       str(sn, "Effect"),
					Actions:      scalars(get(sn, "Action")),
					NotActions:   scalars(get(sn, "NotAction")),
					Resources:    values(get(sn, "Resource")),
					NotResources: values(get(sn, "NotResource")),
				}
				if s.Effect != "Allow" && s.Effect != "Deny" {
					return nil, nil, fmt.Errorf("policy statement: Effect %q", s.Effect)
				}
				for _, c := range pairs(get(sn, "Condition")) {
					if s.Conditions == nil {
						s.Conditions = map[string]map[string][]Value{}
					}
					keys := map[string][]Value{}
					for _, kv := range pairs(c[1]) {
						keys[kv[0].Value] = values(kv[1])
					}
					s.Conditions[c[0].Value] = keys
				}
				stmts = append(stmts, s)
			}
		}
	}
	return stmts, templates, nil
}

// MatchWildcard reports whether s matches an IAM pattern, where * matches
// any run of characters and ? any one (case-sensitive, as for resources;
// actions are compared case-insensitively by their callers).
func MatchWildcard(pattern, s string) bool {
	if !strings.ContainsAny(pattern, "*?") {
		return pattern == s
	}
	return wildcard(pattern, s)
}

func wildcard(p, s string) bool {
	for len(p) > 0 {
		switch p[0] {
		case '*':
			for len(p) > 0 && p[0] == '*' {
				p = p[1:]
			}
			if p == "" {
				return true
			}
			for i := 0; i <= len(s); i++ {
				if wildcard(p, s[i:]) {
					return true
				}
			}
			return false
		case '?':
			if s == "" {
				return false
			}
			_, size := firstRune(s)
			p, s = p[1:], s[size:]
		default:
			if s == "" || p[0] != s[0] {
				return false
			}
			p, s = p[1:], s[1:]
		}
	}
	return s == ""
}

func firstRune(s string) (rune, int) {
	for i, r := range s {
		if i > 0 {
			break
		}
		return r, len(string(r))
	}
	return 0, 0
}
