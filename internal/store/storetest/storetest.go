// Package storetest is the conformance suite every storage engine passes:
// written once, run against SQLite and PostgreSQL alike, covering each query
// the application makes.
package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"tamizdat/internal/news"
	"tamizdat/internal/store"
)

// Clock is a settable clock for the store under test.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

func NewClock(t time.Time) *Clock { return &Clock{t: t} }

func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// Opener returns a new, empty, migrated store whose clock is clock.Now.
type Opener func(t *testing.T, clock *Clock) *store.DB

// T0 is the suite's fixed "now": 2 February 2026, 12:47 UTC.
var T0 = time.Date(2026, 2, 2, 12, 47, 0, 0, time.UTC)

// Run runs the whole suite.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(t *testing.T, db *store.DB, clock *Clock)
	}{
		{"NewDatabaseHoldsEditionsOnly", testNewDatabase},
		{"Settings", testSettings},
		{"Categories", testCategories},
		{"ArticleRoundTrip", testArticleRoundTrip},
		{"ArticleValidation", testArticleValidation},
		{"ListsOrderPaginateCount", testLists},
		{"ListsFollowEveryEdit", testListsFollowEveryEdit},
		{"ListsNumberedUnderConcurrentWrites", testListsNumberedUnderConcurrentWrites},
		{"ReaderPagesReadIndexesInOrder", testReaderPlans},
		{"RenderedOnSave", testRenderedOnSave},
		{"ScheduledVisibility", testScheduled},
		{"DayArchiveInTimeZone", testDayArchive},
		{"Translations", testTranslations},
		{"TagsAndSearchUnicode", testTagsUnicode},
		{"CommentsCountPublishedOnly", testComments},
		{"BatchesWriteAllOrNothing", testBatches},
		{"CommentLimitsHoldForCommentsSentTogether", testCommentLimitsTogether},
		{"ReportsCountOncePerReader", testReportsOncePerReader},
		{"ImagePublishedLiveOrScheduled", testImagePublished},
		{"OwnOrVisibleList", testOwnOrVisible},
		{"DeleteArticle", testDelete},
		{"UsersAndTokens", testUsersTokens},
		{"Pages", testPages},
		{"ConcurrentWrites", testConcurrentWrites},
		{"ChangeLog", testChangeLog},
		{"ClaimOnce", testClaim},
		{"GoLiveExactlyOnce", testGoLive},
		{"Sessions", testSessions},
		{"SigninThrottle", testThrottle},
		{"TextNoEngineHolds", testTextNoEngineHolds},
		{"LoadRefusesNUL", testLoadRefusesNUL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := NewClock(T0)
			db := open(t, clock)
			tt.fn(t, db, clock)
		})
	}
}

func ctx() context.Context { return context.Background() }

// MustCategory creates a category or fails the test.
func MustCategory(t *testing.T, db *store.DB, edition, slug, name string) news.Category {
	t.Helper()
	c := news.Category{Edition: edition, Slug: slug, Name: name}
	if err := db.CreateCategory(ctx(), &c); err != nil {
		t.Fatalf("CreateCategory(%s/%s): %v", edition, slug, err)
	}
	return c
}

// MustArticle creates a published article at pub with the given categories.
func MustArticle(t *testing.T, db *store.DB, edition, title string, pub time.Time, cats ...string) *news.Article {
	t.Helper()
	a := &news.Article{Edition: edition, Title: title, Lead: "Lead of " + title, Body: "Body of " + title,
		Categories: cats, Status: news.StatusPublished, PublishedAt: pub, CreatedAt: pub.Add(-time.Hour)}
	if err := db.CreateArticle(ctx(), a); err != nil {
		t.Fatalf("CreateArticle(%q): %v", title, err)
	}
	return a
}

func wantCode(t *testing.T, err error, code, what string) {
	t.Helper()
	if got := news.ErrorCode(err); got != code {
		t.Errorf("%s: error code %q (%v), want %q", what, got, err, code)
	}
}

func testNewDatabase(t *testing.T, db *store.DB, _ *Clock) {
	es, err := db.Editions(ctx())
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, e := range es {
		codes = append(codes, e.Code)
	}
	if fmt.Sprint(codes) != "[ru be en]" {
		t.Errorf("editions = %v, want [ru be en]", codes)
	}
	for _, e := range codes {
		cs, err := db.Categories(ctx(), e)
		if err != nil || len(cs) != 0 {
			t.Errorf("edition %s has categories %v (%v), want none", e, cs, err)
		}
	}
	if n, err := db.CountArticles(ctx()); err != nil || n != 0 {
		t.Errorf("CountArticles = %d, %v; want 0", n, err)
	}
	if _, err := db.UserByEmail(ctx(), "admin@example.org"); news.ErrorCode(err) != news.ENOTFOUND {
		t.Errorf("a new database has a user: %v", err)
	}
	s, err := db.Settings(ctx())
	if err != nil || s.DefaultEdition != "ru" || s.TimeZone != "UTC" {
		t.Errorf("default settings = %+v, %v", s, err)
	}
	cur, latest, err := db.SchemaVersion(ctx())
	if err != nil || cur != latest || cur < 1 {
		t.Errorf("SchemaVersion = %d, %d, %v", cur, latest, err)
	}
}

func testSettings(t *testing.T, db *store.DB, _ *Clock) {
	for _, kv := range [][2]string{
		{"site_name", "Вольны голас"},
		{"time_zone", "Europe/Vilnius"},
		{"default_edition", "en"},
		{"support_methods", `[{"kind":"link","label":"Donate","value":"https://example.org/give"}]`},
		{"social_accounts", `[{"network":"telegram","url":"https://example.com/tg"}]`},
		{"access.be", "Карыстайцеся VPN."},
		{"mirror_urls", "https://m1.example.net, https://m2.example.net/"},
	} {
		if err := db.SetSetting(ctx(), kv[0], kv[1]); err != nil {
			t.Fatalf("SetSetting(%s): %v", kv[0], err)
		}
	}
	s, err := db.Settings(ctx())
	if err != nil {
		t.Fatal(err)
	}
	if s.SiteName != "Вольны голас" || s.Location.String() != "Europe/Vilnius" || s.DefaultEdition != "en" ||
		len(s.SupportMethods) != 1 || s.SocialAccounts[0].Network != "telegram" || s.Access["be"] != "Карыстайцеся VPN." ||
		s.Get("mirror_urls") != "https://m1.example.net,https://m2.example.net" {
		t.Errorf("settings read back as %+v", s)
	}
	for _, kv := range [][2]string{
		{"colour", "red"},
		{"time_zone", "Mars/Olympus"},
		{"time_zone", "Local"},
		{"default_edition", "de"},
		{"support_methods", `{"kind":"x"}`},
		{"support_methods", `[{"kind":"link","label":"x","value":"javascript:alert(1)"}]`},
		{"social_accounts", `[{"network":"x","url":"ftp://x"}]`},
		{"access.de", "x"},
		{"primary_url", "https://example.org/path"},
		{"onion_url", "http://example.org"},
	} {
		wantCode(t, db.SetSetting(ctx(), kv[0], kv[1]), news.EINVALID, "SetSetting("+kv[0]+"="+kv[1]+")")
	}
	if s2, _ := db.Settings(ctx()); s2.Location.String() != "Europe/Vilnius" {
		t.Errorf("a refused setting changed the stored one: %v", s2.Location)
	}
}

func testCategories(t *testing.T, db *store.DB, _ *Clock) {
	MustCategory(t, db, "ru", "politics", "Политика")
	MustCategory(t, db, "ru", "economy", "Экономика")
	MustCategory(t, db, "en", "politics", "Politics")
	wantCode(t, db.CreateCategory(ctx(), &news.Category{Edition: "ru", Slug: "politics", Name: "X"}), news.ECONFLICT, "duplicate slug")
	wantCode(t, db.CreateCategory(ctx(), &news.Category{Edition: "de", Slug: "x", Name: "X"}), news.EINVALID, "unknown edition")
	for _, slug := range []string{"news", "support", "access", "rss.xml", "Politics", "", "-x", "a b"} {
		wantCode(t, db.CreateCategory(ctx(), &news.Category{Edition: "ru", Slug: slug, Name: "X"}), news.EINVALID, "slug "+slug)
	}
	cs, err := db.Categories(ctx(), "ru")
	if err != nil || len(cs) != 2 || cs[0].Slug != "politics" || cs[1].Position != 2 {
		t.Errorf("ru categories = %+v, %v", cs, err)
	}
}

func testArticleRoundTrip(t *testing.T, db *store.DB, clock *Clock) {
	MustCategory(t, db, "be", "palityka", "Палітыка")
	MustCategory(t, db, "be", "svet", "Свет")
	pub := T0.Add(-time.Hour).Truncate(time.Microsecond)
	in := &news.Article{Edition: "be", Title: "  Загаловак  ", Lead: "Лід", Body: "— Пытанне?\n\n— Адказ.",
		Categories: []string{"svet", "palityka"}, Tags: []string{"Мінск", "мінск", "Вільня"}, Byline: "Рэдакцыя",
		Source: "Агенцтва", Status: news.StatusPublished, PublishedAt: pub, Correction: "", CommentPolicy: news.PolicyPremoderated,
		Top: true, Breaking: true, Interview: true}
	if err := db.CreateArticle(ctx(), in); err != nil {
		t.Fatal(err)
	}
	got, err := db.Article(ctx(), in.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "Загаловак" || got.Lead != "Лід" || got.Body != in.Body || fmt.Sprint(got.Categories) != "[svet palityka]" ||
		fmt.Sprint(got.Tags) != "[Мінск Вільня]" || got.Byline != "Рэдакцыя" || got.Source != "Агенцтва" ||
		!got.PublishedAt.Equal(pub) || got.CommentPolicy != news.PolicyPremoderated || !got.Top || !got.Breaking ||
		!got.Interview || got.CreatedAt.IsZero() || !got.UpdatedAt.IsZero() {
		t.Errorf("read back %+v", got)
	}
	got.Title, got.Correction, got.UpdatedAt, got.Top, got.Interview = "Новы загаловак", "Выпраўлена імя.", T0, false, false
	got.Categories = []string{"palityka"}
	if err := db.UpdateArticle(ctx(), got); err != nil {
		t.Fatal(err)
	}
	again, _ := db.Article(ctx(), in.ID)
	if again.Title != "Новы загаловак" || again.Correction != "Выпраўлена імя." || !again.UpdatedAt.Equal(T0) || again.Top ||
		again.Interview || fmt.Sprint(again.Categories) != "[palityka]" {
		t.Errorf("after update %+v", again)
	}
	// Each revision keeps the interview mark its text was saved with.
	revs, err := db.Revisions(ctx(), in.ID)
	if err != nil || len(revs) != 2 || revs[0].Interview || !revs[1].Interview {
		t.Errorf("revisions %+v, %v: want the newest without the interview mark, the first with it", revs, err)
	}
	if first, err := db.Revision(ctx(), in.ID, revs[len(revs)-1].ID); err != nil || !first.Interview || first.Body != in.Body {
		t.Errorf("first revision %+v, %v", first, err)
	}
	_, err = db.Article(ctx(), 999999)
	wantCode(t, err, news.ENOTFOUND, "missing article")
	got.ID = 999999
	wantCode(t, db.UpdateArticle(ctx(), got), news.ENOTFOUND, "update missing article")
}

func testArticleValidation(t *testing.T, db *store.DB, _ *Clock) {
	MustCategory(t, db, "ru", "politics", "Политика")
	base := func() *news.Article {
		return &news.Article{Edition: "ru", Title: "T", Status: news.StatusDraft}
	}
	cases := map[string]func(a *news.Article){
		"no title":            func(a *news.Article) { a.Title = "  " },
		"unknown edition":     func(a *news.Article) { a.Edition = "xx" },
		"unknown category":    func(a *news.Article) { a.Categories = []string{"sport"} },
		"other edition cat":   func(a *news.Article) { a.Edition = "en"; a.Categories = []string{"politics"} },
		"bad status":          func(a *news.Article) { a.Status = "live" },
		"bad policy":          func(a *news.Article) { a.CommentPolicy = "maybe" },
		"published no time":   func(a *news.Article) { a.Status = news.StatusPublished },
		"translation missing": func(a *news.Article) { a.TranslationOf = 424242 },
		"unknown image":       func(a *news.Article) { a.Image = &news.Image{ID: 7} },
		"tag with slash":      func(a *news.Article) { a.Tags = []string{"a/b"} },
	}
	for name, mod := range cases {
		a := base()
		mod(a)
		wantCode(t, db.CreateArticle(ctx(), a), news.EINVALID, name)
	}
	big := base()
	big.Body = string(make([]byte, news.MaxBody+1))
	wantCode(t, db.CreateArticle(ctx(), big), news.ETOOLARGE, "oversized body")
	if n, _ := db.CountArticles(ctx()); n != 0 {
		t.Errorf("refused articles left %d rows", n)
	}
}

func testLists(t *testing.T, db *store.DB, _ *Clock) {
	MustCategory(t, db, "en", "world", "World")
	MustCategory(t, db, "en", "culture", "Culture")
	for i := range 25 {
		cat := "world"
		if i%5 == 0 {
			cat = "culture"
		}
		MustArticle(t, db, "en", fmt.Sprintf("Story %02d", i), T0.Add(-time.Duration(25-i)*time.Hour), cat)
	}
	MustArticle(t, db, "ru", "Другая редакция", T0.Add(-time.Minute))
	page1, total, err := db.Articles(ctx(), store.ArticleQuery{Edition: "en", Visible: true, Limit: 10})
	if err != nil || total != 25 || len(page1) != 10 || page1[0].Title != "Story 24" || page1[9].Title != "Story 15" {
		t.Fatalf("page 1: total %d, %d items, first %q, %v", total, len(page1), page1[0].Title, err)
	}
	page3, _, _ := db.Articles(ctx(), store.ArticleQuery{Edition: "en", Visible: true, Limit: 10, Offset: 20})
	if len(page3) != 5 || page3[4].Title != "Story 00" {
		t.Errorf("page 3 has %d items", len(page3))
	}
	culture, total, _ := db.Articles(ctx(), store.ArticleQuery{Edition: "en", Category: "culture", Visible: true})
	if total != 5 || len(culture) != 5 || culture[0].Categories[0] != "culture" {
		t.Errorf("culture: total %d", total)
	}
	if page1[0].Body != "" {
		t.Errorf("lists carry the body unless asked")
	}
	noTotal, total, _ := db.Articles(ctx(), store.ArticleQuery{Edition: "en", Visible: true, Limit: 10, NoTotal: true})
	if total != -1 || len(noTotal) != 10 || noTotal[0].ID != page1[0].ID {
		t.Errorf("NoTotal: total %d, %d items", total, len(noTotal))
	}
	withBody, _, _ := db.Articles(ctx(), store.ArticleQuery{Edition: "en", Limit: 1, WithBody: true})
	if withBody[0].Body == "" {
		t.Errorf("WithBody did not load the body")
	}
}

func testScheduled(t *testing.T, db *store.DB, clock *Clock) {
	a := MustArticle(t, db, "ru", "Завтрашняя новость", T0.Add(2*time.Hour))
	MustArticle(t, db, "ru", "Сегодняшняя", T0.Add(-time.Hour))
	draft := &news.Article{Edition: "ru", Title: "Черновик", Status: news.StatusDraft}
	if err := db.CreateArticle(ctx(), draft); err != nil {
		t.Fatal(err)
	}
	visible := func() int {
		_, n, err := db.Articles(ctx(), store.ArticleQuery{Edition: "ru", Visible: true})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := visible(); n != 1 {
		t.Errorf("before its time: %d visible, want 1", n)
	}
	if a.VisibleAt(clock.Now()) {
		t.Errorf("VisibleAt before its time")
	}
	clock.Set(T0.Add(2 * time.Hour))
	if n := visible(); n != 2 {
		t.Errorf("at its time: %d visible, want 2", n)
	}
}

func testDayArchive(t *testing.T, db *store.DB, _ *Clock) {
	loc, _ := time.LoadLocation("Europe/Minsk") // UTC+3
	// 22:30 UTC on 1 Feb is 01:30 on 2 Feb in Minsk: it belongs to 2 Feb there.
	late := MustArticle(t, db, "ru", "Ночная", time.Date(2026, 2, 1, 22, 30, 0, 0, time.UTC))
	MustArticle(t, db, "ru", "Вечерняя", time.Date(2026, 2, 1, 20, 0, 0, 0, time.UTC))
	day := time.Date(2026, 2, 2, 0, 0, 0, 0, loc)
	list, n, err := db.Articles(ctx(), store.ArticleQuery{Edition: "ru", Visible: true, From: day, To: day.AddDate(0, 0, 1)})
	if err != nil || n != 1 || list[0].ID != late.ID {
		t.Errorf("2 Feb in Minsk: %d articles, %v", n, err)
	}
	if p := late.Path(loc); p != fmt.Sprintf("/ru/news/2026/2/2/%d/", late.ID) {
		t.Errorf("path in Minsk = %s", p)
	}
	if p := late.Path(time.UTC); p != fmt.Sprintf("/ru/news/2026/2/1/%d/", late.ID) {
		t.Errorf("path in UTC = %s", p)
	}
}

func testTranslations(t *testing.T, db *store.DB, _ *Clock) {
	ru := MustArticle(t, db, "ru", "Новость", T0.Add(-3*time.Hour))
	be := &news.Article{Edition: "be", Title: "Навіна", Status: news.StatusPublished, PublishedAt: T0.Add(-2 * time.Hour), TranslationOf: ru.ID}
	if err := db.CreateArticle(ctx(), be); err != nil {
		t.Fatal(err)
	}
	en := &news.Article{Edition: "en", Title: "News", Status: news.StatusPublished, PublishedAt: T0.Add(time.Hour), TranslationOf: be.ID}
	if err := db.CreateArticle(ctx(), en); err != nil {
		t.Fatal(err)
	}
	tr, err := db.Translations(ctx(), ru)
	if err != nil || len(tr) != 1 || tr[0].ID != be.ID {
		t.Errorf("translations of ru before en goes live: %v, %v", tr, err)
	}
	db.SetSetting(ctx(), "site_name", "x") // unrelated write must not disturb groups
	en.PublishedAt = T0.Add(-time.Hour)
	if err := db.UpdateArticle(ctx(), en); err != nil {
		t.Fatal(err)
	}
	tr, _ = db.Translations(ctx(), be)
	if len(tr) != 2 || tr[0].Edition != "ru" || tr[1].Edition != "en" {
		t.Errorf("translations of be: %v", tr)
	}
	// A second Russian version of the same story is refused.
	dup := &news.Article{Edition: "ru", Title: "Дубль", Status: news.StatusDraft, TranslationOf: en.ID}
	wantCode(t, db.CreateArticle(ctx(), dup), news.ECONFLICT, "second ru in group")
	same := &news.Article{Edition: "ru", Title: "Та же редакция", Status: news.StatusDraft, TranslationOf: ru.ID}
	wantCode(t, db.CreateArticle(ctx(), same), news.EINVALID, "translation in same edition")
	// The founder of a group keeps it when edited.
	ru.Title = "Новость (обновлено)"
	if err := db.UpdateArticle(ctx(), ru); err != nil {
		t.Fatal(err)
	}
	if tr, _ := db.Translations(ctx(), ru); len(tr) != 2 {
		t.Errorf("founder lost its group: %v", tr)
	}
}

func testTagsUnicode(t *testing.T, db *store.DB, _ *Clock) {
	a := MustArticle(t, db, "be", "Сустрэча ў Гродне", T0.Add(-time.Hour))
	a.Tags = []string{"Гродна", "Ўсход"}
	a.Body = "Падрабязнасці сустрэчы ЎЛАДАЎ"
	if err := db.UpdateArticle(ctx(), a); err != nil {
		t.Fatal(err)
	}
	MustArticle(t, db, "be", "Іншае", T0.Add(-2*time.Hour))
	for _, tag := range []string{"гродна", "ГРОДНА", "ўсход"} {
		_, n, err := db.Articles(ctx(), store.ArticleQuery{Edition: "be", Tag: news.TagKey(tag), Visible: true})
		if err != nil || n != 1 {
			t.Errorf("tag %q: %d articles, %v", tag, n, err)
		}
	}
	for _, q := range []string{"сустрэча", "ГРОДНЕ", "ўладаў", "сустрэча гродне"} {
		_, n, err := db.Articles(ctx(), store.ArticleQuery{Edition: "be", Q: q, Visible: true})
		if err != nil || n != 1 {
			t.Errorf("q %q: %d articles, %v", q, n, err)
		}
	}
	if _, n, _ := db.Articles(ctx(), store.ArticleQuery{Q: "100%_"}); n != 0 {
		t.Errorf("LIKE wildcards in q were not escaped")
	}
}

func testComments(t *testing.T, db *store.DB, _ *Clock) {
	a := MustArticle(t, db, "ru", "Обсуждаемая", T0.Add(-time.Hour))
	b := MustArticle(t, db, "ru", "Другая", T0.Add(-2*time.Hour))
	var first news.Comment
	for i, st := range []news.CommentStatus{news.CommentPublished, news.CommentPublished, news.CommentPending, news.CommentSpam, news.CommentRejected, news.CommentPublished} {
		c := news.Comment{ArticleID: a.ID, Name: "Читатель", Body: fmt.Sprintf("Комментарий %d", i), Status: st, CreatedAt: T0.Add(time.Duration(i) * time.Minute)}
		if i == 5 {
			c.ParentID = first.ID
		}
		if err := db.CreateComment(ctx(), &c); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = c
		}
	}
	got, _ := db.Article(ctx(), a.ID)
	if got.CommentCount != 3 {
		t.Errorf("comment count %d, want 3 published", got.CommentCount)
	}
	list, _, _ := db.Articles(ctx(), store.ArticleQuery{Edition: "ru", Visible: true})
	if list[0].CommentCount != 3 || list[1].CommentCount != 0 {
		t.Errorf("list counts %d, %d", list[0].CommentCount, list[1].CommentCount)
	}
	pub, err := db.Comments(ctx(), a.ID, news.CommentPublished)
	if err != nil || len(pub) != 3 || pub[2].ParentID != first.ID || pub[0].Body != "Комментарий 0" {
		t.Errorf("published comments %+v, %v", pub, err)
	}
	wantCode(t, db.CreateComment(ctx(), &news.Comment{ArticleID: b.ID, ParentID: first.ID, Body: "x", Status: news.CommentPublished}), news.EINVALID, "reply across articles")
	wantCode(t, db.CreateComment(ctx(), &news.Comment{ArticleID: a.ID, Body: "  ", Status: news.CommentPublished}), news.EINVALID, "empty comment")
	wantCode(t, db.CreateComment(ctx(), &news.Comment{ArticleID: 99999, Body: "x", Status: news.CommentPublished}), news.EINVALID, "comment on missing article")
}

func testDelete(t *testing.T, db *store.DB, _ *Clock) {
	a := MustArticle(t, db, "en", "Doomed", T0.Add(-time.Hour))
	b := &news.Article{Edition: "ru", Title: "Перевод", Status: news.StatusDraft, TranslationOf: a.ID, Tags: []string{"x"}}
	if err := db.CreateArticle(ctx(), b); err != nil {
		t.Fatal(err)
	}
	db.CreateComment(ctx(), &news.Comment{ArticleID: a.ID, Body: "x", Status: news.CommentPublished})
	if err := db.DeleteArticle(ctx(), a.ID); err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.DeleteArticle(ctx(), a.ID), news.ENOTFOUND, "second delete")
	got, err := db.Article(ctx(), b.ID)
	if err != nil || got.TranslationOf != 0 {
		t.Errorf("translation after delete: %+v, %v", got, err)
	}
}

func testUsersTokens(t *testing.T, db *store.DB, clock *Clock) {
	u := &news.User{Email: "editor@example.org", Name: "Рэдактар", Role: news.RoleEditor, Active: true, PasswordHash: "x"}
	if err := db.CreateUser(ctx(), u); err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.CreateUser(ctx(), &news.User{Email: "editor@example.org", Role: news.RoleAuthor, PasswordHash: "y"}), news.ECONFLICT, "duplicate user")
	wantCode(t, db.CreateUser(ctx(), &news.User{Email: "x@example.org", Role: "chief"}), news.EINVALID, "bad role")
	hash := []byte("0123456789abcdef0123456789abcdef")
	if _, err := db.CreateToken(ctx(), u.ID, hash, T0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, err := db.UserByTokenHash(ctx(), hash)
	if err != nil || got.ID != u.ID || got.Role != news.RoleEditor {
		t.Errorf("UserByTokenHash = %+v, %v", got, err)
	}
	_, err = db.UserByTokenHash(ctx(), []byte("wrong"))
	wantCode(t, err, news.EUNAUTHORIZED, "unknown token")
	clock.Set(T0.Add(2 * time.Hour))
	_, err = db.UserByTokenHash(ctx(), hash)
	wantCode(t, err, news.EUNAUTHORIZED, "expired token")

	// Revoking one token, then disabling the user, ends every token at once.
	clock.Set(T0)
	second := []byte("fedcba9876543210fedcba9876543210")
	third := []byte("0000000000000000ffffffffffffffff")
	t2, _ := db.CreateToken(ctx(), u.ID, second, T0.Add(24*time.Hour))
	db.CreateToken(ctx(), u.ID, third, T0.Add(24*time.Hour))
	if err := db.RevokeToken(ctx(), t2.ID); err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.RevokeToken(ctx(), t2.ID), news.ENOTFOUND, "revoking twice")
	_, err = db.UserByTokenHash(ctx(), second)
	wantCode(t, err, news.EUNAUTHORIZED, "revoked token")
	if _, err := db.UserByTokenHash(ctx(), third); err != nil {
		t.Fatalf("a token next to a revoked one stopped working: %v", err)
	}
	n, err := db.DisableUser(ctx(), "editor@example.org")
	if err != nil || n != 2 {
		t.Errorf("DisableUser revoked %d tokens, %v; want 2 (the expired one and the live one; one was revoked already)", n, err)
	}
	_, err = db.UserByTokenHash(ctx(), third)
	wantCode(t, err, news.EUNAUTHORIZED, "token of a disabled user")
	if got, _ := db.UserByEmail(ctx(), "editor@example.org"); got.Active {
		t.Error("the user is still active")
	}
	tokens, err := db.Tokens(ctx(), u.ID)
	if err != nil || len(tokens) != 3 || tokens[0].Active(T0) || tokens[2].LastUsedAt.IsZero() {
		t.Errorf("Tokens = %+v, %v", tokens, err)
	}
	_, err = db.DisableUser(ctx(), "nobody@example.org")
	wantCode(t, err, news.ENOTFOUND, "disabling a missing user")
	events, _ := db.AuditEvents(ctx(), 10)
	if len(events) == 0 || events[0].Action != store.AuditUserDisable || events[0].Ref != "editor@example.org" {
		t.Errorf("no audit event for the disabled user: %+v", events)
	}
}

func testPages(t *testing.T, db *store.DB, _ *Clock) {
	p := &news.Page{Edition: "be", Slug: "about", Title: "Пра нас", Body: "Мы — рэдакцыя."}
	if err := db.PutPage(ctx(), p); err != nil {
		t.Fatal(err)
	}
	p.Body = "Мы — незалежная рэдакцыя."
	if err := db.PutPage(ctx(), p); err != nil {
		t.Fatal(err)
	}
	got, err := db.Page(ctx(), "be", "about")
	if err != nil || got.Body != p.Body {
		t.Errorf("page = %+v, %v", got, err)
	}
	_, err = db.Page(ctx(), "ru", "about")
	wantCode(t, err, news.ENOTFOUND, "missing page")
	wantCode(t, db.PutPage(ctx(), &news.Page{Edition: "xx", Slug: "about", Title: "x"}), news.EINVALID, "page of unknown edition")
}

func testConcurrentWrites(t *testing.T, db *store.DB, _ *Clock) {
	MustCategory(t, db, "ru", "politics", "Политика")
	const writers, each = 8, 10
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				a := &news.Article{Edition: "ru", Title: fmt.Sprintf("Статья %d-%d", w, i), Categories: []string{"politics"},
					Tags: []string{"общий"}, Status: news.StatusPublished, PublishedAt: T0.Add(-time.Minute)}
				if err := db.CreateArticle(ctx(), a); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent write: %v", err)
	}
	_, n, err := db.Articles(ctx(), store.ArticleQuery{Category: "politics", Tag: "общий", Visible: true})
	if err != nil || n != writers*each {
		t.Errorf("after concurrent writes: %d articles, %v", n, err)
	}
}

func testChangeLog(t *testing.T, db *store.DB, clock *Clock) {
	start, err := db.LastChange(ctx())
	if err != nil {
		t.Fatal(err)
	}
	MustCategory(t, db, "en", "world", "World")
	a := MustArticle(t, db, "en", "Logged", T0.Add(-time.Hour), "world")
	db.SetSetting(ctx(), "site_name", "Logged site")
	db.CreateComment(ctx(), &news.Comment{ArticleID: a.ID, Body: "x", Status: news.CommentPublished})
	db.PutPage(ctx(), &news.Page{Edition: "en", Slug: "about", Title: "About", Body: "x"})
	db.DeleteArticle(ctx(), a.ID)
	// A refused write logs nothing.
	db.SetSetting(ctx(), "time_zone", "Nowhere/Else")
	list, err := db.ChangesAfter(ctx(), start)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for i, ch := range list {
		got = append(got, ch.Kind+":"+ch.Ref)
		if i > 0 && ch.Seq <= list[i-1].Seq {
			t.Errorf("changes out of order: %v", list)
		}
	}
	id := fmt.Sprint(a.ID)
	// The delete names the lists it renumbered (every page of each moved)
	// before the article.
	want := fmt.Sprint([]string{"category:en", "article:" + id, "settings:site_name", "comment:" + id, "page:en/about",
		"list:all", "list:c:en:world", "list:e:en", "article:" + id})
	if fmt.Sprint(got) != want {
		t.Errorf("change log = %v, want %v", got, want)
	}
	last, _ := db.LastChange(ctx())
	if last != list[len(list)-1].Seq {
		t.Errorf("LastChange = %d, want %d", last, list[len(list)-1].Seq)
	}
	if rest, _ := db.ChangesAfter(ctx(), list[2].Seq); len(rest) != len(list)-3 {
		t.Errorf("ChangesAfter(third) = %d entries, want %d", len(rest), len(list)-3)
	}
	clock.Set(T0.Add(48 * time.Hour))
	db.SetSetting(ctx(), "site_name", "Later")
	if err := db.PruneChanges(ctx(), T0.Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if rest, _ := db.ChangesAfter(ctx(), start); len(rest) != 1 || rest[0].Ref != "site_name" {
		t.Errorf("after pruning: %v", rest)
	}
}

func testClaim(t *testing.T, db *store.DB, _ *Clock) {
	var wg sync.WaitGroup
	var mu sync.Mutex
	winners := 0
	for range 8 {
		wg.Go(func() {
			won, err := db.Claim(ctx(), "demo")
			if err != nil {
				t.Errorf("Claim: %v", err)
			}
			if won {
				mu.Lock()
				winners++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if winners != 1 {
		t.Errorf("%d processes won the claim, want 1", winners)
	}
	if won, _ := db.Claim(ctx(), "other"); !won {
		t.Error("a second name could not be claimed")
	}
}

func testGoLive(t *testing.T, db *store.DB, clock *Clock) {
	now := MustArticle(t, db, "ru", "Сразу", T0.Add(-time.Minute))
	var scheduled []*news.Article
	for i := range 5 {
		scheduled = append(scheduled, MustArticle(t, db, "ru", fmt.Sprintf("По расписанию %d", i), T0.Add(time.Duration(i+1)*time.Minute)))
	}
	if n, err := db.GoLive(ctx()); err != nil || n != 0 {
		t.Fatalf("before any time came: GoLive = %d, %v", n, err)
	}
	start, _ := db.LastChange(ctx())
	clock.Set(T0.Add(10 * time.Minute))
	// Four nodes run the job at once, then one runs it again.
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	for range 4 {
		wg.Go(func() {
			n, err := db.GoLive(ctx())
			if err != nil {
				t.Errorf("GoLive: %v", err)
			}
			mu.Lock()
			total += n
			mu.Unlock()
		})
	}
	wg.Wait()
	if n, _ := db.GoLive(ctx()); n != 0 || total != 5 {
		t.Errorf("articles made live: %d by four runners, then %d; want 5 then 0", total, n)
	}
	events, err := db.AuditEvents(ctx(), 100)
	if err != nil {
		t.Fatal(err)
	}
	live := map[string]int{}
	for _, e := range events {
		if e.Action == store.AuditArticleLive {
			live[e.Ref]++
		}
	}
	for _, a := range scheduled {
		if live[fmt.Sprint(a.ID)] != 1 {
			t.Errorf("article %d has %d go-live events, want 1", a.ID, live[fmt.Sprint(a.ID)])
		}
	}
	if live[fmt.Sprint(now.ID)] != 0 {
		t.Error("an article published at once got a go-live event")
	}
	changes, _ := db.ChangesAfter(ctx(), start)
	if len(changes) != 5 {
		t.Errorf("%d changes logged by go-live, want 5", len(changes))
	}
	// Rescheduling a live article into the future makes it wait again.
	a := scheduled[0]
	a.PublishedAt = T0.Add(time.Hour)
	if err := db.UpdateArticle(ctx(), a); err != nil {
		t.Fatal(err)
	}
	clock.Set(T0.Add(2 * time.Hour))
	if n, _ := db.GoLive(ctx()); n != 1 {
		t.Errorf("the rescheduled article went live %d times, want 1", n)
	}
}
