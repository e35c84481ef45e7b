package render

import (
	"html"
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// Link cards. An http(s) link that is the whole of a paragraph at the top
// level of the article (or of a quote) is what an author writes to point
// at a video or a post, so it is shown as a card:
//
//	<p><a class="link-card link-card-video" href="…" rel="noopener"><span class="link-card-title">Title</span> <span class="link-card-host">youtube.com</span></a></p>
//
// The paragraph may be a Markdown link [Title](url), an autolink <url>,
// or a bare URL typed alone (which without a card would stay plain text:
// bare URLs inside sentences are still not linked). A card is only
// markup around an ordinary link: nothing is fetched, embedded or loaded
// from the other host, now or when the page is read.
//
// The card carries no words of its own, so it needs no language: the
// title is the author's link text or, when there is none, the URL's path;
// the host says where the link goes; and the kind of target (video, post
// or any other link) is a class, for the stylesheet to show as an icon.
// The accessible name, read aloud, is the title and then the host.
//
// Turns of an interview and list items never hold cards: a link there is
// part of speech or of an enumeration, and stays an ordinary link.
const (
	cardClassOpen = `<a class="link-card link-card-`
	cardTitleOpen = `<span class="link-card-title">`
	cardHostOpen  = ` <span class="link-card-host">`
	cardSpanEnd   = `</span>`

	cardKindVideo = "video"
	cardKindPost  = "post"
	cardKindLink  = "link"

	// Titles and hosts are cut, in runes, so that a pasted tracking URL
	// cannot make a card many lines tall. The stylesheet may cut further.
	cardTitleMax = 120
	cardPathMax  = 80
	cardHostMax  = 60
)

var kindLinkCard = ast.NewNodeKind("LinkCard")

// linkCardNode replaces the inline content of a paragraph that is one
// link. The original inline nodes stay as its children, so that Excerpt
// reads the paragraph exactly as before, but the renderer skips them.
type linkCardNode struct {
	ast.BaseInline
	href  string // as goldmark would write it, before HTML escaping
	kind  string // cardKindVideo, cardKindPost or cardKindLink
	title string // plain text, never empty
	host  string // plain text; empty when the title already is the host
}

func (n *linkCardNode) Kind() ast.NodeKind { return kindLinkCard }

func (n *linkCardNode) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{
		"Href": n.href, "Kind": n.kind, "Title": n.title, "Host": n.host,
	}, nil)
}

var (
	// Hosts matched with their subdomains (m.youtube.com, music.…).
	videoHosts = []string{
		"youtube.com", "youtu.be", "youtube-nocookie.com", "vimeo.com",
		"rutube.ru", "tiktok.com", "vkvideo.ru",
	}
	postHosts = []string{
		"t.me", "telegram.me", "x.com", "twitter.com", "facebook.com",
		"fb.com", "instagram.com", "bsky.app", "threads.net", "threads.com",
		"vk.com", "vk.ru",
	}
	// A Mastodon (or other fediverse) status: /@user/123456.
	fediPostRe = regexp.MustCompile(`^/@[\w.-]+(?:@[\w.-]+)?/\d+/?$`)
)

// linkCards turns every paragraph that is one http(s) link, directly in
// the document or in a quote, into a card.
func linkCards(doc *ast.Document, source []byte) {
	var paras []*ast.Paragraph
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if p, ok := n.(*ast.Paragraph); ok {
			switch p.Parent().(type) {
			case *ast.Document, *ast.Blockquote:
				paras = append(paras, p)
			}
		}
		if n.Type() == ast.TypeInline || n.Kind() == ast.KindParagraph {
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	// The decoder's buffers are made only for a document that needs them.
	var d *textDecoder
	dec := func() *textDecoder {
		if d == nil {
			d = newTextDecoder()
		}
		return d
	}
	for _, p := range paras {
		card := paragraphCard(p, source, dec)
		if card == nil {
			continue
		}
		for c := p.FirstChild(); c != nil; {
			next := c.NextSibling()
			card.AppendChild(card, c)
			c = next
		}
		p.AppendChild(p, card)
	}
}

// paragraphCard returns the card p stands for, or nil when p is anything
// but a single http(s) link.
func paragraphCard(p *ast.Paragraph, source []byte, dec func() *textDecoder) *linkCardNode {
	first := p.FirstChild()
	if first == nil {
		return nil
	}
	if first.NextSibling() == nil {
		switch n := first.(type) {
		case *ast.Link:
			return linkNodeCard(n, source, dec)
		case *ast.AutoLink:
			if n.AutoLinkType != ast.AutoLinkURL {
				return nil
			}
			return newLinkCard(autoLinkTarget(n, source), "")
		}
	}
	return bareURLCard(p, source, dec)
}

// linkNodeCard makes a card of [text](url), with the text as its title.
// A link around a picture stays as the author built it.
func linkNodeCard(n *ast.Link, source []byte, dec func() *textDecoder) *linkCardNode {
	hasImage := false
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering && c.Kind() == ast.KindImage {
			hasImage = true
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	if hasImage {
		return nil
	}
	c := collector{limit: cardTitleMax + 1, dec: dec(), noBidi: true}
	c.walk(n, source)
	title := cut(c.b.String(), c.runes, cardTitleMax)
	if (hasPrefixFold(title, "http://") || hasPrefixFold(title, "https://")) && !strings.Contains(title, " ") {
		// [https://…](https://…), as some editors paste links: the
		// text is a URL, not a title.
		title = ""
	}
	return newLinkCard(string(util.URLEscape(n.Destination, true)), title)
}

// bareURLCard makes a card of a paragraph that is a bare URL on one line
// and nothing else, read as the reader would see it (escapes and entity
// references resolved). The URL must be whole by the same rules that
// link URLs in comments, so that "https://example.org." or a URL with
// quotes in it stays text rather than becoming a link to something
// slightly different.
func bareURLCard(p *ast.Paragraph, source []byte, dec func() *textDecoder) *linkCardNode {
	if p.Lines().Len() != 1 {
		return nil
	}
	line := p.Lines().At(0)
	// Cheap test first: most one-line paragraphs are prose.
	raw := source[line.Start:line.Stop]
	head := string(raw[:min(len(raw), len("https://"))])
	if !hasPrefixFold(head, "http://") && !hasPrefixFold(head, "https://") {
		return nil
	}
	pos := line.Start
	var b strings.Builder
	for c := p.FirstChild(); c != nil; c = c.NextSibling() {
		// Only plain text that covers the line without gaps: emphasis,
		// code, or the leftover text of a refused link all disqualify.
		t, ok := c.(*ast.Text)
		if !ok || t.Segment.Start != pos || t.SoftLineBreak() || t.HardLineBreak() {
			return nil
		}
		b.WriteString(dec().text(t.Segment.Value(source), t.IsRaw()))
		pos = t.Segment.Stop
	}
	if pos > line.Stop || strings.TrimSpace(string(source[pos:line.Stop])) != "" {
		return nil
	}
	u := b.String()
	if start, ok := nextURLStart(u, 0); !ok || start != 0 || urlEnd(u, 0) != len(u) {
		return nil
	}
	return newLinkCard(string(util.URLEscape([]byte(u), false)), "")
}

// newLinkCard builds the card for href, a link target exactly as the HTML
// renderer would write it, or returns nil when href is not an absolute
// http(s) URL with a host that can be shown.
func newLinkCard(href, title string) *linkCardNode {
	if !hasPrefixFold(href, "http://") && !hasPrefixFold(href, "https://") {
		return nil
	}
	if !linkAllowed(href) {
		return nil
	}
	u, err := url.Parse(href)
	if err != nil || u.Host == "" {
		return nil
	}
	host, ok := displayHost(u.Hostname())
	if !ok {
		return nil
	}
	card := &linkCardNode{href: href, kind: cardKind(host, u.EscapedPath())}
	card.host = cutHost(host, cardHostMax)
	card.title = title
	if card.title == "" {
		card.title = pathTitle(u)
	}
	if card.title == "" {
		// Nothing but a host: it is the title, once.
		card.title, card.host = card.host, ""
	}
	return card
}

// displayHost is the host as readers know it: lower case, without "www."
// or a trailing dot. Hosts with characters other than letters, digits,
// combining marks, "-", "_", "." and the colons of an IPv6 address are
// refused: invisible or direction-changing characters would let a card
// show one host and lead to another.
func displayHost(h string) (string, bool) {
	h = strings.ToLower(strings.TrimSuffix(h, "."))
	if rest, ok := strings.CutPrefix(h, "www."); ok && rest != "" {
		h = rest
	}
	if h == "" || !utf8.ValidString(h) {
		return "", false
	}
	for _, r := range h {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r) && !strings.ContainsRune("-_.:", r) {
			return "", false
		}
	}
	return h, true
}

// cardKind classifies a target by its host (without "www.") and path.
func cardKind(host, path string) string {
	switch {
	case (hostIs(host, "vk.com") || hostIs(host, "vk.ru")) &&
		(strings.HasPrefix(path, "/video") || strings.HasPrefix(path, "/clip")):
		return cardKindVideo
	case hostIn(host, videoHosts):
		return cardKindVideo
	case hostIn(host, postHosts), fediPostRe.MatchString(path):
		return cardKindPost
	}
	return cardKindLink
}

func hostIn(host string, domains []string) bool {
	for _, d := range domains {
		if hostIs(host, d) {
			return true
		}
	}
	return false
}

// hostIs reports whether host is domain or one of its subdomains.
func hostIs(host, domain string) bool {
	return host == domain || strings.HasSuffix(host, "."+domain)
}

// pathTitle is the title of a card for a URL given without link text:
// its path and query, percent-decoded when that yields readable text,
// without the slashes around it. The fragment is left out.
func pathTitle(u *url.URL) string {
	s := u.EscapedPath()
	if u.RawQuery != "" {
		s += "?" + u.RawQuery
	}
	if d, err := url.PathUnescape(s); err == nil && utf8.ValidString(d) {
		s = d
	}
	s = strings.Trim(s, "/")
	c := collector{limit: cardPathMax + 1, noBidi: true}
	c.add(s)
	return cut(c.b.String(), c.runes, cardPathMax)
}

// cutHost shortens a long host from the left, because the end of a host
// (the registered domain) is the part that says who runs it: cutting
// "youtube.com.example.net" to "youtube.com…" would lie. The cut falls on
// a label boundary when there is one.
func cutHost(h string, n int) string {
	runes := utf8.RuneCountInString(h)
	if runes <= n {
		return h
	}
	// Keep the last n-1 runes, leaving room for the ellipsis.
	off := len(h)
	for i := 0; i < n-1; i++ {
		_, size := utf8.DecodeLastRuneInString(h[:off])
		off -= size
	}
	tail := h[off:]
	if i := strings.IndexByte(tail, '.'); i >= 0 && i < len(tail)-1 {
		tail = tail[i+1:]
	}
	return "…" + tail
}

// isBidiControl reports the explicit direction embeddings, overrides and
// isolates, which inside a card could make the host read backwards.
func isBidiControl(r rune) bool {
	return r >= '\u202a' && r <= '\u202e' || r >= '\u2066' && r <= '\u2069'
}

// linkCardRenderer writes cards; the inline nodes kept under a card are
// not rendered.
type linkCardRenderer struct{}

func (linkCardRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindLinkCard, renderLinkCard)
}

func renderLinkCard(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*linkCardNode)
	_, _ = w.WriteString(cardClassOpen)
	_, _ = w.WriteString(n.kind)
	_, _ = w.WriteString(`" href="`)
	_, _ = w.Write(util.EscapeHTML([]byte(n.href)))
	_, _ = w.WriteString(`" rel="noopener">`)
	_, _ = w.WriteString(cardTitleOpen)
	_, _ = w.WriteString(html.EscapeString(n.title))
	_, _ = w.WriteString(cardSpanEnd)
	if n.host != "" {
		_, _ = w.WriteString(cardHostOpen)
		_, _ = w.WriteString(html.EscapeString(n.host))
		_, _ = w.WriteString(cardSpanEnd)
	}
	_, _ = w.WriteString("</a>")
	return ast.WalkSkipChildren, nil
}
