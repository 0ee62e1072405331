package template

import (
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// ValueKind says which form a Value has.
type ValueKind int

const (
	// KindLiteral is a plain scalar.
	KindLiteral ValueKind = iota
	// KindRef is !Ref Name.
	KindRef
	// KindSub is !Sub "text ${Name}" (optionally with a variables map).
	KindSub
	// KindGetAtt is !GetAtt Resource.Attribute.
	KindGetAtt
	// KindFn is one of the other intrinsics Resolve understands: !If,
	// !Equals, !Not, !And, !Or, !Condition, !Select, !Split, !Join (Tag names
	// it, Args holds its arguments).
	KindFn
	// KindList is a YAML sequence of values (an intrinsic's list argument).
	KindList
	// KindOther is any other intrinsic or a non-scalar; Resolve fails on it.
	KindOther
)

// ConditionPrefix marks a condition name passed to a resolver: ref(ConditionPrefix+"IsProd")
// answers "true" or "false".
const ConditionPrefix = "Condition::"

// Value is an unresolved CloudFormation value: a literal or an intrinsic function.
type Value struct {
	Kind ValueKind
	// Literal holds the scalar text for KindLiteral, the referenced name for KindRef,
	// the template string for KindSub and "Resource.Attribute" for KindGetAtt.
	Literal string
	// SubVars holds the variables map of the long form of Fn::Sub.
	SubVars map[string]Value
	// Tag is the intrinsic tag (e.g. "!If") for KindFn and KindOther.
	Tag string
	// Args are the arguments of a KindFn, or the items of a KindList.
	Args []Value
}

// Lit returns a literal Value.
func Lit(s string) Value { return Value{Kind: KindLiteral, Literal: s} }

// String renders the value in short-form YAML for messages.
func (v Value) String() string {
	switch v.Kind {
	case KindLiteral:
		return v.Literal
	case KindRef:
		return "!Ref " + v.Literal
	case KindSub:
		return "!Sub " + v.Literal
	case KindGetAtt:
		return "!GetAtt " + v.Literal
	case KindList:
		return "[...]"
	default:
		return v.Tag + " ..."
	}
}

// Resolve returns the value's text. ref resolves a Ref name (parameter, resource or
// pseudo parameter such as AWS::Region) and, for GetAtt, "Resource.Attribute".
func (v Value) Resolve(ref func(name string) (string, bool)) (string, error) {
	switch v.Kind {
	case KindLiteral:
		return v.Literal, nil
	case KindRef, KindGetAtt:
		s, ok := ref(v.Literal)
		if !ok {
			return "", fmt.Errorf("resolve %s: unknown name %q", v, v.Literal)
		}
		return s, nil
	case KindSub:
		return v.resolveSub(ref)
	case KindFn:
		return v.resolveFn(ref)
	default:
		return "", fmt.Errorf("resolve %s: unsupported intrinsic", v)
	}
}

// ResolveList resolves a value that is a list (a YAML sequence, !Split, or
// an !If choosing one).
func (v Value) ResolveList(ref func(name string) (string, bool)) ([]string, error) {
	switch {
	case v.Kind == KindList:
		out := make([]string, 0, len(v.Args))
		for _, a := range v.Args {
			s, err := a.Resolve(ref)
			if err != nil {
				return nil, err
			}
			out = append(out, s)
		}
		return out, nil
	case v.Kind == KindFn && v.Tag == "!Split" && len(v.Args) == 2:
		delim, err := v.Args[0].Resolve(ref)
		if err != nil {
			return nil, err
		}
		src, err := v.Args[1].Resolve(ref)
		if err != nil {
			return nil, err
		}
		return strings.Split(src, delim), nil
	case v.Kind == KindFn && v.Tag == "!If" && len(v.Args) == 3:
		ok, err := v.Args[0].condition(ref)
		if err != nil {
			return nil, err
		}
		if ok {
			return v.Args[1].ResolveList(ref)
		}
		return v.Args[2].ResolveList(ref)
	}
	s, err := v.Resolve(ref)
	if err != nil {
		return nil, err
	}
	return []string{s}, nil
}

// condition evaluates a condition: a condition name (the first argument of
// !If, or !Condition), or !Equals, !Not, !And, !Or.
func (v Value) condition(ref func(string) (string, bool)) (bool, error) {
	name := ""
	switch {
	case v.Kind == KindLiteral:
		name = v.Literal
	case v.Kind == KindFn && v.Tag == "!Condition" && len(v.Args) == 1:
		name = v.Args[0].Literal
	}
	if name != "" {
		s, ok := ref(ConditionPrefix + name)
		if !ok {
			return false, fmt.Errorf("unknown condition %q", name)
		}
		return s == "true", nil
	}
	if v.Kind != KindFn {
		return false, fmt.Errorf("resolve %s: not a condition", v)
	}
	switch v.Tag {
	case "!Equals":
		if len(v.Args) != 2 {
			return false, fmt.Errorf("!Equals takes two values")
		}
		a, err := v.Args[0].Resolve(ref)
		if err != nil {
			return false, err
		}
		b, err := v.Args[1].Resolve(ref)
		if err != nil {
			return false, err
		}
		return a == b, nil
	case "!Not":
		if len(v.Args) != 1 {
			return false, fmt.Errorf("!Not takes one condition")
		}
		ok, err := v.Args[0].condition(ref)
		return !ok, err
	case "!And", "!Or":
		all := v.Tag == "!And"
		for _, a := range v.Args {
			ok, err := a.condition(ref)
			if err != nil {
				return false, err
			}
			if all && !ok {
				return false, nil
			}
			if !all && ok {
				return true, nil
			}
		}
		return all, nil
	}
	return false, fmt.Errorf("resolve %s: not a condition", v)
}

// Condition evaluates a condition expression of the Conditions section.
func (v Value) Condition(ref func(string) (string, bool)) (bool, error) { return v.condition(ref) }

func (v Value) resolveFn(ref func(string) (string, bool)) (string, error) {
	switch v.Tag {
	case "!If":
		if len(v.Args) != 3 {
			return "", fmt.Errorf("!If takes a condition and two values")
		}
		ok, err := v.Args[0].condition(ref)
		if err != nil {
			return "", err
		}
		if ok {
			return v.Args[1].Resolve(ref)
		}
		return v.Args[2].Resolve(ref)
	case "!Select":
		if len(v.Args) != 2 {
			return "", fmt.Errorf("!Select takes an index and a list")
		}
		is, err := v.Args[0].Resolve(ref)
		if err != nil {
			return "", err
		}
		i, err := strconv.Atoi(is)
		if err != nil {
			return "", fmt.Errorf("!Select index %q", is)
		}
		list, err := v.Args[1].ResolveList(ref)
		if err != nil {
			return "", err
		}
		if i < 0 || i >= len(list) {
			return "", fmt.Errorf("!Select index %d out of %d", i, len(list))
		}
		return list[i], nil
	case "!Join":
		if len(v.Args) != 2 {
			return "", fmt.Errorf("!Join takes a delimiter and a list")
		}
		delim, err := v.Args[0].Resolve(ref)
		if err != nil {
			return "", err
		}
		list, err := v.Args[1].ResolveList(ref)
		if err != nil {
			return "", err
		}
		return strings.Join(list, delim), nil
	case "!Equals", "!Not", "!And", "!Or", "!Condition":
		ok, err := v.condition(ref)
		return strconv.FormatBool(ok), err
	}
	return "", fmt.Errorf("resolve %s: unsupported intrinsic", v)
}

func (v Value) resolveSub(ref func(string) (string, bool)) (string, error) {
	var b strings.Builder
	s := v.Literal
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			return b.String(), nil
		}
		b.WriteString(s[:i])
		j := strings.Index(s[i:], "}")
		if j < 0 {
			return "", fmt.Errorf("resolve %s: unterminated ${", v)
		}
		name := s[i+2 : i+j]
		s = s[i+j+1:]
		if strings.HasPrefix(name, "!") { // ${!Literal} renders ${Literal}
			b.WriteString("${" + name[1:] + "}")
			continue
		}
		if sv, ok := v.SubVars[name]; ok {
			r, err := sv.Resolve(ref)
			if err != nil {
				return "", err
			}
			b.WriteString(r)
			continue
		}
		r, ok := ref(name)
		if !ok {
			return "", fmt.Errorf("resolve %s: unknown name %q", v, name)
		}
		b.WriteString(r)
	}
}

// valueOf converts a YAML node into a Value, understanding both the short-form tags
// (!Ref, !Sub, !GetAtt) and the long forms ({Ref: X}, {"Fn::Sub": ...}, {"Fn::GetAtt": [...]}).
func valueOf(n *yaml.Node) Value {
	if n == nil {
		return Value{Kind: KindLiteral}
	}
	if n.Kind == yaml.AliasNode {
		return valueOf(n.Alias)
	}
	switch n.Tag {
	case "!Ref":
		return Value{Kind: KindRef, Literal: n.Value}
	case "!Sub":
		return subOf(n)
	case "!GetAtt":
		if n.Kind == yaml.SequenceNode {
			return Value{Kind: KindGetAtt, Literal: strings.Join(scalars(n), ".")}
		}
		return Value{Kind: KindGetAtt, Literal: n.Value}
	}
	if fnTags[n.Tag] {
		return fnOf(n.Tag, n)
	}
	if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
		return Value{Kind: KindOther, Tag: n.Tag}
	}
	if n.Kind == yaml.ScalarNode {
		return Value{Kind: KindLiteral, Literal: n.Value}
	}
	if n.Kind == yaml.SequenceNode {
		v := Value{Kind: KindList}
		for _, c := range n.Content {
			v.Args = append(v.Args, valueOf(c))
		}
		return v
	}
	if n.Kind == yaml.MappingNode && len(n.Content) == 2 {
		key, arg := n.Content[0].Value, n.Content[1]
		switch key {
		case "Ref":
			return Value{Kind: KindRef, Literal: arg.Value}
		case "Fn::Sub":
			return subOf(arg)
		case "Fn::GetAtt":
			if arg.Kind == yaml.SequenceNode {
				return Value{Kind: KindGetAtt, Literal: strings.Join(scalars(arg), ".")}
			}
			return Value{Kind: KindGetAtt, Literal: arg.Value}
		}
		if tag := "!" + strings.TrimPrefix(key, "Fn::"); strings.HasPrefix(key, "Fn::") && fnTags[tag] {
			return fnOf(tag, arg)
		}
		if key == "Condition" {
			return Value{Kind: KindFn, Tag: "!Condition", Args: []Value{Lit(arg.Value)}}
		}
		if strings.HasPrefix(key, "Fn::") {
			return Value{Kind: KindOther, Tag: "!" + strings.TrimPrefix(key, "Fn::")}
		}
	}
	return Value{Kind: KindOther, Tag: n.Tag}
}

// fnTags are the intrinsics KindFn holds.
var fnTags = map[string]bool{"!If": true, "!Equals": true, "!Not": true, "!And": true, "!Or": true, "!Condition": true, "!Select": true, "!Split": true, "!Join": true}

// fnOf reads an intrinsic's arguments: a sequence, or one scalar.
func fnOf(tag string, n *yaml.Node) Value {
	v := Value{Kind: KindFn, Tag: tag}
	if n.Kind == yaml.SequenceNode {
		for _, c := range n.Content {
			v.Args = append(v.Args, valueOf(c))
		}
	} else {
		v.Args = []Value{{Kind: KindLiteral, Literal: n.Value}}
	}
	return v
}

func subOf(n *yaml.Node) Value {
	if n.Kind == yaml.SequenceNode && len(n.Content) >= 1 {
		v := Value{Kind: KindSub, Literal: n.Content[0].Value}
		if len(n.Content) == 2 && n.Content[1].Kind == yaml.MappingNode {
			v.SubVars = map[string]Value{}
			m := n.Content[1]
			for i := 0; i+1 < len(m.Content); i += 2 {
				v.SubVars[m.Content[i].Value] = valueOf(m.Content[i+1])
			}
		}
		return v
	}
	return Value{Kind: KindSub, Literal: n.Value}
}

// get returns the value node of key in a mapping node, or nil.
func get(n *yaml.Node, path ...string) *yaml.Node {
	for _, key := range path {
		if n == nil {
			return nil
		}
		if n.Kind == yaml.AliasNode {
			n = n.Alias
		}
		if n.Kind != yaml.MappingNode {
			return nil
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				next = n.Content[i+1]
				break
			}
		}
		n = next
	}
	return n
}

// str returns the scalar text at path, or "".
func str(n *yaml.Node, path ...string) string {
	v := get(n, path...)
	if v == nil || v.Kind != yaml.ScalarNode {
		return ""
	}
	return v.Value
}

// scalars returns the scalar items of a sequence, or the scalar itself as a one-item list.
func scalars(n *yaml.Node) []string {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.ScalarNode {
		return []string{n.Value}
	}
	var out []string
	for _, c := range n.Content {
		if c.Kind == yaml.ScalarNode {
			out = append(out, c.Value)
		}
	}
	return out
}

// values returns the items of a sequence as Values (a single item is a one-item list).
func values(n *yaml.Node) []Value {
	if n == nil {
		return nil
	}
	if n.Kind != yaml.SequenceNode || n.Tag != "!!seq" && n.Tag != "" {
		return []Value{valueOf(n)}
	}
	var out []Value
	for _, c := range n.Content {
		out = append(out, valueOf(c))
	}
	return out
}

// pairs iterates a mapping node's key/value pairs in document order.
func pairs(n *yaml.Node) [][2]*yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	var out [][2]*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		out = append(out, [2]*yaml.Node{n.Content[i], n.Content[i+1]})
	}
	return out
}
