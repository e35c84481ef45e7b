package render

import (
	"fmt"
	"strings"
	"testing"
)

func TestLimitSourceLeavesArticlesAlone(t *testing.T) {
	for _, src := range []string{interviewArticle(), strings.Join(markdownSeeds[:12], "\n\n")} {
		if got := limitSource(src); got != src {
			t.Errorf("limitSource changed an ordinary document:\n%q\n->\n%q", src, got)
		}
	}
}

func TestLimitNesting(t *testing.T) {
	got := string(Markdown(strings.Repeat(">", 100) + " глубоко"))
	if n := strings.Count(got, "<blockquote>"); n != maxNesting {
		t.Errorf("%d nested quotes, want %d", n, maxNesting)
	}
	if !strings.Contains(got, strings.Repeat("&gt;", 100-maxNesting)+" глубоко") {
		t.Errorf("the markers past the limit should stay as text: %q", got)
	}

	got = string(Markdown(strings.Repeat("* ", 100) + "глубоко"))
	if n := strings.Count(got, "<ul>"); n != maxNesting {
		t.Errorf("%d nested lists, want %d", n, maxNesting)
	}

	// A long spaced rule is a rule, not a hundred lists.
	got = string(Markdown(strings.TrimSpace(strings.Repeat("- ", 100))))
	if got != "<hr>\n" {
		t.Errorf("spaced rule rendered as %q", got)
	}

	line := limitSource(strings.Repeat(" ", 300) + "x")
	if n := len(line) - len(strings.TrimLeft(line, " ")); n > maxPrefixColumns {
		t.Errorf("%d leading spaces kept, want at most %d", n, maxPrefixColumns)
	}
}

func TestLimitTables(t *testing.T) {
	wide := strings.Repeat("| h ", maxTableColumns+1) + "|\n" + strings.Repeat("|---", maxTableColumns+1) + "|\n| x |"
	if got := string(Markdown(wide)); strings.Contains(got, "<table>") {
		t.Errorf("a %d-column table was rendered", maxTableColumns+1)
	}
	ok := strings.Repeat("| h ", maxTableColumns) + "|\n" + strings.Repeat("|---", maxTableColumns) + "|\n| x |"
	if got := string(Markdown(ok)); !strings.Contains(got, "<table>") {
		t.Errorf("a %d-column table was not rendered", maxTableColumns)
	}

	// A long table of links exceeds the inline budget; it must come out
	// as consecutive tables with every row intact, not as pipe text.
	const rows = 1000
	var b strings.Builder
	b.WriteString("| Имя | Ссылка |\n|---|---|\n")
	for range rows {
		b.WriteString("| Иван | [дело](/cases/1) |\n")
	}
	got := string(Markdown(b.String()))
	if n := strings.Count(got, "<table>"); n < 2 {
		t.Errorf("%d tables, want the long table split under repeated headers", n)
	}
	if n := strings.Count(got, "<td>Иван</td>"); n != rows {
		t.Errorf("%d body rows, want %d", n, rows)
	}
	if strings.Contains(got, "|") {
		t.Error("some table rows were rendered as text")
	}
	if err := checkArticleHTML(got); err != nil {
		t.Error(err)
	}
}

func TestLimitInlineBudgetKeepsText(t *testing.T) {
	src := strings.Repeat("*a_", 3000)
	got := string(Markdown(src))
	if n := strings.Count(got, "a"); n != 3000 {
		t.Errorf("%d letters survived, want 3000", n)
	}
}

// BenchmarkPathologicalInputs measures the superlinear corners of goldmark
// that limitSource exists for; each of these took seconds to minutes
// before. Compare ns/op across sizes (-benchtime=1x) to see linear growth.
func BenchmarkPathologicalInputs(b *testing.B) {
	for _, size := range []int{25_000, 100_000} {
		for name, src := range pathological(size) {
			b.Run(fmt.Sprintf("%s/%d", name, size), func(b *testing.B) {
				b.SetBytes(int64(len(src)))
				for b.Loop() {
					_ = Article(src, Options{Interview: true})
					_ = ArticleExcerpt(src, 200, Options{Interview: true})
					_ = CommentText(src)
				}
			})
		}
	}
}

func pathological(size int) map[string]string {
	indented := func() string {
		var b strings.Builder
		for i := 0; b.Len() < size; i++ {
			b.WriteString(strings.Repeat("  ", i) + "- x\n")
		}
		return b.String()
	}
	backticks := func() string {
		var b strings.Builder
		for i := 1; b.Len() < size; i++ {
			b.WriteString(strings.Repeat("`", i) + "a")
		}
		return b.String()
	}
	inputs := map[string]string{
		"deep quote":        strings.Repeat(">", size) + " x",
		"deep list":         strings.Repeat("* ", size/2) + "x",
		"deep quote lines":  strings.Repeat("> ", size/4) + "x\n" + strings.Repeat(">\n", size/4),
		"indented lists":    indented(),
		"unclosed links":    strings.Repeat("[a](", size/4),
		"mixed delimiters":  strings.Repeat("*a_", size/3),
		"open brackets":     strings.Repeat("[", size),
		"backtick runs":     backticks(),
		"wide table":        strings.Repeat("|a", size/8) + "\n" + strings.Repeat("|-", size/8) + "\n" + strings.Repeat("|x\n", size/8),
		"one-line turns":    strings.Repeat("— a\n", size/6),
		"hyphen turns":      strings.Repeat("- a\n", size/4),
		"references":        strings.Repeat("[a]: /x\n", size/16) + strings.Repeat("[a] ", size/8),
		"closing parens":    "https://a" + strings.Repeat(")", size),
		"emphasis":          strings.Repeat("*a", size/2),
		"strikethrough":     strings.Repeat("~~a", size/3),
		"autolink openings": strings.Repeat("<http://a", size/9),
	}
	return inputs
}
