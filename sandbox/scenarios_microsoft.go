package sandbox

// Microsoft's texts for SMTP AUTH turned off in three places. The reply is
// 535 5.7.139 in each case; only the words say where it is off, and the
// fix differs (a tenant setting, a mailbox setting, Security Defaults).
const (
	msDisabledTenant  = "Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information."
	msDisabledMailbox = "Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information."
	msSecurityDefault = "Authentication unsuccessful, user is locked by your organization's security defaults policy. Contact your administrator."
)

// microsoftVariant is the microsoft scenario with another reason for
// refusing a right password: text follows "535 5.7.139 ".
func microsoftVariant(name, where, text string) *Scenario {
	s := microsoftScenario()
	s.Name = name
	s.Description = "smtp.office365.com with SMTP AUTH disabled " + where + ": 535 5.7.139 " + text +
		" for the right password (XOAUTH2 works), otherwise as the microsoft scenario"
	s.Credentials = append([]Credential(nil), s.Credentials...)
	s.Credentials[0].Note = "the right password, but SMTP AUTH is disabled " + where + ": 535 5.7.139"
	base := s.Hooks
	s.Hooks = func(env Env) Hooks {
		h := base(env)
		auth := h.Auth
		h.Auth = func(v View, a AuthAttempt) *Reply {
			if !a.Token && a.Verdict != AuthRejected {
				return reply(codeAuthInvalid, "5.7.139", text+" "+outlookServerID(v))
			}
			return auth(v, a)
		}
		return h
	}
	return s
}

// microsoftTenantScenario: SMTP AUTH off for the whole organisation.
func microsoftTenantScenario() *Scenario {
	return microsoftVariant("microsoft-tenant", "for the tenant", msDisabledTenant)
}

// microsoftMailboxScenario: SMTP AUTH off for one mailbox.
func microsoftMailboxScenario() *Scenario {
	return microsoftVariant("microsoft-mailbox", "for the mailbox", msDisabledMailbox)
}

// microsoftSecurityDefaultsScenario: Security Defaults block basic auth.
func microsoftSecurityDefaultsScenario() *Scenario {
	return microsoftVariant("microsoft-security-defaults", "by Security Defaults", msSecurityDefault)
}
