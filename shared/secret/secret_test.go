package secret_test

import (
	"bytes"
	"crypto/rand"
	"errors"
	"io"
	"regexp"
	"testing"
	"testing/iotest"

	"espaceosc/shared/secret"
)

func TestNewTokenMatchesOnlyItself(t *testing.T) {
	token, hash, err := secret.NewToken(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(token); got != 43 {
		t.Errorf("len(token) = %d, want 43 (256 bits, base64url without padding)", got)
	}
	if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(hash) || hash != secret.Hash(token) {
		t.Errorf("hash = %q, want the hex SHA-256 of the token", hash)
	}
	other, _, err := secret.NewToken(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		token, hash string
		want        bool
	}{
		{"the token", token, hash, true},
		{"another token", other, hash, false},
		{"a longer token", token + "x", hash, false},
		{"the hash itself", hash, hash, false},
		{"empty token", "", hash, false},
		{"empty hash", token, "", false},
		{"both empty", "", "", false},
	}
	for _, tt := range tests {
		if got := secret.Matches(tt.token, tt.hash); got != tt.want {
			t.Errorf("%s: Matches = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestNewTokenIsTheReadersBytes(t *testing.T) {
	token, _, err := secret.NewToken(bytes.NewReader(make([]byte, 32)))
	if err != nil {
		t.Fatal(err)
	}
	if want := "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"; token != want {
		t.Errorf("token = %q, want %q", token, want)
	}
	boom := errors.New("boom")
	if _, _, err := secret.NewToken(iotest.ErrReader(boom)); !errors.Is(err, boom) {
		t.Errorf("err = %v, want %v", err, boom)
	}
	if _, _, err := secret.NewToken(bytes.NewReader(make([]byte, 31))); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("short read: err = %v, want io.ErrUnexpectedEOF", err)
	}
}

func TestEmailHashNormalises(t *testing.T) {
	a, b := secret.EmailHash("Salma@Example.org"), secret.EmailHash(" salma@example.org ")
	if a != b {
		t.Errorf("EmailHash differs for the same address: %s, %s", a, b)
	}
	if a == secret.EmailHash("salma2@example.org") {
		t.Error("EmailHash is the same for two addresses")
	}
	if got, want := secret.EmailHash("salma@example.org"), "7407d823c80317e797aa9cb592875f523991b955cc4455f238efb95e9bda1667"; got != want {
		t.Errorf("EmailHash = %q, want %q (hex SHA-256)", got, want)
	}
}

func TestBase32(t *testing.T) {
	got, err := secret.Base32(bytes.NewReader([]byte{0, 1, 31, 32, 255, 10}), 6)
	if err != nil {
		t.Fatal(err)
	}
	if want := "01Z0ZA"; got != want {
		t.Errorf("Base32 = %q, want %q", got, want)
	}
	if _, err := secret.Base32(bytes.NewReader([]byte{1, 2}), 3); err == nil {
		t.Error("Base32 of a short reader: no error")
	}
}

func TestNewIDIsValid(t *testing.T) {
	id, err := secret.NewID(bytes.NewReader(bytes.Repeat([]byte{0, 10, 18, 31}, 7)))
	if err != nil {
		t.Fatal(err)
	}
	if want := "0ajz0ajz0ajz0ajz0ajz0ajz0a"; id != want {
		t.Errorf("NewID = %q, want %q", id, want)
	}
	random, err := secret.NewID(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		id   string
		want bool
	}{
		{id, true},
		{random, true},
		{"0AJZ0AJZ0AJZ0AJZ0AJZ0AJZ0A", false}, // upper case
		{"0ajz0ajz0ajz0ajz0ajz0ajz0", false},  // 25 characters
		{"0ajz0ajz0ajz0ajz0ajz0ajz0ai", false},
		{"0ajz0ajz0ajz0ajz0ajz0ajz0u", false}, // no u in Crockford's alphabet
		{"", false},
	}
	for _, tt := range tests {
		if got := secret.ValidID(tt.id); got != tt.want {
			t.Errorf("ValidID(%q) = %v, want %v", tt.id, got, tt.want)
		}
	}
	if _, err := secret.NewID(bytes.NewReader(make([]byte, 25))); err == nil {
		t.Error("NewID of a short reader: no error")
	}
}
