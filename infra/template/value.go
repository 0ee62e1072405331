package template

import (
	"fmt"
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
	// KindOther is any other intrinsic (!If, !Join, ...) or a non-scalar; Resolve fails on it.
	KindOther
)

// Value is an unresolved CloudFormation value: a literal or an intrinsic function.
type Value struct {
	Kind ValueKind
	// Literal holds the scalar text for KindLiteral, the referenced name for KindRef,
	// the template string for KindSub and "Resource.Attribute" for KindGetAtt.
	Literal string
	// SubVars holds the variables map of the long form of Fn::Sub.
	SubVars map[string]Value
	// Tag is the intrinsic tag (e.g. "!If") for KindOther.
	Tag string
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
	default:
		return "", fmt.Errorf("resolve %s: unsupported intrinsic", v)
	}
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
	if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
		return Value{Kind: KindOther, Tag: n.Tag}
	}
	if n.Kind == yaml.ScalarNode {
		return Value{Kind: KindLiteral, Literal: n.Value}
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
		if strings.HasPrefix(key, "Fn::") {
			return Value{Kind: KindOther, Tag: "!" + strings.TrimPrefix(key, "Fn::")}
		}
	}
	return Value{Kind: KindOther, Tag: n.Tag}
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
