//go:build !linux

package multinode_test

import "syscall"

func procAttr() *syscall.SysProcAttr { return nil }
