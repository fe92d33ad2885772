package protocol

import "testing"

// explainBenchReplies are typical replies: provider rules, generic rules and
// plain codes.
var explainBenchReplies = []string{
	"535-5.7.8 Username and Password not accepted. Learn more at\r\n535 5.7.8  https://support.google.com/mail/?p=BadCredentials i5sm8565805wrv.34 - gsmtp",
	"535 5.7.139 Authentication unsuccessful, basic authentication is disabled. [BM1P287CA0015.INDP287.PROD.OUTLOOK.COM]",
	"450 4.2.0 <a@b.example>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/b.example.html",
	"503 5.5.1 Bad sequence of commands",
	"250 2.0.0 OK",
}

func BenchmarkExplain(b *testing.B) {
	replies := make([]Reply, len(explainBenchReplies))
	for i, s := range explainBenchReplies {
		replies[i] = mustExplainReply(b, s)
	}
	ctx := ExplainContext{Command: VerbAUTH, Host: "smtp.example.org"}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Explain(replies[i%len(replies)], ctx)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "replies/s")
}

func BenchmarkExplainParsePasted(b *testing.B) {
	inputs := []string{
		`(535, b'Error: \xc7\xeb\xca\xb9\xd3\xc3\xca\xda\xc8\xa8\xc2\xeb\xb5\xc7\xc2\xbc')`,
		"550-5.7.26 Unauthenticated email is not accepted due to 550-5.7.26 DMARC policy. 550 5.7.26 See help - gsmtp",
		explainBenchReplies[0],
		"535 5.7.8",
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p, err := ParsePastedInput(inputs[i%len(inputs)])
		if err != nil {
			b.Fatal(err)
		}
		Explain(p.Reply, ExplainContext{Command: p.Command})
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "replies/s")
}
