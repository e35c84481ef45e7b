package news

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Edition is one language version of the site.
type Edition struct {
	Code          string
	Name          string // the edition's name in its own language
	Position      int
	CommentPolicy CommentPolicy
}

// SupportMethod is one way for readers to fund the newsroom.
type SupportMethod struct {
	Kind  string `json:"kind"`  // bank, crypto, link, ... (free word, used for styling)
	Label string `json:"label"` // what the reader sees
	Value string `json:"value"` // account number, address or URL
}

// SocialAccount is one of the newsroom's channels.
type SocialAccount struct {
	Network string `json:"network"`
	URL     string `json:"url"`
}

// Settings are the site-wide settings of PRODUCT.md. The zero value is not
// useful; start from DefaultSettings.
type Settings struct {
	SiteName       string
	TimeZone       string
	Location       *time.Location
	DefaultEdition string
	SupportMethods []SupportMethod
	SocialAccounts []SocialAccount
	Access         map[string]string // edition code → Markdown
	PrimaryURL     string
	MirrorURLs     []string
	OnionURL       string
	// Require2FA says who must sign in to the desk with a second factor:
	// TwoFactorStaff (admins and editors, the default) or TwoFactorEveryone.
	Require2FA string
}

// Values of the require_2fa setting.
const (
	TwoFactorStaff    = "admins_editors"
	TwoFactorEveryone = "everyone"
)

// Needs2FA reports whether a user of role must use a second factor.
func (s *Settings) Needs2FA(r Role) bool {
	return s.Require2FA == TwoFactorEveryone || r == RoleAdmin || r == RoleEditor
}

// DefaultSettings are what a new database behaves as: nothing is stored for
// settings until an operator sets one.
func DefaultSettings() Settings {
	return Settings{
		SiteName:       "tamizdat",
		TimeZone:       "UTC",
		Location:       time.UTC,
		DefaultEdition: "ru",
		Access:         map[string]string{},
		Require2FA:     TwoFactorStaff,
	}
}

// SettingKeys lists the fixed keys; access.<lang> keys come on top.
var SettingKeys = []string{
	"site_name", "time_zone", "default_edition", "support_methods",
	"social_accounts", "primary_url", "mirror_urls", "onion_url", "require_2fa",
}

// IsSettingKey reports whether key names a setting, given the edition codes
// that exist (for access.<lang>).
func IsSettingKey(key string, editions []string) bool {
	if lang, ok := strings.CutPrefix(key, "access."); ok {
		return slices.Contains(editions, lang)
	}
	return slices.Contains(SettingKeys, key)
}

// Apply validates value for key and stores it in s. It returns the value in
// its canonical stored form (JSON compacted, URLs trimmed). editions are the
// edition codes that exist.
func (s *Settings) Apply(key, value string, editions []string) (string, error) {
	if !IsSettingKey(key, editions) {
		return "", Errorf(EINVALID, "unknown settings key %q; known keys: %s, access.<edition>", key, strings.Join(SettingKeys, ", "))
	}
	value = strings.TrimSpace(value)
	switch key {
	case "site_name":
		if value == "" || len(value) > 200 {
			return "", Errorf(EINVALID, "site_name must be 1 to 200 characters")
		}
		s.SiteName = value
	case "time_zone":
		loc, err := LoadLocation(value)
		if err != nil {
			return "", err
		}
		s.TimeZone, s.Location = value, loc
	case "default_edition":
		if !slices.Contains(editions, value) {
			return "", Errorf(EINVALID, "default_edition %q is not an edition; editions: %s", value, strings.Join(editions, ", "))
		}
		s.DefaultEdition = value
	case "support_methods":
		var ms []SupportMethod
		if err := decodeStrict(value, &ms); err != nil {
			return "", Errorf(EINVALID, `support_methods must be a JSON array of {"kind","label","value"}: %v`, err)
		}
		for i, m := range ms {
			if strings.TrimSpace(m.Kind) == "" || strings.TrimSpace(m.Label) == "" || strings.TrimSpace(m.Value) == "" {
				return "", Errorf(EINVALID, "support_methods[%d]: kind, label and value are all required", i)
			}
			if m.Kind == "link" {
				if err := checkURL(m.Value, false); err != nil {
					return "", Errorf(EINVALID, "support_methods[%d]: %v", i, err)
				}
			}
		}
		s.SupportMethods = ms
		value = mustJSON(ms)
	case "social_accounts":
		var as []SocialAccount
		if err := decodeStrict(value, &as); err != nil {
			return "", Errorf(EINVALID, `social_accounts must be a JSON array of {"network","url"}: %v`, err)
		}
		for i, a := range as {
			if strings.TrimSpace(a.Network) == "" {
				return "", Errorf(EINVALID, "social_accounts[%d]: network is required", i)
			}
			if err := checkURL(a.URL, false); err != nil {
				return "", Errorf(EINVALID, "social_accounts[%d]: %v", i, err)
			}
		}
		s.SocialAccounts = as
		value = mustJSON(as)
	case "primary_url", "onion_url":
		if value != "" {
			if err := checkURL(value, true); err != nil {
				return "", Errorf(EINVALID, "%s: %v", key, err)
			}
			value = strings.TrimRight(value, "/")
		}
		if key == "primary_url" {
			s.PrimaryURL = value
		} else {
			if value != "" && !strings.HasSuffix(hostOf(value), ".onion") {
				return "", Errorf(EINVALID, "onion_url must be an address ending in .onion")
			}
			s.OnionURL = value
		}
	case "mirror_urls":
		var out []string
		for u := range strings.SplitSeq(value, ",") {
			u = strings.TrimRight(strings.TrimSpace(u), "/")
			if u == "" {
				continue
			}
			if err := checkURL(u, true); err != nil {
				return "", Errorf(EINVALID, "mirror_urls: %v", err)
			}
			out = append(out, u)
		}
		s.MirrorURLs = out
		value = strings.Join(out, ",")
	case "require_2fa":
		if value != TwoFactorStaff && value != TwoFactorEveryone {
			return "", Errorf(EINVALID, "require_2fa must be %s (the default) or %s", TwoFactorStaff, TwoFactorEveryone)
		}
		s.Require2FA = value
	default: // access.<lang>
		if len(value) > 20000 {
			return "", Errorf(EINVALID, "%s is longer than 20000 bytes", key)
		}
		if s.Access == nil {
			s.Access = map[string]string{}
		}
		s.Access[strings.TrimPrefix(key, "access.")] = value
	}
	return value, nil
}

// Get returns the stored form of one setting, as `settings get` prints it.
func (s *Settings) Get(key string) string {
	switch key {
	case "site_name":
		return s.SiteName
	case "time_zone":
		return s.TimeZone
	case "default_edition":
		return s.DefaultEdition
	case "support_methods":
		return mustJSON(s.SupportMethods)
	case "social_accounts":
		return mustJSON(s.SocialAccounts)
	case "primary_url":
		return s.PrimaryURL
	case "mirror_urls":
		return strings.Join(s.MirrorURLs, ",")
	case "onion_url":
		return s.OnionURL
	case "require_2fa":
		return s.Require2FA
	}
	return s.Access[strings.TrimPrefix(key, "access.")]
}

// Hosts returns the host names the site answers on, or nil when primary_url
// is not set (then any host is served).
func (s *Settings) Hosts() []string {
	if s.PrimaryURL == "" {
		return nil
	}
	hosts := []string{hostOf(s.PrimaryURL)}
	for _, m := range s.MirrorURLs {
		hosts = append(hosts, hostOf(m))
	}
	if s.OnionURL != "" {
		hosts = append(hosts, hostOf(s.OnionURL))
	}
	return hosts
}

// LoadLocation validates an IANA time zone name.
func LoadLocation(name string) (*time.Location, error) {
	// time.LoadLocation accepts "" and "Local" as the machine's zone, which
	// would make the newsroom's clock depend on the server it runs on.
	if name == "" || name == "Local" {
		return nil, Errorf(EINVALID, "time zone %q is not an IANA name such as Europe/Warsaw", name)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, Errorf(EINVALID, "unknown time zone %q; use an IANA name such as Europe/Warsaw", name)
	}
	return loc, nil
}

func decodeStrict(s string, v any) error {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("trailing data after the array")
	}
	return nil
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	if string(b) == "null" {
		return "[]"
	}
	return string(b)
}

func checkURL(raw string, originOnly bool) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an http(s) URL", raw)
	}
	if originOnly && (u.Path != "" && u.Path != "/" || u.RawQuery != "" || u.Fragment != "") {
		return fmt.Errorf("%q must be an origin such as https://example.org, without a path", raw)
	}
	return nil
}

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Hostname())
}
