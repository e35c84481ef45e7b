package news

import (
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strconv"
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
	// DeskURL, when set, is the only host the desk answers on (one that
	// only the newsroom knows or reaches, say).
	DeskURL string
	// Require2FA says who must sign in to the desk with a second factor:
	// TwoFactorStaff (admins and editors, the default) or TwoFactorEveryone.
	Require2FA string

	Comments CommentSettings
	// KeyDays is how many days a key hashing client addresses lives, and
	// so how long anything resting on such a hash (a ban, a rejected
	// comment's mark, a sign-in throttle) can be linked to an address.
	KeyDays int
}

// CommentSettings are the site's rules for taking readers' comments.
type CommentSettings struct {
	Policy      CommentPolicy // open, premoderated or closed, below editions and articles
	CloseDays   int           // comments close this many days after publication; 0: never
	PremodHours PremodSchedule
	RulesText   string // as the newsroom wrote them; Rules parsed
	Rules       []CommentRule
	MaxLinks    int     // links in one comment
	PerHour     int     // comments from one fingerprint in an hour
	PerMinute   int     // comments on one article in a minute, from anyone
	Similarity  float64 // word-shingle similarity from which a comment is a near duplicate
	// The onion service: every reader arrives from the local Tor daemon, so
	// address limits mean nothing there; it has a policy and an article
	// limit of its own.
	OnionPolicy    CommentPolicy // inherit: as on the other hosts
	OnionPerMinute int
}

// DefaultCommentSettings are what a new site does.
func DefaultCommentSettings() CommentSettings {
	return CommentSettings{Policy: PolicyOpen, MaxLinks: 2, PerHour: 6, PerMinute: 20, Similarity: 0.6,
		OnionPolicy: PolicyPremoderated, OnionPerMinute: 5}
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
		Comments:       DefaultCommentSettings(),
		KeyDays:        7,
	}
}

// SettingKeys lists the fixed keys; access.<lang> keys come on top.
var SettingKeys = []string{
	"site_name", "time_zone", "default_edition", "support_methods",
	"social_accounts", "primary_url", "mirror_urls", "onion_url", "desk_url", "require_2fa",
	"comment_policy", "comments_close_after_days", "premoderation_hours", "comment_rules",
	"comment_max_links", "comment_limit_per_hour", "comment_limit_per_article_minute",
	"comment_similarity", "onion_comment_policy", "onion_comment_limit_per_article_minute",
	"address_key_days",
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
	if err := checkText(key, value, !multiLineSetting(key)); err != nil {
		return "", err
	}
	switch key {
	case "site_name":
		if value == "" || len(value) > 200 {
			return "", Errorf(EINVALID, "site_name must be 1 to 200 characters")
		}
		if !HasVisible(value) {
			return "", Errorf(EINVALID, "site_name has no visible character (only spaces or invisible ones); write the name out")
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
			for _, f := range [][2]string{{"kind", m.Kind}, {"label", m.Label}, {"value", m.Value}} {
				if err := CheckLine(fmt.Sprintf("support_methods[%d].%s", i, f[0]), f[1]); err != nil {
					return "", err
				}
			}
			if !HasVisible(m.Kind) || !HasVisible(m.Label) || !HasVisible(m.Value) {
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
			for _, f := range [][2]string{{"network", a.Network}, {"url", a.URL}} {
				if err := CheckLine(fmt.Sprintf("social_accounts[%d].%s", i, f[0]), f[1]); err != nil {
					return "", err
				}
			}
			if !HasVisible(a.Network) {
				return "", Errorf(EINVALID, "social_accounts[%d]: network is required", i)
			}
			if err := checkURL(a.URL, false); err != nil {
				return "", Errorf(EINVALID, "social_accounts[%d]: %v", i, err)
			}
		}
		s.SocialAccounts = as
		value = mustJSON(as)
	case "primary_url", "onion_url", "desk_url":
		if value != "" {
			if err := checkURL(value, true); err != nil {
				return "", Errorf(EINVALID, "%s: %v", key, err)
			}
			value = strings.TrimRight(value, "/")
		}
		switch key {
		case "primary_url":
			s.PrimaryURL = value
		case "desk_url":
			s.DeskURL = value
		default:
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
	case "comment_policy", "onion_comment_policy":
		p := CommentPolicy(value)
		if !p.Valid() || (p == PolicyInherit && key == "comment_policy") {
			return "", Errorf(EINVALID, "%s must be open, premoderated or closed%s", key, map[bool]string{true: " (or inherit)"}[key != "comment_policy"])
		}
		if key == "comment_policy" {
			s.Comments.Policy = p
		} else {
			s.Comments.OnionPolicy = p
		}
	case "comments_close_after_days", "comment_max_links", "comment_limit_per_hour",
		"comment_limit_per_article_minute", "onion_comment_limit_per_article_minute":
		n, err := strconv.Atoi(value)
		if err != nil || n < 0 || n > 100000 {
			return "", Errorf(EINVALID, "%s must be a whole number from 0 to 100000", key)
		}
		if n == 0 && strings.Contains(key, "limit") {
			return "", Errorf(EINVALID, "%s must be at least 1; close comments with comment_policy instead", key)
		}
		value = strconv.Itoa(n)
		switch key {
		case "comments_close_after_days":
			s.Comments.CloseDays = n
		case "comment_max_links":
			s.Comments.MaxLinks = n
		case "comment_limit_per_hour":
			s.Comments.PerHour = n
		case "comment_limit_per_article_minute":
			s.Comments.PerMinute = n
		default:
			s.Comments.OnionPerMinute = n
		}
	case "address_key_days":
		n, err := strconv.Atoi(value)
		if err != nil || n < 1 || n > 30 {
			return "", Errorf(EINVALID, "address_key_days must be a whole number of days from 1 to 30")
		}
		s.KeyDays, value = n, strconv.Itoa(n)
	case "comment_similarity":
		f, err := strconv.ParseFloat(value, 64)
		if err != nil || f < 0.3 || f > 1 {
			return "", Errorf(EINVALID, "comment_similarity must be a number from 0.3 to 1 (1: only identical texts)")
		}
		s.Comments.Similarity = f
		value = strconv.FormatFloat(f, 'f', -1, 64)
	case "premoderation_hours":
		p, err := ParsePremodSchedule(value)
		if err != nil {
			return "", err
		}
		s.Comments.PremodHours = p
		value = p.String()
	case "comment_rules":
		if len(value) > 100000 {
			return "", Errorf(EINVALID, "comment_rules is longer than 100000 bytes")
		}
		rules, err := ParseCommentRules(value)
		if err != nil {
			return "", err
		}
		s.Comments.Rules, s.Comments.RulesText = rules, value
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

// multiLineSetting reports whether a setting's value may hold line breaks
// and tabs: texts, JSON and lists (whose stored form is canonical anyway).
// Every other value is one line.
func multiLineSetting(key string) bool {
	switch key {
	case "support_methods", "social_accounts", "comment_rules", "mirror_urls", "premoderation_hours":
		return true
	}
	return strings.HasPrefix(key, "access.")
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
	case "desk_url":
		return s.DeskURL
	case "require_2fa":
		return s.Require2FA
	case "comment_policy":
		return string(s.Comments.Policy)
	case "onion_comment_policy":
		return string(s.Comments.OnionPolicy)
	case "comments_close_after_days":
		return strconv.Itoa(s.Comments.CloseDays)
	case "comment_max_links":
		return strconv.Itoa(s.Comments.MaxLinks)
	case "comment_limit_per_hour":
		return strconv.Itoa(s.Comments.PerHour)
	case "comment_limit_per_article_minute":
		return strconv.Itoa(s.Comments.PerMinute)
	case "onion_comment_limit_per_article_minute":
		return strconv.Itoa(s.Comments.OnionPerMinute)
	case "comment_similarity":
		return strconv.FormatFloat(s.Comments.Similarity, 'f', -1, 64)
	case "address_key_days":
		return strconv.Itoa(s.KeyDays)
	case "premoderation_hours":
		return s.Comments.PremodHours.String()
	case "comment_rules":
		return s.Comments.RulesText
	}
	return s.Access[strings.TrimPrefix(key, "access.")]
}

// HostRole is what a host is to the site.
type HostRole int

const (
	// HostAny: primary_url is not set, so every host is served, and none
	// may go into an absolute URL.
	HostAny HostRole = iota
	HostPrimary
	HostMirror
	HostOnion
	HostDesk
	// HostUnknown: not one of the site's hosts.
	HostUnknown
)

// MatchHost says which of the site's hosts hostport (a request's Host
// header) names. Names are compared without case and without a trailing
// dot; a port must be the configured one, or absent or the scheme's
// default where none is configured. The desk's host is looked at first,
// so that it is the desk's even when it is also the primary or a mirror,
// or before primary_url is set. Until primary_url is set every other host
// is HostAny.
func (s *Settings) MatchHost(hostport string) HostRole {
	// Every request asks: the request's side is split once, and the
	// origins, checked when they were set, are read as strings.
	host, port := splitHost(hostport)
	if s.DeskURL != "" && sameHost(s.DeskURL, host, port) {
		return HostDesk
	}
	if s.PrimaryURL == "" {
		return HostAny
	}
	if sameHost(s.PrimaryURL, host, port) {
		return HostPrimary
	}
	for _, u := range s.MirrorURLs {
		if sameHost(u, host, port) {
			return HostMirror
		}
	}
	if s.OnionURL != "" && sameHost(s.OnionURL, host, port) {
		return HostOnion
	}
	return HostUnknown
}

// sameHost reports whether a request's host and port (split by splitHost)
// name origin, a scheme://host[:port] that Apply checked.
func sameHost(origin, host, port string) bool {
	scheme, rest, ok := strings.Cut(origin, "://")
	if !ok {
		return false
	}
	want, wantPort := splitHost(rest)
	if host == "" || !strings.EqualFold(want, host) {
		return false
	}
	def := "80"
	if scheme == "https" {
		def = "443"
	}
	if wantPort == "" {
		return port == "" || port == def
	}
	return port == wantPort || (port == "" && wantPort == def)
}

// splitHost splits a host[:port] and gives the host without IPv6 brackets
// and without a trailing dot, which names the same host.
func splitHost(hostport string) (host, port string) {
	host = hostport
	if h, p, err := net.SplitHostPort(hostport); err == nil {
		host, port = h, p
	}
	return strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(host, "["), "]"), "."), port
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
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return fmt.Errorf("%q is not an http(s) URL", raw)
	}
	if u.User != nil {
		// https://evil.example@news.example names news.example, but a
		// person reading it sees evil.example.
		return fmt.Errorf("%q holds a user name before @; give the address without it", raw)
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
