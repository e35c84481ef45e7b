package news

import (
	"strings"
	"testing"
)

var editions = []string{"ru", "be", "en"}

// FuzzSettingsApply: any value for any key is either refused with an
// EINVALID error or stored in a canonical form that applies again unchanged.
func FuzzSettingsApply(f *testing.F) {
	for _, seed := range [][2]string{
		{"time_zone", "Europe/Warsaw"}, {"time_zone", "Local"}, {"time_zone", "../../etc/passwd"},
		{"support_methods", `[{"kind":"link","label":"Card","value":"https://example.org/x"}]`},
		{"support_methods", `[{"kind":"link","label":"x","value":"javascript:alert(1)"}]`},
		{"social_accounts", `[{"network":"t","url":"https://example.com"}]`}, {"social_accounts", `[]`}, {"social_accounts", `null`},
		{"mirror_urls", "https://a.example, https://b.example/"}, {"mirror_urls", "https://a.example/path"},
		{"onion_url", "http://abc.onion"}, {"primary_url", "https://example.org"}, {"default_edition", "be"},
		{"access.be", "Тэкст"}, {"site_name", " "}, {"colour", "red"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, key, value string) {
		s := DefaultSettings()
		stored, err := s.Apply(key, value, editions)
		if err != nil {
			if ErrorCode(err) != EINVALID {
				t.Fatalf("Apply(%q, %q) error %v has code %q", key, value, err, ErrorCode(err))
			}
			return
		}
		if got := s.Get(key); got != stored && !strings.HasPrefix(key, "access.") && key != "site_name" {
			t.Fatalf("Get(%q) = %q, Apply stored %q", key, got, stored)
		}
		again := DefaultSettings()
		stored2, err := again.Apply(key, stored, editions)
		if err != nil || stored2 != stored {
			t.Fatalf("the stored form %q of %q does not apply again: %q, %v", stored, key, stored2, err)
		}
	})
}

func TestSettingsHosts(t *testing.T) {
	s := DefaultSettings()
	if role := s.MatchHost("evil.example"); role != HostAny {
		t.Errorf("before primary_url: %v, want every host served", role)
	}
	// A desk host of its own works before there is a primary, and is the
	// desk's even when it is the primary's too: setting it never locks the
	// desk out.
	if _, err := s.Apply("desk_url", "https://desk.example.org", editions); err != nil {
		t.Fatal(err)
	}
	if role := s.MatchHost("desk.example.org"); role != HostDesk {
		t.Errorf("the desk host before primary_url: %v", role)
	}
	if _, err := s.Apply("primary_url", "https://desk.example.org", editions); err != nil {
		t.Fatal(err)
	}
	if role := s.MatchHost("desk.example.org"); role != HostDesk {
		t.Errorf("the desk host that is also the primary: %v", role)
	}
	for k, v := range map[string]string{"primary_url": "https://News.Example.org/", "mirror_urls": "https://m.example.net:8443,http://plain.example.com",
		"onion_url": "http://abc.onion", "desk_url": "https://desk.example.org"} {
		if _, err := s.Apply(k, v, editions); err != nil {
			t.Fatal(err)
		}
	}
	for host, want := range map[string]HostRole{
		"news.example.org":      HostPrimary,
		"NEWS.example.org.":     HostPrimary, // a trailing dot names the same host
		"news.example.org:443":  HostPrimary,
		"news.example.org:8080": HostUnknown, // another port is another origin
		"m.example.net:8443":    HostMirror,
		"m.example.net":         HostUnknown,
		"m.example.net:443":     HostUnknown,
		"plain.example.com:80":  HostMirror,
		"plain.example.com:443": HostUnknown,
		"abc.onion":             HostOnion,
		"desk.example.org":      HostDesk,
		"evil.example":          HostUnknown,
		"news.example.org.evil": HostUnknown,
		"":                      HostUnknown,
		"[::1]:443":             HostUnknown,
	} {
		if got := s.MatchHost(host); got != want {
			t.Errorf("MatchHost(%q) = %v, want %v", host, got, want)
		}
	}
	for _, bad := range []string{"https://evil.example@news.example.org", "https://user:pass@news.example.org", "https://:443", "ftp://news.example.org"} {
		for _, key := range []string{"primary_url", "mirror_urls", "onion_url", "desk_url"} {
			if _, err := s.Apply(key, bad, editions); err == nil {
				t.Errorf("%s %q accepted", key, bad)
			}
		}
	}
}

func TestArticleValidate(t *testing.T) {
	ok := Article{Edition: "en", Title: "T", Status: StatusDraft}
	ok.Normalize()
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for name, mod := range map[string]func(a *Article){
		"long title":    func(a *Article) { a.Title = strings.Repeat("я", MaxTitle+1) },
		"bad utf8":      func(a *Article) { a.Lead = "\xff" },
		"self translat": func(a *Article) { a.ID, a.TranslationOf = 5, 5 },
		"too many tags": func(a *Article) {
			for i := range MaxTags + 1 {
				a.Tags = append(a.Tags, strings.Repeat("t", i+1))
			}
		},
	} {
		a := ok
		mod(&a)
		if err := a.Validate(); ErrorCode(err) != EINVALID {
			t.Errorf("%s: %v", name, err)
		}
	}
	a := Article{Edition: "en", Title: "  T ", Tags: []string{"Minsk", " minsk ", "", "Vilnius"}, Categories: []string{"World", "world"}}
	a.Normalize()
	if a.Title != "T" || len(a.Tags) != 2 || len(a.Categories) != 1 || a.Status != StatusDraft || a.CommentPolicy != PolicyInherit {
		t.Errorf("Normalize = %+v", a)
	}
}
