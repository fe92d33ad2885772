package ui

import (
	"encoding/pem"
	"fmt"
	"io"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
)

// openChainDialog asks where to save the server's certificate chain.
func (m *Model) openChainDialog() {
	if m.tls == nil || len(m.tls.Chain) == 0 {
		m.composer.notice = "no TLS yet: there is no certificate chain to save (" + m.ctx.Keys.Actions.StartTLS.Help().Key + " upgrades)"
		return
	}
	host := hostOf(m.opts.Address)
	if m.tls.ServerName != "" {
		host = m.tls.ServerName
	}
	name := "smtpscope-" + strings.NewReplacer(":", "_", "/", "_").Replace(host) + "-chain.pem"
	m.openDialog(NewPathDialog(m.ctx, pathChain, "Save the certificate chain", name,
		fmt.Sprintf("The %s the server sent, leaf first, as PEM (what openssl s_client -showcerts prints).",
			plural(len(m.tls.Chain), "certificate"))))
}

// saveChain writes the chain to path in a command.
func (m *Model) saveChain(path string) tea.Cmd {
	if m.tls == nil {
		return nil
	}
	chain := m.tls.Chain
	return writeFile(fileWrite{path: path, what: "certificate chain", write: func(w io.Writer) error {
		return writeChainPEM(w, chain)
	}})
}

// writeChainPEM writes each certificate as a PEM block, after a line
// naming it (text outside PEM blocks, as openssl -showcerts writes).
func writeChainPEM(w io.Writer, chain []session.CertInfo) error {
	for i, c := range chain {
		if len(c.DER) == 0 {
			return fmt.Errorf("certificate %d was not kept", i)
		}
		if _, err := fmt.Fprintf(w, "# %d subject: %s\n# %d issuer: %s\n", i, protocol.Sanitize(c.Subject), i, protocol.Sanitize(c.Issuer)); err != nil {
			return err
		}
		if err := pem.Encode(w, &pem.Block{Type: "CERTIFICATE", Bytes: c.DER}); err != nil {
			return err
		}
	}
	return nil
}
