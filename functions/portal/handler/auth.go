package handler

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"
)

// Auth is the hosted sign-in the admin page offers: Cognito managed login
// (authorization code flow with PKCE, public client). The zero value means
// there is none, as on the local cloud, where the page offers the local
// token instead.
type Auth struct {
	// Origin of the managed login domain, e.g.
	// https://espace-osc-prod-123456789012.auth.eu-west-3.amazoncognito.com.
	Origin string
	// ClientID is the user pool app client the tokens are issued to.
	ClientID string
}

// Enabled reports whether the page offers the hosted sign-in.
func (a Auth) Enabled() bool { return a.Origin != "" }

var (
	hostRE     = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?$`)
	clientIDRE = regexp.MustCompile(`^[\w+]{1,128}$`)
)

// ParseAuth reads AUTH_DOMAIN and AUTH_CLIENT_ID. The domain is a host name
// (served over https) or an https origin; http is accepted for loopback
// hosts only, for tests. An empty domain turns the hosted sign-in off.
func ParseAuth(domain, clientID string) (Auth, error) {
	domain, clientID = strings.TrimSpace(domain), strings.TrimSpace(clientID)
	if domain == "" {
		return Auth{}, nil
	}
	raw := domain
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return Auth{}, fmt.Errorf("AUTH_DOMAIN %q: %w", domain, err)
	}
	host := strings.ToLower(u.Hostname())
	switch {
	case u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "":
		return Auth{}, fmt.Errorf("AUTH_DOMAIN %q: want a host or an origin, nothing more", domain)
	case u.Scheme == "https" && hostRE.MatchString(host):
	case u.Scheme == "http" && isLoopback(host):
	default:
		return Auth{}, fmt.Errorf("AUTH_DOMAIN %q: want an https host", domain)
	}
	if !clientIDRE.MatchString(clientID) {
		return Auth{}, fmt.Errorf("AUTH_CLIENT_ID %q: want the app client ID when AUTH_DOMAIN is set", clientID)
	}
	origin := u.Scheme + "://" + host
	if p := u.Port(); p != "" {
		origin += ":" + p
	}
	return Auth{Origin: origin, ClientID: clientID}, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// ParseUploadOrigin reads UPLOAD_ORIGIN, the origin presigned POSTs of the
// dossier bucket go to (https, or http on a loopback host for the local
// cloud). Empty means the page uploads nothing.
func ParseUploadOrigin(v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", nil
	}
	u, err := url.Parse(v)
	if err != nil {
		return "", fmt.Errorf("UPLOAD_ORIGIN %q: %w", v, err)
	}
	host := strings.ToLower(u.Hostname())
	switch {
	case u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "":
		return "", fmt.Errorf("UPLOAD_ORIGIN %q: want an origin, nothing more", v)
	case u.Scheme == "https" && hostRE.MatchString(host):
	case u.Scheme == "http" && isLoopback(host):
	default:
		return "", fmt.Errorf("UPLOAD_ORIGIN %q: want an https origin", v)
	}
	origin := u.Scheme + "://" + host
	if p := u.Port(); p != "" {
		origin += ":" + p
	}
	return origin, nil
}

// contentSecurityPolicy allows nothing from outside the origin and no inline
// script or style. With the hosted sign-in, the page also calls the token
// endpoint of the login domain (connect-src); going to its sign-in and
// sign-out pages is a navigation, which the policy does not restrict. With
// an upload origin, the candidacy page posts documents to the bucket there.
func contentSecurityPolicy(a Auth, uploadOrigin string) string {
	connect := "'self'"
	if a.Enabled() {
		connect += " " + a.Origin
	}
	if uploadOrigin != "" {
		connect += " " + uploadOrigin
	}
	return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; " +
		"font-src 'self'; connect-src " + connect + "; object-src 'none'; base-uri 'none'; form-action 'self'; " +
		"frame-ancestors 'none'"
}
