package demo

import (
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the tests do not depend on the machine's zoneinfo

	"tamizdat/internal/news"
	"tamizdat/internal/render"
)

var editions = []string{"ru", "be", "en"}

// nows are moments the content must hold for: ordinary days, early mornings,
// late evenings and the nights the clocks change in Vilnius.
func nows(t *testing.T) []time.Time {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Vilnius")
	if err != nil {
		t.Fatal(err)
	}
	return []time.Time{
		time.Date(2026, 5, 14, 13, 47, 12, 0, time.UTC),
		time.Date(2026, 3, 29, 2, 30, 0, 0, loc),
		time.Date(2026, 3, 30, 0, 5, 0, 0, loc),
		time.Date(2026, 10, 25, 3, 30, 0, 0, loc),
		time.Date(2026, 1, 1, 23, 59, 59, 0, loc),
		time.Date(2027, 7, 3, 6, 1, 0, 0, loc),
		time.Date(2026, 11, 9, 21, 15, 0, 0, time.UTC),
	}
}

func TestDeterministic(t *testing.T) {
	now := time.Date(2026, 5, 14, 13, 47, 12, 0, time.UTC)
	a, b := Generate(now, 42), Generate(now, 42)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same now and seed gave different content")
	}
	c := Generate(now, 43)
	if reflect.DeepEqual(a.Articles, c.Articles) {
		t.Fatal("different seeds gave the same articles")
	}
	// The stories are the same, the choices differ.
	differ := 0
	for i := range a.Articles {
		x, y := a.Articles[i].Article, c.Articles[i].Article
		if !x.PublishedAt.Equal(y.PublishedAt) || x.Body != y.Body || x.Byline != y.Byline {
			differ++
		}
	}
	if differ < len(a.Articles)/2 {
		t.Errorf("only %d of %d articles differ between seeds", differ, len(a.Articles))
	}
}

func TestSettings(t *testing.T) {
	c := Generate(time.Now(), 1)
	s := news.DefaultSettings()
	got := map[string]string{}
	for _, st := range c.Settings {
		if _, dup := got[st.Key]; dup {
			t.Errorf("setting %s set twice", st.Key)
		}
		v, err := s.Apply(st.Key, st.Value, editions)
		if err != nil {
			t.Fatalf("settings set %s: %v", st.Key, err)
		}
		got[st.Key] = v
	}
	for _, k := range []string{"site_name", "time_zone", "default_edition", "support_methods", "social_accounts", "mirror_urls", "onion_url", "access.ru", "access.be", "access.en"} {
		if got[k] == "" {
			t.Errorf("setting %s is missing", k)
		}
	}
	if _, ok := got["primary_url"]; ok {
		t.Error("primary_url must not be set")
	}
	if !regexp.MustCompile(`^[A-Za-z][A-Za-z ]+$`).MatchString(s.SiteName) || s.SiteName == "tamizdat" {
		t.Errorf("site_name %q", s.SiteName)
	}
	if s.TimeZone != "Europe/Vilnius" || s.DefaultEdition != "ru" {
		t.Errorf("time_zone %q, default_edition %q", s.TimeZone, s.DefaultEdition)
	}

	kinds := map[string]news.SupportMethod{}
	for _, m := range s.SupportMethods {
		kinds[m.Kind] = m
	}
	if m := kinds["bank"]; !regexp.MustCompile(`^LT\d\d[ 0-9A-Z]+`).MatchString(m.Value) || !strings.Contains(m.Value, "DEMO") {
		t.Errorf("bank method %+v: want a clearly fake LT IBAN", m)
	}
	if m := kinds["crypto"]; !strings.Contains(strings.ToLower(m.Value), "demo") {
		t.Errorf("crypto method %+v: want a clearly fake address", m)
	}
	if m := kinds["link"]; !strings.HasPrefix(m.Value, "https://example.org/") {
		t.Errorf("link method %+v", m)
	}
	var raw []map[string]string
	if err := json.Unmarshal([]byte(got["support_methods"]), &raw); err != nil || len(raw) < 3 {
		t.Errorf("support_methods %s: %v", got["support_methods"], err)
	}

	networks := map[string]string{}
	for _, a := range s.SocialAccounts {
		networks[a.Network] = a.URL
		u, err := url.Parse(a.URL)
		if err != nil || u.Scheme != "https" || u.Host != "example.com" {
			t.Errorf("social account %+v is not on https://example.com", a)
		}
	}
	for _, n := range []string{"telegram", "youtube", "instagram", "x", "facebook", "mastodon"} {
		if networks[n] == "" {
			t.Errorf("no %s account", n)
		}
	}

	if len(s.MirrorURLs) != 2 {
		t.Errorf("mirrors %v", s.MirrorURLs)
	}
	for _, m := range s.MirrorURLs {
		u, _ := url.Parse(m)
		if u.Scheme != "https" || !strings.HasSuffix(u.Host, ".example.net") {
			t.Errorf("mirror %q is not an https origin on example.net", m)
		}
	}
	if !regexp.MustCompile(`^http://[a-z2-7]{55}d\.onion$`).MatchString(s.OnionURL) {
		t.Errorf("onion_url %q is not a v3 onion origin", s.OnionURL)
	}

	for _, lang := range editions {
		text := s.Access[lang]
		if n := len(strings.Split(strings.TrimSpace(text), "\n\n")); n < 3 {
			t.Errorf("access.%s has %d paragraphs", lang, n)
		}
		if strings.Contains(text, "http") || strings.Contains(text, "www.") {
			t.Errorf("access.%s links to a service", lang)
		}
		for _, w := range []string{"VPN", "Tor Browser", "Telegram", "Android"} {
			if !strings.Contains(text, w) {
				t.Errorf("access.%s does not mention %s", lang, w)
			}
		}
		checkLanguage(t, "access."+lang, lang, text)
	}
}

func TestCategoriesAndPages(t *testing.T) {
	c := Generate(time.Now(), 1)
	slugs := map[string][]string{}
	for _, cat := range c.Categories {
		if cat.ID != 0 {
			t.Errorf("category %+v has an id", cat)
		}
		cc := cat
		if err := cc.Validate(); err != nil {
			t.Errorf("category %+v: %v", cat, err)
		}
		if slices.Contains(news.ReservedSlugs, cat.Slug) {
			t.Errorf("reserved slug %s", cat.Slug)
		}
		if cat.Position != len(slugs[cat.Edition])+1 {
			t.Errorf("category %s/%s has position %d", cat.Edition, cat.Slug, cat.Position)
		}
		slugs[cat.Edition] = append(slugs[cat.Edition], cat.Slug)
		checkLanguage(t, "category "+cat.Slug, cat.Edition, cat.Name)
	}
	for _, lang := range editions {
		if n := len(slugs[lang]); n < 8 || n > 10 {
			t.Errorf("%s has %d categories", lang, n)
		}
		if !slices.Equal(slugs[lang], slugs["ru"]) {
			t.Errorf("%s categories %v differ from ru %v", lang, slugs[lang], slugs["ru"])
		}
	}

	pages := map[string]news.Page{}
	for _, p := range c.Pages {
		pages[p.Edition+"/"+p.Slug] = p
	}
	for _, lang := range editions {
		for _, slug := range []string{"about", "contacts"} {
			p, ok := pages[lang+"/"+slug]
			if !ok || p.Title == "" || len(p.Body) < 400 || !strings.Contains(p.Body, "\n\n") {
				t.Errorf("page %s/%s missing or too short", lang, slug)
				continue
			}
			checkLanguage(t, "page "+lang+"/"+slug, lang, p.Title+" "+p.Body)
		}
	}
	if len(c.Pages) != 6 {
		t.Errorf("%d pages", len(c.Pages))
	}
}

func TestArticles(t *testing.T) {
	for _, now := range nows(t) {
		for seed := range int64(5) {
			t.Run(fmt.Sprintf("%s/%d", now.Format(time.RFC3339), seed), func(t *testing.T) {
				checkContent(t, now, Generate(now, seed))
			})
		}
	}
}

var (
	sentenceEnd = regexp.MustCompile(`[.!?…][»”’"]?\s+[«“‘A-ZА-ЯЁІЎ]`)
	cyrillic    = regexp.MustCompile(`\p{Cyrillic}`)
	belarusian  = regexp.MustCompile(`[іўІЎ]`)
	russianOnly = regexp.MustCompile(`[щъиЩЪИ]`)
)

func sentences(s string) int { return 1 + len(sentenceEnd.FindAllStringIndex(s, -1)) }

// checkLanguage fails when text is visibly in another edition's language.
func checkLanguage(t *testing.T, what, lang, text string) {
	t.Helper()
	switch lang {
	case "en":
		if cyrillic.MatchString(text) {
			t.Errorf("%s (en) contains Cyrillic: %.80q", what, cyrillic.FindString(text))
		}
	case "ru":
		if belarusian.MatchString(text) {
			t.Errorf("%s (ru) contains Belarusian letters", what)
		}
	case "be":
		if cyrillic.MatchString(text) && russianOnly.MatchString(text) {
			t.Errorf("%s (be) contains letters Belarusian does not use: %q in %.200q", what, russianOnly.FindString(text), text)
		}
	}
}

func checkContent(t *testing.T, now time.Time, c Content) {
	loc, _ := time.LoadLocation("Europe/Vilnius")
	cats := map[string]bool{}
	for _, cat := range c.Categories {
		cats[cat.Edition+"/"+cat.Slug] = true
	}
	byKey := map[string]*Article{}
	seenTitle := map[string]string{}
	type stats struct {
		visible, scheduled, unpublished, draft, review int
		top, breaking, corrected, sourced, editorial   int
		closed, premod, inherit, commented             int
		quote, heading, list, link                     int
		perCat, perTag                                 map[string]int
		days                                           map[string]int
		round                                          int
		statuses                                       map[news.CommentStatus]int
		anonymous, replies                             int
	}
	st := map[string]*stats{}
	for _, lang := range editions {
		st[lang] = &stats{perCat: map[string]int{}, perTag: map[string]int{}, days: map[string]int{}, statuses: map[news.CommentStatus]int{}}
	}

	for i := range c.Articles {
		ca := &c.Articles[i]
		a := ca.Article
		s := st[a.Edition]
		if s == nil {
			t.Fatalf("%s: unknown edition %q", ca.Key, a.Edition)
		}
		if _, dup := byKey[ca.Key]; dup {
			t.Errorf("key %s twice", ca.Key)
		}
		byKey[ca.Key] = ca
		if !strings.HasPrefix(ca.Key, a.Edition+"-") {
			t.Errorf("key %s of edition %s", ca.Key, a.Edition)
		}
		if prev, dup := seenTitle[a.Edition+a.Title]; dup {
			t.Errorf("title %q used by %s and %s", a.Title, prev, ca.Key)
		}
		seenTitle[a.Edition+a.Title] = ca.Key
		if ca.TranslationOf != "" {
			orig, ok := byKey[ca.TranslationOf]
			if !ok {
				t.Errorf("%s translates %s, which is not inserted before it", ca.Key, ca.TranslationOf)
			} else if orig.Article.Edition == a.Edition {
				t.Errorf("%s translates %s of the same edition", ca.Key, ca.TranslationOf)
			}
		}
		if a.ID != 0 || a.TranslationOf != 0 || a.AuthorID != 0 {
			t.Errorf("%s: ID, TranslationOf and AuthorID must be zero", ca.Key)
		}
		norm := a
		norm.Normalize()
		if err := norm.Validate(); err != nil {
			t.Errorf("%s: %v", ca.Key, err)
		}
		if !reflect.DeepEqual(norm.Tags, a.Tags) || !reflect.DeepEqual(norm.Categories, a.Categories) || norm.Title != a.Title {
			t.Errorf("%s changes when normalised", ca.Key)
		}
		checkLanguage(t, ca.Key, a.Edition, a.Title+"\n"+a.Lead+"\n"+a.Body+"\n"+a.Byline+"\n"+a.Source+"\n"+a.Correction+"\n"+strings.Join(a.Tags, ","))

		// Fields every article has.
		if a.CreatedAt.IsZero() || (!a.PublishedAt.IsZero() && a.CreatedAt.After(a.PublishedAt)) {
			t.Errorf("%s: created %v, published %v", ca.Key, a.CreatedAt, a.PublishedAt)
		}
		if a.CreatedAt.After(now) {
			t.Errorf("%s: created in the future", ca.Key)
		}
		if n := len(a.Categories); n < 1 || n > 2 {
			t.Errorf("%s: %d categories", ca.Key, n)
		}
		for _, cat := range a.Categories {
			if !cats[a.Edition+"/"+cat] {
				t.Errorf("%s: category %s is not of edition %s", ca.Key, cat, a.Edition)
			}
		}
		if n := len(a.Tags); n < 1 || n > 4 {
			t.Errorf("%s: %d tags", ca.Key, n)
		}
		if a.Byline == "" || a.Lead == "" {
			t.Errorf("%s: no byline or lead", ca.Key)
		}
		if n := sentences(a.Lead); n > 2 {
			t.Errorf("%s: lead has %d sentences: %q", ca.Key, n, a.Lead)
		}
		if n := len(a.Body); n < 800 || n > 5000 {
			t.Errorf("%s: body of %d bytes", ca.Key, n)
		}
		blocks := strings.Split(a.Body, "\n\n")
		if ca.Key[3:] != "interview" && (len(blocks) < 3 || len(blocks) > 8) {
			t.Errorf("%s: body of %d blocks", ca.Key, len(blocks))
		}
		for _, b := range blocks {
			if strings.TrimSpace(b) != b || b == "" {
				t.Errorf("%s: stray space or empty block", ca.Key)
			}
		}
		if a.Image != nil {
			t.Errorf("%s has an image", ca.Key)
		}
		// Only the interviews are marked, and no other story shows turns
		// of speech or a list typed with hyphens that only the mark would
		// read as turns.
		if a.Interview != (ca.Key[3:] == "interview") {
			t.Errorf("%s: marked as an interview: %v", ca.Key, a.Interview)
		}
		if body := string(render.Article(a.Body, render.Options{Interview: a.Interview})); !a.Interview && strings.Contains(body, "turn-q") {
			t.Errorf("%s shows turns of speech without the interview mark", ca.Key)
		}

		switch {
		case a.VisibleAt(now):
			s.visible++
			if a.PublishedAt.Before(now.Add(-14*24*time.Hour)) || a.PublishedAt.After(now) {
				t.Errorf("%s: published %v, outside the fortnight", ca.Key, a.PublishedAt)
			}
			local := a.PublishedAt.In(loc)
			s.days[local.Format("2006-01-02")]++
			if local.Minute()%15 == 0 {
				s.round++
			}
			for _, cat := range a.Categories {
				s.perCat[cat]++
			}
			for _, tag := range a.Tags {
				s.perTag[news.TagKey(tag)]++
			}
			if a.Top {
				s.top++
			}
			if a.Breaking {
				s.breaking++
				if now.Sub(a.PublishedAt) > 2*time.Hour {
					t.Errorf("%s: breaking but published %v ago", ca.Key, now.Sub(a.PublishedAt))
				}
			}
			if a.Correction != "" {
				if !a.UpdatedAt.After(a.PublishedAt) || a.UpdatedAt.After(now) || sentences(a.Correction) != 1 {
					t.Errorf("%s: correction %q updated %v", ca.Key, a.Correction, a.UpdatedAt)
				}
				s.corrected++
			} else if !a.UpdatedAt.IsZero() {
				t.Errorf("%s: updated without a correction", ca.Key)
			}
			if a.Source != "" {
				s.sourced++
			}
			if a.Byline == editorial[slices.Index(editions, a.Edition)] {
				s.editorial++
			}
			switch a.CommentPolicy {
			case news.PolicyClosed:
				s.closed++
			case news.PolicyPremoderated:
				s.premod++
			case news.PolicyInherit:
				s.inherit++
			}
			if strings.Contains(a.Body, "\n> ") || strings.HasPrefix(a.Body, "> ") {
				s.quote++
			}
			if strings.Contains(a.Body, "## ") {
				s.heading++
			}
			if strings.Contains(a.Body, "\n* ") {
				s.list++
			}
			if strings.Contains(a.Body, "](https://example.org/") {
				s.link++
			}
			if len(ca.Comments) > 0 {
				s.commented++
			}
			checkComments(t, now, ca, s.statuses, &s.anonymous, &s.replies)
		case a.Status == news.StatusPublished:
			s.scheduled++
			if !a.PublishedAt.Equal(now.Add(3 * time.Hour)) {
				t.Errorf("%s: scheduled for %v, want now+3h", ca.Key, a.PublishedAt)
			}
		case a.Status == news.StatusUnpublished:
			s.unpublished++
			if a.PublishedAt.IsZero() || a.PublishedAt.After(now) {
				t.Errorf("%s: unpublished with published_at %v", ca.Key, a.PublishedAt)
			}
		case a.Status == news.StatusDraft:
			s.draft++
			if !a.PublishedAt.IsZero() {
				t.Errorf("%s: draft with published_at", ca.Key)
			}
		case a.Status == news.StatusReview:
			s.review++
		default:
			t.Errorf("%s: status %s", ca.Key, a.Status)
		}
		if !a.VisibleAt(now) && (a.Top || a.Breaking || len(ca.Comments) > 0) {
			t.Errorf("%s: hidden but top, breaking or commented", ca.Key)
		}
	}

	for _, lang := range editions {
		s := st[lang]
		if s.visible < 45 {
			t.Errorf("%s: %d visible articles", lang, s.visible)
		}
		if s.scheduled != 1 || s.unpublished != 1 || s.draft != 1 || s.review != 1 {
			t.Errorf("%s: scheduled %d, unpublished %d, draft %d, review %d; want one each", lang, s.scheduled, s.unpublished, s.draft, s.review)
		}
		if s.top != 1 || s.breaking != 1 {
			t.Errorf("%s: %d top and %d breaking", lang, s.top, s.breaking)
		}
		if s.corrected < 2 {
			t.Errorf("%s: %d corrected articles", lang, s.corrected)
		}
		if s.sourced < 3 || s.editorial < 1 {
			t.Errorf("%s: %d with a source, %d by the editorial staff", lang, s.sourced, s.editorial)
		}
		if s.closed < 1 || s.premod < 1 || s.inherit < s.visible*3/4 {
			t.Errorf("%s: policies: %d closed, %d premoderated, %d inherit", lang, s.closed, s.premod, s.inherit)
		}
		if s.quote < 3 || s.heading < 5 || s.list < 3 || s.link < 5 {
			t.Errorf("%s: %d blockquotes, %d subheadings, %d lists, %d links", lang, s.quote, s.heading, s.list, s.link)
		}
		for _, cat := range slugsOf(c, lang) {
			if s.perCat[cat] < 4 {
				t.Errorf("%s: category %s has %d visible articles", lang, cat, s.perCat[cat])
			}
		}
		shared := 0
		for _, n := range s.perTag {
			if n >= 3 {
				shared++
			}
		}
		if shared < 8 {
			t.Errorf("%s: only %d tags are on three articles or more", lang, shared)
		}
		// Every day of the fortnight before today has articles, several on average.
		today := now.In(loc)
		for d := 1; d <= 13; d++ {
			day := time.Date(today.Year(), today.Month(), today.Day()-d, 12, 0, 0, 0, loc).Format("2006-01-02")
			if s.days[day] == 0 {
				t.Errorf("%s: nothing published on %s", lang, day)
			}
		}
		if s.visible < 3*13 || s.round > s.visible/3 {
			t.Errorf("%s: %d visible, %d at round quarter hours", lang, s.visible, s.round)
		}
		if s.commented*2 < s.visible {
			t.Errorf("%s: only %d of %d visible articles have comments", lang, s.commented, s.visible)
		}
		for _, cs := range []news.CommentStatus{news.CommentPublished, news.CommentPending, news.CommentRejected, news.CommentSpam} {
			if s.statuses[cs] == 0 {
				t.Errorf("%s: no %s comments", lang, cs)
			}
		}
		if s.anonymous == 0 || s.replies < 3 {
			t.Errorf("%s: %d anonymous comments, %d replies", lang, s.anonymous, s.replies)
		}
	}

	checkInterviews(t, byKey)
	checkTranslations(t, c, byKey)

	twelve := 0
	for _, ca := range c.Articles {
		published := 0
		for _, cm := range ca.Comments {
			if cm.Status == news.CommentPublished {
				published++
			}
		}
		if published == 12 {
			twelve++
			if ca.Key != "en-interview" {
				t.Errorf("%s also has twelve published comments", ca.Key)
			}
		}
		if ca.Key != "en-interview" && len(ca.Comments) > 9 {
			t.Errorf("%s has %d comments", ca.Key, len(ca.Comments))
		}
	}
	if twelve != 1 {
		t.Errorf("%d articles with twelve published comments", twelve)
	}
	en := byKey["en-interview"]
	pending := 0
	for _, cm := range en.Comments {
		if cm.Status == news.CommentPending {
			pending++
		}
	}
	if pending < 1 {
		t.Error("en-interview has no pending comment")
	}
}

func slugsOf(c Content, lang string) []string {
	var out []string
	for _, cat := range c.Categories {
		if cat.Edition == lang {
			out = append(out, cat.Slug)
		}
	}
	return out
}

func checkComments(t *testing.T, now time.Time, ca *Article, statuses map[news.CommentStatus]int, anonymous, replies *int) {
	t.Helper()
	seen := map[string]Comment{}
	for _, cm := range ca.Comments {
		if _, dup := seen[cm.Key]; dup || cm.Key == "" {
			t.Errorf("%s: comment key %q repeated or empty", ca.Key, cm.Key)
		}
		if !cm.Status.Valid() || cm.Body == "" {
			t.Errorf("%s/%s: status %q, body %q", ca.Key, cm.Key, cm.Status, cm.Body)
		}
		if !cm.CreatedAt.After(ca.Article.PublishedAt) || !cm.CreatedAt.Before(now) {
			t.Errorf("%s/%s: written %v, article published %v, now %v", ca.Key, cm.Key, cm.CreatedAt, ca.Article.PublishedAt, now)
		}
		if cm.ParentKey != "" {
			parent, ok := seen[cm.ParentKey]
			if !ok {
				t.Errorf("%s/%s replies to %q, not an earlier comment", ca.Key, cm.Key, cm.ParentKey)
			} else if cm.CreatedAt.Before(parent.CreatedAt) {
				t.Errorf("%s/%s is older than the comment it replies to", ca.Key, cm.Key)
			}
			*replies++
		}
		if cm.Status == news.CommentSpam && !strings.Contains(cm.Body, "http") {
			t.Errorf("%s/%s: spam without a link", ca.Key, cm.Key)
		}
		if cm.Name == "" {
			*anonymous++
		}
		statuses[cm.Status]++
		checkLanguage(t, ca.Key+"/"+cm.Key, ca.Article.Edition, cm.Body)
		seen[cm.Key] = cm
	}
}

func checkInterviews(t *testing.T, byKey map[string]*Article) {
	t.Helper()
	dashes := map[string]string{"ru": "- ", "be": "– ", "en": "- "}
	agency := map[string]string{"ru": "«Меридиан-24»", "be": "«Мерыдыян-24»", "en": "Meridian-24 news agency"}
	credit := map[string]string{"ru": "впервые опубликовано изданием «Восточный курьер»", "be": "ўпершыню апублікавала выданне «Усходні кур'ер»", "en": "First published by Eastern Courier"}
	for _, lang := range editions {
		ca := byKey[lang+"-interview"]
		if ca == nil {
			t.Errorf("no %s-interview", lang)
			continue
		}
		a := ca.Article
		if a.PrimaryCategory() != "interview" {
			t.Errorf("%s is in %v", ca.Key, a.Categories)
		}
		blocks := strings.Split(a.Body, "\n\n")
		i := 0
		for i < len(blocks) && !strings.HasPrefix(blocks[i], dashes[lang]) {
			if strings.HasPrefix(blocks[i], "-") || strings.HasPrefix(blocks[i], "–") {
				t.Errorf("%s: intro paragraph starts with a dash", ca.Key)
			}
			i++
		}
		if i == 0 || !strings.Contains(strings.Join(blocks[:i], " "), agency[lang]) {
			t.Errorf("%s: no intro presenting the guest of %s", ca.Key, agency[lang])
		}
		turns := 0
		for ; i < len(blocks) && strings.HasPrefix(blocks[i], dashes[lang]); i++ {
			question := strings.HasSuffix(blocks[i], "?")
			if question != (turns%2 == 0) {
				t.Errorf("%s: turn %d does not alternate question and answer: %q", ca.Key, turns+1, blocks[i])
			}
			turns++
		}
		if turns < 8 || turns%2 != 0 {
			t.Errorf("%s: %d turns", ca.Key, turns)
		}
		// As readers see it: one exchange, every question followed by
		// its answer.
		html := string(render.Article(a.Body, render.Options{Interview: a.Interview}))
		q, an := strings.Count(html, `class="turn turn-q"`), strings.Count(html, `class="turn turn-a"`)
		if strings.Count(html, `<div class="interview">`) != 1 || q != turns/2 || an != turns/2 || strings.Contains(html, "<ul>") {
			t.Errorf("%s renders %d questions and %d answers for %d turns: %s", ca.Key, q, an, turns, html)
		}
		if i != len(blocks)-1 || !strings.Contains(blocks[i], credit[lang]) {
			t.Errorf("%s: want one closing paragraph crediting the outlet, got %q", ca.Key, blocks[i:])
		}
		other := "–"
		if lang == "be" {
			other = "-"
		}
		for _, b := range blocks {
			if strings.HasPrefix(b, other+" ") {
				t.Errorf("%s: a turn starts with the wrong dash", ca.Key)
			}
		}
	}
	if en := byKey["en-interview"]; en != nil && en.Article.Source != "Eastern Courier" {
		t.Errorf("en-interview source %q", en.Article.Source)
	}
}

func checkTranslations(t *testing.T, c Content, byKey map[string]*Article) {
	t.Helper()
	full := 0
	for _, ca := range c.Articles {
		if ca.Article.Edition != "ru" {
			continue
		}
		story := strings.TrimPrefix(ca.Key, "ru-")
		be, en := byKey["be-"+story], byKey["en-"+story]
		if be == nil || en == nil || be.TranslationOf != ca.Key || en.TranslationOf != ca.Key {
			continue
		}
		full++
		for _, tr := range []*Article{be, en} {
			if tr.Article.Title == ca.Article.Title || tr.Article.Body == ca.Article.Body {
				t.Errorf("%s is not translated", tr.Key)
			}
			if slices.Compare(tr.Article.Categories, ca.Article.Categories) != 0 || len(tr.Article.Tags) != len(ca.Article.Tags) {
				t.Errorf("%s: categories or tags differ from %s", tr.Key, ca.Key)
			}
			if tr.Article.PublishedAt.Before(ca.Article.PublishedAt) && ca.Article.Status == news.StatusPublished {
				t.Errorf("%s is published before its original", tr.Key)
			}
		}
	}
	if full < 10 {
		t.Errorf("%d stories are in all three editions", full)
	}
}

func BenchmarkGenerate(b *testing.B) {
	now := time.Now()
	for i := 0; b.Loop(); i++ {
		Generate(now, int64(i))
	}
}
