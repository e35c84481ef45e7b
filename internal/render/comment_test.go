package render

import (
	"testing"
)

func TestCommentText(t *testing.T) {
	const rel = `" rel="nofollow ugc noopener">`
	tests := []struct {
		name, src, want string
	}{
		{"plain", "Привет", "<p>Привет</p>\n"},
		{"empty", "", ""},
		{"only blanks", " \n\t\n ", ""},
		{"single newline is br", "раз\nдва", "<p>раз<br>два</p>\n"},
		{"blank lines split paragraphs", "раз\n\n\n два", "<p>раз</p>\n<p> два</p>\n"},
		{"whitespace-only line splits", "раз\n \t \nдва", "<p>раз</p>\n<p>два</p>\n"},
		{"crlf", "раз\r\nдва\r\n\r\nтри", "<p>раз<br>два</p>\n<p>три</p>\n"},
		{"html escaped", `<script>alert("x")</script> & 'q'`,
			"<p>&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;q&#39;</p>\n"},
		{"markdown is not markup", "*нет* [x](https://example.org)",
			`<p>*нет* [x](<a href="https://example.org` + rel + `https://example.org</a>)</p>` + "\n"},
		{"control characters dropped", "a\x00b\x1bc", "<p>abc</p>\n"},
		{"invalid utf-8 replaced", "a\xffb", "<p>a\uFFFDb</p>\n"},
		{"url linkified", "см. https://example.org/путь?a=1&b=2.",
			`<p>см. <a href="https://example.org/путь?a=1&amp;b=2` + rel + `https://example.org/путь?a=1&amp;b=2</a>.</p>` + "\n"},
		{"http too", "http://example.org", `<p><a href="http://example.org` + rel + `http://example.org</a></p>` + "\n"},
		{"scheme case-insensitive", "HTTPS://EXAMPLE.ORG", `<p><a href="HTTPS://EXAMPLE.ORG` + rel + `HTTPS://EXAMPLE.ORG</a></p>` + "\n"},
		{"double quote cannot leave the attribute", `https://example.org/"onmouseover="alert(1)`,
			`<p><a href="https://example.org/` + rel + `https://example.org/</a>&#34;onmouseover=&#34;alert(1)</p>` + "\n"},
		{"angle bracket cannot open a tag", "https://example.org/<script>alert(1)</script>",
			`<p><a href="https://example.org/` + rel + `https://example.org/</a>&lt;script&gt;alert(1)&lt;/script&gt;</p>` + "\n"},
		{"single quote is escaped inside href", "https://example.org/it's",
			`<p><a href="https://example.org/it&#39;s` + rel + `https://example.org/it&#39;s</a></p>` + "\n"},
		{"javascript never linkified", "javascript:alert(1)", "<p>javascript:alert(1)</p>\n"},
		{"javascript with slashes never linkified", "javascript://%0aalert(1)", "<p>javascript://%0aalert(1)</p>\n"},
		{"data never linkified", "data:text/html,<b>x</b>", "<p>data:text/html,&lt;b&gt;x&lt;/b&gt;</p>\n"},
		{"scheme glued to a word is not a link", "xhttps://example.org", "<p>xhttps://example.org</p>\n"},
		{"no host", "http:// и https:///x", "<p>http:// и https:///x</p>\n"},
		{"balanced parentheses kept", "(https://ru.wikipedia.org/wiki/Foo_(bar))",
			`<p>(<a href="https://ru.wikipedia.org/wiki/Foo_(bar)` + rel + `https://ru.wikipedia.org/wiki/Foo_(bar)</a>)</p>` + "\n"},
		{"guillemets end the url", "«https://example.org»",
			`<p>«<a href="https://example.org` + rel + `https://example.org</a>»</p>` + "\n"},
		{"two urls on a line", "https://a.example и https://b.example",
			`<p><a href="https://a.example` + rel + `https://a.example</a> и <a href="https://b.example` + rel + `https://b.example</a></p>` + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(CommentText(tt.src))
			if got != tt.want {
				t.Errorf("CommentText(%q)\n got: %q\nwant: %q", tt.src, got, tt.want)
			}
			if err := checkCommentHTML(tt.src, got); err != nil {
				t.Error(err)
			}
		})
	}
}
