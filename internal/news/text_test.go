package news

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// realText is what newsrooms and readers write, and must keep working:
// every line passes CheckLine and has a visible character.
var realText = []string{
	"Минск, 2 февраля", "Беларусь: ўсё будзе добра, і ўсё", "Україна, їжак, ґанок", "Łacinka: Biełaruś",
	"«Ёлка» — “quotes” „ніжнія“ ‘single’ – en dash … ellipsis", "100\u00a0%", "10\u202f000 руб.", "a\u2009b",
	"👍", "👩\u200d💻 👨\u200d👩\u200d👧 🏳️\u200d🌈", "🇧🇾 🇺🇦", "❤️", "e\u0301te\u0301", "Ё\u0308",
	"עברית \u200fמימין לשמאל\u200f", "العربية", "\u202bمرحبا\u202c", "\u2067שלום\u2069 world",
	"中文 日本語 한국어", "ﷺ", "x\u00ady", "\u00a0a\u00a0", "Tab-free", "\uFFFD",
}

func TestRealTextPasses(t *testing.T) {
	for _, s := range realText {
		if err := CheckLine("title", s); err != nil {
			t.Errorf("CheckLine(%q): %v", s, err)
		}
		if err := CheckText("body", s); err != nil {
			t.Errorf("CheckText(%q): %v", s, err)
		}
		if !HasVisible(s) {
			t.Errorf("HasVisible(%q) = false", s)
		}
	}
	multi := "Абзац один.\nАбзац два,\tс табуляцией.\r\nИ строка из textarea.\r\n"
	if err := CheckText("body", multi); err != nil {
		t.Errorf("CheckText of lines: %v", err)
	}
}

func TestCheckTextRefuses(t *testing.T) {
	for s, want := range map[string]string{
		"a\x00b":           "body contains a control character (U+0000); remove it",
		"a\x01b":           "body contains a control character (U+0001); remove it",
		"\x1b[31mred":      "body contains a control character (U+001B); remove it",
		"a\x7f":            "body contains a control character (U+007F); remove it",
		"a\u0085b":         "body contains a control character (U+0085); remove it",
		"a\u009f":          "body contains a control character (U+009F); remove it",
		"line\rover":       "body contains a control character (U+000D); remove it",
		"end\r":            "body contains a control character (U+000D); remove it",
		"a\xffb":           "body is not valid UTF-8 (byte 0xFF at byte 1); send the text in UTF-8",
		"\xed\xa0\x80":     "body is not valid UTF-8 (byte 0xED at byte 0); send the text in UTF-8", // a lone surrogate
		"ok\xc3":           "body is not valid UTF-8 (byte 0xC3 at byte 2); send the text in UTF-8",
		"a\uFFFEb":         "body contains U+FFFE, which is not a character; remove it",
		"a\uFFFF":          "body contains U+FFFF, which is not a character; remove it",
		"\uFDD0":           "body contains U+FDD0, which is not a character; remove it",
		"\U0010FFFF":       "body contains U+10FFFF, which is not a character; remove it",
		"fine\n\x00":       "body contains a control character (U+0000); remove it",
		"Ўсё \x08 backspc": "body contains a control character (U+0008); remove it",
	} {
		err := CheckText("body", s)
		if ErrorCode(err) != EINVALID || ErrorMessage(err) != want {
			t.Errorf("CheckText(%q) = %v, want %q", s, err, want)
		}
		if CheckLine("body", s) == nil {
			t.Errorf("CheckLine(%q) passed what CheckText refuses", s)
		}
	}
	for s, want := range map[string]string{
		"a\nb":     "title must be one line; remove the line break",
		"a\r\nb":   "title must be one line; remove the line break",
		"a\u2028b": "title must be one line; remove the line break",
		"a\u2029":  "title must be one line; remove the line break",
		"a\tb":     "title contains a tab; use a space instead",
	} {
		if err := CheckLine("title", s); ErrorCode(err) != EINVALID || ErrorMessage(err) != want {
			t.Errorf("CheckLine(%q) = %v, want %q", s, err, want)
		}
		if err := CheckText("title", s); err != nil {
			t.Errorf("CheckText(%q) = %v; line breaks and tabs belong in text", s, err)
		}
	}
}

func TestHasVisible(t *testing.T) {
	for _, s := range []string{
		"", " ", "\t\n", "\u00a0\u3000\u2003", "\u200b", "\u200b\u200c\u200d\u200e\u200f", "\u2060\u2061\u2062\u2063\u2064",
		"\ufeff", "\u00ad", "\u202a\u202b\u202c\u202d\u202e", "\u2066\u2067\u2068\u2069", "\ufe0f\ufe00", "\U000E0100",
		"\u0301", "\u0301\u0308\u20dd", "\u3164", "\u115f\u1160", "\uffa0", "\u2800\u2800", "\u034f", "\u180e",
		"\U000E0041\U000E007F", "\x00\x01", "\xff", " \u200b \u3164 ",
	} {
		if HasVisible(s) {
			t.Errorf("HasVisible(%q) = true", s)
		}
	}
	for _, s := range []string{"a", ".", "ў", "👍", "\u200ba\u200b", "\u3164x", "\u0301a", "\xffa", "\u2800·"} {
		if !HasVisible(s) {
			t.Errorf("HasVisible(%q) = false", s)
		}
	}
}

// FuzzCheckText: what CheckText accepts is valid UTF-8 whose only control
// characters are tab, line feed and the CR of a CR LF; what CheckLine
// accepts has none at all and no line separators; every refusal is an
// EINVALID error naming the field. HasVisible does not change when
// invisible characters are added or removed.
func FuzzCheckText(f *testing.F) {
	for _, s := range realText {
		f.Add(s)
	}
	for _, s := range []string{"", "a\x00b", "\xff", "a\r\nb", "a\rb", "\uFFFE", "\u200b", "\u0301", "\t", "\u2028", "\xed\xa0\x80", "\u0085"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := CheckText("field", s)
		if err != nil {
			if ErrorCode(err) != EINVALID || !strings.HasPrefix(ErrorMessage(err), "field ") {
				t.Fatalf("CheckText(%q) = %v", s, err)
			}
		} else {
			if !utf8.ValidString(s) {
				t.Fatalf("CheckText accepted %q, not UTF-8", s)
			}
			for i, r := range s {
				switch {
				case r == '\t', r == '\n':
				case r == '\r':
					if !strings.HasPrefix(s[i:], "\r\n") {
						t.Fatalf("CheckText accepted a bare CR in %q", s)
					}
				case unicode.IsControl(r), unicode.Is(unicode.Noncharacter_Code_Point, r):
					t.Fatalf("CheckText accepted %U in %q", r, s)
				}
			}
		}
		if CheckLine("field", s) == nil {
			if err != nil {
				t.Fatalf("CheckLine accepted %q, which CheckText refuses", s)
			}
			if strings.ContainsAny(s, "\t\n\r\u2028\u2029") {
				t.Fatalf("CheckLine accepted a line break or tab in %q", s)
			}
		}
		visible := HasVisible(s)
		stripped := strings.Map(func(r rune) rune {
			if IsInvisible(r) {
				return -1
			}
			return r
		}, s)
		// (strings.Map turns a broken byte into U+FFFD, which shows.)
		if utf8.ValidString(s) && HasVisible(stripped) != visible || HasVisible("\u200b"+s+"\u2060\u3164") != visible {
			t.Fatalf("HasVisible(%q) = %v changes with invisible characters", s, visible)
		}
	})
}

// Every text field of the domain is held to the rule, single-line fields
// to one line, and required ones to a visible character.
func TestDomainHoldsFieldsToTheRule(t *testing.T) {
	article := func(mod func(a *Article)) error {
		a := &Article{Edition: "en", Title: "A title", Body: "Text", Status: StatusDraft}
		mod(a)
		a.Normalize()
		return a.Validate()
	}
	for name, c := range map[string]struct {
		mod  func(a *Article)
		want string
	}{
		"NUL in title":      {func(a *Article) { a.Title = "a\x00b" }, "title contains a control character (U+0000); remove it"},
		"invisible title":   {func(a *Article) { a.Title = "\u200b\u200b" }, "title has no visible character"},
		"title of fillers":  {func(a *Article) { a.Title = "\u3164" }, "title has no visible character"},
		"title over lines":  {func(a *Article) { a.Title = "one\ntwo" }, "title must be one line"},
		"bad byte in lead":  {func(a *Article) { a.Lead = "a\xffb" }, "lead is not valid UTF-8"},
		"escape in body":    {func(a *Article) { a.Body = "\x1b[2J" }, "body contains a control character (U+001B)"},
		"byline lines":      {func(a *Article) { a.Byline = "A\nB" }, "byline must be one line"},
		"source NUL":        {func(a *Article) { a.Source = "x\x00" }, "source contains a control character"},
		"correction":        {func(a *Article) { a.Correction = "\x07" }, "correction contains a control character (U+0007)"},
		"tag NUL":           {func(a *Article) { a.Tags = []string{"a\x00b"} }, "tag contains a control character"},
		"invisible tag":     {func(a *Article) { a.Tags = []string{"\u200b"} }, "tag has no visible character"},
		"category NUL":      {func(a *Article) { a.Categories = []string{"a\x00"} }, "category contains a control character"},
		"edition NUL":       {func(a *Article) { a.Edition = "e\x00" }, "edition contains a control character"},
		"caption":           {func(a *Article) { a.Image = &Image{ID: 1, Caption: "c\x00"} }, "image caption contains a control character"},
		"credit":            {func(a *Article) { a.Image = &Image{ID: 1, Credit: "c\xff"} }, "image credit is not valid UTF-8"},
		"noncharacter body": {func(a *Article) { a.Body = "x\uFFFF" }, "body contains U+FFFF"},
	} {
		if err := article(c.mod); ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), c.want) {
			t.Errorf("%s: %v, want %q", name, err, c.want)
		}
	}
	if err := article(func(a *Article) {
		a.Title, a.Lead, a.Body = realText[1], "Лід\r\nу два радкі", strings.Join(realText, "\n")+"\n\tцытата"
		a.Tags, a.Byline = []string{"Мінск", "👩\u200d💻"}, "Алесь Ў."
	}); err != nil {
		t.Errorf("real text refused: %v", err)
	}

	for _, c := range []struct {
		name string
		err  error
		want string
	}{
		{"category name byte", (&Category{Edition: "en", Slug: "world", Name: "a\xffb"}).Validate(), "name is not valid UTF-8"},
		{"category invisible", (&Category{Edition: "en", Slug: "world", Name: "\u200b"}).Validate(), "name has no visible character"},
		{"category tab", (&Category{Edition: "en", Slug: "world", Name: "a\tb"}).Validate(), "name contains a tab"},
		{"page title", (&Page{Edition: "en", Slug: "about", Title: "\u2800"}).Validate(), "title has no visible character"},
		{"page body", (&Page{Edition: "en", Slug: "about", Title: "About", Body: "\x00"}).Validate(), "body contains a control character"},
		{"image alt", (&MediaImage{Alt: "a\nb"}).Validate(), "description must be one line"},
		{"image credit", (&MediaImage{Credit: "\x00"}).Validate(), "credit contains a control character"},
		{"user name", (&User{Email: "a@example.org", Name: "\u200b", Role: RoleEditor}).Validate(), "name has no visible character"},
		{"user e-mail", (&User{Email: "a\x00@example.org", Name: "A", Role: RoleEditor}).Validate(), "e-mail contains a control character"},
		{"comment name", (&Comment{Name: "a\x00", Body: "text"}).Validate(), "name contains a control character"},
		{"comment body", (&Comment{Body: "te\x00xt"}).Validate(), "text contains a control character"},
		{"comment invisible", (&Comment{Body: "\u200b\u200d"}).Validate(), "a comment needs text"},
		{"comment invisible name", (&Comment{Name: "\u3164", Body: "hi"}).Validate(), "name has no visible character"},
	} {
		if ErrorCode(c.err) != EINVALID || !strings.Contains(ErrorMessage(c.err), c.want) {
			t.Errorf("%s: %v, want %q", c.name, c.err, c.want)
		}
	}
	if _, err := NormalizeEmail("a\x00@example.org"); ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), "U+0000") {
		t.Errorf("NormalizeEmail with NUL: %v", err)
	}
	for _, c := range []*Comment{{Name: "Алесь", Body: "Дзякуй!\r\nЎсё так 👍"}, {Body: "עברית"}} {
		c.Normalize()
		if reason, err := c.Check(); reason != "" || err != nil {
			t.Errorf("comment %+v refused: %s %v", c, reason, err)
		}
	}
	for body, reason := range map[string]string{"a\x00": "bad_text", "\u200b": "empty", strings.Repeat("я", MaxCommentRunes+1): "too_long"} {
		if got, _ := (&Comment{Body: body}).Check(); got != reason {
			t.Errorf("Check of %q: %q, want %q", body, got, reason)
		}
	}
}

func TestSettingsHoldValuesToTheRule(t *testing.T) {
	for _, c := range []struct{ key, value, want string }{
		{"site_name", "a\x01b", "site_name contains a control character (U+0001); remove it"},
		{"site_name", "\u200b\u200b", "site_name has no visible character"},
		{"site_name", "one\ntwo", "site_name must be one line"},
		{"time_zone", "Europe/Warsaw\x00", "time_zone contains a control character"},
		{"primary_url", "https://example.org\x00", "primary_url contains a control character"},
		{"access.en", "Text \x00", "access.en contains a control character"},
		{"comment_rules", "hold: a\xffb", "comment_rules is not valid UTF-8"},
		{"support_methods", `[{"kind":"bank","label":"Card\u0000","value":"1234"}]`, "support_methods[0].label contains a control character (U+0000)"},
		{"support_methods", `[{"kind":"bank","label":"\u200b","value":"1234"}]`, "support_methods[0]: kind, label and value are all required"},
		{"social_accounts", `[{"network":"x\u0007","url":"https://example.org"}]`, "social_accounts[0].network contains a control character (U+0007)"},
	} {
		s := DefaultSettings()
		if _, err := s.Apply(c.key, c.value, editions); ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), c.want) {
			t.Errorf("Apply(%s, %q) = %v, want %q", c.key, c.value, err, c.want)
		}
	}
	s := DefaultSettings()
	for key, value := range map[string]string{
		"site_name": "Вольны голас 🕊", "access.be": "Радок 1\nРадок 2\r\n\tз водступам",
		"comment_rules": "hold: казино\nreject: /спам\\s+тут/", "mirror_urls": "https://a.example,\nhttps://b.example",
		"premoderation_hours": "Mon-Fri 22:00-07:00,\nSat-Sun",
		"support_methods":     "[\n\t{\"kind\": \"bank\", \"label\": \"Рахунак\", \"value\": \"PL 1234\"}\n]",
	} {
		if _, err := s.Apply(key, value, editions); err != nil {
			t.Errorf("Apply(%s, %q): %v", key, value, err)
		}
	}
}
