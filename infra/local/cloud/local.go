package cloud

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// handler routes /_local/ (local-only tools, absent from AWS) and everything else to
// the API Gateway emulation.
func (c *Cloud) handler() http.Handler {
	local := http.NewServeMux()
	local.HandleFunc("GET /_local/token", c.handleToken)
	local.HandleFunc("GET /_local/jwks.json", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(c.auth.jwks())
	})
	local.HandleFunc("GET /_local/mail", c.handleMailList)
	local.HandleFunc("DELETE /_local/mail", func(w http.ResponseWriter, _ *http.Request) {
		if err := c.ses.box.clear(); err != nil {
			http.Error(w, "clear mailbox failed", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	local.HandleFunc("GET /_local/mail/{id}/attachments/{index}", c.handleAttachment)
	local.HandleFunc("POST /_local/faults", c.handleFaults)
	local.HandleFunc("POST /_local/schedules/{name}", c.handleSchedule)
	local.HandleFunc("GET /_local/functions", c.handleFunctions)
	local.HandleFunc("GET /_local/failures", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(c.lambda.listFailures())
	})
	local.HandleFunc("POST /_local/failures/{id}/replay", func(w http.ResponseWriter, r *http.Request) {
		f, ok := c.lambda.takeFailure(r.PathValue("id"))
		if !ok {
			writeMessage(w, http.StatusNotFound, "Not Found")
			return
		}
		c.lambda.async(f.Function, f.Payload)
		w.WriteHeader(http.StatusAccepted)
	})
	local.HandleFunc("/_local/", func(w http.ResponseWriter, _ *http.Request) {
		writeMessage(w, http.StatusNotFound, "Not Found")
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/_local" || strings.HasPrefix(r.URL.Path, "/_local/") {
			local.ServeHTTP(w, r)
			return
		}
		c.gateway.ServeHTTP(w, r)
	})
}

func (c *Cloud) handleToken(w http.ResponseWriter, r *http.Request) {
	tok, err := c.auth.issueRole(r.URL.Query().Get("role"), r.URL.Query().Get("sub"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte(tok))
}

func (c *Cloud) handleFaults(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Service, Mode string
		Rate          float64
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096)).Decode(&in); err != nil {
		http.Error(w, "body must be JSON {\"service\":\"dynamodb|ses\",\"mode\":\"fail|throttle|none\"} or {\"service\":\"ses\",\"mode\":\"rate\",\"rate\":N}", http.StatusBadRequest)
		return
	}
	if in.Mode == "rate" {
		if in.Service != "ses" || in.Rate <= 0 {
			http.Error(w, "mode rate takes service ses and a rate > 0 (emails per second)", http.StatusBadRequest)
			return
		}
		c.ses.setRate(in.Rate)
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if err := c.SetFault(in.Service, in.Mode); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (c *Cloud) handleSchedule(w http.ResponseWriter, r *http.Request) {
	out, err := c.schedules.run(context.WithoutCancel(r.Context()), r.PathValue("name"))
	switch {
	case errors.Is(err, errUnknownSchedule):
		writeMessage(w, http.StatusNotFound, "Not Found")
	case err != nil:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadGateway)
		var ie *invokeError
		if errors.As(err, &ie) {
			_ = json.NewEncoder(w).Encode(ie)
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]string{"errorType": "Runtime", "errorMessage": err.Error()})
	default:
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(out)
	}
}

func (c *Cloud) handleFunctions(w http.ResponseWriter, _ *http.Request) {
	type info struct {
		LogicalID  string `json:"logicalId"`
		Live       int    `json:"live"`
		ColdStarts int    `json:"coldStarts"`
	}
	var out []info
	for _, f := range c.tpl.Functions {
		fn, ok := c.functions[f.LogicalID]
		if !ok {
			continue
		}
		live, cold := fn.stats()
		out = append(out, info{f.LogicalID, live, cold})
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}

func (c *Cloud) handleAttachment(w http.ResponseWriter, r *http.Request) {
	msg, ok := c.ses.box.get(r.PathValue("id"))
	i, err := strconv.Atoi(r.PathValue("index"))
	if !ok || err != nil || i < 0 || i >= len(msg.Attachments) {
		writeMessage(w, http.StatusNotFound, "Not Found")
		return
	}
	a := msg.Attachments[i]
	w.Header().Set("Content-Type", a.ContentType)
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", a.Filename))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(a.Content)
}

func (c *Cloud) handleMailList(w http.ResponseWriter, r *http.Request) {
	msgs := c.ses.box.list(r.URL.Query().Get("to"))
	if !strings.Contains(r.Header.Get("Accept"), "text/html") {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(msgs)
		return
	}
	e := html.EscapeString
	var b strings.Builder
	b.WriteString(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Local mailbox</title>
<style>body{font-family:sans-serif;margin:2rem;max-width:60rem}article{border:1px solid #ccc;border-radius:6px;padding:1rem;margin:1rem 0}
pre{white-space:pre-wrap;background:#f6f6f6;padding:.5rem}iframe{width:100%;height:20rem;border:1px solid #ddd}dt{font-weight:bold}</style></head><body>`)
	fmt.Fprintf(&b, "<h1>Local mailbox</h1><p>%d message(s), newest last. Nothing here leaves this machine.</p>", len(msgs))
	for _, m := range msgs {
		fmt.Fprintf(&b, "<article id=\"%s\"><h2>%s</h2><dl><dt>From</dt><dd>%s</dd><dt>To</dt><dd>%s</dd>",
			e(m.ID), e(m.Subject), e(m.From), e(strings.Join(append(append(append([]string{}, m.To...), m.Cc...), m.Bcc...), ", ")))
		fmt.Fprintf(&b, "<dt>Sent</dt><dd>%s</dd></dl>", e(m.SentAt.Format(time.RFC3339)))
		if m.Text != "" {
			fmt.Fprintf(&b, "<h3>Text</h3><pre>%s</pre>", e(m.Text))
		}
		if m.HTML != "" {
			fmt.Fprintf(&b, "<h3>HTML</h3><iframe sandbox=\"\" srcdoc=\"%s\"></iframe>", e(m.HTML))
		}
		if len(m.Attachments) > 0 {
			b.WriteString("<h3>Attachments</h3><ul>")
			for i, a := range m.Attachments {
				fmt.Fprintf(&b, "<li><a href=\"/_local/mail/%s/attachments/%d\">%s</a> (%s, %d bytes)</li>",
					e(m.ID), i, e(a.Filename), e(a.ContentType), a.Size)
			}
			b.WriteString("</ul>")
		}
		b.WriteString("</article>")
	}
	b.WriteString("</body></html>")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-src 'self'")
	_, _ = w.Write([]byte(b.String()))
}
