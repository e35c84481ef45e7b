package moderation

import (
	"hash/fnv"
	"regexp"
	"slices"
	"strings"
)

// ShingleWords is the number of words in a shingle. Three words keep a
// changed word from hiding a copied comment (it changes three shingles of
// many) while common two-word phrases do not make unrelated comments alike.
const ShingleWords = 3

// Shingles are the hashed word shingles of s: every run of ShingleWords
// consecutive words of Fold(s), or the whole text as one shingle when it has
// fewer words. They are sorted and without repeats. The hash is FNV-1a 64 of
// the words joined by spaces: shingles are stored in the database and
// compared across processes and nodes, so it must never depend on a seed
// (as hash/maphash does) or change between versions.
func Shingles(s string) []uint64 {
	words := Words(Fold(s))
	if len(words) == 0 {
		return nil
	}
	k := min(ShingleWords, len(words))
	out := make([]uint64, 0, len(words)-k+1)
	h := fnv.New64a()
	for i := 0; i+k <= len(words); i++ {
		h.Reset()
		// Words hold no spaces, so joining with one cannot make two
		// different runs of words the same text.
		h.Write([]byte(strings.Join(words[i:i+k], " ")))
		out = append(out, h.Sum64())
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Similarity is the Jaccard index of two sets of shingles: the shingles they
// share over the shingles of either, from 0 (nothing in common, or either
// empty) to 1 (the same set). Unsorted or repeating input is sorted first.
func Similarity(a, b []uint64) float64 {
	a, b = sortedSet(a), sortedSet(b)
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	common := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			common++
			i++
			j++
		}
	}
	return float64(common) / float64(len(a)+len(b)-common)
}

// sortedSet returns s if it is sorted without repeats, else a sorted copy
// without them: shingles read back from storage are trusted, not assumed.
func sortedSet(s []uint64) []uint64 {
	for i := 1; i < len(s); i++ {
		if s[i] <= s[i-1] {
			s = slices.Clone(s)
			slices.Sort(s)
			return slices.Compact(s)
		}
	}
	return s
}

// linkRE finds what readers see as a link, in folded text: a scheme
// (http://, https://) or www. followed by a letter or digit. Bare domains
// ("example.com") are not counted, because comments are shown as plain
// text where only those forms are made clickable, and because counting them
// would count "т.к." and "e.g." as well. On top of that it finds how
// spammers write a link so that a filter misses it and a reader still
// follows it: letters spaced out or dotted (h t t p s : / /, h.t.t.p),
// hxxp and hxxps, [:] and (:) for the colon, www[.] and www(.), and the
// Cyrillic look-alikes of the scheme's letters (fold replaces them only in
// mostly Latin words, and "смотриhttp" is not one).
var linkRE = regexp.MustCompile(
	`[hһн][\s._-]*[tт][\s._-]*[tт][\s._-]*[pр](?:[\s._-]*[sѕ])?\s*(?::|\[:\]|\(:\))\s*/\s*/` +
		`|[hһн][\s._-]*[xх][\s._-]*[xх][\s._-]*[pр](?:[\s._-]*[sѕ])?\s*(?::|\[:\]|\(:\))\s*/\s*/` +
		`|(?:^|[^\pL\pN./])[wԝ]{3}(?:\.|\[\.\]|\(\.\))[\pL\pN]`)

// CountLinks counts the links in a plain-text comment: http:// and https://
// URLs and www. hosts, case-insensitively, and their obfuscated forms (see
// linkRE). A URL with its scheme and www. counts once; bare domains without
// either are not counted.
func CountLinks(s string) int {
	return len(linkRE.FindAllStringIndex(Fold(s), -1))
}
