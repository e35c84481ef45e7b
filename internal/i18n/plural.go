package i18n

import "strconv"

// N returns a counted phrase with the number, following the language's plural
// rules: N("ru", "comments", 21) == "21 комментарий", N("en", "comments", 0)
// == "0 comments". An unknown key gives "n key", as T gives the bare key.
func N(lang, key string, n int) string {
	l := lookup(lang)
	forms, ok := l.plurals[key]
	if !ok {
		l = languages[fallback]
		if forms, ok = l.plurals[key]; !ok {
			return strconv.Itoa(n) + " " + key
		}
	}
	return strconv.Itoa(n) + " " + forms[l.plural(abs(n))]
}

// PluralKeys lists every key of N, sorted.
func PluralKeys() []string {
	return sortedKeys(languages[fallback].plurals)
}

// abs is written out because -n overflows for the smallest int.
func abs(n int) uint64 {
	if n < 0 {
		return uint64(-(n + 1)) + 1
	}
	return uint64(n)
}

// pluralEast is the rule Russian and Belarusian share (CLDR's one/few/many):
// forms are {one, few, many}. 1, 21, 101 take "one" but 11 does not; 2–4,
// 22–24 take "few" but 12–14 do not; everything else, zero included, "many".
func pluralEast(n uint64) int {
	switch mod10, mod100 := n%10, n%100; {
	case mod10 == 1 && mod100 != 11:
		return 0
	case mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14):
		return 1
	default:
		return 2
	}
}

// pluralEnglish: forms are {one, other}; zero is plural ("0 comments").
func pluralEnglish(n uint64) int {
	if n == 1 {
		return 0
	}
	return 1
}
