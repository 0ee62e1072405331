package mail

import (
	"encoding/json"
	"fmt"
)

// Template composes one kind of email from the data it was recorded with
// (JSON, as the outbox stores it): an email is recorded as a template name
// and its data, and rendered when it is sent.
type Template func(data []byte) (Message, error)

// Typed is the Template of a render function taking its data as a Go value
// of type D.
func Typed[D any](render func(D) Message) Template {
	return func(data []byte) (Message, error) {
		var d D
		if err := json.Unmarshal(data, &d); err != nil {
			return Message{}, fmt.Errorf("decode email data: %w", err)
		}
		return render(d), nil
	}
}

// Templates names the templates of one or more capabilities.
type Templates map[string]Template

// Merge returns one registry of all of ts; a name defined twice panics (a
// programming error caught at start-up).
func Merge(ts ...Templates) Templates {
	out := Templates{}
	for _, t := range ts {
		for name, tmpl := range t {
			if _, dup := out[name]; dup {
				panic("mail: template defined twice: " + name)
			}
			out[name] = tmpl
		}
	}
	return out
}

// Render composes the email name from data.
func (t Templates) Render(name string, data []byte) (Content, error) {
	tmpl, ok := t[name]
	if !ok {
		return Content{}, fmt.Errorf("no email template %q", name)
	}
	m, err := tmpl(data)
	if err != nil {
		return Content{}, fmt.Errorf("email template %q: %w", name, err)
	}
	return m.Render()
}
