package news

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Status is where an article is in its life.
type Status string

const (
	StatusDraft       Status = "draft"
	StatusReview      Status = "review"
	StatusPublished   Status = "published"
	StatusUnpublished Status = "unpublished"
)

func (s Status) Valid() bool {
	return s == StatusDraft || s == StatusReview || s == StatusPublished || s == StatusUnpublished
}

// CommentPolicy says how comments on an article are taken.
type CommentPolicy string

const (
	PolicyInherit      CommentPolicy = "inherit" // the edition's, then the site's
	PolicyOpen         CommentPolicy = "open"
	PolicyPremoderated CommentPolicy = "premoderated"
	PolicyClosed       CommentPolicy = "closed"
)

func (p CommentPolicy) Valid() bool {
	return p == PolicyInherit || p == PolicyOpen || p == PolicyPremoderated || p == PolicyClosed
}

// Limits on article fields. Generous for real stories, small enough that one
// request cannot fill the database.
const (
	MaxTitle = 300
	MaxLead  = 1000
	MaxBody  = 200_000 // bytes of Markdown
	MaxShort = 300     // byline, source, correction, tag, caption, credit
	MaxTags  = 30
)

// Image is an article's featured image, with the words printed under it.
// Width, Height, Format and Alt come from the media library on reads.
type Image struct {
	ID      int64  `json:"id"`
	Caption string `json:"caption"`
	Credit  string `json:"credit"`
	Width   int    `json:"-"`
	Height  int    `json:"-"`
	Format  string `json:"-"`
	Alt     string `json:"-"`
}

// MediaImage is an image of the desk's media library: only re-encoded
// variants are stored, never the uploaded file.
type MediaImage struct {
	ID         int64
	Width      int
	Height     int
	Format     string // "jpeg" or "png", of every variant
	Caption    string
	Credit     string
	Alt        string // what a screen reader says
	CreatedAt  time.Time
	UploadedBy int64
	Widths     []int // of the stored variants, ascending
}

// Article is one story in one edition.
type Article struct {
	ID      int64
	Edition string
	Title   string
	Lead    string
	Body    string // Markdown
	// HTML is Body as readers get it, rendered and sanitized when the
	// article was saved by the renderer the site runs now; empty when the
	// store has none of that renderer yet (then it is rendered on view).
	HTML          string
	Interview     bool // the body's hyphen lists and dash paragraphs are turns of speech
	Categories    []string
	Tags          []string
	Byline        string
	Source        string
	Status        Status
	PublishedAt   time.Time // zero when never published
	CreatedAt     time.Time
	UpdatedAt     time.Time // set when a published article is edited
	Correction    string
	CommentPolicy CommentPolicy
	TranslationOf int64 // 0 when none
	Top           bool
	Breaking      bool
	Image         *Image
	AuthorID      int64 // 0 when created by the system (demo, import)
	// Version counts the saves that took effect. An update carrying the
	// version it was edited from is refused when someone saved since.
	Version int64

	CommentCount int // published comments; filled by the store on reads
}

// VisibleAt reports whether readers may see a at now: published and its time
// has come. Scheduled articles need no job: every read asks this question.
func (a *Article) VisibleAt(now time.Time) bool {
	return a.Status == StatusPublished && !a.PublishedAt.IsZero() && !a.PublishedAt.After(now)
}

// PrimaryCategory is the first category slug, or "".
func (a *Article) PrimaryCategory() string {
	if len(a.Categories) == 0 {
		return ""
	}
	return a.Categories[0]
}

// Path is the article's URL path on any host:
// /{lang}/news/{yyyy}/{m}/{d}/{id}/, dated in the newsroom's time zone so that
// it never changes with the headline.
func (a *Article) Path(loc *time.Location) string {
	t := a.PublishedAt
	if t.IsZero() {
		t = a.CreatedAt
	}
	t = t.In(loc)
	return fmt.Sprintf("/%s/news/%d/%d/%d/%d/", a.Edition, t.Year(), int(t.Month()), t.Day(), a.ID)
}

// DayPath is the path of the day archive for t.
func DayPath(edition string, t time.Time) string {
	return fmt.Sprintf("/%s/news/%d/%d/%d/", edition, t.Year(), int(t.Month()), t.Day())
}

// Normalize trims what readers never want to see (stray spaces, empty and
// duplicate tags and categories) before validation.
func (a *Article) Normalize() {
	a.Title = strings.TrimSpace(a.Title)
	a.Lead = strings.TrimSpace(a.Lead)
	a.Byline = strings.TrimSpace(a.Byline)
	a.Source = strings.TrimSpace(a.Source)
	a.Correction = strings.TrimSpace(a.Correction)
	a.Categories = dedupe(a.Categories, strings.ToLower)
	a.Tags = dedupe(a.Tags, TagKey)
	if a.CommentPolicy == "" {
		a.CommentPolicy = PolicyInherit
	}
	if a.Status == "" {
		a.Status = StatusDraft
	}
	if a.Image != nil {
		a.Image.Caption = strings.TrimSpace(a.Image.Caption)
		a.Image.Credit = strings.TrimSpace(a.Image.Credit)
	}
}

// Validate checks the rules an article obeys on its own. Rules that need the
// store (the edition and categories exist, the translation is in another
// edition) are checked by the use-case that saves it.
func (a *Article) Validate() error {
	if len(a.Body) > MaxBody {
		return Errorf(ETOOLARGE, "body is larger than %d bytes", MaxBody)
	}
	if err := a.checkText(); err != nil {
		return err
	}
	switch {
	case utf8.RuneCountInString(a.Title) > MaxTitle:
		return Errorf(EINVALID, "title is longer than %d characters", MaxTitle)
	case utf8.RuneCountInString(a.Lead) > MaxLead:
		return Errorf(EINVALID, "lead is longer than %d characters", MaxLead)
	case utf8.RuneCountInString(a.Byline) > MaxShort, utf8.RuneCountInString(a.Source) > MaxShort:
		return Errorf(EINVALID, "byline and source must be at most %d characters", MaxShort)
	case utf8.RuneCountInString(a.Correction) > 2000:
		return Errorf(EINVALID, "correction is longer than 2000 characters")
	case !a.Status.Valid():
		return Errorf(EINVALID, "status %q is not one of draft, review, published, unpublished", a.Status)
	case !a.CommentPolicy.Valid():
		return Errorf(EINVALID, "comment_policy %q is not one of inherit, open, premoderated, closed", a.CommentPolicy)
	case a.Status == StatusPublished && a.PublishedAt.IsZero():
		return Errorf(EINVALID, "a published article needs published_at")
	case len(a.Tags) > MaxTags:
		return Errorf(EINVALID, "at most %d tags", MaxTags)
	case a.TranslationOf < 0:
		return Errorf(EINVALID, "translation_of must be an article id")
	case a.TranslationOf != 0 && a.TranslationOf == a.ID:
		return Errorf(EINVALID, "an article cannot be a translation of itself")
	}
	for _, t := range a.Tags {
		if utf8.RuneCountInString(t) > MaxShort || strings.ContainsAny(t, "/?#") {
			return Errorf(EINVALID, "tag %q is too long or contains / ? #", t)
		}
	}
	if a.Image != nil && (utf8.RuneCountInString(a.Image.Caption) > MaxShort*3 || utf8.RuneCountInString(a.Image.Credit) > MaxShort) {
		return Errorf(EINVALID, "image caption or credit is too long")
	}
	return nil
}

// checkText holds every text field of the article to the one rule of
// CheckText, fields of one line to CheckLine, and the title and each tag to
// a visible character: a tag of zero-width spaces would be a tag page no
// one can tell from another.
func (a *Article) checkText() error {
	if err := checkVisible("title", a.Title); err != nil {
		return err
	}
	for _, f := range []struct {
		name, value string
		line        bool
	}{
		{"edition", a.Edition, true}, {"lead", a.Lead, false}, {"body", a.Body, false},
		{"byline", a.Byline, true}, {"source", a.Source, true}, {"correction", a.Correction, false},
		{"status", string(a.Status), true}, {"comment_policy", string(a.CommentPolicy), true},
	} {
		if err := checkText(f.name, f.value, f.line); err != nil {
			return err
		}
	}
	for _, c := range a.Categories {
		if err := CheckLine("category", c); err != nil {
			return err
		}
	}
	for _, t := range a.Tags {
		if err := checkVisible("tag", t); err != nil {
			return err
		}
	}
	if a.Image != nil {
		if err := CheckLine("image caption", a.Image.Caption); err != nil {
			return err
		}
		if err := CheckLine("image credit", a.Image.Credit); err != nil {
			return err
		}
	}
	return nil
}

// TagKey is how tags compare: case and surrounding space do not matter, so
// "Minsk", "minsk" and "MINSK " share one tag page.
func TagKey(tag string) string {
	return strings.ToLower(strings.Join(strings.Fields(tag), " "))
}

func dedupe(in []string, key func(string) string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range in {
		s = strings.Join(strings.Fields(s), " ")
		k := key(s)
		if s == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, s)
	}
	return out
}

// Category belongs to one edition and appears in its menu.
type Category struct {
	ID       int64
	Edition  string
	Slug     string
	Name     string
	Position int
}

// ReservedSlugs are first path segments under /{lang}/ that belong to pages of
// the site; a category of that slug would hide them.
var ReservedSlugs = []string{
	"news", "support", "access", "search", "about", "privacy", "tag", "lite",
	"rss.xml", "atom.xml", "feed.json", "sitemap.xml", "news-sitemap.xml", "robots.txt",
	"api", "desk", "assets", "page", "pages", "comments", "contacts",
}

var slugRE = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$`)

// Validate checks a category's own rules.
func (c *Category) Validate() error {
	c.Slug = strings.TrimSpace(c.Slug)
	c.Name = strings.TrimSpace(c.Name)
	if err := CheckLine("edition", c.Edition); err != nil {
		return err
	}
	if err := CheckLine("slug", c.Slug); err != nil {
		return err
	}
	if err := checkVisible("name", c.Name); err != nil {
		return err
	}
	switch {
	case !slugRE.MatchString(c.Slug):
		return Errorf(EINVALID, "slug %q must be 1 to 64 lowercase latin letters, digits and inner hyphens", c.Slug)
	case slices.Contains(ReservedSlugs, c.Slug):
		return Errorf(EINVALID, "slug %q clashes with a page of the site; choose another", c.Slug)
	case utf8.RuneCountInString(c.Name) > 100:
		return Errorf(EINVALID, "name is longer than 100 characters")
	}
	return nil
}

// Page is a static page of an edition (about, privacy, contacts).
type Page struct {
	ID        int64
	Edition   string
	Slug      string
	Title     string
	Body      string // Markdown
	UpdatedAt time.Time
}

// Validate checks a page's own rules, after trimming its title.
func (p *Page) Validate() error {
	p.Title, p.Slug = strings.TrimSpace(p.Title), strings.TrimSpace(p.Slug)
	if err := CheckLine("edition", p.Edition); err != nil {
		return err
	}
	if err := CheckLine("slug", p.Slug); err != nil {
		return err
	}
	if err := checkVisible("title", p.Title); err != nil {
		return err
	}
	if err := CheckText("body", p.Body); err != nil {
		return err
	}
	if utf8.RuneCountInString(p.Title) > MaxTitle || len(p.Body) > MaxBody {
		return Errorf(EINVALID, "a page needs a title of at most %d characters and a body of at most %d bytes", MaxTitle, MaxBody)
	}
	return nil
}

// Validate checks the words of a media library image, after trimming them.
func (m *MediaImage) Validate() error {
	m.Caption, m.Credit, m.Alt = strings.TrimSpace(m.Caption), strings.TrimSpace(m.Credit), strings.TrimSpace(m.Alt)
	for _, f := range [][2]string{{"caption", m.Caption}, {"credit", m.Credit}, {"description", m.Alt}} {
		if err := CheckLine(f[0], f[1]); err != nil {
			return err
		}
	}
	if utf8.RuneCountInString(m.Caption) > MaxShort*3 || utf8.RuneCountInString(m.Credit) > MaxShort || utf8.RuneCountInString(m.Alt) > MaxShort*3 {
		return Errorf(EINVALID, "the caption and description are limited to %d characters, the credit to %d", MaxShort*3, MaxShort)
	}
	return nil
}
