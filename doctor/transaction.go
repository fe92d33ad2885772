package doctor

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/mail"
	"strings"

	"github.com/smtpscope/smtpscope/protocol"
)

// transaction runs the identity, recipient and send stages, and resets
// the transaction when no message was sent.
func (r *runner) transaction(ctx context.Context) {
	sender := r.opts.envelopeSender()
	if sender == "" {
		r.done(Result{Stage: StageIdentity, Status: StatusSkip, Needs: InputSender, Summary: "not tested: no sender address"})
		return
	}
	if !r.identity(ctx, sender) {
		return
	}
	defer func() {
		if r.st.Connected() && r.st.Snapshot().InTransaction() {
			r.st.Command(ctx, protocol.VerbRSET)
		}
	}()
	if r.opts.To == "" {
		r.done(Result{Stage: StageRecipient, Status: StatusSkip, Needs: InputRecipient, Summary: "not tested: no recipient"})
		return
	}
	if !r.recipient(ctx) {
		return
	}
	if !r.opts.Send {
		r.done(Result{Stage: StageSend, Status: StatusSkip, Needs: InputSend, Summary: "no test message sent"})
		return
	}
	r.send(ctx, sender)
}

// identity is the identity stage: the sender addresses against the
// logged-in account and the provider's policy, then MAIL FROM.
func (r *runner) identity(ctx context.Context, sender string) bool {
	r.started(StageIdentity)
	start := r.clock()
	res := Result{Stage: StageIdentity, Status: StatusPass}
	login := ""
	if strings.Contains(r.opts.User, "@") && r.opts.Secret != "" {
		login = r.opts.User
	}
	if p, ok := r.preset(); ok && login != "" && !strings.EqualFold(sender, login) {
		res.Details = append(res.Details, fmt.Sprintf("%s: %s", p.Title, p.Identity.Rule))
		res.Warnings = append(res.Warnings, fmt.Sprintf("the sender %s is not the login %s: %s",
			protocol.Sanitize(sender), protocol.Sanitize(login), p.Identity.Refusal))
	} else if login != "" && !strings.EqualFold(sender, login) {
		res.Warnings = append(res.Warnings, fmt.Sprintf("the sender %s is not the login %s: many providers refuse or rewrite a sender the account does not own",
			protocol.Sanitize(sender), protocol.Sanitize(login)))
	}
	reply, err := r.st.Command(ctx, "MAIL FROM:<"+sender+">")
	res.DurationMS = r.since(start)
	if err != nil || reply.Class() != protocol.ClassSuccess {
		r.failStep(&res, reply, protocol.VerbMAIL, err, "the sender was refused")
		r.done(res)
		return false
	}
	res.Reply = newReply(reply, protocol.VerbMAIL)
	res.Summary = "MAIL FROM:<" + protocol.Sanitize(sender) + "> accepted"
	if len(res.Warnings) > 0 {
		res.Status = StatusWarn
	}
	return !r.done(res)
}

// recipient is the recipient stage: RCPT TO.
func (r *runner) recipient(ctx context.Context) bool {
	r.started(StageRecipient)
	start := r.clock()
	res := Result{Stage: StageRecipient, Status: StatusPass}
	reply, err := r.st.Command(ctx, "RCPT TO:<"+r.opts.To+">")
	res.DurationMS = r.since(start)
	if err != nil || reply.Class() != protocol.ClassSuccess {
		r.failStep(&res, reply, protocol.VerbRCPT, err, "the recipient was refused")
		r.done(res)
		return false
	}
	res.Reply = newReply(reply, protocol.VerbRCPT)
	res.Summary = "RCPT TO:<" + protocol.Sanitize(r.opts.To) + "> accepted"
	return !r.done(res)
}

// send is the send stage: DATA with a short test message.
func (r *runner) send(ctx context.Context, sender string) {
	r.started(StageSend)
	start := r.clock()
	res := Result{Stage: StageSend, Status: StatusPass}
	reply, err := r.st.Command(ctx, protocol.VerbDATA)
	if err != nil || reply.Code != 354 {
		res.DurationMS = r.since(start)
		r.failStep(&res, reply, protocol.VerbDATA, err, "DATA was refused")
		r.done(res)
		return
	}
	msg := r.testMessage(sender)
	reply, err = r.st.Data(ctx, strings.NewReader(msg), int64(len(msg)))
	res.DurationMS = r.since(start)
	if err != nil || reply.Class() != protocol.ClassSuccess {
		r.failStep(&res, reply, protocol.EndOfDataVerb, err, "the message was refused")
		r.done(res)
		return
	}
	res.Reply = newReply(reply, protocol.EndOfDataVerb)
	res.Summary = "the test message was accepted"
	if id, what := QueueID(reply.OneLine()); id != "" {
		res.Summary += "; " + what + " " + protocol.Sanitize(id)
		res.Details = append(res.Details, "quote the "+what+" to the server's admin to trace the message")
	}
	r.done(res)
}

// testMessage is the short message --send sends: plain ASCII headers and
// two lines of text.
func (r *runner) testMessage(sender string) string {
	now := r.clock()
	var nonce [6]byte
	rand.Read(nonce[:])
	domain := sender[strings.LastIndexByte(sender, '@')+1:]
	from := (&mail.Address{Address: sender}).String()
	to := (&mail.Address{Address: r.opts.To}).String()
	if r.opts.From == "" && r.opts.User != "" && strings.Contains(r.opts.User, "@") {
		from = (&mail.Address{Address: r.opts.User}).String()
	}
	return "From: " + from + "\r\n" +
		"To: " + to + "\r\n" +
		"Subject: smtpscope doctor test\r\n" +
		"Date: " + now.Format("Mon, 02 Jan 2006 15:04:05 -0700") + "\r\n" +
		"Message-ID: <smtpscope-doctor-" + hex.EncodeToString(nonce[:]) + "@" + domain + ">\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: text/plain; charset=us-ascii\r\n" +
		"\r\n" +
		"This message was sent by smtpscope doctor to check that mail from\r\n" +
		sender + " to " + r.opts.To + " goes through. It can be deleted.\r\n"
}
