package render

import (
	"html"
	"html/template"
	"strings"
	"unicode"
	"unicode/utf8"
)

// commentLinkRel marks links as the reader's, not the newsroom's: search
// engines must not credit them (nofollow, ugc) and the target page gets no
// handle on ours (noopener).
const commentLinkRel = "nofollow ugc noopener"

// CommentText renders a reader's plain-text comment: everything
// HTML-escaped, paragraphs split on blank lines into <p>, single newlines
// into <br>, and http(s) URLs made clickable as
// <a href="..." rel="nofollow ugc noopener">url</a>. Nothing else is markup.
func CommentText(s string) template.HTML {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")

	var b strings.Builder
	b.Grow(len(s) + len(s)/8 + 16)
	inPara := false
	for line := range strings.SplitSeq(s, "\n") {
		line = strings.TrimRightFunc(line, unicode.IsSpace)
		if strings.TrimSpace(line) == "" {
			if inPara {
				b.WriteString("</p>\n")
				inPara = false
			}
			continue
		}
		if inPara {
			// No newline after <br>: pages show comment paragraphs with
			// white-space: pre-wrap, so that spaces stay as typed, and a
			// newline there would be a second line break.
			b.WriteString("<br>")
		} else {
			b.WriteString("<p>")
			inPara = true
		}
		writeLinkified(&b, line)
	}
	if inPara {
		b.WriteString("</p>\n")
	}
	return template.HTML(b.String())
}

// writeLinkified writes one line of comment text with its http(s) URLs as
// links and everything else escaped.
func writeLinkified(b *strings.Builder, line string) {
	done := 0
	for i := 0; i < len(line); {
		start, ok := nextURLStart(line, i)
		if !ok {
			break
		}
		end := urlEnd(line, start)
		if end == 0 {
			// A bare "http://" with nothing usable after it.
			i = start + len("http://")
			continue
		}
		writeText(b, line[done:start])
		u := line[start:end]
		b.WriteString(`<a href="`)
		b.WriteString(html.EscapeString(u))
		b.WriteString(`" rel="` + commentLinkRel + `">`)
		writeText(b, u)
		b.WriteString("</a>")
		done, i = end, end
	}
	writeText(b, line[done:])
}

// writeText escapes s for HTML text and drops control characters, which
// are invisible at best and HTML parse errors at worst (NUL).
func writeText(b *strings.Builder, s string) {
	clean := strings.Map(func(r rune) rune {
		if r == '\t' {
			return ' '
		}
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
	b.WriteString(html.EscapeString(clean))
}

// nextURLStart finds the next "http://" or "https://" at or after i that
// begins a word, so that "xhttp://" or a scheme glued to letters is left
// alone. Each byte is looked at a bounded number of times.
func nextURLStart(s string, i int) (int, bool) {
	for i < len(s) {
		j := strings.IndexAny(s[i:], "hH")
		if j < 0 {
			return 0, false
		}
		j += i
		if hasPrefixFold(s[j:], "http://") || hasPrefixFold(s[j:], "https://") {
			prev, _ := utf8.DecodeLastRuneInString(s[:j])
			if j == 0 || !(unicode.IsLetter(prev) || unicode.IsDigit(prev) || prev == '_') {
				return j, true
			}
		}
		i = j + 1
	}
	return 0, false
}

// urlEnd returns where the URL starting at start ends, or 0 when what
// follows the scheme has no host.
func urlEnd(s string, start int) int {
	hostStart := start + len("http://")
	if hasPrefixFold(s[start:], "https://") {
		hostStart = start + len("https://")
	}
	end := hostStart
	for end < len(s) {
		r, size := utf8.DecodeRuneInString(s[end:])
		if urlStop(r) {
			break
		}
		end += size
	}
	// Punctuation that ends the surrounding sentence is not part of the
	// URL; closing brackets count only when unbalanced, as in
	// "(see https://example.org/Foo_(bar))". The bracket balance is
	// counted once and kept up to date so long runs stay linear.
	u := s[start:end]
	parens := strings.Count(u, "(") - strings.Count(u, ")")
	squares := strings.Count(u, "[") - strings.Count(u, "]")
	for end > hostStart {
		r, size := utf8.DecodeLastRuneInString(s[:end])
		switch r {
		case '.', ',', ':', ';', '!', '?', '\'', '*', '’', '…':
		case ')':
			if parens >= 0 {
				return hostOK(s, hostStart, end)
			}
			parens++
		case ']':
			if squares >= 0 {
				return hostOK(s, hostStart, end)
			}
			squares++
		default:
			return hostOK(s, hostStart, end)
		}
		end -= size
	}
	return 0
}

// hostOK returns end when the URL has something host-like right after the
// scheme, and 0 otherwise.
func hostOK(s string, hostStart, end int) int {
	if hostStart >= end {
		return 0
	}
	r, _ := utf8.DecodeRuneInString(s[hostStart:end])
	if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '[' {
		return end
	}
	return 0
}

// urlStop reports runes that cannot be part of a URL typed in a comment.
// Quotes and angle brackets end it both because they are not URL
// characters and so that nothing in the href can be read as markup.
func urlStop(r rune) bool {
	switch r {
	case '<', '>', '"', '`', '«', '»', '“', '”', '„', utf8.RuneError:
		return true
	}
	return unicode.IsSpace(r) || unicode.IsControl(r)
}
