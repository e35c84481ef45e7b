//go:build linux

package multinode_test

import "syscall"

// procAttr makes the kernel kill a child when the test process dies, so
// that a test killed by its timeout leaves no node or nginx behind.
func procAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
