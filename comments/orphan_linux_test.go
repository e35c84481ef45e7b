package comments_test

import "syscall"

// dieWithParent asks the kernel to SIGKILL a server whose test process is
// gone (a test killed by -timeout, say), so no server outlives its test.
func dieWithParent() *syscall.SysProcAttr {
	attr := new(syscall.SysProcAttr)
	attr.Pdeathsig = syscall.SIGKILL
	return attr
}
