package awsenv

import (
	"strings"
	"testing"
)

func TestLookup(t *testing.T) {
	env := map[string]string{"A": "1", "B": " ", "C": "3"}
	get := func(k string) (string, bool) { v, ok := env[k]; return v, ok }

	vals, err := lookup(get, "A", "C")
	if err != nil || vals["A"] != "1" || vals["C"] != "3" {
		t.Fatalf("lookup(A, C) = %v, %v", vals, err)
	}
	_, err = lookup(get, "A", "B", "D")
	if err == nil {
		t.Fatal("lookup with blank and missing variables succeeded")
	}
	if got := err.Error(); !strings.Contains(got, "B, D") {
		t.Fatalf("error %q does not name B and D", got)
	}
}
