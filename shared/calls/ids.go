package calls

import (
	"crypto/rand"
	"fmt"
	"io"
	"strings"

	"espaceosc/shared/secret"
)

// crockford is Crockford's base32 alphabet, lower case (no i, l, o, u).
const crockford = "0123456789abcdefghjkmnpqrstvwxyz"

// randomBase32 returns n random lower-case Crockford base32 characters (5
// bits each).
func randomBase32(r io.Reader, n int) (string, error) {
	s, err := secret.Base32(r, n)
	return strings.ToLower(s), err
}

// newID returns a random ID of 130 bits (26 base32 characters).
func newID(r io.Reader) (string, error) { return secret.NewID(r) }

// ValidID reports whether id could be a candidacy ID (before any lookup).
func ValidID(id string) bool { return secret.ValidID(id) }

// ValidCallID reports whether id could be a call ID (before any lookup).
func ValidCallID(id string) bool {
	return len(id) >= IDMin && len(id) <= IDMax && slugRe.MatchString(id)
}

// newToken returns a 256-bit private token (base64url) and its stored hash.
func newToken(r io.Reader) (token, hash string, err error) { return secret.NewToken(r) }

// TokenMatches reports, in constant time, whether token is c's private token.
func (c Candidacy) TokenMatches(token string) bool { return secret.Matches(token, c.TokenHash) }

// EmailHash is the lookup key of an address (loi 09-08 access and erasure
// requests): SHA-256 (hex) of the normalised address.
func EmailHash(email string) string { return secret.EmailHash(email) }

// KeyPrefix is the S3 prefix of every dossier object.
const KeyPrefix = "candidacies/"

// documentKey returns a fresh object key for a document: server-generated
// only (a user's file name never becomes a key).
func documentKey(r io.Reader, candidacyID, docType string) (string, error) {
	s, err := randomBase32(r, 16)
	if err != nil {
		return "", err
	}
	return KeyPrefix + candidacyID + "/" + docType + "/" + s + ".pdf", nil
}

// ParseKey splits a dossier object key into the candidacy ID and the
// document type; ok is false for anything this package did not generate.
func ParseKey(key string) (candidacyID, docType string, ok bool) {
	rest, found := strings.CutPrefix(key, KeyPrefix)
	if !found {
		return "", "", false
	}
	parts := strings.Split(rest, "/")
	if len(parts) != 3 || !ValidID(parts[0]) || !slugRe.MatchString(parts[1]) {
		return "", "", false
	}
	name, found := strings.CutSuffix(parts[2], ".pdf")
	if !found || len(name) != 16 || !ValidID(name+"0000000000") {
		return "", "", false
	}
	return parts[0], parts[1], true
}

// FormatReference returns a reference such as COPIL-2024-0007.
func FormatReference(c Call, seq int) string {
	return fmt.Sprintf("%s-%04d", c.ReferencePrefix(), seq)
}

var defaultRand io.Reader = rand.Reader
