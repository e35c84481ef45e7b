package storetest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"tamizdat/internal/news"
	"tamizdat/internal/store"
)

// testListsFollowEveryEdit writes, edits, backdates, schedules, withdraws
// and deletes articles in a random order, and after each round wants the
// numbered lists to be what numbering them afresh gives, and every reader
// list, page by page, to be what the articles themselves say: visible now,
// newest first, ties broken by id.
func testListsFollowEveryEdit(t *testing.T, db *store.DB, clock *Clock) {
	rng := rand.New(rand.NewPCG(7, 9))
	MustCategory(t, db, "en", "world", "World")
	MustCategory(t, db, "en", "culture", "Culture")
	MustCategory(t, db, "ru", "world", "Мир")
	tags := []string{"Minsk", "elections", "Вільня", "exile"}
	randomize := func(a *news.Article) {
		a.PublishedAt = T0.Add(time.Duration(rng.IntN(96)-80) * time.Hour)
		if rng.IntN(8) == 0 {
			a.PublishedAt = T0.Add(-time.Duration(rng.IntN(3)) * time.Hour).Truncate(time.Hour) // ties
		}
		a.Status = []news.Status{news.StatusPublished, news.StatusPublished, news.StatusPublished, news.StatusDraft, news.StatusUnpublished}[rng.IntN(5)]
		a.Categories = nil
		for _, c := range []string{"world", "culture"} {
			if rng.IntN(2) == 0 && (c == "world" || a.Edition == "en") {
				a.Categories = append(a.Categories, c)
			}
		}
		a.Tags = nil
		for _, tg := range tags {
			if rng.IntN(3) == 0 {
				a.Tags = append(a.Tags, tg)
			}
		}
		a.Top, a.Breaking = rng.IntN(6) == 0, rng.IntN(9) == 0
	}
	var ids []int64
	for i := range 60 {
		a := &news.Article{Edition: []string{"en", "en", "ru"}[i%3], Title: fmt.Sprintf("Story %d", i), CreatedAt: T0.Add(-100 * time.Hour)}
		randomize(a)
		if err := db.CreateArticle(ctx(), a); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	check := func(round string) {
		t.Helper()
		if err := db.VerifyListings(ctx()); err != nil {
			t.Fatalf("%s: %v", round, err)
		}
		var live []*news.Article
		for _, id := range ids {
			a, err := db.Article(ctx(), id)
			if news.ErrorCode(err) == news.ENOTFOUND {
				continue
			} else if err != nil {
				t.Fatal(err)
			}
			if a.VisibleAt(clock.Now()) {
				live = append(live, a)
			}
		}
		slices.SortFunc(live, func(a, b *news.Article) int {
			if c := b.PublishedAt.Compare(a.PublishedAt); c != 0 {
				return c
			}
			return int(b.ID - a.ID)
		})
		day := T0.Truncate(24*time.Hour).AddDate(0, 0, -1)
		for _, q := range []store.ArticleQuery{
			{}, {Edition: "en"}, {Edition: "ru"}, {Edition: "en", Category: "world"}, {Edition: "en", Category: "culture"},
			{Edition: "ru", Category: "world"}, {Edition: "en", Tag: news.TagKey("Minsk")}, {Edition: "ru", Tag: news.TagKey("Вільня")},
			{Edition: "en", Top: true}, {Edition: "en", Breaking: true}, {Edition: "en", From: day, To: day.AddDate(0, 0, 1)},
			{Edition: "en", From: day}, {Edition: "ru", To: day},
		} {
			var want []int64
			for _, a := range live {
				if (q.Edition == "" || a.Edition == q.Edition) && (q.Category == "" || slices.Contains(a.Categories, q.Category)) &&
					(q.Tag == "" || slices.ContainsFunc(a.Tags, func(s string) bool { return news.TagKey(s) == q.Tag })) &&
					(!q.Top || a.Top) && (!q.Breaking || a.Breaking) &&
					(q.From.IsZero() || !a.PublishedAt.Before(q.From)) && (q.To.IsZero() || a.PublishedAt.Before(q.To)) {
					want = append(want, a.ID)
				}
			}
			q.Visible, q.Limit = true, 7
			for offset := 0; offset <= len(want)+7; offset += 7 {
				q.Offset = offset
				list, total, err := db.Articles(ctx(), q)
				if err != nil {
					t.Fatal(err)
				}
				var got []int64
				for _, a := range list {
					got = append(got, a.ID)
				}
				page := want[min(offset, len(want)):min(offset+7, len(want))]
				if total != len(want) || !slices.Equal(got, page) && (len(got) > 0 || len(page) > 0) {
					t.Fatalf("%s: %+v: total %d, page %v; want %d, %v", round, q, total, got, len(want), page)
				}
			}
		}
	}
	check("after creating")
	for round := range 4 {
		for _, id := range ids {
			if rng.IntN(3) != 0 {
				continue
			}
			a, err := db.Article(ctx(), id)
			if news.ErrorCode(err) == news.ENOTFOUND {
				continue
			} else if err != nil {
				t.Fatal(err)
			}
			if rng.IntN(12) == 0 {
				if err := db.DeleteArticle(ctx(), id); err != nil {
					t.Fatal(err)
				}
				continue
			}
			randomize(a)
			if err := db.UpdateArticle(ctx(), a); err != nil {
				t.Fatal(err)
			}
		}
		check(fmt.Sprintf("after edits %d", round))
	}
	// Scheduled stories come in at their time, with nothing renumbered.
	clock.Set(T0.Add(16 * time.Hour))
	check("when the scheduled ones are due")
	cats, _ := db.Categories(ctx(), "en")
	for _, c := range cats {
		if c.Slug == "culture" {
			if err := db.DeleteCategory(ctx(), c.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	check("after deleting a category")
	MustCategory(t, db, "en", "culture", "Culture again")
	if list, n, err := db.Articles(ctx(), store.ArticleQuery{Edition: "en", Category: "culture", Visible: true}); err != nil || n != 0 || len(list) != 0 {
		t.Errorf("a new category with an old slug starts with %d articles (%v)", n, err)
	}
}

// testListsNumberedUnderConcurrentWrites publishes into the same lists
// from several writers at once, forward and backdated, and wants the
// lists numbered densely at the end.
func testListsNumberedUnderConcurrentWrites(t *testing.T, db *store.DB, _ *Clock) {
	MustCategory(t, db, "en", "world", "World")
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := range 8 {
		wg.Go(func() {
			for i := range 6 {
				a := &news.Article{Edition: "en", Title: fmt.Sprintf("Writer %d story %d", w, i), Status: news.StatusPublished,
					PublishedAt: T0.Add(-time.Duration((w*7+i*13)%50) * time.Hour), Categories: []string{"world"}, Tags: []string{"shared"}}
				if err := db.CreateArticle(ctx(), a); err != nil {
					errs <- err
					return
				}
				if i%2 == 1 {
					a.PublishedAt = a.PublishedAt.Add(-30 * time.Hour)
					if err := db.UpdateArticle(ctx(), a); err != nil {
						errs <- err
						return
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if err := db.VerifyListings(ctx()); err != nil {
		t.Fatal(err)
	}
	if _, n, err := db.Articles(ctx(), store.ArticleQuery{Edition: "en", Tag: "shared", Visible: true}); err != nil || n != 48 {
		t.Errorf("the shared tag lists %d articles, want 48 (%v)", n, err)
	}
}

// testReaderPlans holds every query of a reader page to an index: no table
// that grows with the archive (articles, their lists, categories, tags
// and comments) is read whole, and no result is sorted after reading but
// a story's translations, at most one per edition.
func testReaderPlans(t *testing.T, db *store.DB, _ *Clock) {
	MustCategory(t, db, "ru", "politics", "Политика")
	for i := range 30 {
		MustArticle(t, db, "ru", fmt.Sprintf("Статья %d", i), T0.Add(-time.Duration(i)*time.Hour), "politics")
	}
	plans, err := db.ReaderPlans(ctx())
	if err != nil {
		t.Fatal(err)
	}
	big := []string{"articles", "listings", "article_categories", "article_tags", "comments"}
	for _, p := range plans {
		for line := range strings.SplitSeq(p.Text, "\n") {
			l := strings.TrimSpace(line)
			full := false
			for _, tb := range big {
				// SQLite: "SCAN a" / "SCAN articles"; PostgreSQL: "Seq Scan on articles a".
				if db.Engine() == "sqlite" && (strings.HasPrefix(l, "SCAN "+tb) || strings.HasPrefix(l, "SCAN "+alias(tb)+" ") || l == "SCAN "+alias(tb)) ||
					strings.Contains(l, "Seq Scan on "+tb+" ") || strings.HasSuffix(l, "Seq Scan on "+tb) {
					full = true
				}
			}
			sorted := strings.Contains(l, "USE TEMP B-TREE") || strings.HasPrefix(strings.TrimLeft(l, "-> "), "Sort")
			if full || sorted && p.Name != "translations" {
				t.Errorf("%s reads %s:\n%s", p.Name, map[bool]string{true: "a whole table", false: "and then sorts"}[full], p.Text)
				break
			}
		}
		if testing.Verbose() {
			t.Logf("%s:\n%s", p.Name, p.Text)
		}
	}
}

// alias is the name the store's queries give a table.
func alias(table string) string {
	return map[string]string{"articles": "a", "listings": "l", "article_categories": "ac", "article_tags": "t", "comments": "c"}[table]
}
