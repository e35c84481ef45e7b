package i18n

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// apiKeys are the keys templates and handlers use. Listing them here, apart
// from the catalogue, means a key renamed or dropped by mistake breaks this
// test instead of showing a bare key on a page.
var apiKeys = []string{
	"support", "access", "access_hint", "categories", "editions", "main_menu",
	"skip_to_content", "newsroom_time", "home", "latest_news", "top_story",
	"breaking", "more_in", "no_articles", "older", "newer", "page_n",
	"pagination", "day_title", "tag_title", "by", "source", "published",
	"updated", "correction", "tags", "translations", "comments_heading",
	"write_comment", "comments_closed", "no_comments", "anonymous", "reply_to",
	"follow_us", "photo_credit", "support_title", "support_intro",
	"access_title", "access_mirrors", "access_onion", "access_feeds",
	"access_feeds_text", "about", "privacy", "about_title", "about_default",
	"privacy_title", "privacy_default", "not_found_title", "not_found_text",
	"gone_title", "gone_text", "error_title", "error_text",
	"bad_request_title", "bad_text_text", "unavailable_title", "unavailable_text",
	"footer_rights", "read_in",
	"comment_name", "comment_text", "comment_send", "comment_reply", "comment_replying",
	"comment_cancel_reply", "comment_report", "comment_hint", "comment_honeypot",
	"comment_published", "comment_pending", "comment_reported",
	"comment_error_closed", "comment_error_form_expired", "comment_error_too_fast",
	"comment_error_too_long", "comment_error_empty", "comment_error_too_many_links",
	"comment_error_banned", "comment_error_rate_fingerprint", "comment_error_rate_article",
	"comment_error_rejected_rule", "comment_error_no_parent", "comment_error_not_found",
	"comment_error_bad_text", "comments_earlier", "comments_later", "comments_shown",
}

func TestKeysAreTheAPI(t *testing.T) {
	want := slices.Sorted(slices.Values(apiKeys))
	if got := Keys(); !slices.Equal(got, want) {
		t.Errorf("Keys() = %q\nwant %q", got, want)
	}
	if got, want := PluralKeys(), []string{"articles", "comments", "days"}; !slices.Equal(got, want) {
		t.Errorf("PluralKeys() = %q, want %q", got, want)
	}
}

func TestKeysReturnsACopy(t *testing.T) {
	k := Keys()
	k[0] = "mutated"
	if Keys()[0] == "mutated" {
		t.Error("Keys() hands out shared state")
	}
}

func TestLangsHaveCatalogues(t *testing.T) {
	if want := []string{"ru", "be", "en"}; !slices.Equal(Langs, want) {
		t.Errorf("Langs = %q, want %q", Langs, want)
	}
	for _, lang := range Langs {
		if !Supported(lang) {
			t.Errorf("Supported(%q) = false", lang)
		}
	}
	for lang := range languages {
		if !slices.Contains(Langs, lang) {
			t.Errorf("catalogue %q is missing from Langs, so no menu shows it", lang)
		}
	}
	for _, lang := range []string{"", "xx", "RU", "ru-RU", "uk"} {
		if Supported(lang) {
			t.Errorf("Supported(%q) = true", lang)
		}
	}
}

// verbRE matches fmt verbs, with flags, argument indexes, width and precision.
var verbRE = regexp.MustCompile(`%[-+# 0]*(\[\d+\])?(\d+|\*)?(\.(\d+|\*)?)?[a-zA-Z%]`)

// TestCatalogueComplete reads the catalogues directly rather than through T,
// whose English fallback would hide a missing translation.
func TestCatalogueComplete(t *testing.T) {
	en := languages[fallback]
	for _, lang := range Langs {
		l := languages[lang]
		for _, key := range Keys() {
			s, ok := l.strings[key]
			switch {
			case !ok:
				t.Errorf("%s: key %q missing", lang, key)
				continue
			case strings.TrimSpace(s) == "":
				t.Errorf("%s: key %q is empty", lang, key)
			case strings.TrimSpace(s) != s:
				t.Errorf("%s: key %q has surrounding space: %q", lang, key, s)
			case strings.Contains(s, "  "):
				t.Errorf("%s: key %q has a double space: %q", lang, key, s)
			}
			// Callers pass the same arguments whatever the language, so the
			// verbs must match in number, kind and order.
			got, want := verbRE.FindAllString(s, -1), verbRE.FindAllString(en.strings[key], -1)
			if !slices.Equal(got, want) {
				t.Errorf("%s: key %q has verbs %q, English has %q", lang, key, got, want)
			}
		}
		for key := range l.strings {
			if _, ok := en.strings[key]; !ok {
				t.Errorf("%s: key %q is not in the English catalogue, so Keys() misses it", lang, key)
			}
		}

		categories := l.plural(0) + 1
		for n := range uint64(1000) {
			categories = max(categories, l.plural(n)+1)
		}
		for _, key := range PluralKeys() {
			forms, ok := l.plurals[key]
			if !ok {
				t.Errorf("%s: plural key %q missing", lang, key)
				continue
			}
			if len(forms) != categories {
				t.Errorf("%s: plural key %q has %d forms, the rule needs %d", lang, key, len(forms), categories)
			}
			for i, f := range forms {
				if strings.TrimSpace(f) == "" || strings.TrimSpace(f) != f {
					t.Errorf("%s: plural key %q form %d is %q", lang, key, i, f)
				}
			}
		}
		for key := range l.plurals {
			if _, ok := en.plurals[key]; !ok {
				t.Errorf("%s: plural key %q is not in the English catalogue", lang, key)
			}
		}

		for i := range 12 {
			if l.monthsIn[i] == "" || l.months[i] == "" {
				t.Errorf("%s: month %d has no name", lang, i+1)
			}
		}
		for i, w := range l.weekdays {
			if w == "" {
				t.Errorf("%s: weekday %d has no name", lang, i)
			}
		}
	}
}

// allText is every word a catalogue can put on a page.
func allText(l *language) map[string]string {
	out := map[string]string{"name": l.name}
	for k, v := range l.strings {
		out[k] = v
	}
	for k, forms := range l.plurals {
		for i, f := range forms {
			out[k+"/"+string(rune('0'+i))] = f
		}
	}
	for i := range 12 {
		out["monthIn/"+l.months[i]] = l.monthsIn[i]
		out["month/"+l.months[i]] = l.months[i]
	}
	for _, w := range l.weekdays {
		out["weekday/"+w] = w
	}
	return out
}

// TestScripts catches the typos no reader forgives and no eye sees: a Latin
// "i" or "o" inside a Cyrillic word (it breaks search and screen readers),
// Russian letters in Belarusian text and the other way round.
func TestScripts(t *testing.T) {
	forbidden := map[string]string{
		"ru": "іўІЎ",   // Belarusian letters
		"be": "ищъИЩЪ", // Russian letters that Belarusian does not have
	}
	for _, lang := range Langs {
		for key, s := range allText(languages[lang]) {
			for _, word := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }) {
				cyr := strings.IndexFunc(word, func(r rune) bool { return unicode.Is(unicode.Cyrillic, r) }) >= 0
				lat := strings.IndexFunc(word, func(r rune) bool { return unicode.Is(unicode.Latin, r) }) >= 0
				if cyr && lat {
					t.Errorf("%s: %q: word %q mixes Latin and Cyrillic letters", lang, key, word)
				}
				if lang == "en" && cyr {
					t.Errorf("%s: %q: Cyrillic word %q", lang, key, word)
				}
			}
			if i := strings.IndexAny(s, forbidden[lang]); i >= 0 {
				t.Errorf("%s: %q: letter %q does not belong to the language: %q", lang, key, []rune(s[i:])[0], s)
			}
		}
	}
}

func TestEditionName(t *testing.T) {
	for lang, want := range map[string]string{
		"ru": "Русский",
		"be": "Беларуская",
		"en": "English",
		"uk": "uk", // an edition without a catalogue still gets a label
	} {
		if got := EditionName(lang); got != want {
			t.Errorf("EditionName(%q) = %q, want %q", lang, got, want)
		}
	}
}

func TestT(t *testing.T) {
	tests := []struct {
		lang, key string
		args      []any
		want      string
	}{
		{"en", "support", nil, "Support the website"},
		{"ru", "support", nil, "Поддержать сайт"},
		{"be", "support", nil, "Падтрымаць сайт"},
		{"en", "access", nil, "Sim Sim"},
		{"ru", "access", nil, "Сим-Сим"},
		{"be", "access", nil, "Сім-Сім"},
		{"en", "page_n", []any{3}, "Page 3"},
		{"ru", "page_n", []any{3}, "Страница 3"},
		{"be", "page_n", []any{3}, "Старонка 3"},
		{"en", "more_in", []any{"Politics"}, "More: Politics"},
		{"ru", "by", []any{"Анна Иванова"}, "Автор: Анна Иванова"},
		{"en", "footer_rights", []any{2026, "tamizdat"}, "© 2026 tamizdat"},
		{"be", "footer_rights", []any{2026, "tamizdat"}, "© 2026 tamizdat"},
		{"en", "read_in", []any{"Беларуская"}, "Read in Беларуская"},
		// Fallbacks: an edition without a catalogue reads English; an
		// unknown key shows itself, with or without args.
		{"uk", "support", nil, "Support the website"},
		{"", "page_n", []any{2}, "Page 2"},
		{"ru", "no_such_key", nil, "no_such_key"},
		{"ru", "no_such_key", []any{1}, "no_such_key"},
		{"xx", "no_such_key", nil, "no_such_key"},
	}
	for _, tt := range tests {
		if got := T(tt.lang, tt.key, tt.args...); got != tt.want {
			t.Errorf("T(%q, %q, %v) = %q, want %q", tt.lang, tt.key, tt.args, got, tt.want)
		}
	}
}

func TestTWithoutArgsIsVerbatim(t *testing.T) {
	// A template may print a format string without args (e.g. to build its
	// own); it must come out as written, not as "%!d(MISSING)".
	if got, want := T("en", "page_n"), "Page %d"; got != want {
		t.Errorf("T(en, page_n) = %q, want %q", got, want)
	}
}
