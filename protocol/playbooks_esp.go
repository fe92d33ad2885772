package protocol

// Documentation of the sending services.
const (
	sesSMTPCredentials = "https://docs.aws.amazon.com/ses/latest/dg/smtp-credentials.html"
	sesVerifyIdentity  = "https://docs.aws.amazon.com/ses/latest/dg/verify-addresses-and-domains.html"
	sesQuotas          = "https://docs.aws.amazon.com/ses/latest/dg/manage-sending-quotas.html"
	sendgridIdentity   = "https://sendgrid.com/docs/for-developers/sending-email/sender-identity/"
	sendgridAPIKeys    = "https://docs.sendgrid.com/ui/account-and-settings/api-keys"
	mailgunDomains     = "https://documentation.mailgun.com/docs/mailgun/user-manual/domains/"
)

// sesRules: Amazon SES SMTP endpoints.
var sesRules = []playbookRule{
	{
		provider: ProviderSES, codes: []int{basicAuthFailed},
		reason:  ReasonAuthFailed,
		summary: "Amazon SES refused the SMTP credentials.",
		causes: []string{
			"SES needs its own SMTP credentials: IAM access keys or the console login do not work as they are.",
			"The credentials belong to another region's endpoint, or have stray spaces.",
		},
		steps: []string{
			"Create SMTP credentials in the SES console (SMTP settings > Create SMTP credentials) for the same region as the endpoint.",
			"Connect to email-smtp.<region>.amazonaws.com matching that region.",
		},
		refs: []string{"RFC 4954 6", sesSMTPCredentials},
	},
	{
		provider: ProviderSES, any: []string{"not verified", "failed the check in region"}, identifies: true,
		reason:  ReasonSenderDenied,
		summary: "Amazon SES refused the message: an address or domain is not a verified identity in this region.",
		causes: []string{
			"The From, Sender or Return-Path address (or its domain) is not verified in this region.",
			"The account is still in the SES sandbox, where recipients must be verified too.",
		},
		steps: []string{
			"Verify the sending domain or address in the SES console of the same region.",
			"Request production access to leave the sandbox.",
		},
		refs: []string{sesVerifyIdentity},
	},
	{
		provider: ProviderSES, any: []string{"Throttling failure", "Maximum sending rate exceeded", "Daily message quota exceeded"}, identifies: true,
		reason:  ReasonRateLimited,
		summary: "Amazon SES throttled the send: the account's per-second rate (or daily quota) was exceeded.",
		steps: []string{
			"Send below the account's maximum send rate and retry the throttled message.",
			"Ask AWS for a higher sending quota if needed.",
		},
		refs: []string{sesQuotas},
	},
}

// sendgridRules: SendGrid (smtp.sendgrid.net).
var sendgridRules = []playbookRule{
	{
		provider: ProviderSendGrid, any: []string{"verified Sender Identity"}, identifies: true,
		reason:  ReasonSenderDenied,
		summary: "SendGrid refused the From address: it is not a verified Sender Identity.",
		steps: []string{
			"Verify the address as a Single Sender, or authenticate its domain (Settings > Sender Authentication).",
			"Or change From to an address that is already verified.",
		},
		refs: []string{sendgridIdentity},
	},
	{
		provider: ProviderSendGrid, any: []string{"authorization grant is invalid"}, identifies: true,
		reason:  ReasonAuthToken,
		summary: "SendGrid refused the API key: it is wrong, deleted or revoked.",
		causes:  []string{"SendGrid's SMTP login is the literal username \"apikey\" and an API key as the password."},
		steps: []string{
			"Create a new API key with Mail Send permission (Settings > API Keys).",
			"Log in with username apikey and the key as password.",
		},
		refs: []string{sendgridAPIKeys},
	},
	{
		provider: ProviderSendGrid, any: []string{"Maximum credits exceeded"}, identifies: true,
		reason:  ReasonSendingQuota,
		summary: "The SendGrid account has used up its sending credits for the period.",
		steps:   []string{"Wait for the credits to renew, or upgrade the plan."},
		retry:   "Despite the 4xx code, retrying fails until the credits renew.",
		refs:    []string{"https://sendgrid.com/pricing"},
	},
	{
		provider: ProviderSendGrid, codes: []int{basicAuthFailed},
		reason:  ReasonAuthFailed,
		summary: "SendGrid refused the login.",
		steps:   []string{"Use username apikey and a valid API key with Mail Send permission as the password."},
		refs:    []string{sendgridAPIKeys},
	},
}

// mailgunRules: Mailgun (smtp.mailgun.org).
var mailgunRules = []playbookRule{
	{
		provider: ProviderMailgun, any: []string{"Sandbox subdomains", "authorized recipients"}, identifies: true,
		reason:  ReasonAccountRestricted,
		summary: "Mailgun refused to send from a sandbox domain to a recipient that is not on its authorized list.",
		causes:  []string{"Sandbox domains may only send to up to five authorized recipients; they are for tests."},
		steps: []string{
			"Add and verify your own sending domain in Mailgun and send from it.",
			"Or add the recipient under the sandbox domain's Authorized Recipients, and have them confirm.",
		},
		retry: "Despite the 421 code, retrying never helps: the block stays until the domain or recipient list changes.",
		refs:  []string{mailgunDomains},
	},
	{
		provider: ProviderMailgun, codes: []int{basicAuthFailed},
		reason:  ReasonAuthFailed,
		summary: "Mailgun refused the SMTP login.",
		steps:   []string{"Use the SMTP credentials of the sending domain (Domain settings > SMTP credentials), not the account login."},
		refs:    []string{mailgunDomains},
	},
}
