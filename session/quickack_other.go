//go:build !linux

package session

import "net"

// withQuickAck returns c unchanged: TCP_QUICKACK is Linux's (see
// quickack_linux.go for why smtpscope sets it there).
func withQuickAck(c net.Conn) net.Conn { return c }
