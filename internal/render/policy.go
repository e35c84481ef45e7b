package render

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
)

var (
	// A local image path: one leading slash and never a second one or a
	// backslash right after it, because browsers read "//host" and "/\host"
	// as another host. Whitespace and control bytes are refused outright
	// since browsers silently drop tabs and newlines inside URLs, which
	// could turn "/\t/host" into "//host".
	localSrcRe = regexp.MustCompile(`^/[^/\\\x00-\x20\x7f][^\\\x00-\x20\x7f]*$`)

	relRe       = regexp.MustCompile(`^noopener$`)
	turnClassRe = regexp.MustCompile(`^turn turn-[qa]$`)
	interviewRe = regexp.MustCompile(`^interview$`)
	cardClassRe = regexp.MustCompile(`^link-card link-card-(?:video|post|link)$`)
	cardSpanRe  = regexp.MustCompile(`^link-card-(?:title|host)$`)
)

// newPolicy builds the allowlist for article HTML. It starts from an empty
// policy so that anything not named here is dropped, including whatever a
// future goldmark version or extension might start emitting.
func newPolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()

	// Text flow and inline emphasis. goldmark emits strong, em and del;
	// b, i and s are on the house list too and cost nothing to allow.
	p.AllowElements("p", "br", "hr", "strong", "b", "em", "i", "s", "del", "blockquote")
	p.AllowElements("ul", "ol", "li")
	// No h1: the page template owns the only h1; the transformer has
	// already demoted headings so none are lost here.
	p.AllowElements("h2", "h3", "h4")
	p.AllowElements("pre", "code")
	p.AllowElements("table", "thead", "tbody", "tr", "th", "td")
	p.AllowElements("figure", "figcaption")

	// Links: http, https, mailto and relative only. rel is accepted only
	// with the exact value the transformer sets, so source text can never
	// choose it.
	p.AllowURLSchemes("http", "https", "mailto")
	p.AllowRelativeURLs(true)
	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("rel").Matching(relRe).OnElements("a")

	// Images only from our own origin: a request to any other host tells
	// that host (and anyone watching the wire) who reads which article.
	p.AllowAttrs("src").Matching(localSrcRe).OnElements("img")
	p.AllowAttrs("alt").OnElements("img")
	p.AllowAttrs("width", "height").Matching(bluemonday.Integer).OnElements("img")

	// class exists only for the interview and link-card markup, and only
	// with the values the renderers write, so the stylesheet cannot be
	// steered by authors. span exists only inside link cards.
	p.AllowAttrs("class").Matching(turnClassRe).OnElements("p")
	p.AllowAttrs("class").Matching(interviewRe).OnElements("div")
	p.AllowAttrs("class").Matching(cardClassRe).OnElements("a")
	p.AllowAttrs("class").Matching(cardSpanRe).OnElements("span")

	return p
}

// linkAllowed reports whether u, a link target exactly as the HTML
// renderer would write it, may stay a link. It mirrors the sanitizer's own
// rules so that a link the sanitizer would strip is unwrapped to its text
// instead of surviving as a bare <a> without href.
func linkAllowed(u string) bool {
	if u == "" || hasUnsafeURLByte(u) {
		return false
	}
	if i := strings.IndexAny(u, ":/?#"); i >= 0 && u[i] == ':' {
		// A colon before any path, query or fragment makes this a scheme
		// (or garbage such as "1x:", which browsers disagree about).
		scheme := u[:i]
		if !validScheme(scheme) {
			return false
		}
		switch strings.ToLower(scheme) {
		case "http", "https", "mailto":
		default:
			return false
		}
	}
	_, err := url.Parse(u)
	return err == nil
}

// imageAllowed reports whether an image source, as it would be rendered,
// points at this site.
func imageAllowed(u string) bool {
	if !localSrcRe.MatchString(u) {
		return false
	}
	_, err := url.Parse(u)
	return err == nil
}

// validScheme checks s against RFC 3986's
// ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
func validScheme(s string) bool {
	if s == "" {
		return false
	}
	for j := 0; j < len(s); j++ {
		c := s[j]
		isAlpha := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if j == 0 && !isAlpha {
			return false
		}
		if !isAlpha && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

// hasUnsafeURLByte reports bytes that browsers strip or reinterpret inside
// URLs and that would make our reading of the URL differ from theirs.
func hasUnsafeURLByte(u string) bool {
	for i := 0; i < len(u); i++ {
		if c := u[i]; c <= 0x20 || c == 0x7f || c == '\\' {
			return true
		}
	}
	return false
}
