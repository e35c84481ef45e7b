package news

import (
	"unicode"
	"unicode/utf8"
)

// The one rule of what a text may hold, for every field of every surface
// and query parameter: valid UTF-8 (which also keeps out lone surrogates),
// no control characters but tab and line feed (a carriage return only as
// the CR LF line end browsers send from a textarea), and no noncharacters
// (U+FFFE, U+FFFF and their kin, which no text means). PostgreSQL cannot
// store NUL or invalid UTF-8 at all; the rest prints as nothing, moves the
// cursor of a terminal showing a log, or breaks the feeds and JSON of
// whoever reads ours, and no person types it.
//
// CheckText is the rule for text that may run over several lines (an
// article's body, a comment); CheckLine is the rule for a field of one line
// (a title, a name, an e-mail, a tag, a query parameter), which refuses
// tabs and line breaks as well.
func CheckText(field, s string) error { return checkText(field, s, false) }

// CheckLine is CheckText for a field of one line.
func CheckLine(field, s string) error { return checkText(field, s, true) }

func checkText(field, s string, line bool) error {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f { // printable ASCII, nearly all of most text
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			return Errorf(EINVALID, "%s is not valid UTF-8 (byte 0x%02X at byte %d); send the text in UTF-8", field, c, i)
		case r == '\n', r == '\r' && i+1 < len(s) && s[i+1] == '\n', r == '\u2028', r == '\u2029':
			if line {
				return Errorf(EINVALID, "%s must be one line; remove the line break", field)
			}
		case r == '\t':
			if line {
				return Errorf(EINVALID, "%s contains a tab; use a space instead", field)
			}
		case r < 0x20, r >= 0x7f && r < 0xa0:
			return Errorf(EINVALID, "%s contains a control character (%U); remove it", field, r)
		case unicode.Is(unicode.Noncharacter_Code_Point, r):
			return Errorf(EINVALID, "%s contains %U, which is not a character; remove it", field, r)
		}
		i += n
	}
	return nil
}

// IsInvisible reports whether r prints as nothing and is not white space:
// control characters, format characters (zero-width spaces and joiners,
// word joiners, the byte order mark, the soft hyphen, bidi controls),
// variation selectors and the other default-ignorable characters (the
// Hangul fillers of "invisible" names, the combining grapheme joiner).
// Comment folding drops them; HasVisible looks past them.
func IsInvisible(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) ||
		unicode.Is(unicode.Variation_Selector, r) ||
		unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r)
}

// HasVisible reports whether s has at least one character a reader sees:
// not white space (the Braille blank included, which fonts draw as
// nothing), not invisible (IsInvisible), not a combining mark with nothing
// to sit on. A title or a name of zero-width spaces is empty however many
// bytes it has; the zero-width joiner inside an emoji sequence and the
// bidi marks of right-to-left text sit next to letters and change nothing.
func HasVisible(s string) bool {
	for i := 0; i < len(s); {
		if c := s[i]; c > 0x20 && c < 0x7f {
			return true
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		if r == utf8.RuneError && n == 1 {
			continue // a broken byte shows nothing of what was meant
		}
		if !unicode.IsSpace(r) && r != '\u2800' && !IsInvisible(r) && !unicode.IsMark(r) {
			return true
		}
	}
	return false
}

// checkVisible is CheckLine for a field that must not be blank: an empty
// field is "required", one of only invisible characters says why it counts
// as empty.
func checkVisible(field, s string) error {
	if s == "" {
		return Errorf(EINVALID, "%s is required", field)
	}
	if err := CheckLine(field, s); err != nil {
		return err
	}
	if !HasVisible(s) {
		return Errorf(EINVALID, "%s has no visible character (only spaces or invisible ones); write it out", field)
	}
	return nil
}
