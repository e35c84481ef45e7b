//go:build !linux

package comments_test

import "syscall"

// dieWithParent has nothing to ask of other kernels: the tests' cleanups
// stop their servers.
func dieWithParent() *syscall.SysProcAttr { return new(syscall.SysProcAttr) }
