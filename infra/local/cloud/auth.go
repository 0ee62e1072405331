package cloud

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"espaceosc/infra/template"
)

// authority issues the local RS256 tokens and validates them as the template's JWT
// authorizers do (signature, iss, aud or client_id, exp, nbf).
type authority struct {
	key        *rsa.PrivateKey
	kid        string
	authorizer map[string]jwtAuthorizer // by name
	issuer     string                   // issuer of the tokens we issue (the default authorizer's)
	audience   string
	// issued, if set, learns of each identity a token is issued for (the
	// local user pool's directory): its sub, email and group.
	issued func(sub, email, group string) error
}

type jwtAuthorizer struct {
	issuer   string
	audience []string
	header   string // the header carrying the token (IdentitySource)
}

var roleGroups = map[string]string{"admin": "admins", "evaluator": "evaluators"}

func newAuthority(dataDir string, tpl *template.Template, resolve func(string) (string, bool)) (*authority, error) {
	key, err := loadOrCreateKey(filepath.Join(dataDir, "jwt-key.pem"))
	if err != nil {
		return nil, err
	}
	der, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	sum := sha256.Sum256(der)
	a := &authority{key: key, kid: base64.RawURLEncoding.EncodeToString(sum[:8]), authorizer: map[string]jwtAuthorizer{}}
	for name, az := range tpl.API.Authorizers {
		iss, err := az.Issuer.Resolve(resolve)
		if err != nil {
			return nil, fmt.Errorf("authorizer %s: issuer: %w", name, err)
		}
		ja := jwtAuthorizer{issuer: iss, header: "authorization"}
		if h, ok := strings.CutPrefix(az.IdentitySource, "$request.header."); ok {
			ja.header = strings.ToLower(h)
		}
		for _, v := range az.Audience {
			aud, err := v.Resolve(resolve)
			if err != nil {
				return nil, fmt.Errorf("authorizer %s: audience: %w", name, err)
			}
			ja.audience = append(ja.audience, aud)
		}
		a.authorizer[name] = ja
	}
	a.issuer, a.audience = "https://cognito-idp."+Region+".amazonaws.com/"+UserPoolID, UserPoolApp
	if def, ok := a.authorizer[tpl.API.DefaultAuthorizer]; ok {
		a.issuer = def.issuer
		if len(def.audience) > 0 {
			a.audience = def.audience[0]
		}
	}
	return a, nil
}

func loadOrCreateKey(path string) (*rsa.PrivateKey, error) {
	if b, err := os.ReadFile(path); err == nil {
		blk, _ := pem.Decode(b)
		if blk == nil {
			return nil, fmt.Errorf("read %s: no PEM block", path)
		}
		k, err := x509.ParsePKCS1PrivateKey(blk.Bytes)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
		return k, nil
	}
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	b := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)})
	if err := os.WriteFile(path, b, 0o600); err != nil {
		return nil, fmt.Errorf("write signing key: %w", err)
	}
	return k, nil
}

// sign signs claims with the local key.
func (a *authority) sign(claims jwt.MapClaims) (string, error) {
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tok.Header["kid"] = a.kid
	return tok.SignedString(a.key)
}

// issueRole issues a Cognito-like ID token for role admin or evaluator, valid 12 hours.
func (a *authority) issueRole(role, sub string) (string, error) {
	group, ok := roleGroups[role]
	if !ok {
		return "", fmt.Errorf("unknown role %q (want admin or evaluator)", role)
	}
	if sub == "" {
		sub = "local-" + role
	}
	if a.issued != nil {
		if err := a.issued(sub, sub+"@espace-osc.local", group); err != nil {
			return "", err
		}
	}
	now := time.Now()
	return a.sign(jwt.MapClaims{
		"sub":              sub,
		"iss":              a.issuer,
		"aud":              a.audience,
		"token_use":        "id",
		"cognito:groups":   []string{group},
		"cognito:username": sub,
		"email":            sub + "@espace-osc.local",
		"email_verified":   true,
		"auth_time":        now.Unix(),
		"iat":              now.Unix(),
		"exp":              now.Add(12 * time.Hour).Unix(),
	})
}

// jwks returns the JSON Web Key Set publishing the local signing key.
func (a *authority) jwks() []byte {
	pub := a.key.PublicKey
	b, _ := json.Marshal(map[string]any{"keys": []map[string]string{{
		"kty": "RSA", "alg": "RS256", "use": "sig", "kid": a.kid,
		"n": base64.RawURLEncoding.EncodeToString(pub.N.Bytes()),
		"e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
	}}})
	return b
}

var errUnauthorized = errors.New("unauthorized")

// errNoToken is an unauthorized request that sent no token at all.
var errNoToken = fmt.Errorf("%w: no token", errUnauthorized)

// authorize validates the bearer token of headers (lower-cased) for the named
// authorizer and returns its claims rendered as API Gateway renders them.
func (a *authority) authorize(name string, headers map[string]string) (map[string]string, []string, error) {
	az, ok := a.authorizer[name]
	if !ok {
		return nil, nil, fmt.Errorf("%w: unknown authorizer %s", errUnauthorized, name)
	}
	raw := strings.TrimSpace(headers[az.header])
	if len(raw) > 7 && strings.EqualFold(raw[:7], "bearer ") {
		raw = strings.TrimSpace(raw[7:])
	}
	if raw == "" {
		return nil, nil, errNoToken
	}
	parser := jwt.NewParser(
		jwt.WithValidMethods([]string{"RS256"}),
		jwt.WithIssuer(az.issuer),
		jwt.WithExpirationRequired(),
		jwt.WithJSONNumber(),
		jwt.WithLeeway(0),
	)
	claims := jwt.MapClaims{}
	if _, err := parser.ParseWithClaims(raw, claims, func(*jwt.Token) (any, error) { return &a.key.PublicKey, nil }); err != nil {
		return nil, nil, fmt.Errorf("%w: %v", errUnauthorized, err)
	}
	aud, _ := claims.GetAudience()
	if cid, ok := claims["client_id"].(string); ok {
		aud = append(aud, cid)
	}
	if !slices.ContainsFunc(aud, func(s string) bool { return slices.Contains(az.audience, s) }) {
		return nil, nil, fmt.Errorf("%w: audience not allowed", errUnauthorized)
	}
	var scopes []string
	if s, ok := claims["scope"].(string); ok && s != "" {
		scopes = strings.Fields(s)
	}
	return renderClaims(claims), scopes, nil
}

// renderClaims flattens claims to strings the way HTTP API JWT authorizers do:
// strings as-is, numbers and booleans as text, arrays as "[a b]", objects as JSON.
func renderClaims(claims map[string]any) map[string]string {
	out := make(map[string]string, len(claims))
	for k, v := range claims {
		out[k] = renderClaim(v)
	}
	return out
}

func renderClaim(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case float64:
		return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%f", x), "0"), ".")
	case bool:
		if x {
			return "true"
		}
		return "false"
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = renderClaim(e)
		}
		return "[" + strings.Join(parts, " ") + "]"
	case nil:
		return ""
	default:
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(x)
		return strings.TrimSpace(buf.String())
	}
}
