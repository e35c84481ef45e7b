// Package textdiff shows what changed between two revisions of a text —
// an article's title, lead or Markdown body — line by line, and within a
// changed line word by word. The differencing is github.com/sergi/go-diff's
// (a port of Google's diff-match-patch, Myers' algorithm with the usual
// speed-ups); this package only turns its output into numbered lines and
// hunks.
package textdiff

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// Op says what happened to a line or span.
type Op int

const (
	Equal  Op = iota // in both texts
	Insert           // only in the new text
	Delete           // only in the old text
)

func (o Op) String() string {
	switch o {
	case Equal:
		return "equal"
	case Insert:
		return "insert"
	case Delete:
		return "delete"
	}
	return "op?"
}

// Line is one line of the comparison.
type Line struct {
	Op   Op
	Text string // without the newline
	Old  int    // 1-based line number in the old text, 0 for an inserted line
	New  int    // 1-based line number in the new text, 0 for a deleted line
}

// timeout bounds the work on pathological inputs (two long texts with
// nothing in common line by line). Past it diff-match-patch returns a
// correct but less minimal diff; ordinary revisions finish far sooner.
const timeout = 2 * time.Second

// maxLines is how many distinct lines the line mode can tell apart (it
// stands one Unicode character for each); beyond it the texts are shown as
// wholly replaced. A 200 KB body has at most 200 000 lines.
const maxLines = 1_000_000

func newDMP() *diffmatchpatch.DiffMatchPatch {
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = timeout
	return dmp
}

// normalise makes every line end in "\n": "\r\n" counts as "\n", and a
// missing newline at the end is added — an article's body is the same text
// with or without one, and the desk should not show it as a change. The
// empty text has no lines.
func normalise(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if s != "" && !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	return s
}

// splitLines splits a normalised text into its lines without newlines.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s[:len(s)-1], "\n")
}

// Lines compares a and b line by line. "\r\n" is read as "\n", and a text
// without a newline at its end is read as if it had one. Within each run of
// changes the deleted lines come before the inserted ones.
func Lines(a, b string) []Line {
	a, b = normalise(a), normalise(b)
	var out []Line
	oldN, newN := 0, 0
	emit := func(op Op, text string) {
		l := Line{Op: op, Text: text}
		if op != Insert {
			oldN++
			l.Old = oldN
		}
		if op != Delete {
			newN++
			l.New = newN
		}
		out = append(out, l)
	}
	if a == b {
		for _, t := range splitLines(a) {
			emit(Equal, t)
		}
		return out
	}
	if strings.Count(a, "\n")+strings.Count(b, "\n") > maxLines {
		for _, t := range splitLines(a) {
			emit(Delete, t)
		}
		for _, t := range splitLines(b) {
			emit(Insert, t)
		}
		return out
	}

	dmp := newDMP()
	ca, cb, lineArray := dmp.DiffLinesToChars(a, b)
	diffs := dmp.DiffCharsToLines(dmp.DiffMain(ca, cb, false), lineArray)

	// Between two equal runs, put deletions before insertions so that a
	// changed line shows as a Delete immediately followed by its Insert.
	var dels, ins []string
	flush := func() {
		for _, t := range dels {
			emit(Delete, t)
		}
		for _, t := range ins {
			emit(Insert, t)
		}
		dels, ins = dels[:0], ins[:0]
	}
	for _, d := range diffs {
		lines := splitLines(d.Text)
		switch d.Type {
		case diffmatchpatch.DiffDelete:
			dels = append(dels, lines...)
		case diffmatchpatch.DiffInsert:
			ins = append(ins, lines...)
		default:
			flush()
			for _, t := range lines {
				emit(Equal, t)
			}
		}
	}
	flush()
	return out
}

// Changed reports whether any line differs.
func Changed(lines []Line) bool {
	for _, l := range lines {
		if l.Op != Equal {
			return true
		}
	}
	return false
}

// Hunk is a run of changes with up to `context` unchanged lines around it;
// Skipped counts the unchanged lines left out before it. The unchanged lines
// left out after the last hunk are len(lines) minus the lines the hunks
// hold and skip.
type Hunk struct {
	Skipped int
	Lines   []Line
}

// Hunks groups the changed lines with up to context unchanged lines before
// and after each. Changes separated by at most 2×context unchanged lines
// share a hunk, so no unchanged line is shown twice. Lines without changes
// give no hunks.
func Hunks(lines []Line, context int) []Hunk {
	if context < 0 {
		context = 0
	}
	var hunks []Hunk
	end := 0 // first line not yet in a hunk or skipped
	for i := 0; i < len(lines); {
		if lines[i].Op == Equal {
			i++
			continue
		}
		start := max(i-context, end)
		// Extend over changes and the unchanged runs between them that are
		// short enough to merge.
		j := i
		for {
			for j < len(lines) && lines[j].Op != Equal {
				j++
			}
			k := j
			for k < len(lines) && lines[k].Op == Equal {
				k++
			}
			if k < len(lines) && k-j <= 2*context {
				j = k
				continue
			}
			j = min(j+context, len(lines))
			break
		}
		hunks = append(hunks, Hunk{Skipped: start - end, Lines: lines[start:j]})
		end, i = j, j
	}
	return hunks
}

// Span is a piece of a changed line: a word, a run of spaces, punctuation
// or a run of them, changed or not.
type Span struct {
	Text    string
	Changed bool
}

// Words compares two versions of a line word by word and gives each as
// spans, marking what was deleted from a (in old) and inserted into b (in
// new). Words are runs of letters, digits and marks; whitespace runs and
// every other character count as words of their own. diff-match-patch's
// semantic cleanup merges changes split by a lone space or comma, so that a
// rewritten phrase reads as one change rather than a patchwork.
func Words(a, b string) (old, new []Span) {
	ta, tb := tokens(a), tokens(b)
	// Stand one character for each distinct token — diff-match-patch's own
	// trick for lines — and compare the two character strings.
	ids := map[string]rune{}
	var vocab []string
	toRunes := func(ts []string) []rune {
		rs := make([]rune, len(ts))
		for i, t := range ts {
			r, ok := ids[t]
			if !ok {
				r = indexRune(len(vocab))
				ids[t] = r
				vocab = append(vocab, t)
			}
			rs[i] = r
		}
		return rs
	}
	ra, rb := toRunes(ta), toRunes(tb)
	if len(vocab) > maxTokens {
		return spans(nil, a, true), spans(nil, b, true)
	}
	dmp := newDMP()
	diffs := dmp.DiffCleanupSemantic(dmp.DiffMainRunes(ra, rb, false))
	for _, d := range diffs {
		var sb strings.Builder
		for _, r := range d.Text {
			sb.WriteString(vocab[runeIndex(r)])
		}
		text := sb.String()
		switch d.Type {
		case diffmatchpatch.DiffDelete:
			old = spans(old, text, true)
		case diffmatchpatch.DiffInsert:
			new = spans(new, text, true)
		default:
			old = spans(old, text, false)
			new = spans(new, text, false)
		}
	}
	return old, new
}

// spans appends text to s, joining it to the last span when both are
// changed or both unchanged.
func spans(s []Span, text string, changed bool) []Span {
	if text == "" {
		return s
	}
	if n := len(s); n > 0 && s[n-1].Changed == changed {
		s[n-1].Text += text
		return s
	}
	return append(s, Span{Text: text, Changed: changed})
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == '_'
}

// tokens splits s into words, whitespace runs and single other characters
// (an invalid byte is a character of its own); they join back into s.
func tokens(s string) []string {
	var ts []string
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		j := i + n
		switch {
		case isWordRune(r):
			for j < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[j:])
				if !isWordRune(r2) {
					break
				}
				j += n2
			}
		case unicode.IsSpace(r):
			for j < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[j:])
				if !unicode.IsSpace(r2) {
					break
				}
				j += n2
			}
		}
		ts = append(ts, s[i:j])
		i = j
	}
	return ts
}

// Token numbers map to valid Unicode scalar values, skipping the
// surrogates, which a Go string cannot hold.
const (
	surrogateMin = 0xD800
	surrogateLen = 0x800
	maxTokens    = unicode.MaxRune + 1 - surrogateLen
)

func indexRune(i int) rune {
	if i >= surrogateMin {
		i += surrogateLen
	}
	return rune(i)
}

func runeIndex(r rune) int {
	if r >= surrogateMin+surrogateLen {
		return int(r) - surrogateLen
	}
	return int(r)
}
