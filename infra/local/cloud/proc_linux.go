package cloud

import (
	"os/exec"
	"syscall"
)

// dieWithParent makes the kernel kill a function process if the local cloud dies
// without a graceful shutdown.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
