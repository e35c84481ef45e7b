package render

import "strings"

// goldmark is linear on ordinary text but has a few superlinear corners
// that only hostile or broken input reaches: a line that opens hundreds
// of nested quotes or lists, a paragraph with thousands of unmatched
// emphasis delimiters or "](" openers, and a table header so wide that
// every short row is padded to it. limitSource rewrites just those inputs
// before parsing so that rendering time stays linear in the input. It
// works line by line and does not track code fences on purpose: a fence
// it misread would let everything after it skip the limits, while
// treating code as text merely alters code that is itself absurd.
const (
	// maxNesting bounds the container markers (">", "-", "1." …) one line
	// may open. Real articles rarely nest past three or four.
	maxNesting = 32
	// maxPrefixColumns bounds the indentation a line's container prefix
	// may carry; deeper lists cannot be built by indenting alone.
	maxPrefixColumns = 160
	// maxTableColumns bounds table width; wider delimiter rows are
	// escaped so the lines stay text.
	maxTableColumns = 32
	// maxInlineTriggers bounds the bytes that drive goldmark's inline
	// delimiter and link scanning within one run of non-blank lines; past
	// it a blank line is inserted. Prose never comes close.
	maxInlineTriggers = 1000
)

// prepareSource is what Markdown and Excerpt feed to goldmark. Invalid
// UTF-8 is replaced because goldmark passes it through to the output.
func prepareSource(src string) []byte {
	src = strings.ToValidUTF8(src, "\uFFFD")
	if strings.IndexByte(src, '\r') >= 0 {
		src = strings.ReplaceAll(src, "\r\n", "\n")
		src = strings.ReplaceAll(src, "\r", "\n")
	}
	return []byte(limitSource(src))
}

// chunkState follows one run of non-blank lines, which contains every
// paragraph that the inline parser will see as one unit.
type chunkState struct {
	triggers int
	prev     string // previous line, the header if this one is a delimiter row
	header   string // table header and delimiter row, repeated on a split
	delim    string
}

func limitSource(src string) string {
	var b strings.Builder
	b.Grow(len(src) + 64)
	var ch chunkState
	for len(src) > 0 {
		line, rest, hasNL := strings.Cut(src, "\n")
		src = rest
		ch.line(&b, line)
		if hasNL {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func (ch *chunkState) line(b *strings.Builder, line string) {
	if strings.TrimLeft(line, " \t") == "" {
		*ch = chunkState{}
		b.WriteString(line)
		return
	}
	line = capNesting(line)
	if cells, ok := delimiterRow(line); ok {
		if cells > maxTableColumns {
			line = escapeFirst(line, '-')
		} else if ch.prev != "" {
			ch.header, ch.delim = ch.prev, line
		}
	}
	t := countTriggers(line)
	if ch.triggers > 0 && ch.triggers+t > maxInlineTriggers {
		// A blank line ends the paragraph; a table is resumed under a
		// repeated header so that a long one stays a table.
		b.WriteByte('\n')
		ch.triggers = 0
		if ch.delim != "" {
			b.WriteString(ch.header + "\n" + ch.delim + "\n")
			ch.triggers = countTriggers(ch.header) + countTriggers(ch.delim)
		}
	}
	if ch.triggers+t > maxInlineTriggers {
		line = ch.splitLine(b, line)
		ch.header, ch.delim = "", ""
		t = countTriggers(line)
	}
	ch.triggers += t
	ch.prev = line
	b.WriteString(line)
}

// splitLine writes all but the last piece of an over-budget line, each
// followed by a blank line, and returns the last piece.
func (ch *chunkState) splitLine(b *strings.Builder, line string) string {
	n := ch.triggers
	start := 0
	for i := 0; i < len(line); i++ {
		if !isTrigger(line[i]) {
			continue
		}
		if n == maxInlineTriggers {
			b.WriteString(line[start:i])
			b.WriteString("\n\n")
			start, n = i, 0
		}
		n++
	}
	ch.triggers = 0
	return line[start:]
}

func isTrigger(c byte) bool {
	switch c {
	case '*', '_', '~', '[', ']', '(', ')', '`':
		return true
	}
	return false
}

func countTriggers(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if isTrigger(s[i]) {
			n++
		}
	}
	return n
}

// capNesting escapes the container marker that would take line past
// maxNesting, and drops blanks in the line's container prefix past
// maxPrefixColumns, since every indented line is checked against every
// list it might continue.
func capNesting(line string) string {
	depth, col := 0, 0
	for i := 0; i < len(line); {
		j := i
		for j < len(line) && (line[j] == ' ' || line[j] == '\t') {
			if line[j] == '\t' {
				col += 4 - col%4
			} else {
				col++
			}
			if col > maxPrefixColumns {
				k := j
				for k < len(line) && (line[k] == ' ' || line[k] == '\t') {
					k++
				}
				line = line[:j] + line[k:]
				break
			}
			j++
		}
		mark, next := containerMarker(line, j)
		if next < 0 {
			break
		}
		depth++
		if depth > maxNesting {
			if isThematicBreak(line) {
				return line
			}
			return line[:mark] + `\` + line[mark:]
		}
		col += next - j
		i = next
	}
	return line
}

// containerMarker recognises a blockquote or list marker at i and returns
// the index of its punctuation and the index just after it, or -1, -1.
func containerMarker(line string, i int) (int, int) {
	if i >= len(line) {
		return -1, -1
	}
	spaceAt := func(j int) bool {
		return j < len(line) && (line[j] == ' ' || line[j] == '\t')
	}
	switch c := line[i]; {
	case c == '>':
		return i, i + 1
	case c == '-' || c == '*' || c == '+':
		if spaceAt(i + 1) {
			return i, i + 2
		}
	case c >= '0' && c <= '9':
		j := i
		for j < len(line) && j-i < 9 && line[j] >= '0' && line[j] <= '9' {
			j++
		}
		if j < len(line) && (line[j] == '.' || line[j] == ')') && spaceAt(j+1) {
			return j, j + 2
		}
	}
	return -1, -1
}

// isThematicBreak reports a line made of one of - * _ (at least three)
// and blanks; such a line is a rule, not nesting, however long.
func isThematicBreak(line string) bool {
	var mark byte
	n := 0
	for i := 0; i < len(line); i++ {
		switch c := line[i]; c {
		case ' ', '\t':
		case '-', '*', '_':
			if mark != 0 && c != mark {
				return false
			}
			mark = c
			n++
		default:
			return false
		}
	}
	return n >= 3
}

// delimiterRow reports whether line looks like a table delimiter row
// (after any blockquote markers) and how many columns it declares.
func delimiterRow(line string) (int, bool) {
	s := strings.TrimLeft(line, " \t>")
	s = strings.TrimRight(s, " \t")
	if !strings.Contains(s, "|") || !strings.Contains(s, "-") {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '|', '-', ':', ' ', '\t':
		default:
			return 0, false
		}
	}
	s = strings.TrimPrefix(s, "|")
	s = strings.TrimSuffix(s, "|")
	return strings.Count(s, "|") + 1, true
}

func escapeFirst(s string, c byte) string {
	i := strings.IndexByte(s, c)
	if i < 0 {
		return s
	}
	return s[:i] + `\` + s[i:]
}
