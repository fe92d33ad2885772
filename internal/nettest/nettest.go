// Package nettest holds helpers for tests that use the loopback network.
// Tests never assume a fixed port is free or closed: they take ports from
// listeners they opened themselves.
package nettest

import (
	"net"
	"testing"
)

// ClosedAddr returns a loopback address where nothing listens: the address
// of a listener the test opened and closed again.
func ClosedAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	return addr
}
