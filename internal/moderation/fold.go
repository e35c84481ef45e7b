package moderation

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"tamizdat/internal/news"
)

// Fold turns text into the form rules and duplicate checks compare, so that
// the tricks of spammers and trolls (look-alike letters of the other
// alphabet, full-width letters, invisible characters inside words, case)
// do not change what a comment says to them:
//
//   - invalid UTF-8, control characters, format characters (zero-width
//     spaces and joiners, bidi controls, the soft hyphen), variation
//     selectors and the other default-ignorable characters (the Hangul
//     fillers of "invisible" names) are removed, so "ca\u200bsino" is
//     "casino";
//   - apostrophes (’ ʼ ‘ ` ´) become ', so the Belarusian and Ukrainian
//     "сям’я" and "сям'я" fold alike;
//   - Unicode NFKC: full-width and other compatibility forms become the
//     plain letters and digits (ｃａｓｉｎｏ is casino, ﬁ is fi);
//   - within each word, letters of the minority script that look like a
//     letter of the majority script are replaced by it, and 0 and 1 between
//     letters become o and i (see lookalikes and decide);
//   - lower case, and ё is е (Russian writes ё as е at will);
//   - runs of white space become one space, none at the ends.
//
// Fold(Fold(s)) == Fold(s). Diacritics are kept: ў, й, ï and the letters of
// Lithuanian and Polish are letters of their own, not decorations.
func Fold(s string) string {
	s = clean(strings.ToValidUTF8(s, ""))
	// NFKC comes after the first clean-up because an invisible character
	// between a letter and a combining mark stops them from composing, and
	// the result would compose on a second pass. It runs before the
	// look-alikes so that those see plain letters; it can itself produce
	// spaces and apostrophes (ŉ is ʼn), hence the second clean-up.
	s = clean(norm.NFKC.String(s))
	// Words are decided first: a word whose letters leave its script open
	// (see decide) takes the script most words of the text have.
	type word struct {
		start, end int
		d          decision
	}
	var words []word
	var latinWords, cyrillicWords int
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !isWordRune(r) {
			i += n
			continue
		}
		j := i + n
		for j < len(s) {
			r, n := utf8.DecodeRuneInString(s[j:])
			if !isWordRune(r) {
				break
			}
			j += n
		}
		d := decide(s[i:j])
		switch {
		case d.tie:
		case d.target == latinScript:
			latinWords++
		case d.target == cyrillicScript:
			cyrillicWords++
		}
		words = append(words, word{i, j, d})
		i = j
	}
	textScript := pick(latinWords > cyrillicWords)
	var b strings.Builder
	b.Grow(len(s))
	at := 0
	for _, w := range words {
		b.WriteString(s[at:w.start])
		if w.d.tie {
			w.d.target = textScript
		}
		foldWord(&b, s[w.start:w.end], w.d)
		at = w.end
	}
	b.WriteString(s[at:])
	// A replaced letter can compose with a mark that follows it (Latin y
	// and a combining breve in a Cyrillic word become ў); nothing else
	// changes here, since everything else is already NFKC.
	s = norm.NFC.String(b.String())
	return strings.Join(strings.Fields(s), " ")
}

// clean drops what is invisible or not text, turns every kind of white
// space into a plain space and every apostrophe into '.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r) || r == '\u2800': // Braille blank: a visible nothing
			return ' '
		case news.IsInvisible(r):
			return -1
		case r == '\u2019', r == '\u02BC', r == '\u2018', r == '\u02BB', r == '`', r == '\u00B4':
			return '\''
		}
		return r
	}, s)
}

// isWordRune says what words are made of: letters, the marks on them and
// digits (and other numbers).
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsNumber(r)
}

// A lookalike pairs a Latin and a Cyrillic letter that readers cannot tell
// apart, in lower case or in upper case print. The table is small on
// purpose: every pair is a letter a troll can swap without a reader
// noticing, and nothing else, because folding a letter that a reader would
// notice makes rules match words nobody wrote.
//
//	Latin  Cyrillic  look alike        direction
//	a      а         both cases        both ways
//	c      с         both cases        both ways
//	e      е         both cases        both ways
//	ë      ё         both cases        both ways
//	i      і         both cases        both ways   Belarusian, Ukrainian і
//	ï      ї         both cases        both ways   Ukrainian ї
//	o      о         both cases        both ways
//	p      р         both cases        both ways
//	x      х         both cases        both ways
//	y      у         both cases (У/Y   both ways
//	                 is close)
//	b      в         upper only (B/В)  both ways
//	h      н         upper only (H/Н)  both ways
//	k      к         upper only (K/К)  both ways
//	m      м         upper only (M/М)  both ways
//	t      т         upper only (T/Т)  both ways
//	ŭ      ў         keyboard twins    both ways   Belarusian ў, Łacinka ŭ
//	s      ѕ         both cases        to Latin    Macedonian dze
//	j      ј         both cases        to Latin    Serbian je
//	h      һ         lower case        to Latin    Bashkir, Kazakh shha
//	d      ԁ         lower case        to Latin    Komi de
//	q      ԛ         both cases        to Latin    Kurdish qa
//	w      ԝ         both cases        to Latin    Kurdish we
//
// "Upper only" pairs are swapped only where the letter was written in upper
// case: "НELLO" is hello, but the lower-case н of "нello" looks like no
// Latin letter, and stays. The last six Cyrillic letters belong to no
// language of our readers and only ever appear in Latin words to fool
// filters, so a Latin letter never becomes one of them, and they are
// replaced in either case (Һ and Ԁ look less like H and D than һ and ԁ like
// h and d, but a letter that folds to lower case must not start to count as
// a look-alike on a second fold). Digits 0 and 1
// between letters of a word that has no other digits become o (Latin or
// Cyrillic) and i (Latin only: no Russian letter looks like 1): "v1agra" is
// viagra, "к0т" is кот, but "win10", "1st" and "covid19" stay. "he11o"
// becomes "heiio"; spam writes 1 for i far more than for l. Greek letters
// are left alone.
type lookalike struct {
	latin, cyrillic rune // lower case
	upper, lower    bool // the cases in which the two look alike
	oneWay          bool // only the Cyrillic letter is replaced, by the Latin one
}

var lookalikes = []lookalike{
	{latin: 'a', cyrillic: 'а', upper: true, lower: true},
	{latin: 'c', cyrillic: 'с', upper: true, lower: true},
	{latin: 'e', cyrillic: 'е', upper: true, lower: true},
	{latin: 'ë', cyrillic: 'ё', upper: true, lower: true},
	{latin: 'i', cyrillic: 'і', upper: true, lower: true},
	{latin: 'ï', cyrillic: 'ї', upper: true, lower: true},
	{latin: 'o', cyrillic: 'о', upper: true, lower: true},
	{latin: 'p', cyrillic: 'р', upper: true, lower: true},
	{latin: 'x', cyrillic: 'х', upper: true, lower: true},
	{latin: 'y', cyrillic: 'у', upper: true, lower: true},
	{latin: 'b', cyrillic: 'в', upper: true},
	{latin: 'h', cyrillic: 'н', upper: true},
	{latin: 'k', cyrillic: 'к', upper: true},
	{latin: 'm', cyrillic: 'м', upper: true},
	{latin: 't', cyrillic: 'т', upper: true},
	{latin: 'ŭ', cyrillic: 'ў', upper: true, lower: true},
	{latin: 's', cyrillic: 'ѕ', upper: true, lower: true, oneWay: true},
	{latin: 'j', cyrillic: 'ј', upper: true, lower: true, oneWay: true},
	{latin: 'h', cyrillic: 'һ', upper: true, lower: true, oneWay: true},
	{latin: 'd', cyrillic: 'ԁ', upper: true, lower: true, oneWay: true},
	{latin: 'q', cyrillic: 'ԛ', upper: true, lower: true, oneWay: true},
	{latin: 'w', cyrillic: 'ԝ', upper: true, lower: true, oneWay: true},
}

// toLatin and toCyrillic index the table by the lower-case letter to replace.
var toLatin, toCyrillic = func() (map[rune]lookalike, map[rune]lookalike) {
	lat, cyr := map[rune]lookalike{}, map[rune]lookalike{}
	for _, l := range lookalikes {
		lat[l.cyrillic] = l
		if !l.oneWay {
			cyr[l.latin] = l
		}
	}
	return lat, cyr
}()

type script int

const (
	otherScript script = iota
	latinScript
	cyrillicScript
)

func scriptOf(r rune) script {
	switch {
	case r < 0x80:
		if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' {
			return latinScript
		}
		return otherScript
	case unicode.Is(unicode.Latin, r):
		return latinScript
	case unicode.Is(unicode.Cyrillic, r):
		return cyrillicScript
	}
	return otherScript
}

// swap returns the look-alike of r in the other script, as written (r may be
// upper case; the result is lower case), or false.
func swap(r rune, from script) (rune, bool) {
	table := toCyrillic
	if from == cyrillicScript {
		table = toLatin
	}
	l, ok := table[unicode.ToLower(r)]
	if !ok {
		return 0, false
	}
	if upper := unicode.IsUpper(r) || unicode.IsTitle(r); upper && !l.upper || !upper && !l.lower {
		return 0, false
	}
	if from == cyrillicScript {
		return l.latin, true
	}
	return l.cyrillic, true
}

// A decision is what a word's letters say about its script.
type decision struct {
	target     script // the script of look-alikes and digits between letters
	tie        bool   // the letters leave it open; the text decides
	mixed      bool   // Latin and Cyrillic letters both
	mapDigits  bool   // 0 and 1 are the only digits, and there are letters
	hasLetters bool
}

// decide finds the script a word is mostly in: by its letters that have no
// look-alike in the other script, the ones that give the script away (п, и,
// ж; s, n, l); when those are even, by all its letters; when those are even
// too ("cо", "TО" with a Cyrillic О), by the script most words of the text
// are in, and Cyrillic, the script of most of our readers, when that is even
// as well.
//
// Only letters of the other script that have a look-alike are replaced, so
// the count of the winning script only grows, and a second fold decides each
// word, and the text, the same way: this is what makes Fold idempotent. (A
// word that needed the text's vote is, once folded, in one script, and
// votes for the script the text already had.)
func decide(w string) decision {
	var latDist, latAll, cyrDist, cyrAll int
	digits01, otherDigits := false, false
	for _, r := range w {
		switch s := scriptOf(r); s {
		case latinScript, cyrillicScript:
			_, ambiguous := swap(r, s)
			if s == latinScript {
				latAll++
				if !ambiguous {
					latDist++
				}
			} else {
				cyrAll++
				if !ambiguous {
					cyrDist++
				}
			}
		default:
			if isDigit01(r) {
				digits01 = true
			} else if unicode.IsNumber(r) {
				otherDigits = true
			}
		}
	}
	d := decision{hasLetters: latAll+cyrAll > 0, mixed: latAll > 0 && cyrAll > 0}
	switch {
	case !d.hasLetters:
		d.target = otherScript
	case latDist != cyrDist:
		d.target = pick(latDist > cyrDist)
	case latAll != cyrAll:
		d.target = pick(latAll > cyrAll)
	default:
		d.tie = true
	}
	d.mapDigits = d.hasLetters && digits01 && !otherDigits
	return d
}

// foldWord writes the folded form of one word (a run of letters, marks and
// digits) to b: look-alikes of the other script replaced by the letters of
// d.target, 0 and 1 between letters by letters, lower case, ё as е.
func foldWord(b *strings.Builder, w string, d decision) {
	target := d.target
	rs := []rune(w)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if s := scriptOf(r); d.mixed && s != otherScript && s != target {
			if to, ok := swap(r, s); ok {
				r = to
			}
		} else if d.mapDigits && isDigit01(r) {
			j := i
			for j < len(rs) && isDigit01(rs[j]) {
				j++
			}
			if i > 0 && isLetterOrMark(rs[i-1]) && j < len(rs) && isLetterOrMark(rs[j]) {
				for k := i; k < j; k++ {
					if l := digitLetter(rs[k], target); l != 0 {
						rs[k] = l
					}
				}
			}
			for _, r := range rs[i:j] {
				b.WriteRune(r)
			}
			i = j - 1
			continue
		}
		writeLowerRune(b, r)
		if unicode.ToLower(r) == 'ё' {
			// ё is written е; a combining diaeresis on it (ё̈, ё̖̈) goes
			// too, or е and it would compose to ё again on a second fold.
			for i+1 < len(rs) && unicode.IsMark(rs[i+1]) {
				if i++; rs[i] != '\u0308' {
					b.WriteRune(rs[i])
				}
			}
		}
	}
}

func pick(latin bool) script {
	if latin {
		return latinScript
	}
	return cyrillicScript
}

func isDigit01(r rune) bool { return r == '0' || r == '1' }

func isLetterOrMark(r rune) bool { return unicode.IsLetter(r) || unicode.IsMark(r) }

// digitLetter is the letter a digit between letters stands for, or 0.
func digitLetter(d rune, target script) rune {
	switch {
	case d == '0' && target == latinScript:
		return 'o'
	case d == '0':
		return 'о'
	case target == latinScript:
		return 'i'
	}
	return 0
}

// writeLowerRune writes r in lower case, ё as е.
func writeLowerRune(b *strings.Builder, r rune) {
	r = unicode.ToLower(r)
	if r == 'ё' {
		r = 'е'
	}
	b.WriteRune(r)
}

// Words splits folded text into words: runs of letters, the marks on them and
// digits. Apostrophes and hyphens split words too, in text and in rules
// alike, so a rule "сям'я" is the phrase "сям я" and still matches.
func Words(folded string) []string {
	return strings.FieldsFunc(folded, func(r rune) bool { return !isWordRune(r) })
}

// DuplicateKey is the key of exact duplicates: the folded text without its
// punctuation, symbols and spaces, so that "Hello, world!!", "hello world"
// and "hеllo   wоrld" (with Cyrillic е, о) share one. It is "" for a text
// with no letters or digits. Callers store it, or a hash of it, and may
// skip keys too short to mean a campaign.
func DuplicateKey(s string) string {
	return strings.Map(func(r rune) rune {
		if isWordRune(r) {
			return r
		}
		return -1
	}, Fold(s))
}
