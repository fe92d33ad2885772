package proxy

// Reply codes the proxy acts on or sends itself.
const (
	codeServiceReady  = 220 // RFC 5321 4.2.2: greeting; RFC 3207 4: ready to start TLS
	codeClosing       = 221 // RFC 5321 4.2.2: closing the channel (QUIT)
	codeAuthOK        = 235 // RFC 4954 6: authentication succeeded
	codeOK            = 250 // RFC 5321 4.2.2
	codeAuthChallenge = 334 // RFC 4954 4: server challenge
	codeStartMail     = 354 // RFC 5321 4.2.2: start mail input
	codeNotAvailable  = 421 // RFC 5321 3.8: service not available, closing
	codeTLSNotAvail   = 454 // RFC 3207 4: TLS not available due to temporary reason
	codeBadSequence   = 503 // RFC 5321 4.2.4: bad sequence of commands
)

// Enhanced status codes of the replies smtpscope sends itself (RFC 3463).
const (
	enhOK            = "2.0.0"
	enhBadSequence   = "5.5.1" // invalid command
	enhSystemTimeout = "4.4.2" // bad connection: the peer stopped answering
	enhNoRoute       = "4.4.0" // routing or network problem, unspecified
	enhTooBusy       = "4.3.2" // system not accepting network messages
	enhSecurity      = "4.7.0" // security or policy status, unspecified (RFC 3207 4: STARTTLS refusals)
)
