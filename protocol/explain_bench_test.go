package protocol

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

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

// BenchmarkExplainCorpus explains every row of testdata/corpus as a user
// would paste it: ParsePastedInput, then ExplainPasted. Its replies/s is
// the number docs/benchmarks.md reports against the 10,000 replies/s floor.
func BenchmarkExplainCorpus(b *testing.B) { benchmarkCorpus(b) }

// BenchmarkExplainCorpusRulesOnly is the same without the learned reader:
// the difference is what it costs.
func BenchmarkExplainCorpusRulesOnly(b *testing.B) {
	withModel(&reasonModel{feats: map[string][]int{}}, func() { benchmarkCorpus(b) })
}

func benchmarkCorpus(b *testing.B) {
	files, _ := filepath.Glob("../testdata/corpus/*.tsv")
	var inputs []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		for i, line := range strings.Split(string(data), "\n") {
			cols := strings.Split(line, "\t")
			if i == 0 || len(cols) < 9 {
				continue
			}
			inputs = append(inputs, strings.ReplaceAll(cols[0], `\n`, "\n"))
		}
	}
	if len(inputs) == 0 {
		b.Skip("no corpus")
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p, err := ParsePastedInput(inputs[i%len(inputs)])
		if err != nil {
			continue
		}
		ExplainPasted(p, ExplainContext{Command: p.Command, Host: p.Host})
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "replies/s")
}

// BenchmarkExplainHostilePaste is the worst paste explain accepts: 64 KiB
// of phrases and codes. It must stay in milliseconds, not grow with the
// square of the input.
func BenchmarkExplainHostilePaste(b *testing.B) {
	in := strings.Repeat("550 spam blocked rejected user unknown 5.7.1 ", MaxPastedOctets/48)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		p, err := ParsePastedInput(in)
		if err == nil {
			ExplainPasted(p, ExplainContext{})
		}
	}
}
