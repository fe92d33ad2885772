// Package nettest holds helpers for tests that use the loopback network.
// Tests never assume a fixed port is free or closed: they take ports from
// listeners they opened themselves.
package nettest

import (
	"net"
	"sync"
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

// Serve listens on a loopback port the system picks and runs handle on
// each connection it accepts, in a goroutine of its own; the connection
// is closed when handle returns. When the test ends, the listener and
// every connection still open are closed, which ends a handle blocked on
// them. It returns the listener's address.
func Serve(t testing.TB, handle func(c net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	open := map[net.Conn]bool{}
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for c := range open {
			c.Close()
		}
	})
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			open[c] = true
			mu.Unlock()
			go func() {
				defer func() {
					c.Close()
					mu.Lock()
					delete(open, c)
					mu.Unlock()
				}()
				handle(c)
			}()
		}
	}()
	return ln.Addr().String()
}
