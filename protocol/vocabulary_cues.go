package protocol

// Helpers that build the vocabulary's cues.

// say makes cues of one weight and reason.
func say(weight int, reason Reason, phrases ...string) []cue {
	out := make([]cue, len(phrases))
	for i, p := range phrases {
		out[i] = cue{phrase: p, reason: reason, weight: weight}
	}
	return out
}

// sayRoles makes cues whose reason depends on whose address it is.
func sayRoles(weight int, recipient, sender, login Reason, phrases ...string) []cue {
	out := say(weight, recipient, phrases...)
	for i := range out {
		out[i].sender, out[i].login = sender, login
	}
	return out
}

// roleWords mark whose address the text talks about.
func roleWords(role addrRole, phrases ...string) []cue {
	out := make([]cue, len(phrases))
	for i, p := range phrases {
		out[i] = cue{phrase: p, role: role}
	}
	return out
}

// transientOnly marks cues that only hold on a 4xx reply.
func transientOnly(cs []cue) []cue {
	for i := range cs {
		cs[i].transient = true
	}
	return cs
}

// needRole marks cues that say nothing without a role.
func needRole(cs []cue) []cue {
	for i := range cs {
		cs[i].needsRole = true
	}
	return cs
}

// withRole gives cues a role of their own.
func withRole(role addrRole, cs []cue) []cue {
	for i := range cs {
		cs[i].role = role
	}
	return cs
}

// aboutHelo gives cues a reason for when they are said of the HELO name.
func aboutHelo(reason Reason, cs []cue) []cue {
	for i := range cs {
		cs[i].helo = reason
	}
	return cs
}

// temporaryWords mark a refusal as temporary.
func temporaryWords(phrases ...string) []cue {
	out := make([]cue, len(phrases))
	for i, p := range phrases {
		out[i] = cue{phrase: p, temporary: true}
	}
	return out
}

// concatCues joins cue lists.
func concatCues(lists ...[]cue) []cue {
	var out []cue
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}
