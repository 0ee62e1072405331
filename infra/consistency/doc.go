// Package consistency holds the tests that keep the repository's descriptions of
// the system in step: template.yaml (cfn-lint clean), the function folders and the
// Makefile's build targets, openapi.yaml, and the table the store tests create.
// It has no code of its own: run `go test ./infra/consistency`.
package consistency
