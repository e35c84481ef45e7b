package testkit

import "syscall"

// dieWithParent asks the kernel to SIGKILL a server whose test process is
// gone (a test killed by -timeout, say), so no server outlives its test.
func dieWithParent() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
