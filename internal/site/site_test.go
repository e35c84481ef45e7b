package site_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"tamizdat/internal/news"
	"tamizdat/internal/pagecache"
	"tamizdat/internal/site"
	"tamizdat/internal/store"
	"tamizdat/internal/store/sqlite"
	"tamizdat/internal/store/storetest"
	"tamizdat/internal/views"
	"tamizdat/internal/web"
)

var ctx = context.Background()

// fixture is a site on a real SQLite file with a settable clock.
type fixture struct {
	t     *testing.T
	db    *store.DB
	clock *storetest.Clock
	srv   http.Handler
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	clock := storetest.NewClock(storetest.T0) // 2 Feb 2026 12:47 UTC, a Monday
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "site.db"), clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	v, err := views.New()
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	st := site.New(db, v, slog.New(slog.NewTextHandler(io.Discard, nil)))
	st.Routes(mux)
	mux.Handle("/", st.NotFound(mux))
	f := &fixture{t: t, db: db, clock: clock, srv: web.Hosts(st.Settings, mux)}
	f.set("time_zone", "Europe/Warsaw")
	return f
}

func (f *fixture) set(key, value string) {
	f.t.Helper()
	if err := f.db.SetSetting(ctx, key, value); err != nil {
		f.t.Fatalf("SetSetting(%s): %v", key, err)
	}
}

func (f *fixture) get(path string) (*http.Response, string) {
	f.t.Helper()
	return f.getHost("example.org", path)
}

func (f *fixture) getHost(host, path string) (*http.Response, string) {
	f.t.Helper()
	req := httptest.NewRequest("GET", "http://"+host+path, nil)
	rec := httptest.NewRecorder()
	f.srv.ServeHTTP(rec, req)
	res := rec.Result()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func (f *fixture) doc(path string, wantStatus int) *goquery.Document {
	f.t.Helper()
	res, body := f.get(path)
	if res.StatusCode != wantStatus {
		f.t.Fatalf("GET %s: status %d, want %d\n%s", path, res.StatusCode, wantStatus, excerpt(body))
	}
	d, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		f.t.Fatal(err)
	}
	return d
}

func excerpt(s string) string {
	if len(s) > 600 {
		return s[:600] + "…"
	}
	return s
}

func (f *fixture) article(a *news.Article) *news.Article {
	f.t.Helper()
	if a.Status == "" {
		a.Status = news.StatusPublished
	}
	if err := f.db.CreateArticle(ctx, a); err != nil {
		f.t.Fatalf("CreateArticle(%q): %v", a.Title, err)
	}
	return a
}

func path(a *news.Article) string {
	loc, _ := time.LoadLocation("Europe/Warsaw")
	return a.Path(loc)
}

func TestTopBarClockInEveryLanguage(t *testing.T) {
	f := newFixture(t)
	for lang, want := range map[string]string{
		"en": "2 February 2026, Monday, 13:47",
		"ru": "2 февраля 2026, понедельник, 13:47",
		"be": "2 лютага 2026, панядзелак, 13:47",
	} {
		d := f.doc("/"+lang+"/", 200)
		if got := d.Find(".topbar time.clock").Text(); got != want {
			t.Errorf("%s clock = %q, want %q", lang, got, want)
		}
		if got, _ := d.Find("html").Attr("lang"); got != lang {
			t.Errorf("html lang = %q, want %q", got, lang)
		}
	}
	// The clock follows the site's zone, not the server's.
	f.set("time_zone", "Asia/Tokyo")
	if got := f.doc("/en/", 200).Find("time.clock").Text(); got != "2 February 2026, Monday, 21:47" {
		t.Errorf("Tokyo clock = %q", got)
	}
}

func TestChromeComesFromSettings(t *testing.T) {
	f := newFixture(t)
	storetest.MustCategory(t, f.db, "be", "palityka", "Палітыка")
	storetest.MustCategory(t, f.db, "be", "kultura", "Культура")
	f.set("site_name", "Вольная хвіля")
	f.set("social_accounts", `[{"network":"Telegram","url":"https://example.com/tg"},{"network":"YouTube","url":"https://example.com/yt"}]`)
	d := f.doc("/be/", 200)
	if href, _ := d.Find(".topbar a.support").Attr("href"); href != "/be/support/" {
		t.Errorf("support link = %q", href)
	}
	if d.Find(".topbar a.support").Text() != "Падтрымаць сайт" {
		t.Errorf("support text = %q", d.Find(".topbar a.support").Text())
	}
	if href, _ := d.Find(".topbar a.access").Attr("href"); href != "/be/access/" {
		t.Errorf("access link = %q", href)
	}
	var menu []string
	d.Find("nav.menu li a").Each(func(_ int, s *goquery.Selection) { menu = append(menu, s.Text()) })
	if fmt.Sprint(menu) != "[Палітыка Культура]" {
		t.Errorf("menu = %v", menu)
	}
	var editions []string
	d.Find(".editions a").Each(func(_ int, s *goquery.Selection) {
		h, _ := s.Attr("href")
		editions = append(editions, s.Text()+"="+h)
	})
	if fmt.Sprint(editions) != "[Русский=/ru/ Беларуская=/be/ English=/en/]" {
		t.Errorf("edition switcher = %v", editions)
	}
	var follow []string
	d.Find("footer .follow a").Each(func(_ int, s *goquery.Selection) {
		h, _ := s.Attr("href")
		follow = append(follow, s.Text()+"="+h)
	})
	if fmt.Sprint(follow) != "[Telegram=https://example.com/tg YouTube=https://example.com/yt]" {
		t.Errorf("follow links = %v", follow)
	}
	if d.Find("a.logo").Text() != "Вольная хвіля" {
		t.Errorf("logo = %q", d.Find("a.logo").Text())
	}
}

func TestArticlePageAnatomy(t *testing.T) {
	f := newFixture(t)
	storetest.MustCategory(t, f.db, "en", "interview", "Interview")
	storetest.MustCategory(t, f.db, "ru", "interview", "Интервью")
	f.set("social_accounts", `[{"network":"Telegram","url":"https://example.com/tg"}]`)
	ru := f.article(&news.Article{Edition: "ru", Title: "Интервью", Categories: []string{"interview"},
		PublishedAt: storetest.T0.Add(-3 * time.Hour)})
	a := f.article(&news.Article{Edition: "en", Title: "What the analyst said", Lead: "A talk about the week.",
		Body:   "An introduction.\n\n- What about the border?\n\n- In terms of trade, little changes.\n\nFirst published by Example Weekly.",
		Byline: "Anna Reporter", Source: "Example Weekly", Categories: []string{"interview"}, Tags: []string{"Border", "Trade"},
		PublishedAt: storetest.T0.Add(-2 * time.Hour), TranslationOf: ru.ID, Interview: true})
	a.Correction = "An earlier version misspelled a name."
	a.UpdatedAt = storetest.T0.Add(-time.Hour)
	if err := f.db.UpdateArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	var first news.Comment
	for i := range 12 {
		c := news.Comment{ArticleID: a.ID, Name: fmt.Sprintf("Reader %d", i), Body: "Comment text", Status: news.CommentPublished,
			CreatedAt: storetest.T0.Add(time.Duration(-60+i) * time.Minute)}
		if i == 3 {
			c.ParentID = first.ID
		}
		if err := f.db.CreateComment(ctx, &c); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = c
		}
	}
	f.db.CreateComment(ctx, &news.Comment{ArticleID: a.ID, Body: "Held back", Status: news.CommentPending})

	res, body := f.get(path(a))
	if res.StatusCode != 200 {
		t.Fatalf("status %d", res.StatusCode)
	}
	// The reference order, top to bottom.
	markers := []string{`<h1>What the analyst said</h1>`, `href="#comments"`, `class="lead"`, `class="byline"`,
		`class="source"`, `class="published"`, `class="updated"`, `class="correction"`, `class="body"`,
		`class="tags"`, `class="translations"`, `id="comments"`, `Write your comment`, `class="comment-list"`, `class="follow"`}
	last := -1
	for _, m := range markers {
		i := strings.Index(body, m)
		if i < 0 {
			t.Errorf("article page lacks %s", m)
			continue
		}
		if i < last {
			t.Errorf("%s comes before the previous element of the reference order", m)
		}
		last = i
	}
	d, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
	if got := d.Find(".headline-row a.count span[aria-hidden]").Text() + "|" + d.Find(".headline-row a.count .visually-hidden").Text(); got != "12|12 comments" {
		t.Errorf("headline comment count = %q, want 12 (pending ones do not count)", got)
	}
	if got := d.Find("#comments-h .count").Text(); got != "12" {
		t.Errorf("Write your comment count = %q", got)
	}
	if n := d.Find("#comments .comment").Length(); n != 12 {
		t.Errorf("%d comments shown, want 12", n)
	}
	if n := d.Find("#comments .comment .comment-list .comment").Length(); n != 1 {
		t.Errorf("%d replies nested, want 1", n)
	}
	if strings.Contains(body, "Held back") {
		t.Error("a pending comment is shown")
	}
	if got := d.Find(".byline").Text(); got != "By Anna Reporter" {
		t.Errorf("byline = %q", got)
	}
	if got := d.Find(".published").Text(); got != "Published 2 February 2026, 11:47" {
		t.Errorf("published = %q", got)
	}
	if got := d.Find(".updated").Text(); got != "Updated 2 February 2026, 12:47" {
		t.Errorf("updated = %q", got)
	}
	if !strings.Contains(d.Find(".correction").Text(), "misspelled a name") {
		t.Errorf("correction = %q", d.Find(".correction").Text())
	}
	if d.Find(".body .interview .turn-q").Length() != 1 || d.Find(".body .interview .turn-a").Length() != 1 || d.Find(".body ul").Length() != 0 {
		t.Errorf("interview turns not rendered as turns: %s", d.Find(".body").Text())
	}
	if href, _ := d.Find(".translations a[hreflang=ru]").Attr("href"); href != path(ru) {
		t.Errorf("translation link = %q, want %q", href, path(ru))
	}
	if href, _ := d.Find(`link[rel=alternate][hreflang=ru]`).Attr("href"); href != path(ru) {
		t.Errorf("hreflang alternate = %q", href)
	}
	if href, _ := d.Find(`.editions a[hreflang=ru]`).Attr("href"); href != path(ru) {
		t.Errorf("edition switcher does not lead to the translation: %q", href)
	}
	if href, _ := d.Find(`.tags a`).First().Attr("href"); href != "/en/tag/border/" {
		t.Errorf("tag link = %q", href)
	}
	if href, _ := d.Find(`link[rel=canonical]`).Attr("href"); href != path(a) {
		t.Errorf("canonical = %q, want the path alone until primary_url is set", href)
	}
}

// Turns of speech come only with the interview mark: without it a hyphen
// list is a list and a dash paragraph a paragraph, on the page and in the
// description taken from the text.
func TestArticleBodyFollowsTheInterviewMark(t *testing.T) {
	f := newFixture(t)
	body := "- What about the border?\n- In terms of trade, little changes.\n\n– And now?\n\n– We wait."
	for i, interview := range []bool{false, true} {
		a := f.article(&news.Article{Edition: "en", Title: fmt.Sprintf("Story %d", i), Body: body, Interview: interview,
			PublishedAt: storetest.T0.Add(-time.Hour)})
		d := f.doc(path(a), 200)
		items, questions, answers := d.Find(".body ul li").Length(), d.Find(".body .interview .turn-q").Length(), d.Find(".body .interview .turn-a").Length()
		desc, _ := d.Find(`meta[name=description]`).Attr("content")
		if interview {
			// One exchange: the hyphen items, then the en dash paragraphs.
			if items != 0 || questions != 2 || answers != 2 || d.Find(".body .interview").Length() != 1 {
				t.Errorf("interview: %d list items, %d questions, %d answers: %s", items, questions, answers, d.Find(".body").Text())
			}
			if !strings.HasPrefix(desc, "— What about the border? — In terms of trade") {
				t.Errorf("interview description = %q", desc)
			}
			continue
		}
		// Outside an interview nothing is a turn: the en dash paragraphs
		// stay paragraphs, as direct speech in a report would.
		if items != 2 || questions != 0 || answers != 0 {
			t.Errorf("article: %d list items, %d questions, %d answers: %s", items, questions, answers, d.Find(".body").Text())
		}
		if !strings.HasPrefix(desc, "What about the border? In terms of trade") {
			t.Errorf("article description = %q", desc)
		}
	}
}

func TestScheduledArticleAppearsAtItsTime(t *testing.T) {
	f := newFixture(t)
	storetest.MustCategory(t, f.db, "ru", "politics", "Политика")
	a := f.article(&news.Article{Edition: "ru", Title: "Запланированная новость", Categories: []string{"politics"},
		PublishedAt: storetest.T0.Add(time.Hour)})
	f.doc(path(a), 404)
	for _, p := range []string{"/ru/", "/ru/politics/", "/ru/news/2026/2/2/"} {
		if _, body := f.get(p); strings.Contains(body, a.Title) {
			t.Errorf("%s shows a scheduled article before its time", p)
		}
	}
	f.clock.Set(storetest.T0.Add(time.Hour))
	f.doc(path(a), 200)
	for _, p := range []string{"/ru/", "/ru/politics/", "/ru/news/2026/2/2/"} {
		if _, body := f.get(p); !strings.Contains(body, a.Title) {
			t.Errorf("%s does not show the article once its time came", p)
		}
	}
}

func TestUnpublishedIs410AndDraftIs404(t *testing.T) {
	f := newFixture(t)
	gone := f.article(&news.Article{Edition: "en", Title: "Withdrawn", Status: news.StatusUnpublished, PublishedAt: storetest.T0.Add(-time.Hour)})
	d := f.doc(path(gone), 410)
	if d.Find("h1").Text() != "This article has been withdrawn" {
		t.Errorf("410 page heading = %q", d.Find("h1").Text())
	}
	draft := f.article(&news.Article{Edition: "en", Title: "Draft", Status: news.StatusDraft})
	f.doc(path(draft), 404)
	if _, body := f.get("/en/"); strings.Contains(body, "Withdrawn") {
		t.Error("the home lists a withdrawn article")
	}
}

func TestNotFoundInTheEditionsLanguage(t *testing.T) {
	f := newFixture(t)
	for p, want := range map[string]string{
		"/be/no-such-category/":      "be",
		"/en/news/2026/2/2/424242/":  "en",
		"/ru/some/deep/missing/path": "ru",
		"/xx/":                       "ru", // unknown edition: the default one
		"/en/news/2026/2/30/":        "en", // no such day
		"/en/news/2026/02/02/":       "en", // the site writes dates without zeros
		"/en/news/2026/2/2/abc/":     "en",
	} {
		res, body := f.get(p)
		if res.StatusCode != 404 {
			t.Errorf("%s: status %d, want 404", p, res.StatusCode)
			continue
		}
		d, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
		if lang, _ := d.Find("html").Attr("lang"); lang != want {
			t.Errorf("%s: 404 page in %q, want %q", p, lang, want)
		}
		if d.Find("h1").Text() == "" || d.Find(`meta[name=robots][content=noindex]`).Length() != 1 {
			t.Errorf("%s: 404 page lacks a heading or noindex", p)
		}
	}
	if got := f.doc("/be/nowhere/", 404).Find("h1").Text(); got == "Page not found" || got == "" {
		t.Errorf("Belarusian 404 heading = %q", got)
	}
}

func TestCategoryPagination(t *testing.T) {
	f := newFixture(t)
	storetest.MustCategory(t, f.db, "en", "world", "World")
	for i := range 45 {
		f.article(&news.Article{Edition: "en", Title: fmt.Sprintf("World story %02d", i), Categories: []string{"world"},
			PublishedAt: storetest.T0.Add(-time.Duration(45-i) * time.Hour)})
	}
	d := f.doc("/en/world/", 200)
	if n := d.Find(".news-list li").Length(); n != site.PageSize {
		t.Errorf("page 1 has %d items", n)
	}
	if got := d.Find(".news-list li a.title").First().Text(); got != "World story 44" {
		t.Errorf("page 1 starts with %q", got)
	}
	if href, _ := d.Find(`.pager a[rel=next]`).Attr("href"); href != "/en/world/?page=2" {
		t.Errorf("next link = %q", href)
	}
	if d.Find(`.pager a[rel=prev]`).Length() != 0 {
		t.Error("page 1 has a previous link")
	}
	if cur, _ := d.Find(`nav.menu a[aria-current]`).Attr("href"); cur != "/en/world/" {
		t.Errorf("menu does not mark the current category: %q", cur)
	}
	d = f.doc("/en/world/?page=3", 200)
	if n := d.Find(".news-list li").Length(); n != 5 {
		t.Errorf("page 3 has %d items, want 5", n)
	}
	if href, _ := d.Find(`.pager a[rel=prev]`).Attr("href"); href != "/en/world/?page=2" {
		t.Errorf("prev link = %q", href)
	}
	if d.Find(`.pager a[rel=next]`).Length() != 0 {
		t.Error("the last page has a next link")
	}
	f.doc("/en/world/?page=4", 404)
	f.doc("/en/world/?page=abc", 400)
	f.doc("/en/world/?page=0", 400)
}

func TestDayArchiveAndTags(t *testing.T) {
	f := newFixture(t)
	// 23:30 UTC on 1 Feb is 00:30 on 2 Feb in Warsaw.
	late := f.article(&news.Article{Edition: "ru", Title: "Ночная новость", Tags: []string{"Минск"}, PublishedAt: time.Date(2026, 2, 1, 23, 30, 0, 0, time.UTC)})
	f.article(&news.Article{Edition: "ru", Title: "Вчерашняя новость", Tags: []string{"минск", "Вильнюс"}, PublishedAt: time.Date(2026, 2, 1, 12, 0, 0, 0, time.UTC)})
	if !strings.HasPrefix(path(late), "/ru/news/2026/2/2/") {
		t.Fatalf("path %s is not dated 2 Feb in Warsaw", path(late))
	}
	d := f.doc("/ru/news/2026/2/2/", 200)
	if d.Find(".news-list a.title").Length() != 1 || d.Find(".news-list a.title").Text() != "Ночная новость" {
		t.Errorf("2 Feb lists %q", d.Find(".news-list a.title").Text())
	}
	if d.Find("h1").Text() != "Новости за 2 февраля 2026" && !strings.Contains(d.Find("h1").Text(), "2 февраля 2026") {
		t.Errorf("day heading = %q", d.Find("h1").Text())
	}
	d = f.doc("/ru/tag/"+urlEscape("минск")+"/", 200)
	if n := d.Find(".news-list li").Length(); n != 2 {
		t.Errorf("tag page lists %d articles, want 2", n)
	}
	if !strings.Contains(d.Find("h1").Text(), "Минск") {
		t.Errorf("tag heading = %q", d.Find("h1").Text())
	}
	res, _ := f.get("/ru/tag/" + urlEscape("Минск") + "/")
	if res.StatusCode != 301 || res.Header.Get("Location") != "/ru/tag/"+urlEscape("минск")+"/" {
		t.Errorf("capitalised tag: %d → %s", res.StatusCode, res.Header.Get("Location"))
	}
	f.doc("/ru/tag/nobody/", 404)
}

func urlEscape(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

func TestHomePage(t *testing.T) {
	f := newFixture(t)
	storetest.MustCategory(t, f.db, "en", "world", "World")
	storetest.MustCategory(t, f.db, "en", "empty", "Empty")
	top := f.article(&news.Article{Edition: "en", Title: "The top story", Lead: "Why it matters.", Top: true, PublishedAt: storetest.T0.Add(-5 * time.Hour)})
	f.article(&news.Article{Edition: "en", Title: "Tomorrow's top", Top: true, PublishedAt: storetest.T0.Add(5 * time.Hour)})
	brk := f.article(&news.Article{Edition: "en", Title: "Breaking: a bridge closed", Breaking: true, PublishedAt: storetest.T0.Add(-10 * time.Minute)})
	for i := range 6 {
		f.article(&news.Article{Edition: "en", Title: fmt.Sprintf("World %d", i), Categories: []string{"world"}, PublishedAt: storetest.T0.Add(-time.Duration(i+1) * time.Hour)})
	}
	f.db.CreateComment(ctx, &news.Comment{ArticleID: brk.ID, Body: "Stay safe", Status: news.CommentPublished})
	d := f.doc("/en/", 200)
	if d.Find(".top-story h2").Text() != "The top story" {
		t.Errorf("top story = %q (a scheduled top must not lead yet)", d.Find(".top-story h2").Text())
	}
	if href, _ := d.Find(".breaking a").Attr("href"); href != path(brk) {
		t.Errorf("breaking banner links %q", href)
	}
	latest := d.Find("#latest-h").Parent().Find(".news-list li")
	if latest.Length() != 7 {
		t.Errorf("latest lists %d, want 7 (all but the top story)", latest.Length())
	}
	if latest.First().Find("time").Text() != "2 February, 13:37" || latest.First().Find("a.count").Text() != "11 comment" {
		t.Errorf("latest first item: time %q count %q", latest.First().Find("time").Text(), latest.First().Find("a.count").Text())
	}
	if d.Find(".blocks section").Length() != 1 || d.Find(".blocks section .news-list li").Length() != 4 {
		t.Errorf("category blocks: %d sections, %d items", d.Find(".blocks section").Length(), d.Find(".blocks section .news-list li").Length())
	}
	_ = top
	// The bare root serves the default edition.
	f.set("default_edition", "en")
	if d := f.doc("/", 200); d.Find(".top-story h2").Text() != "The top story" {
		t.Error("/ does not serve the default edition's home")
	}
	res, _ := f.get("/en")
	if (res.StatusCode != 301 && res.StatusCode != 307) || res.Header.Get("Location") != "/en/" {
		t.Errorf("/en → %d %s", res.StatusCode, res.Header.Get("Location"))
	}
}

func TestSupportAccessAboutPrivacy(t *testing.T) {
	f := newFixture(t)
	f.set("support_methods", `[{"kind":"bank","label":"Bank transfer","value":"LT00 0000 0000 0000 0000"},{"kind":"link","label":"Card","value":"https://example.org/give"}]`)
	f.set("access.en", "Use **Tor Browser** or a VPN.")
	f.set("mirror_urls", "https://mirror-one.example.net,https://mirror-two.example.net")
	f.set("onion_url", "http://abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion")
	d := f.doc("/en/support/", 200)
	if d.Find(".methods li").Length() != 2 || d.Find(".methods code").Text() != "LT00 0000 0000 0000 0000" {
		t.Errorf("support methods: %q", d.Find(".methods").Text())
	}
	if href, _ := d.Find(".methods a").Attr("href"); href != "https://example.org/give" {
		t.Errorf("link method = %q", href)
	}
	d = f.doc("/en/access/", 200)
	if d.Find(".body strong").Text() != "Tor Browser" {
		t.Errorf("access text not rendered: %q", d.Find(".body").Text())
	}
	if d.Find("#mirrors-h + ul li").Length() != 2 || !strings.Contains(d.Find("#onion-h + p").Text(), ".onion") {
		t.Errorf("access page mirrors/onion: %q", d.Text())
	}
	if f.doc("/ru/privacy/", 200).Find(".body p").Length() == 0 {
		t.Error("privacy page is empty without a stored page")
	}
	f.db.PutPage(ctx, &news.Page{Edition: "en", Slug: "about", Title: "Who we are", Body: "We report from *Vilnius*."})
	d = f.doc("/en/about/", 200)
	if d.Find("h1").Text() != "Who we are" || d.Find(".body em").Text() != "Vilnius" {
		t.Errorf("about page: %q", d.Find("article").Text())
	}
}

func TestHostsAndCanonical(t *testing.T) {
	f := newFixture(t)
	a := f.article(&news.Article{Edition: "en", Title: "Story", PublishedAt: storetest.T0.Add(-time.Hour)})
	// Before primary_url is set any host is served, and no host it names
	// reaches the page: a cache in front must not keep evil.example's
	// links.
	res, body := f.getHost("evil.example", path(a))
	if res.StatusCode != 200 {
		t.Errorf("any host before primary_url: %d", res.StatusCode)
	}
	if strings.Contains(body, "evil.example") || !strings.Contains(body, `<link rel="canonical" href="`+path(a)+`">`) {
		t.Errorf("the page built a URL from the Host header: %s", excerpt(body[strings.Index(body, "<link"):]))
	}
	f.set("primary_url", "https://news.example.org")
	f.set("mirror_urls", "https://mirror.example.net,https://m2.example.net:8443")
	f.set("onion_url", "http://abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion")
	for host, want := range map[string]int{
		"news.example.org": 200, "NEWS.example.org.": 200, "news.example.org:443": 200, "news.example.org:8080": 421,
		"mirror.example.net": 200, "mirror.example.net:8443": 421, "m2.example.net:8443": 200, "m2.example.net": 421,
		"abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion": 200, "evil.example.com": 421,
		"news.example.org.evil.example.com": 421,
	} {
		res, body := f.getHost(host, path(a))
		if res.StatusCode != want {
			t.Errorf("host %s: %d, want %d", host, res.StatusCode, want)
		}
		if want == 200 {
			if !strings.Contains(body, `<link rel="canonical" href="https://news.example.org`+path(a)+`">`) {
				t.Errorf("host %s: canonical does not point at the primary domain", host)
			}
			if strings.Contains(body, `href="https://mirror.example.net`) || strings.Contains(body, `href="http://`+host) {
				t.Errorf("host %s: the page links to a host instead of a relative path", host)
			}
		}
	}
	// Every reader path is held to the same hosts, images and robots.txt
	// included.
	for _, p := range []string{"/robots.txt", "/media/1/320", "/en/", "/no/such/page/"} {
		if res, _ := f.getHost("evil.example.com", p); res.StatusCode != 421 {
			t.Errorf("evil.example.com %s: %d, want 421", p, res.StatusCode)
		}
	}
}

func TestArticleURLWithWrongDateRedirects(t *testing.T) {
	f := newFixture(t)
	a := f.article(&news.Article{Edition: "en", Title: "Story", PublishedAt: storetest.T0.Add(-time.Hour)})
	res, _ := f.get(fmt.Sprintf("/en/news/2025/1/1/%d/", a.ID))
	if res.StatusCode != 301 || res.Header.Get("Location") != path(a) {
		t.Errorf("wrong date: %d → %q", res.StatusCode, res.Header.Get("Location"))
	}
	res, _ = f.get(fmt.Sprintf("/ru/news/2026/2/2/%d/", a.ID))
	if res.StatusCode != 301 || res.Header.Get("Location") != path(a) {
		t.Errorf("wrong edition: %d → %q", res.StatusCode, res.Header.Get("Location"))
	}
}

// TestCachedClockTurnsWithTheMinute: a kept page is answered from memory
// within its minute and made again when the top bar's minute turns,
// without anything being invalidated; the render count says how often.
func TestCachedClockTurnsWithTheMinute(t *testing.T) {
	f := newFixture(t)
	f.article(&news.Article{Edition: "en", Title: "Kept story", Body: "Text.", PublishedAt: storetest.T0.Add(-time.Hour)})
	cache := pagecache.New(8<<20, pagecache.Options{Now: f.clock.Now})
	f.serve(func(st *site.Site) { st.SetCache(cache) })
	clockOf := func() (string, string) {
		res, body := f.get("/en/")
		d, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
		return d.Find(".topbar time.clock").Text(), res.Header.Get("X-Cache")
	}
	if c, x := clockOf(); c != "2 February 2026, Monday, 13:47" || x != "MISS" {
		t.Fatalf("first view: %q, %s", c, x)
	}
	f.clock.Set(storetest.T0.Add(59 * time.Second))
	if c, x := clockOf(); c != "2 February 2026, Monday, 13:47" || x != "HIT" {
		t.Errorf("within the minute: %q, %s", c, x)
	}
	f.clock.Set(storetest.T0.Add(time.Minute))
	if c, x := clockOf(); c != "2 February 2026, Monday, 13:48" || x != "MISS" {
		t.Errorf("the next minute: %q, %s", c, x)
	}
	if n := cache.Stats().Misses; n != 2 {
		t.Errorf("%d renders for two minutes, want 2", n)
	}
}

// serve has the fixture answer through a site of its own, set up by
// setup (a page cache, the kept chrome).
func (f *fixture) serve(setup func(*site.Site)) *site.Site {
	st := site.New(f.db, mustViews(f.t), slog.New(slog.NewTextHandler(io.Discard, nil)))
	setup(st)
	mux := http.NewServeMux()
	st.Routes(mux)
	f.srv = web.Hosts(st.Settings, mux)
	return st
}

func mustViews(t *testing.T) *views.Views {
	v, err := views.New()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestACommentRemakesItsArticleNotTheLists: a comment drops its article's
// page at once, while the lists that show its count keep theirs and show
// the new count when their minute (the clock's) is up.
func TestACommentRemakesItsArticleNotTheLists(t *testing.T) {
	f := newFixture(t)
	a := f.article(&news.Article{Edition: "en", Title: "Talked about", Body: "Text.", PublishedAt: storetest.T0.Add(-time.Hour)})
	cache := pagecache.New(8<<20, pagecache.Options{Now: f.clock.Now})
	st := f.serve(func(st *site.Site) { st.SetCache(cache) })
	count := func(p string) (string, string) {
		res, body := f.get(p)
		d, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
		return strings.TrimSpace(d.Find(".count").First().Text()), res.Header.Get("X-Cache")
	}
	for _, p := range []string{"/en/", path(a)} {
		if n, x := count(p); !strings.HasPrefix(n, "0") || x != "MISS" {
			t.Fatalf("%s first: count %q, %s", p, n, x)
		}
	}
	cm := news.Comment{ArticleID: a.ID, Name: "Reader", Body: "Seen it.", Status: news.CommentPublished, CreatedAt: storetest.T0}
	if err := f.db.CreateComment(ctx, &cm); err != nil {
		t.Fatal(err)
	}
	st.Invalidate([]store.Change{{Kind: store.ChangeComment, Ref: strconv.FormatInt(a.ID, 10)}})
	if n, x := count(path(a)); !strings.HasPrefix(n, "1") || x != "MISS" {
		t.Errorf("the article after its comment: count %q, %s", n, x)
	}
	f.clock.Set(storetest.T0.Add(59 * time.Second))
	if n, x := count("/en/"); !strings.HasPrefix(n, "0") || x != "HIT" {
		t.Errorf("the home page within its minute: count %q, %s", n, x)
	}
	f.clock.Set(storetest.T0.Add(time.Minute))
	if n, x := count("/en/"); !strings.HasPrefix(n, "1") || x != "MISS" {
		t.Errorf("the home page the next minute: count %q, %s", n, x)
	}
}

// TestADeletedArticleMovesEveryPageOfItsLists: the deleted article was on
// page 1, yet page 2 of its category moved too (its first story went up to
// page 1): the change log names the lists, and the cached page 2, which
// never showed the deleted article, is made again.
func TestADeletedArticleMovesEveryPageOfItsLists(t *testing.T) {
	f := newFixture(t)
	storetest.MustCategory(t, f.db, "en", "world", "World")
	var newest *news.Article
	for i := range site.PageSize + 5 {
		newest = f.article(&news.Article{Edition: "en", Title: fmt.Sprintf("World story %02d", i), Body: "Text.",
			Categories: []string{"world"}, PublishedAt: storetest.T0.Add(-time.Duration(100-i) * time.Minute)})
	}
	cache := pagecache.New(8<<20, pagecache.Options{Now: f.clock.Now})
	st := f.serve(func(st *site.Site) { st.SetCache(cache) })
	shown := func() (int, string) {
		res, body := f.get("/en/world/?page=2")
		d, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
		return d.Find(".news-list li a.title").Length(), res.Header.Get("X-Cache")
	}
	if n, x := shown(); n != 5 || x != "MISS" {
		t.Fatalf("page 2 first: %d stories, %s", n, x)
	}
	if n, x := shown(); n != 5 || x != "HIT" {
		t.Fatalf("page 2 again: %d stories, %s", n, x)
	}
	before, err := f.db.LastChange(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.db.DeleteArticle(ctx, newest.ID); err != nil {
		t.Fatal(err)
	}
	changes, err := f.db.ChangesAfter(ctx, before)
	if err != nil {
		t.Fatal(err)
	}
	st.Invalidate(changes)
	if n, x := shown(); n != 4 || x != "MISS" {
		t.Errorf("page 2 after the newest story was deleted: %d stories, %s; want 4, made again", n, x)
	}
}

// TestKeptChromeFollowsItsChanges: with the chrome kept in memory, the
// menu, masthead and footer rendered once still show the active section of
// each page, and a change of settings or categories shows at the next page.
func TestKeptChromeFollowsItsChanges(t *testing.T) {
	f := newFixture(t)
	storetest.MustCategory(t, f.db, "en", "world", "World")
	f.article(&news.Article{Edition: "en", Title: "A story", Body: "Text.", Categories: []string{"world"}, PublishedAt: storetest.T0.Add(-time.Hour)})
	st := f.serve((*site.Site).CacheChrome)
	look := func(p string) (masthead, menu, current string) {
		d := f.doc(p, http.StatusOK)
		return d.Find(".masthead .logo").Text(), d.Find("nav.menu li").Text(), d.Find(`nav.menu a[aria-current="page"]`).Text()
	}
	for range 2 { // made, then kept
		if _, menu, cur := look("/en/world/"); !strings.Contains(menu, "World") || cur != "World" {
			t.Errorf("/en/world/: menu %q, current %q", menu, cur)
		}
		if _, _, cur := look("/en/"); cur != "" {
			t.Errorf("/en/ marks %q as the current section", cur)
		}
	}
	f.set("site_name", "Renamed Daily")
	storetest.MustCategory(t, f.db, "en", "sport", "Sport")
	st.Invalidate([]store.Change{{Kind: store.ChangeSettings, Ref: "site_name"}, {Kind: store.ChangeCategory, Ref: "en"}})
	if mast, menu, _ := look("/en/"); strings.TrimSpace(mast) != "Renamed Daily" || !strings.Contains(menu, "Sport") {
		t.Errorf("after the changes: masthead %q, menu %q", mast, menu)
	}
}
