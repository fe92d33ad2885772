package sandbox

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/smtpscope/smtpscope/protocol"
)

// Fault scenario settings.
const (
	tarpitDelay    = 5 * time.Second // banner delay of the tarpit scenario
	strictErrors   = 3               // Postfix-like hard limit of the strict scenario
	flakyCycle     = 3               // connections 1, 2, 3 fail differently, then it repeats
	flakyDropAfter = 512             // content octets before the flaky cut
	quotaFullBox   = "full"          // quota scenario: mailbox that is temporarily full
	quotaOverBox   = "over"          // quota scenario: mailbox with no room for the message
)

// postfixBanner is the greeting of the scenarios that imitate Postfix.
func postfixBanner(v View) string { return v.Hostname + " ESMTP Postfix" }

// greylistScenario imitates Postfix with postgrey.
func greylistScenario() *Scenario {
	return &Scenario{
		Name: "greylist",
		Description: "Postfix + postgrey: 450 4.2.0 Greylisted on the first RCPT from a new (client IP, sender, recipient); " +
			"the same triplet is accepted after the wait (--greylist-delay, 5s by default)",
		Banner: postfixBanner,
		Hooks: func(env Env) Hooks {
			var mu sync.Mutex
			firstSeen := map[string]time.Time{}
			return Hooks{Recipient: func(v View, rcpt string) *Reply {
				key := v.RemoteIP() + "\x00" + strings.ToLower(v.From) + "\x00" + strings.ToLower(rcpt)
				now := env.Now()
				mu.Lock()
				first, seen := firstSeen[key]
				if !seen {
					firstSeen[key] = now
					first = now
				}
				mu.Unlock()
				if now.Sub(first) >= env.GreylistDelay {
					return nil
				}
				return reply(codeMailboxBusy, enhGreylisted,
					fmt.Sprintf("<%s>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/%s.html",
						rcpt, MailDomain))
			}}
		},
	}
}

// quotaScenario has two mailboxes out of room.
func quotaScenario() *Scenario {
	return &Scenario{
		Name: "quota",
		Description: "full mailboxes: RCPT TO:<" + quotaFullBox + "@" + MailDomain + "> gets 452 4.2.2 (over quota, retry later); " +
			"mail to <" + quotaOverBox + "@" + MailDomain + "> gets 552 5.2.2 after DATA (quota exceeded)",
		Hooks: func(Env) Hooks {
			return Hooks{
				Recipient: func(v View, rcpt string) *Reply {
					if !strings.EqualFold(localPart(rcpt), quotaFullBox) {
						return nil
					}
					return reply(codeInsufficient, enhMailboxFull,
						"The email account that you tried to reach is over quota. Please direct",
						"the recipient to",
						"https://support.google.com/mail/?p=OverQuotaTemp "+gsmtpID(v))
				},
				Data: func(v View, m *Message) *Reply {
					for _, to := range m.To {
						if strings.EqualFold(localPart(to), quotaOverBox) {
							return reply(codeExceededStorage, enhMailboxFullPerm,
								fmt.Sprintf("<%s> Quota exceeded (mailbox for user is full)", to))
						}
					}
					return nil
				},
			}
		},
	}
}

// localPart returns the part of an address before the last '@'.
func localPart(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		return addr[:i]
	}
	return addr
}

// tarpitScenario delays its banner.
func tarpitScenario() *Scenario {
	return &Scenario{
		Name: "tarpit",
		Description: fmt.Sprintf("the banner arrives after %s (--banner-delay changes it), as servers that slow down "+
			"suspected spammers; clients with short banner timeouts give up", tarpitDelay),
		Banner:      postfixBanner,
		BannerDelay: tarpitDelay,
	}
}

// flakyScenario fails in turn: a cut in DATA, then a 421, then success.
func flakyScenario() *Scenario {
	return &Scenario{
		Name: "flaky",
		Description: "an unreliable server, in turn by connection: the 1st is cut in the middle of the message (DATA or BDAT, no reply), " +
			"the 2nd gets 421 4.3.2 at MAIL FROM and is closed, the 3rd works; then again",
		Hooks: func(Env) Hooks {
			return Hooks{
				DropDataAfter: func(v View) int64 {
					if v.Conn%flakyCycle == 1 {
						return flakyDropAfter
					}
					return 0
				},
				Command: func(v View, c protocol.Command) *Reply {
					if c.Verb != protocol.VerbMAIL || v.Conn%flakyCycle != 2 || v.Helo == "" {
						return nil
					}
					return &Reply{Code: codeUnavailable, Enhanced: enhTransientSystem, Close: true,
						Lines: []string{v.Hostname + " Service not available, closing transmission channel - try again later"}}
				},
			}
		},
	}
}

// strictScenario hangs up after a few errors, as real servers do.
func strictScenario() *Scenario {
	return &Scenario{
		Name: "strict",
		Description: fmt.Sprintf("impatient like Postfix or go-smtp: 421 4.7.0 and a closed connection after %d bad commands",
			strictErrors),
		Banner:    postfixBanner,
		MaxErrors: strictErrors,
	}
}

// tlsExpiredScenario presents an expired certificate.
func tlsExpiredScenario() *Scenario {
	return &Scenario{
		Name:        "tls-expired",
		Description: "the TLS certificate expired a month ago: verification fails with \"certificate has expired\"",
		Certificate: CertExpired,
	}
}

// tlsWrongHostScenario presents a certificate for another name.
func tlsWrongHostScenario() *Scenario {
	return &Scenario{
		Name:        "tls-wrong-host",
		Description: "the TLS certificate names " + wrongHostName + ", not this server: verification fails on the host name",
		Certificate: CertWrongHost,
	}
}
