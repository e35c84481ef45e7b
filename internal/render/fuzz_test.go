package render

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// articleAttrs is the allowlist the checks hold Markdown output to. It is
// written out independently of the bluemonday policy on purpose: a test
// that reused the policy would approve whatever the policy lets through.
var articleAttrs = map[string][]string{
	"p": {"class"}, "div": {"class"}, "br": nil, "hr": nil,
	"strong": nil, "b": nil, "em": nil, "i": nil, "s": nil, "del": nil,
	"blockquote": nil, "ul": nil, "ol": nil, "li": nil,
	"h2": nil, "h3": nil, "h4": nil, "pre": nil, "code": nil,
	"table": nil, "thead": nil, "tbody": nil, "tr": nil, "th": nil, "td": nil,
	"figure": nil, "figcaption": nil,
	"a":    {"href", "rel", "class"},
	"span": {"class"},
	"img":  {"src", "alt", "width", "height"},
}

var commentAttrs = map[string][]string{
	"p": nil, "br": nil, "a": {"href", "rel"},
}

// checkArticleHTML returns an error describing the first thing in s that
// article output must never contain.
func checkArticleHTML(s string) error {
	return checkHTML(s, articleAttrs, func(tag string, a html.Attribute) error {
		switch {
		case a.Key == "href":
			if !safeHref(a.Val) {
				return fmt.Errorf("unsafe href %q", a.Val)
			}
		case a.Key == "src":
			if !localSrc(a.Val) {
				return fmt.Errorf("img src %q is not a local path", a.Val)
			}
		case a.Key == "rel" && a.Val != "noopener":
			return fmt.Errorf("rel %q", a.Val)
		case a.Key == "class" && tag == "p" && a.Val != "turn turn-q" && a.Val != "turn turn-a":
			return fmt.Errorf("p class %q", a.Val)
		case a.Key == "class" && tag == "div" && a.Val != "interview":
			return fmt.Errorf("div class %q", a.Val)
		case a.Key == "class" && tag == "a" && !contains(cardClasses, a.Val):
			return fmt.Errorf("a class %q", a.Val)
		case a.Key == "class" && tag == "span" && a.Val != "link-card-title" && a.Val != "link-card-host":
			return fmt.Errorf("span class %q", a.Val)
		case (a.Key == "width" || a.Key == "height") && strings.Trim(a.Val, "0123456789") != "":
			return fmt.Errorf("%s %q", a.Key, a.Val)
		}
		return nil
	})
}

var cardClasses = []string{"link-card link-card-video", "link-card link-card-post", "link-card link-card-link"}

// checkCards checks the structure of link cards in article output: a card
// is an absolute http(s) link holding a title span and, optionally, a host
// span, and spans appear nowhere else.
func checkCards(s string) error {
	z := html.NewTokenizer(strings.NewReader(s))
	inCard := false
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return nil
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			switch tok.Data {
			case "a":
				var class, href string
				for _, a := range tok.Attr {
					switch a.Key {
					case "class":
						class = a.Val
					case "href":
						href = a.Val
					}
				}
				if class == "" {
					continue
				}
				if !hasPrefixFold(href, "http://") && !hasPrefixFold(href, "https://") {
					return fmt.Errorf("card links to %q in %q", href, s)
				}
				inCard = true
			case "span":
				if !inCard {
					return fmt.Errorf("span outside a card in %q", s)
				}
			default:
				if inCard {
					return fmt.Errorf("<%s> inside a card in %q", tok.Data, s)
				}
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); string(name) == "a" {
				inCard = false
			}
		}
	}
}

// checkCommentHTML checks comment output for markup and, since comments
// are plain text, that no visible character of src was lost or invented.
func checkCommentHTML(src, s string) error {
	err := checkHTML(s, commentAttrs, func(_ string, a html.Attribute) error {
		switch a.Key {
		case "href":
			if !hasPrefixFold(a.Val, "http://") && !hasPrefixFold(a.Val, "https://") {
				return fmt.Errorf("comment link to %q", a.Val)
			}
		case "rel":
			if a.Val != "nofollow ugc noopener" {
				return fmt.Errorf("rel %q", a.Val)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if want, got := visible(src), visible(textOf(s)); want != got {
		return fmt.Errorf("visible text changed:\n src %q\n out %q", want, got)
	}
	return nil
}

func checkHTML(s string, allowed map[string][]string, attrOK func(string, html.Attribute) error) error {
	if !utf8.ValidString(s) {
		return errors.New("output is not valid UTF-8")
	}
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if z.Err() == io.EOF {
				return nil
			}
			return z.Err()
		case html.CommentToken, html.DoctypeToken:
			return fmt.Errorf("unexpected %v token in %q", tt, s)
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			tok := z.Token()
			attrs, ok := allowed[tok.Data]
			if !ok {
				return fmt.Errorf("element <%s> not allowed in %q", tok.Data, s)
			}
			for _, a := range tok.Attr {
				if strings.HasPrefix(strings.ToLower(a.Key), "on") {
					return fmt.Errorf("event handler %s on <%s> in %q", a.Key, tok.Data, s)
				}
				if !contains(attrs, a.Key) {
					return fmt.Errorf("attribute %s on <%s> in %q", a.Key, tok.Data, s)
				}
				if err := attrOK(tok.Data, a); err != nil {
					return fmt.Errorf("<%s>: %w in %q", tok.Data, err, s)
				}
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// browserURL approximates what a browser does to an attribute URL before
// reading its scheme: trim C0 controls and spaces at both ends and remove
// tabs and newlines anywhere.
func browserURL(u string) string {
	u = strings.TrimFunc(u, func(r rune) bool { return r <= ' ' })
	return strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(u)
}

func safeHref(u string) bool {
	u = browserURL(u)
	i := strings.IndexAny(u, ":/?#")
	if i < 0 || u[i] != ':' {
		return true // relative
	}
	switch strings.ToLower(u[:i]) {
	case "http", "https", "mailto":
		return true
	}
	return false
}

func localSrc(u string) bool {
	u = browserURL(u)
	return strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//") && !strings.HasPrefix(u, `/\`)
}

// textOf is the text a reader would see, with <br> as a newline.
func textOf(s string) string {
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return b.String()
		case html.TextToken:
			b.Write(z.Text())
		case html.StartTagToken, html.SelfClosingTagToken:
			if name, _ := z.TagName(); string(name) == "br" {
				b.WriteByte('\n')
			}
		}
	}
}

// visible drops what CommentText is allowed to change: whitespace layout
// and control characters.
func visible(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
}

// TestCheckersReject makes sure the fuzz checks can fail at all.
func TestCheckersReject(t *testing.T) {
	bad := []string{
		`<script>alert(1)</script>`,
		`<p onclick="x">a</p>`,
		`<a href="javascript:alert(1)">a</a>`,
		`<a href=" JAVAscript:alert(1)">a</a>`,
		"<a href=\"java\tscript:alert(1)\">a</a>",
		`<a href="data:text/html,x">a</a>`,
		`<img src="https://tracker.example/p.gif">`,
		`<img src="//tracker.example/p.gif">`,
		`<img src="/\tracker.example/p.gif">`,
		`<img src="p.gif">`,
		`<p class="x">a</p>`,
		`<p id="x">a</p>`,
		`<p style="color:red">a</p>`,
		`<h1>a</h1>`,
		`<a class="link-card" href="https://a.b">a</a>`,
		`<a class="link-card link-card-video x" href="https://a.b">a</a>`,
		`<span class="x">a</span>`,
		`<span onclick="x">a</span>`,
		`<span id="x">a</span>`,
		`<iframe></iframe>`,
		`<svg></svg>`,
		`<!-- c -->`,
		"\xff",
	}
	for _, s := range bad {
		if checkArticleHTML(s) == nil {
			t.Errorf("checkArticleHTML accepted %q", s)
		}
	}
	if checkArticleHTML(`<p class="turn turn-q">— <a href="/x" rel="noopener">a</a> <img src="/a.png" alt="b"></p>`) != nil {
		t.Error("checkArticleHTML rejected good markup")
	}
	if checkArticleHTML(`<p><a class="link-card link-card-video" href="https://a.b/" rel="noopener"><span class="link-card-title">t</span> <span class="link-card-host">a.b</span></a></p>`) != nil {
		t.Error("checkArticleHTML rejected a good card")
	}
	for _, s := range []string{
		`<a class="link-card link-card-link" href="/local">a</a>`,
		`<a class="link-card link-card-link" href="mailto:a@b.c">a</a>`,
		`<p><span class="link-card-title">t</span></p>`,
		`<a class="link-card link-card-link" href="https://a.b"><img src="/a.png"></a>`,
	} {
		if checkCards(s) == nil {
			t.Errorf("checkCards accepted %q", s)
		}
	}
	if checkCommentHTML("a b", "<p>a</p>") == nil {
		t.Error("checkCommentHTML accepted lost text")
	}
	if checkCommentHTML("x", `<p><a href="javascript:x" rel="nofollow ugc noopener">x</a></p>`) == nil {
		t.Error("checkCommentHTML accepted a javascript link")
	}
}

var markdownSeeds = []string{
	"",
	"Просто текст.",
	"# H1\n## H2\n###### H6\nSetext\n===",
	"*em* **strong** ~~del~~ `code` [link](https://example.org \"title\")",
	"[x](javascript:alert(1)) [y](JaVaScRiPt:alert(1)) [z](java&#9;script:alert(1))",
	"[x](javascript&#58;alert(1)) [y]( vbscript:msgbox(1) ) [z](data:text/html;base64,PHNjcmlwdD4=)",
	"[x](<javascript:alert(1)>) <javascript:alert(1)> <VBSCRIPT:x> <mailto:a@b.c> <a@b.c>",
	"[r1] [r2][]\n\n[r1]: javascript:alert(1)\n[r2]: //evil.example",
	"![a](https://evil.example/a.png) ![b](//evil.example/b.png) ![c](/\\evil.example/c.png) ![d](/ok.png)",
	"![a](/%2F%2Fevil.example) ![b](/&#9;/evil.example) ![c](&#47;/evil.example) ![d](/ok.png \"t\")",
	"[![img](/a.png)](https://example.org) ![alt *em* [l](/x)](/b.png)",
	"<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n<iframe src=//e></iframe>\n\n<svg onload=alert(1)>",
	"inline <b onclick=x>b</b> <a href=javascript:x>a</a> <math><mi>x</mi></math> <style>*{}</style>",
	"<!-- comment --> <![CDATA[x]]> <?php x ?> <!DOCTYPE html>",
	"- Q\n\n- A\n\n– Q\n\n— A\n\nplain\n\n— Q\n— A\n-\u00a0Q",
	"- Q\n  - nested\n\n  para\n- ```\n  code\n  ```\n-\n- # h",
	"* real\n* list\n\n+ plus\n\n1. one\n2) two",
	"```\n- code\n— code\n```\n\n    - indented",
	"> — quote turn\n>\n> - quote hyphen\n\n> > nested",
	"| a | b |\n|---|:-:|\n| *x* | [y](javascript:z) |\n| only |",
	strings.Repeat(">", 200) + " deep",
	strings.Repeat("- ", 200) + "deep",
	strings.Repeat("*a_", 200),
	strings.Repeat("[a](", 200),
	strings.Repeat("|-", 100) + "\n" + strings.Repeat("|x\n", 10),
	"\xff\xfe\x00 invalid \xc3",
	"a\r\nb\rc\x00d\u2028e",
	"&lt;script&gt; &#0; &#x110000; &nbsp; &amp;amp;",
	"<p class=\"turn turn-q\">fake</p><div class=interview>x</div>",
	"[a](/x \"t\" onmouseover=alert(1))",
	"\\- escaped\n\n\\— escaped em",
	"- В1?\n- О1.\n\nПауза.\n\n- В2?\n  - вложенный\n\n> - в цитате\n>\n> — ответ\n\n+ плюс\n* звезда",
	"— В?\n-\u00a0О.\n– В?\n—\u202fО.\n\n-\tтаб\n\n—",
	// Link cards.
	"https://www.youtube.com/watch?v=dQw4w9WgXcQ\n\n<https://t.me/desk/1>\n\n[Видео](https://vk.com/video-1_2)",
	"> https://mastodon.social/@desk/1\n\n- https://youtu.be/x\n\n— [a](https://youtu.be/y)\n\n* <https://x.com/a>",
	"https://youtube.com@evil.example/\n\n<https://%E2%80%AEexample.org/>\n\nhttps://example.org/%E2%80%AE%FF",
	"<https://example.org/a\"b'c?q=%3Cscript%3E>\n\nhttps://example.org/\"onmouseover=\"x\n\n[&lt;b&gt; \"q\"](https://a.b/)",
	"https://Президент.рф/новости\n\n<https://xn--d1abbgf6aiiy.xn--p1ai/>\n\nhttps://[::1]:80/\n\nhttp://a.b:99999/",
	"[https://youtu.be/x](javascript:alert(1))\n\n[![i](/a.png)](https://youtu.be/x)\n\n[](https://youtu.be/x)",
	"https://x.com/*a*\n\nhttps://a.b/x\\_y&amp;z\n\nhttps://a.b/x.\n\nhttps://\n\nhttps:a.b\n\nHTTPS://A.B/%zz",
	"https://" + strings.Repeat("a.", 200) + "b/" + strings.Repeat("п/", 200),
}

// FuzzMarkdown renders each input as a static page, as an article and as
// an interview, the three ways Markdown reaches a reader.
func FuzzMarkdown(f *testing.F) {
	for _, s := range markdownSeeds {
		f.Add(s, 40)
	}
	rules := []turnRule{turnsNone, Options{}.turns(), Options{Interview: true}.turns()}
	f.Fuzz(func(t *testing.T, src string, n int) {
		n %= 500
		for _, rule := range rules {
			out := renderMarkdown(src, rule)
			if err := checkArticleHTML(out); err != nil {
				t.Fatalf("rule %d: Markdown(%q): %v", rule, src, err)
			}
			if err := checkCards(out); err != nil {
				t.Fatalf("rule %d: Markdown(%q): %v", rule, src, err)
			}
			if rule == turnsNone && (strings.Contains(out, `class="turn`) || strings.Contains(out, `class="interview"`)) {
				t.Fatalf("Markdown(%q) = %q: a static page with turns of speech", src, out)
			}
			ex := excerpt(src, n, rule)
			if !utf8.ValidString(ex) {
				t.Fatalf("rule %d: Excerpt(%q, %d) = %q is not valid UTF-8", rule, src, n, ex)
			}
			if c := utf8.RuneCountInString(ex); c > max(n, 0) {
				t.Fatalf("rule %d: Excerpt(%q, %d) = %q has %d runes", rule, src, n, ex, c)
			}
			if strings.ContainsAny(ex, "\n\t") || strings.Contains(ex, "  ") || strings.TrimSpace(ex) != ex {
				t.Fatalf("rule %d: Excerpt(%q, %d) = %q: whitespace not collapsed", rule, src, n, ex)
			}
		}
	})
}

var commentSeeds = []string{
	"",
	"Привет!\nВторая строка.\n\nНовый абзац.",
	"<script>alert(1)</script>",
	`https://example.org/"onmouseover="alert(1)`,
	"https://example.org/<img src=x onerror=alert(1)>",
	"https://example.org/'><svg onload=alert(1)>",
	"javascript:alert(1) JAVASCRIPT://%0aalert(1) data:text/html,x vbscript:x",
	"(https://example.org/a_(b)) [https://example.org/]] «https://example.org»",
	"http:// https:/// xhttps://a.b hhttps://a.b https://a.b/…",
	"https://a.b" + strings.Repeat(")", 50),
	"\xff\xfe\x00\r\n\r\x1b[31m",
	"&amp; &lt; &#39; &quot;",
	"\u00a0\n\u2028\n\u3000",
}

func FuzzCommentText(f *testing.F) {
	for _, s := range commentSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		out := string(CommentText(src))
		if err := checkCommentHTML(src, out); err != nil {
			t.Fatalf("CommentText(%q) = %q: %v", src, out, err)
		}
	})
}
