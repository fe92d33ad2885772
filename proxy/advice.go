package proxy

import (
	"bytes"
	"fmt"
	"net/mail"
	"slices"
	"strings"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
)

// providerRule is what a provider's submission service wants of an
// application, where it is known to differ from "anything goes".
type providerRule struct {
	// fullAddress: the SMTP username is the whole address, not the part
	// before the @.
	fullAddress bool
	// otherSender says what happens to mail from an address the account
	// does not own; "" when nothing specific is known.
	otherSender string
}

// providerRules are the known providers' rules, from their documentation
// and the replies they send (testdata/provider_replies.tsv).
var providerRules = map[string]providerRule{
	protocol.ProviderGmail:     {true, "Gmail accepts it but replaces the From: address with the account's own, unless the address is a verified \"Send mail as\" alias of the account"},
	protocol.ProviderMicrosoft: {true, "Microsoft 365 refuses it with 554 5.2.252 SendAsDenied unless the account has Send As permission for that address"},
	protocol.ProviderYahoo:     {true, "Yahoo refuses mail from an address that is not the account's own"},
	protocol.ProviderICloud:    {true, "iCloud Mail refuses senders other than the account's address and its aliases"},
	protocol.ProviderQQ:        {true, "QQ Mail refuses it: 501 mail from address must be same as authorization user"},
	protocol.ProviderNetEase:   {true, "NetEase refuses it: 553 Mail from must equal authorized user"},
	protocol.ProviderZoho:      {true, "Zoho refuses senders that are not one of the account's addresses (553 Sender is not allowed to relay emails)"},
	protocol.ProviderYandex:    {true, "Yandex refuses it: 553 5.7.1 Sender address rejected: not owned by auth user"},
	protocol.ProviderMailgun:   {true, ""},
	protocol.ProviderPostfix:   {false, "Postfix set up with reject_sender_login_mismatch refuses it: 553 5.7.1 Sender address rejected: not owned by user"},
}

// genericOtherSender is said when the provider is unknown.
const genericOtherSender = "many servers refuse a sender the account does not own (553 5.7.1 Sender address rejected) or rewrite the From: line"

// adviseAuth explains what is wrong with an AUTH command before it goes
// out: no TLS on the application's leg, a mechanism not offered.
func (c *conn) adviseAuth(cmd protocol.Command) {
	c.mu.Lock()
	appTLS, upTLS := c.appLeg.tls != nil, c.upLeg.tls != nil
	caps := c.appLeg.m.Snapshot().Caps
	offered := caps.Has(keywordSTARTTLS)
	c.mu.Unlock()
	if !appTLS {
		where := "smtpscope upgraded the upstream leg itself, so it works here; connected straight to the server, the application would be refused (530 5.7.0 Must issue a STARTTLS command first) or send its password in clear text"
		if !upTLS {
			where = "the upstream leg is in clear text too, so the password crosses the network readable by anyone on the path"
		}
		why := ""
		if offered {
			why = " although STARTTLS was offered"
		}
		c.note(LegApp, session.KindWarning, fmt.Sprintf("the application sent AUTH without TLS%s: its password reached smtpscope in clear text; %s. Turn on STARTTLS (often called \"TLS\" or \"STARTTLS\" in settings; secure=false plus requireTLS in nodemailer) or SSL/TLS on port 465", why, where))
	}
	if len(cmd.Args) == 0 {
		return
	}
	mech := strings.ToUpper(cmd.Args[0])
	mechs := caps.AuthMechanisms()
	switch {
	case len(mechs) == 0 && !appTLS && !upTLS:
		c.note(LegApp, session.KindWarning, fmt.Sprintf("the application sent AUTH %s, but the server offered no AUTH on this connection: many servers list AUTH only after STARTTLS", protocol.Sanitize(mech)))
	case len(mechs) == 0:
		c.note(LegApp, session.KindWarning, fmt.Sprintf("the application sent AUTH %s, but the server offered no AUTH at all here: this port may be for relaying between servers (25) rather than submission (587 or 465)", protocol.Sanitize(mech)))
	case !slices.Contains(mechs, mech):
		c.note(LegApp, session.KindWarning, fmt.Sprintf("the application chose AUTH %s, which the server does not offer here (it offers %s): set the application's authentication method to one of those, or leave it to choose", protocol.Sanitize(mech), strings.Join(mechs, " ")))
	}
}

// adviseUsername explains a username that is not the full address, for
// a provider that wants the full address.
func (c *conn) adviseUsername() {
	c.mu.Lock()
	user, prov := c.auth.user, c.provider
	c.mu.Unlock()
	if user == "" || strings.Contains(user, "@") || !providerRules[prov.ID].fullAddress {
		return
	}
	shown := "the username"
	if c.cfg.ShowUsername {
		shown = fmt.Sprintf("the username %q", protocol.Sanitize(user))
	}
	c.note(LegApp, session.KindWarning, fmt.Sprintf("%s has no @domain: %s wants the full address as the SMTP username (name@domain)", shown, prov.Name))
}

// adviseSender compares an address the application sends as (MAIL FROM,
// or the From: header) with the account it authenticated as.
func (c *conn) adviseSender(where, addr string) {
	c.mu.Lock()
	user, ok, prov := c.auth.user, c.auth.ok, c.provider
	c.mu.Unlock()
	if !ok || addr == "" || !strings.Contains(user, "@") || strings.EqualFold(user, addr) {
		return
	}
	consequence := providerRules[prov.ID].otherSender
	if consequence == "" {
		consequence = genericOtherSender
	}
	account := "the account it logged in as"
	if c.cfg.ShowUsername {
		account = fmt.Sprintf("the account it logged in as (%s)", protocol.Sanitize(user))
	}
	c.note(LegApp, session.KindWarning, fmt.Sprintf("the application sends as %s in %s, which is not %s: %s. Use the account's own address, or one the provider lets this account send as",
		protocol.Sanitize(addr), where, account, consequence))
}

// checkHeaderFrom compares the From: header of the message that just
// passed with the authenticated account.
func (c *conn) checkHeaderFrom(d *dataState) {
	if d.header.Len() == 0 {
		return
	}
	hdr := append(bytes.Clone(d.header.Bytes()), "\r\n\r\n"...)
	msg, err := mail.ReadMessage(bytes.NewReader(hdr))
	if err != nil {
		return
	}
	list, err := msg.Header.AddressList("From")
	if err != nil || len(list) == 0 {
		return
	}
	c.adviseSender("the From: header", list[0].Address)
}
