package render

import (
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Interview markup. The site's stylesheet targets these exact classes, and
// the sanitizer lets class through only with these values.
const (
	interviewOpen = `<div class="interview">` + "\n"
	interviewEnd  = "</div>\n"
	turnQOpen     = `<p class="turn turn-q">`
	turnAOpen     = `<p class="turn turn-a">`
	turnEnd       = "</p>\n"
	// Whatever dash the author typed, readers see the typographic one.
	turnDash = "— "
)

var (
	kindInterview = ast.NewNodeKind("Interview")
	kindTurn      = ast.NewNodeKind("Turn")
)

// turnRule says which blocks of a document are turns of speech. A turn is
// a form an editor chooses on purpose, by marking the article as an
// interview: "- " is how everyone types a list, and an em dash is how
// Russian and Belarusian reporting opens direct speech.
type turnRule int

const (
	turnsNone    turnRule = iota // pages, settings, articles not marked as interviews
	turnsAnyDash                 // interviews: hyphen lists, and paragraphs opened with any dash
)

var turnRuleKey = parser.NewContextKey()

// turnContext carries the rule of one document to the transformer, which
// is shared by every parse.
func turnContext(r turnRule) parser.Context {
	pc := parser.NewContext()
	pc.Set(turnRuleKey, r)
	return pc
}

// interviewNode groups consecutive turns of speech so that they can be
// styled as one dialogue.
type interviewNode struct {
	ast.BaseBlock
}

func (n *interviewNode) Kind() ast.NodeKind { return kindInterview }

func (n *interviewNode) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, nil, nil)
}

// turnNode is one turn of speech. Its children are the inline content of
// the paragraph it replaced, with the leading dash removed.
type turnNode struct {
	ast.BaseBlock
	answer bool
	split  bool // already cut at dash lines
}

func (n *turnNode) Kind() ast.NodeKind { return kindTurn }

func (n *turnNode) Dump(source []byte, level int) {
	role := "question"
	if n.answer {
		role = "answer"
	}
	ast.DumpHelper(n, source, level, map[string]string{"Role": role}, nil)
}

// articleTransformer applies the house rules that are about document
// structure rather than markup safety: heading levels, link and image
// targets, interview turns and link cards. It keeps no state between
// documents, so one value serves concurrent parses.
type articleTransformer struct{}

func (articleTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	source := reader.Source()

	// The tree must not change under ast.Walk, so nodes to unwrap are
	// collected first.
	var unwrap []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			// The page has its own h1, and the allowlist ends at h4:
			// clamping keeps every heading a heading.
			n.Level = min(max(n.Level, 2), 4)
		case *ast.Link:
			if linkAllowed(string(util.URLEscape(n.Destination, true))) {
				n.SetAttributeString("rel", []byte("noopener"))
			} else {
				unwrap = append(unwrap, n)
			}
		case *ast.AutoLink:
			if linkAllowed(autoLinkTarget(n, source)) {
				n.SetAttributeString("rel", []byte("noopener"))
			} else {
				unwrap = append(unwrap, n)
			}
		case *ast.Image:
			if !imageAllowed(string(util.URLEscape(n.Destination, true))) {
				unwrap = append(unwrap, n)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, n := range unwrap {
		unwrapNode(n, source)
	}

	if rule, _ := pc.Get(turnRuleKey).(turnRule); rule != turnsNone {
		st := turnState{source: source, rule: rule}
		st.container(doc)
	}

	// After the turns, so that a turn of speech is never a card.
	linkCards(doc, source)
}

// autoLinkTarget is the href goldmark's renderer would write for n.
func autoLinkTarget(n *ast.AutoLink, source []byte) string {
	u := string(util.URLEscape(n.URL(source), false))
	if n.AutoLinkType == ast.AutoLinkEmail && !hasPrefixFold(u, "mailto:") {
		u = "mailto:" + u
	}
	return u
}

// unwrapNode replaces a link or image by its text, so that a refused
// target costs the reader the link or picture but not the words.
func unwrapNode(n ast.Node, source []byte) {
	parent := n.Parent()
	if parent == nil {
		return
	}
	if al, ok := n.(*ast.AutoLink); ok {
		label := ast.NewString(al.Label(source))
		// Raw: the label is literal text, exactly as the autolink
		// renderer would have shown it (escaped, no entity decoding).
		label.SetRaw(true)
		parent.ReplaceChild(parent, n, label)
		return
	}
	for c := n.FirstChild(); c != nil; {
		next := c.NextSibling()
		parent.InsertBefore(parent, n, c)
		c = next
	}
	parent.RemoveChild(parent, n)
}

// turnState finds the turns of one document. Each block of consecutive
// turns is one exchange and starts with a question: a plain paragraph,
// heading, quote or any other block between turns ends the exchange, so
// a turn that an edit moves or removes cannot flip every later question
// and answer of the article.
type turnState struct {
	source []byte
	rule   turnRule
}

// container rewrites turns among the direct children of a document or
// blockquote. Each node is visited a bounded number of times, so this
// stays linear in the size of the tree.
func (st *turnState) container(parent ast.Node) {
	var group *interviewNode
	count := 0
	for c := parent.FirstChild(); c != nil; {
		switch n := c.(type) {
		case *ast.List:
			if n.Marker == '-' && st.rule == turnsAnyDash {
				// A hyphen list is how Markdown reads "- question"; its
				// items are spliced in place of the list and then visited
				// like any other block, starting with the first of them.
				c = spliceDashList(parent, n)
				continue
			}
		case *ast.Paragraph:
			if t := st.paragraphTurn(n, parent); t != nil {
				c = t
			}
		case *ast.Blockquote:
			group = nil
			st.container(n)
			c = c.NextSibling()
			continue
		}

		t, ok := c.(*turnNode)
		if !ok {
			group = nil
			c = c.NextSibling()
			continue
		}
		if !t.split {
			st.splitTurn(t)
		}
		next := t.NextSibling()
		if group == nil {
			group = &interviewNode{}
			parent.InsertBefore(parent, t, group)
			count = 0
		}
		t.answer = count%2 == 1
		count++
		group.AppendChild(group, t)
		c = next
	}
}

// splitTurn cuts a turn at every line that itself opens with a speech
// dash, inserting the new turns right after it: editors often paste
// dialogue one line per speaker with no blank line between, and a
// hyphen-list typed that way already yields one turn per line.
func (st *turnState) splitTurn(t *turnNode) {
	parent := t.Parent()
	// One pass: each inline node is moved at most once, into the turn its
	// line belongs to, so a long run of one-line turns stays linear.
	cur := t
	for c := t.FirstChild(); c != nil; {
		next := c.NextSibling()
		if cur != t {
			cur.AppendChild(cur, c)
		}
		if n := st.dashLineAfter(c, next); n > 0 {
			br := c.(*ast.Text)
			br.SetSoftLineBreak(false)
			br.SetHardLineBreak(false)
			line := next.(*ast.Text)
			line.Segment = line.Segment.WithStart(line.Segment.Start + n)
			rest := &turnNode{split: true}
			insertAfter(parent, cur, rest)
			cur = rest
		}
		c = next
	}
}

// dashLineAfter returns the dash prefix length of next when c ends a line
// and next, the first node of the following line, opens a new turn.
func (st *turnState) dashLineAfter(c, next ast.Node) int {
	br, ok := c.(*ast.Text)
	if !ok || !(br.SoftLineBreak() || br.HardLineBreak()) {
		return 0
	}
	line, ok := next.(*ast.Text)
	if !ok {
		return 0
	}
	return st.dashPrefixLen(line.Segment.Value(st.source))
}

// spliceDashList replaces a hyphen list by its items' content, each
// item's leading paragraph becoming a turn. It returns the first node
// that now stands where the list stood (or what followed the list).
func spliceDashList(parent ast.Node, list *ast.List) ast.Node {
	var first ast.Node
	for item := list.FirstChild(); item != nil; {
		nextItem := item.NextSibling()
		lead := true
		for c := item.FirstChild(); c != nil; {
			next := c.NextSibling()
			var moved ast.Node = c
			isText := c.Kind() == ast.KindParagraph || c.Kind() == ast.KindTextBlock
			switch {
			case lead && isText:
				// Tight lists hold a TextBlock instead of a Paragraph;
				// either carries the item's turn of speech.
				moved = moveInline(c, &turnNode{})
			case c.Kind() == ast.KindTextBlock:
				// Outside a list a TextBlock would render as bare text
				// with no paragraph around it.
				moved = moveInline(c, ast.NewParagraph())
			}
			lead = false
			parent.InsertBefore(parent, list, moved)
			if first == nil {
				first = moved
			}
			c = next
		}
		item = nextItem
	}
	after := list.NextSibling()
	parent.RemoveChild(parent, list)
	if first == nil {
		return after
	}
	return first
}

// paragraphTurn converts p into a turn in place when it opens with a dash
// that the rule takes as a turn (in an interview, also a hyphen that
// Markdown did not take as a list, such as one followed by a no-break
// space) and returns the turn; otherwise nil.
func (st *turnState) paragraphTurn(p *ast.Paragraph, parent ast.Node) *turnNode {
	first, ok := p.FirstChild().(*ast.Text)
	if !ok {
		return nil
	}
	// Only the raw segment is inspected: an escaped "\-" starts with a
	// backslash there and so stays an ordinary paragraph, as intended.
	n := st.dashPrefixLen(first.Segment.Value(st.source))
	if n == 0 {
		return nil
	}
	first.Segment = first.Segment.WithStart(first.Segment.Start + n)
	t := moveInline(p, &turnNode{})
	parent.ReplaceChild(parent, p, t)
	return t
}

// dashPrefixLen returns the length in bytes of a leading speech dash and
// the blanks after it, or 0 when b does not open a turn under the rule.
func (st *turnState) dashPrefixLen(b []byte) int {
	var n int
	switch {
	case len(b) > 0 && b[0] == '-' && st.rule == turnsAnyDash:
		n = 1
	case hasPrefixBytes(b, "–"), hasPrefixBytes(b, "—"):
		n = len("—")
	default:
		return 0
	}
	start := n
	for n < len(b) {
		r, size := utf8.DecodeRune(b[n:])
		if r != ' ' && r != '\t' && r != '\u00a0' && r != '\u202f' {
			break
		}
		n += size
	}
	if n == start {
		return 0
	}
	return n
}

// moveInline moves the lines and inline content of a paragraph or text
// block into dst and returns dst.
func moveInline[T ast.Node](block ast.Node, dst T) T {
	dst.SetLines(block.Lines())
	for c := block.FirstChild(); c != nil; {
		next := c.NextSibling()
		dst.AppendChild(dst, c)
		c = next
	}
	return dst
}

// interviewRenderer writes the interview markup; everything inside a turn
// is rendered by goldmark's own inline renderers.
type interviewRenderer struct{}

func (interviewRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindInterview, renderInterview)
	reg.Register(kindTurn, renderTurn)
}

func renderInterview(w util.BufWriter, _ []byte, _ ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString(interviewOpen)
	} else {
		_, _ = w.WriteString(interviewEnd)
	}
	return ast.WalkContinue, nil
}

func renderTurn(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		_, _ = w.WriteString(turnEnd)
		return ast.WalkContinue, nil
	}
	if n.(*turnNode).answer {
		_, _ = w.WriteString(turnAOpen)
	} else {
		_, _ = w.WriteString(turnQOpen)
	}
	_, _ = w.WriteString(turnDash)
	return ast.WalkContinue, nil
}

// insertAfter avoids ast's InsertAfter, which on a last child goes through
// InsertBefore(nil) and counts the new child twice.
func insertAfter(parent, at, n ast.Node) {
	if next := at.NextSibling(); next != nil {
		parent.InsertBefore(parent, next, n)
	} else {
		parent.AppendChild(parent, n)
	}
}

func hasPrefixBytes(b []byte, prefix string) bool {
	return len(b) >= len(prefix) && string(b[:len(prefix)]) == prefix
}

// hasPrefixFold is an ASCII case-insensitive prefix test that allocates
// nothing.
func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		a, b := s[i], prefix[i]
		if a >= 'A' && a <= 'Z' {
			a += 'a' - 'A'
		}
		if a != b {
			return false
		}
	}
	return true
}
