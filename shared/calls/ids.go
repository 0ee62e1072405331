package calls

import (
	"io"
	"strings"

	"espaceosc/shared/secret"
)

// randomBase32 returns n random lower-case Crockford base32 characters (5
// bits each).
func randomBase32(r io.Reader, n int) (string, error) {
	s, err := secret.Base32(r, n)
	return strings.ToLower(s), err
}

// ValidID reports whether id could be a candidacy ID (before any lookup).
func ValidID(id string) bool { return secret.ValidID(id) }

// ValidCallID reports whether id could be a call ID (before any lookup).
func ValidCallID(id string) bool {
	return len(id) >= IDMin && len(id) <= IDMax && slugRe.MatchString(id)
}

// TokenMatches reports, in constant time, whether token is c's private token.
func (c Candidacy) TokenMatches(token string) bool { return secret.Matches(token, c.TokenHash) }
