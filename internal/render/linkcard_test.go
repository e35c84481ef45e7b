package render

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// card is the expected markup of a card paragraph; an empty host means
// the title is the host and no host span is written.
func card(kind, href, title, host string) string {
	s := `<p><a class="link-card link-card-` + kind + `" href="` + href + `" rel="noopener">` +
		`<span class="link-card-title">` + title + `</span>`
	if host != "" {
		s += ` <span class="link-card-host">` + host + `</span>`
	}
	return s + "</a></p>\n"
}

func TestLinkCardExact(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{
			name: "bare URL alone",
			src:  "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
			want: card("video", "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "watch?v=dQw4w9WgXcQ", "youtube.com"),
		},
		{
			name: "bare URL with blanks around it",
			src:  "   https://t.me/durov/123   ",
			want: card("post", "https://t.me/durov/123", "durov/123", "t.me"),
		},
		{
			name: "bare URL with an entity and an escape, read as shown",
			src:  `https://youtube.com/watch?v=a\_b&amp;t=1`,
			want: card("video", "https://youtube.com/watch?v=a_b&amp;t=1", "watch?v=a_b&amp;t=1", "youtube.com"),
		},
		{
			name: "autolink alone",
			src:  "<https://vimeo.com/76979871>",
			want: card("video", "https://vimeo.com/76979871", "76979871", "vimeo.com"),
		},
		{
			name: "markdown link alone, its text is the title",
			src:  "[Обращение к читателям](https://www.youtube.com/watch?v=abc)",
			want: card("video", "https://www.youtube.com/watch?v=abc", "Обращение к читателям", "youtube.com"),
		},
		{
			name: "inline markup in the link text becomes plain text",
			src:  "[Пост *редакции* `№1`](https://x.com/desk/status/1)",
			want: card("post", "https://x.com/desk/status/1", "Пост редакции №1", "x.com"),
		},
		{
			name: "reference link alone",
			src:  "[Канал редакции][tg]\n\n[tg]: https://t.me/desk",
			want: card("post", "https://t.me/desk", "Канал редакции", "t.me"),
		},
		{
			name: "link text that is a URL is not a title",
			src:  "[https://rutube.ru/video/abc/](https://rutube.ru/video/abc/)",
			want: card("video", "https://rutube.ru/video/abc/", "video/abc", "rutube.ru"),
		},
		{
			name: "host alone is the title, once",
			src:  "<https://Example.ORG/>",
			want: card("link", "https://Example.ORG/", "example.org", ""),
		},
		{
			name: "http is fine too, port and fragment are not shown",
			src:  "http://example.org:8080/a/b#frag",
			want: card("link", "http://example.org:8080/a/b#frag", "a/b", "example.org"),
		},
		{
			name: "quotes and angle brackets in an autolink are escaped",
			src:  `<https://example.org/a"b'c?q=%3Cscript%3E>`,
			want: card("link", "https://example.org/a%22b&#39;c?q=%3Cscript%3E", "a&#34;b&#39;c?q=&lt;script&gt;", "example.org"),
		},
		{
			name: "markup-like link text is escaped",
			src:  `[«Кино» &lt;b&gt; "x" & y](https://vimeo.com/1)`,
			want: card("video", "https://vimeo.com/1", "«Кино» &lt;b&gt; &#34;x&#34; &amp; y", "vimeo.com"),
		},
		{
			name: "percent-encoded path is shown decoded",
			src:  "https://ru.wikipedia.org/wiki/%D0%A1%D0%B0%D0%BC%D0%B8%D0%B7%D0%B4%D0%B0%D1%82",
			want: card("link", "https://ru.wikipedia.org/wiki/%D0%A1%D0%B0%D0%BC%D0%B8%D0%B7%D0%B4%D0%B0%D1%82",
				"wiki/Самиздат", "ru.wikipedia.org"),
		},
		{
			name: "undecodable path is shown as written",
			src:  "https://example.org/%FF%FE",
			want: card("link", "https://example.org/%FF%FE", "%FF%FE", "example.org"),
		},
		{
			name: "direction controls are dropped from the title",
			src:  "https://example.org/%E2%80%AEabc",
			want: card("link", "https://example.org/%E2%80%AEabc", "abc", "example.org"),
		},
		{
			name: "non-ASCII IDN host is shown as written, linked percent-encoded",
			src:  "https://Президент.рф/новости",
			want: card("link",
				"https://%D0%9F%D1%80%D0%B5%D0%B7%D0%B8%D0%B4%D0%B5%D0%BD%D1%82.%D1%80%D1%84/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8",
				"новости", "президент.рф"),
		},
		{
			name: "punycode host is not turned into look-alike letters",
			src:  "<https://xn--d1abbgf6aiiy.xn--p1ai/>",
			want: card("link", "https://xn--d1abbgf6aiiy.xn--p1ai/", "xn--d1abbgf6aiiy.xn--p1ai", ""),
		},
		{
			name: "user info cannot fake the host",
			src:  "[YouTube](https://youtube.com@evil.example/watch)",
			want: card("link", "https://youtube.com@evil.example/watch", "YouTube", "evil.example"),
		},
		{
			name: "card inside a quote",
			src:  "> https://mastodon.social/@desk/1234",
			want: "<blockquote>\n" + card("post", "https://mastodon.social/@desk/1234", "@desk/1234", "mastodon.social") + "</blockquote>\n",
		},

		{
			name: "link text that starts with a URL but says more is a title",
			src:  "[https://youtu.be/x — интервью](https://youtu.be/x)",
			want: card("video", "https://youtu.be/x", "https://youtu.be/x — интервью", "youtu.be"),
		},
		{
			name: "empty link text falls back to the path",
			src:  "[](https://youtu.be/x)",
			want: card("video", "https://youtu.be/x", "x", "youtu.be"),
		},
		{
			// The second paragraph of a hyphen item is narration after
			// the turn, at the top level, so it may be a card.
			name: "a paragraph after a turn can be a card",
			src:  "- Где это посмотреть?\n\n  https://youtu.be/x",
			want: "<div class=\"interview\">\n<p class=\"turn turn-q\">— Где это посмотреть?</p>\n</div>\n" +
				card("video", "https://youtu.be/x", "x", "youtu.be"),
		},

		// Not cards.
		{
			name: "link inside a sentence stays a link",
			src:  "Смотрите [видео](https://youtu.be/x) целиком.",
			want: `<p>Смотрите <a href="https://youtu.be/x" rel="noopener">видео</a> целиком.</p>` + "\n",
		},
		{
			name: "bare URL inside a sentence stays text",
			src:  "Смотрите https://youtu.be/x целиком.",
			want: "<p>Смотрите https://youtu.be/x целиком.</p>\n",
		},
		{
			name: "URL on a line of a longer paragraph stays text",
			src:  "Смотрите:\nhttps://youtu.be/x",
			want: "<p>Смотрите:\nhttps://youtu.be/x</p>\n",
		},
		{
			name: "two URLs in one paragraph stay text",
			src:  "https://youtu.be/x\nhttps://youtu.be/y",
			want: "<p>https://youtu.be/x\nhttps://youtu.be/y</p>\n",
		},
		{
			name: "two links in one paragraph stay links",
			src:  "[a](https://youtu.be/x) [b](https://youtu.be/y)",
			want: `<p><a href="https://youtu.be/x" rel="noopener">a</a> <a href="https://youtu.be/y" rel="noopener">b</a></p>` + "\n",
		},
		{
			name: "bare URL with sentence punctuation stays text",
			src:  "https://youtu.be/x.",
			want: "<p>https://youtu.be/x.</p>\n",
		},
		{
			name: "bare URL with quotes stays text, escaped",
			src:  `https://example.org/"onmouseover="alert(1)`,
			want: "<p>https://example.org/&#34;onmouseover=&#34;alert(1)</p>\n",
		},
		{
			name: "bare URL with emphasis in it stays as written",
			src:  "https://x.com/*a*",
			want: "<p>https://x.com/<em>a</em></p>\n",
		},
		{
			name: "bare URL without a host stays text",
			src:  "https://",
			want: "<p>https://</p>\n",
		},
		{
			name: "scheme without slashes stays text",
			src:  "https:example.org",
			want: "<p>https:example.org</p>\n",
		},
		{
			name: "javascript link alone is neutralised",
			src:  "[Видео](javascript:alert(1))",
			want: "<p>Видео</p>\n",
		},
		{
			name: "javascript autolink alone is neutralised",
			src:  "<javascript:alert(1)>",
			want: "<p>javascript:alert(1)</p>\n",
		},
		{
			name: "bare javascript URL alone is text",
			src:  "javascript:alert(1)",
			want: "<p>javascript:alert(1)</p>\n",
		},
		{
			name: "refused link with a URL as text does not become a card",
			src:  "[https://youtu.be/x](javascript:alert(1))",
			want: "<p>https://youtu.be/x</p>\n",
		},
		{
			name: "relative link alone stays a link",
			src:  "[О редакции](/about)",
			want: `<p><a href="/about" rel="noopener">О редакции</a></p>` + "\n",
		},
		{
			name: "scheme-relative link alone stays a link",
			src:  "[зеркало](//mirror.example/)",
			want: `<p><a href="//mirror.example/" rel="noopener">зеркало</a></p>` + "\n",
		},
		{
			name: "mailto alone stays a link",
			src:  "<desk@example.org>",
			want: `<p><a href="mailto:desk@example.org" rel="noopener">desk@example.org</a></p>` + "\n",
		},
		{
			name: "link around a picture stays as built",
			src:  "[![Кадр](/media/still.jpg)](https://youtu.be/x)",
			want: `<p><a href="https://youtu.be/x" rel="noopener"><img src="/media/still.jpg" alt="Кадр"></a></p>` + "\n",
		},
		{
			name: "host with a direction control stays a link",
			src:  "<https://%E2%80%AEexample.org/>",
			want: `<p><a href="https://%E2%80%AEexample.org/" rel="noopener">https://%E2%80%AEexample.org/</a></p>` + "\n",
		},
		{
			// Speech stays speech: the turn keeps its ordinary link.
			name: "no card inside an interview turn",
			src:  "— Где это посмотреть?\n\n— [Здесь](https://youtu.be/x)\n\n— https://youtu.be/y",
			want: "<div class=\"interview\">\n<p class=\"turn turn-q\">— Где это посмотреть?</p>\n" +
				`<p class="turn turn-a">— <a href="https://youtu.be/x" rel="noopener">Здесь</a></p>` + "\n" +
				"<p class=\"turn turn-q\">— https://youtu.be/y</p>\n</div>\n",
		},
		{
			// A list of links is a reading list; it keeps the list's look.
			name: "no card inside a tight list",
			src:  "* [Первое](https://youtu.be/x)\n* https://youtu.be/y",
			want: "<ul>\n<li><a href=\"https://youtu.be/x\" rel=\"noopener\">Первое</a></li>\n<li>https://youtu.be/y</li>\n</ul>\n",
		},
		{
			name: "no card inside a loose list",
			src:  "1. [Первое](https://youtu.be/x)\n\n2. <https://youtu.be/y>",
			want: "<ol>\n<li>\n<p><a href=\"https://youtu.be/x\" rel=\"noopener\">Первое</a></p>\n</li>\n" +
				"<li>\n<p><a href=\"https://youtu.be/y\" rel=\"noopener\">https://youtu.be/y</a></p>\n</li>\n</ol>\n",
		},
		{
			name: "no card in a heading or a table",
			src:  "## [Видео](https://youtu.be/x)\n\n| a |\n|---|\n| <https://youtu.be/y> |",
			want: "<h2><a href=\"https://youtu.be/x\" rel=\"noopener\">Видео</a></h2>\n<table>\n<thead>\n<tr>\n<th>a</th>\n</tr>\n</thead>\n" +
				"<tbody>\n<tr>\n<td><a href=\"https://youtu.be/y\" rel=\"noopener\">https://youtu.be/y</a></td>\n</tr>\n</tbody>\n</table>\n",
		},
		{
			name: "raw HTML cannot fake a card",
			src:  `<a class="link-card link-card-video" href="javascript:alert(1)"><span class="link-card-title">x</span></a>`,
			want: "<p>x</p>\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// As an interview, so that hyphen items are turns too.
			got := string(Article(tt.src, Options{Interview: true}))
			if got != tt.want {
				t.Errorf("Article(%q)\n got: %q\nwant: %q", tt.src, got, tt.want)
			}
			if err := checkArticleHTML(got); err != nil {
				t.Error(err)
			}
			if err := checkCards(got); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestLinkCardKind(t *testing.T) {
	tests := []struct{ url, kind string }{
		{"https://www.youtube.com/watch?v=x", "video"},
		{"https://m.youtube.com/shorts/x", "video"},
		{"https://youtu.be/x", "video"},
		{"https://vimeo.com/1", "video"},
		{"https://rutube.ru/video/x/", "video"},
		{"https://www.tiktok.com/@desk/video/1", "video"},
		{"https://vk.com/video-1_2", "video"},
		{"https://vk.com/clip-1_2", "video"},
		{"https://vk.com/desk", "post"},
		{"https://vk.com/wall-1_2", "post"},
		{"https://t.me/desk/1", "post"},
		{"https://x.com/desk/status/1", "post"},
		{"https://twitter.com/desk/status/1", "post"},
		{"https://www.facebook.com/desk/posts/1", "post"},
		{"https://www.instagram.com/p/x/", "post"},
		{"https://bsky.app/profile/desk.example/post/x", "post"},
		{"https://www.threads.net/@desk/post/x", "post"},
		{"https://mastodon.social/@desk/1234", "post"},
		{"https://example.social/@desk@other.example/1234", "post"},
		{"https://example.org/@desk", "link"},
		{"https://example.org/", "link"},
		{"https://notyoutube.com/watch", "link"},
		{"https://youtube.com.evil.example/watch", "link"},
		{"https://ex-t.me/x", "link"},
	}
	for _, tt := range tests {
		got := string(Markdown(tt.url))
		if want := `class="link-card link-card-` + tt.kind + `"`; !strings.Contains(got, want) {
			t.Errorf("Markdown(%q) = %q, want %s", tt.url, got, want)
		}
	}
}

// cardParts returns the href, title and host of the only card in s.
func cardParts(t *testing.T, s string) (href, title, host string) {
	t.Helper()
	z := html.NewTokenizer(strings.NewReader(s))
	var in string
	n := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			if n != 1 {
				t.Fatalf("%d cards in %q", n, s)
			}
			return href, title, host
		case html.StartTagToken:
			tok := z.Token()
			for _, a := range tok.Attr {
				switch {
				case tok.Data == "a" && a.Key == "href":
					href = a.Val
					n++
				case tok.Data == "span" && a.Key == "class":
					in = a.Val
				}
			}
		case html.EndTagToken:
			in = ""
		case html.TextToken:
			switch in {
			case "link-card-title":
				title += string(z.Text())
			case "link-card-host":
				host += string(z.Text())
			}
		}
	}
}

func TestLinkCardLong(t *testing.T) {
	host := strings.Repeat("sub.", 30) + "example.com"
	path := strings.Repeat("очень-длинный-путь/", 20)
	u := "https://" + host + "/" + path + "?utm_source=" + strings.Repeat("x", 200)

	href, title, gotHost := cardParts(t, string(Markdown(u)))
	if want := percentNonASCII(u); href != want {
		t.Errorf("href %q, want the whole URL %q", href, want)
	}
	if n := utf8.RuneCountInString(title); n > cardPathMax || !strings.HasSuffix(title, "…") || !strings.HasPrefix(title, "очень-длинный-путь/") {
		t.Errorf("title %q (%d runes): want the path's start, cut to %d runes with an ellipsis", title, n, cardPathMax)
	}
	// The end of a host is what says who runs it, so that end is kept.
	if n := utf8.RuneCountInString(gotHost); n > cardHostMax || !strings.HasPrefix(gotHost, "…sub.") || !strings.HasSuffix(gotHost, ".example.com") {
		t.Errorf("host %q (%d runes): want its end, cut at a label to %d runes", gotHost, n, cardHostMax)
	}

	text := strings.Repeat("Очень длинное название ролика ", 10)
	_, title, _ = cardParts(t, string(Markdown("["+text+"](https://youtu.be/x)")))
	if n := utf8.RuneCountInString(title); n > cardTitleMax || !strings.HasSuffix(title, "ролика…") {
		t.Errorf("title %q (%d runes): want it cut at a word to %d runes", title, n, cardTitleMax)
	}
}

// percentNonASCII percent-encodes the non-ASCII bytes of u, which is
// all that escaping should do to the URLs these tests use.
func percentNonASCII(u string) string {
	var b strings.Builder
	for i := 0; i < len(u); i++ {
		if c := u[i]; c >= 0x80 {
			fmt.Fprintf(&b, "%%%02X", c)
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// TestLinkCardExcerpt checks that a card changes nothing in the excerpt:
// it reads the link's words (or the bare URL) as before.
func TestLinkCardExcerpt(t *testing.T) {
	tests := []struct{ src, want string }{
		{"[Обращение к читателям](https://youtu.be/x)\n\nДалее.", "Обращение к читателям Далее."},
		{"<https://youtu.be/x>\n\nДалее.", "https://youtu.be/x Далее."},
		{"https://youtu.be/x\n\nДалее.", "https://youtu.be/x Далее."},
	}
	for _, tt := range tests {
		if got := Excerpt(tt.src, 200); got != tt.want {
			t.Errorf("Excerpt(%q) = %q, want %q", tt.src, got, tt.want)
		}
	}
}
