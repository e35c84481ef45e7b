package moderation

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"tamizdat/internal/news"
)

var fuzzTexts = []string{
	"", "Привет", "пpивeт", "hеllo", "НЕLLO", "ПPИBET", "сasino", "ＣＡＳＩＮＯ", "ﬁne ŉ",
	"ca\u200bsi\u200dno", "\u202eonisac\u202c", "у\u0306сход", "праy\u0306да", "praўda",
	"беларусi", "ё\u0308лка", "ëлка", "v1agra к0т к1т win10 he11o", "сям’я ´x",
	"e\u0301\u0308 е\u0315\u0308", "a\u200d\u0301", "\u3164\uffa0", "  \t\n ", "cas\xffino",
	"Һello ԁog", "Кo", "ǅ ǈ İ ẞ ϴ Ω K Å", "ᴬ ª ⅷ ① ½", "a ˘ ΄ ﹰ", "x0\u0301t", "ё\u0316\u0308",
}

// FuzzFold: Fold is idempotent and returns valid UTF-8 without control or
// format characters, and with single spaces only between words.
func FuzzFold(f *testing.F) {
	for _, s := range fuzzTexts {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Fold(s)
		if !utf8.ValidString(got) {
			t.Fatalf("Fold(%q) = %q, not UTF-8", s, got)
		}
		for _, r := range got {
			if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r != ' ' && unicode.IsSpace(r) {
				t.Fatalf("Fold(%q) = %q has %U", s, got, r)
			}
		}
		if strings.Contains(got, "  ") || strings.TrimSpace(got) != got {
			t.Fatalf("Fold(%q) = %q: spaces", s, got)
		}
		if again := Fold(got); again != got {
			t.Fatalf("Fold(%q) = %q, Fold of that %q", s, got, again)
		}
		if DuplicateKey(got) != DuplicateKey(s) {
			t.Fatalf("DuplicateKey of %q and of its folded form differ", s)
		}
	})
}

// FuzzSimilarity: Similarity is symmetric, in [0, 1], and 1 for a text and
// itself, or its folded form.
func FuzzSimilarity(f *testing.F) {
	for i, s := range fuzzTexts {
		f.Add(s, fuzzTexts[(i+1)%len(fuzzTexts)])
	}
	f.Add(thirty, strings.Replace(thirty, "компьютеры", "ноутбуки", 1))
	f.Fuzz(func(t *testing.T, a, b string) {
		sa, sb := Shingles(a), Shingles(b)
		ab, ba := Similarity(sa, sb), Similarity(sb, sa)
		if ab != ba {
			t.Fatalf("Similarity(%q, %q) = %v, the other way %v", a, b, ab, ba)
		}
		if !(ab >= 0 && ab <= 1) {
			t.Fatalf("Similarity(%q, %q) = %v", a, b, ab)
		}
		if len(sa) > 0 {
			if got := Similarity(sa, sa); got != 1 {
				t.Fatalf("Similarity(%q, itself) = %v", a, got)
			}
			if got := Similarity(sa, Shingles(Fold(a))); got != 1 {
				t.Fatalf("Similarity(%q, its folded form) = %v", a, got)
			}
		}
	})
}

// FuzzRules: whatever ParseCommentRules accepts compiles, and matching any
// text neither panics nor returns a rule without an action. A word rule
// matches its own pattern.
func FuzzRules(f *testing.F) {
	f.Add("hold: casino\nreject: /bet\\d+/", "Best сasino, bet365")
	f.Add("hold: сям'я\nhold: ½", "1/2 сям’я")
	f.Add("reject: ΄x", "x")
	f.Fuzz(func(t *testing.T, ruleText, text string) {
		parsed, err := news.ParseCommentRules(ruleText)
		if err != nil {
			return
		}
		rules, err := CompileRules(parsed)
		if err != nil {
			t.Fatalf("rules %q parse but do not compile: %v", ruleText, err)
		}
		action, rule := rules.Match(text)
		if (action == "") != (rule == nil) || rule != nil && rule.Action != action {
			t.Fatalf("Match(%q) = %q, %+v", text, action, rule)
		}
		for _, r := range parsed {
			if r.Regexp {
				continue
			}
			if action, _ := rules.Match(r.Pattern); action == "" {
				t.Fatalf("rule %+v does not match its own pattern", r)
			}
		}
	})
}
