package render

import (
	"bufio"
	"bytes"
	"html"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
)

// Excerpt returns a plain-text excerpt of Markdown source: no markup,
// whitespace collapsed, at most n runes, cut at a word boundary with "…"
// appended when cut. The "…" counts towards n. It reads src as Markdown
// does, for a static page or a setting; an article's excerpt comes from
// ArticleExcerpt.
func Excerpt(src string, n int) string {
	return excerpt(src, n, turnsNone)
}

// ArticleExcerpt is Excerpt for an article's body, read with the article's
// options so that the excerpt shows turns of speech exactly where the
// article does.
func ArticleExcerpt(src string, n int, o Options) string {
	return excerpt(src, n, o.turns())
}

func excerpt(src string, n int, turns turnRule) string {
	if n <= 0 {
		return ""
	}
	source := prepareSource(src)
	// The same parser as the rendered page, so that an excerpt drops
	// refused links and shows turns exactly as the page does.
	doc := md.Parser().Parse(text.NewReader(source), parser.WithContext(turnContext(turns)))

	// One rune past n is enough to know whether, and where, to cut.
	c := collector{limit: n + 1, dec: newTextDecoder()}
	c.walk(doc, source)
	return cut(c.b.String(), c.runes, n)
}

// collector builds whitespace-collapsed text and stops caring once it
// holds limit runes, so a long article costs no more than its opening.
type collector struct {
	b       strings.Builder
	runes   int
	limit   int
	pending bool
	dec     *textDecoder // needed by walk only
	noBidi  bool         // drop explicit direction controls too
}

// walk adds the text of root and everything under it, as a reader would
// see it without markup.
func (c *collector) walk(root ast.Node, source []byte) {
	_ = ast.Walk(root, func(node ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if c.full() {
			return ast.WalkStop, nil
		}
		switch node := node.(type) {
		case *ast.FencedCodeBlock, *ast.CodeBlock, *ast.HTMLBlock, *ast.RawHTML, *ast.Image:
			// Code, markup and pictures are not prose a teaser can use.
			c.space()
			return ast.WalkSkipChildren, nil
		case *ast.CodeSpan:
			for t := node.FirstChild(); t != nil; t = t.NextSibling() {
				if t, ok := t.(*ast.Text); ok {
					c.add(string(t.Segment.Value(source)))
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			c.add(c.dec.text(node.Segment.Value(source), node.IsRaw()))
			if node.SoftLineBreak() || node.HardLineBreak() {
				c.space()
			}
		case *ast.String:
			if node.IsCode() {
				c.add(string(node.Value))
			} else {
				c.add(c.dec.text(node.Value, node.IsRaw()))
			}
		case *ast.AutoLink:
			c.add(string(node.Label(source)))
		case *turnNode:
			c.space()
			c.add(turnDash)
		default:
			if node.Type() == ast.TypeBlock {
				c.space()
			}
		}
		return ast.WalkContinue, nil
	})
}

func (c *collector) full() bool { return c.runes >= c.limit }

// space records a word break; it is written only if more text follows,
// which keeps the result trimmed.
func (c *collector) space() {
	if c.runes > 0 {
		c.pending = true
	}
}

func (c *collector) add(s string) {
	for _, r := range s {
		if c.full() {
			return
		}
		if unicode.IsSpace(r) {
			c.space()
			continue
		}
		if unicode.IsControl(r) || c.noBidi && isBidiControl(r) {
			continue
		}
		if c.pending {
			c.b.WriteByte(' ')
			c.runes++
			c.pending = false
			if c.full() {
				return
			}
		}
		c.b.WriteRune(r)
		c.runes++
	}
}

// textDecoder turns a Markdown text segment into the characters a reader
// sees. It reuses goldmark's own writer so that backslash escapes and
// entity references are resolved exactly as in the rendered article, and
// then undoes the HTML escaping that writer adds.
type textDecoder struct {
	buf bytes.Buffer
	w   *bufio.Writer
	gw  gmhtml.Writer
}

func newTextDecoder() *textDecoder {
	d := &textDecoder{gw: gmhtml.NewWriter()}
	d.w = bufio.NewWriter(&d.buf)
	return d
}

func (d *textDecoder) text(v []byte, raw bool) string {
	d.buf.Reset()
	if raw {
		d.gw.RawWrite(d.w, v)
	} else {
		d.gw.Write(d.w, v)
	}
	_ = d.w.Flush()
	return html.UnescapeString(d.buf.String())
}

// cut shortens s (which has runes runes) to at most n runes, preferring to
// end on a whole word.
func cut(s string, runes, n int) string {
	if runes <= n {
		return s
	}
	keep := n - 1 // room for the ellipsis
	// Byte offset of rune number keep, the first rune that will not fit.
	off := 0
	for i := 0; i < keep; i++ {
		_, size := utf8.DecodeRuneInString(s[off:])
		off += size
	}
	head := s[:off]
	if next, _ := utf8.DecodeRuneInString(s[off:]); next != ' ' {
		// The word under the cut would be mangled: drop it, unless it is
		// the only word, where a hard cut still says more than nothing.
		if i := strings.LastIndexByte(head, ' '); i > 0 {
			head = head[:i]
		}
	}
	// "слово,…" reads worse than "слово…".
	head = strings.TrimRightFunc(head, func(r rune) bool {
		return r == ' ' || strings.ContainsRune(",;:-–—", r)
	})
	return head + "…"
}
