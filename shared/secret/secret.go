// Package secret holds the private tokens the capabilities hand out (a
// follow-up or management link): only their SHA-256 is stored, and a
// presented token is compared to it in constant time. It also draws the
// random Crockford base32 strings used in IDs and references, and hashes an
// address into its lookup key.
package secret

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"strings"

	"espaceosc/shared/validate"
)

// NewToken returns a 256-bit token (base64url, no padding) read from r and
// its stored hash.
func NewToken(r io.Reader) (token, hash string, err error) {
	b := make([]byte, 32)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", "", fmt.Errorf("random token: %w", err)
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, Hash(token), nil
}

// Hash is the stored form of a token: SHA-256, hex.
func Hash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Matches reports, in constant time, whether token is the one hash was made
// from; an empty token or hash never matches.
func Matches(token, hash string) bool {
	if token == "" || hash == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(Hash(token)), []byte(hash)) == 1
}

// EmailHash is the lookup key of an address (loi 09-08 access and erasure
// requests): SHA-256 (hex) of the normalised address.
func EmailHash(email string) string {
	sum := sha256.Sum256([]byte(validate.NormalizeEmail(email)))
	return hex.EncodeToString(sum[:])
}

// crockford is Crockford's base32 alphabet (no I, L, O, U).
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// Base32 returns n random upper-case Crockford base32 characters read from r
// (5 bits each).
func Base32(r io.Reader, n int) (string, error) {
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", fmt.Errorf("random: %w", err)
	}
	for i := range b {
		b[i] = crockford[b[i]&31] // 256 is a multiple of 32: no bias
	}
	return string(b), nil
}

// NewID returns a random ID of 130 bits: 26 lower-case Crockford base32
// characters read from r.
func NewID(r io.Reader) (string, error) {
	s, err := Base32(r, 26)
	return strings.ToLower(s), err
}

// ValidID reports whether id could be an ID from NewID (before any lookup).
func ValidID(id string) bool {
	if len(id) != 26 {
		return false
	}
	for _, c := range id {
		if !strings.ContainsRune("0123456789abcdefghjkmnpqrstvwxyz", c) {
			return false
		}
	}
	return true
}
