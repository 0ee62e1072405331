//go:build !linux

package cloud

import "os/exec"

// dieWithParent is a no-op outside Linux: processes exit when their Runtime API goes away.
func dieWithParent(*exec.Cmd) {}
