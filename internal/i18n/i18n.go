// Package i18n holds the editions' UI strings, counted phrases and date
// formatting. Everything is compiled in: the catalogue is small, it must be
// identical on every node and mirror, and a missing string should fail a test,
// not a page at run time.
package i18n

import (
	"fmt"
	"slices"
)

// Langs are the languages with a full catalogue, in menu order.
var Langs = []string{"ru", "be", "en"}

// fallback is the language used for an edition without a catalogue of its
// own: a site may add editions beyond these three, and English is the one
// language most of their readers can be expected to read.
const fallback = "en"

// language is everything one catalogue knows. Keeping a language's strings,
// plural forms and calendar words together means a new language is one new
// file plus one line in languages.
type language struct {
	name    string            // the edition's name in its own language
	strings map[string]string // T keys
	// plural picks the index into a plurals entry for a count; counts are
	// passed without sign because "-1 comment" declines like "1 comment".
	plural  func(n uint64) int
	plurals map[string][]string // N keys → forms, in the order plural indexes them
	// monthsIn are the month names as they stand after a day number ("2
	// февраля"), which in Russian and Belarusian is the genitive; months are
	// the nominative, for headings. Both are indexed by time.Month-1.
	monthsIn [12]string
	months   [12]string
	weekdays [7]string // indexed by time.Weekday, Sunday first
}

var languages = map[string]*language{
	"ru": &langRU,
	"be": &langBE,
	"en": &langEN,
}

// lookup returns the catalogue for lang, or the fallback's, so that callers
// never have to handle a missing language.
func lookup(lang string) *language {
	if l, ok := languages[lang]; ok {
		return l
	}
	return languages[fallback]
}

// Supported reports whether lang has a full catalogue.
func Supported(lang string) bool {
	_, ok := languages[lang]
	return ok
}

// EditionName is the edition's name in its own language: "Русский",
// "Беларуская", "English". For a language without a catalogue it returns the
// code itself, which is still something a switcher can show.
func EditionName(lang string) string {
	if l, ok := languages[lang]; ok {
		return l.name
	}
	return lang
}

// T returns the UI string for key in lang; with args it is fmt.Sprintf'd.
// Unknown lang falls back to English; an unknown key returns the key itself,
// so a typo shows up on the page instead of an empty element (a test
// guarantees every key exists in every language).
func T(lang, key string, args ...any) string {
	s, ok := lookup(lang).strings[key]
	if !ok {
		// A key missing from one catalogue would be a bug the tests catch,
		// but English is still better than the bare key for a reader.
		if s, ok = languages[fallback].strings[key]; !ok {
			return key
		}
	}
	if len(args) == 0 {
		// Without args the string is returned as written, so that a literal
		// "%" in a text never turns into "%!(NOVERB)".
		return s
	}
	return fmt.Sprintf(s, args...)
}

// Keys lists every key of T, sorted.
func Keys() []string {
	return sortedKeys(languages[fallback].strings)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
