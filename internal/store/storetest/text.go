package storetest

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"tamizdat/internal/news"
	"tamizdat/internal/store"
)

// testTextNoEngineHolds: NUL and invalid UTF-8 are refused as bad input on
// every engine, whether a write or a lookup carries them; PostgreSQL cannot
// hold them (a 500 before), SQLite would store them. Nothing is written.
func testTextNoEngineHolds(t *testing.T, db *store.DB, _ *Clock) {
	MustCategory(t, db, "en", "world", "World")
	a := MustArticle(t, db, "en", "A story", T0.Add(-time.Hour), "world")
	for _, bad := range []string{"a\x00b", "a\xffb"} {
		// A search lowers its words, which turns a broken byte into U+FFFD:
		// nothing found, or refused, never a failure.
		list, _, err := db.Articles(ctx(), store.ArticleQuery{Visible: true, Q: bad})
		if code := news.ErrorCode(err); code != news.EINVALID && (code != "" || len(list) != 0) {
			t.Errorf("search for %q: %d found, %v", bad, len(list), err)
		}
		_, _, err = db.Articles(ctx(), store.ArticleQuery{Visible: true, Tag: bad})
		wantCode(t, err, news.EINVALID, "tag "+strconv.Quote(bad))
		_, _, err = db.Articles(ctx(), store.ArticleQuery{Visible: true, Edition: "en", Category: bad})
		wantCode(t, err, news.EINVALID, "category "+strconv.Quote(bad))
		_, err = db.UserByEmail(ctx(), bad+"@example.org")
		wantCode(t, err, news.EINVALID, "user by e-mail "+strconv.Quote(bad))
		_, err = db.Page(ctx(), "en", bad)
		wantCode(t, err, news.EINVALID, "page "+strconv.Quote(bad))
		wantCode(t, db.CreateArticle(ctx(), &news.Article{Edition: "en", Title: bad, Status: news.StatusDraft}), news.EINVALID, "title "+strconv.Quote(bad))
		wantCode(t, db.CreateCategory(ctx(), &news.Category{Edition: "en", Slug: "sport", Name: bad}), news.EINVALID, "category name "+strconv.Quote(bad))
		wantCode(t, db.RenameCategory(ctx(), 1, bad), news.EINVALID, "renamed category "+strconv.Quote(bad))
		wantCode(t, db.PutPage(ctx(), &news.Page{Edition: "en", Slug: "about", Title: "About", Body: bad}), news.EINVALID, "page body "+strconv.Quote(bad))
		wantCode(t, db.PostComment(ctx(), &news.Comment{ArticleID: a.ID, Body: bad, Status: news.CommentPublished}, nil, nil), news.EINVALID, "comment "+strconv.Quote(bad))
		wantCode(t, db.SetSetting(ctx(), "site_name", bad), news.EINVALID, "site_name "+strconv.Quote(bad))
		wantCode(t, db.CreateUser(ctx(), &news.User{Email: "x@example.org", Name: bad, Role: news.RoleAuthor, PasswordHash: "x"}), news.EINVALID, "user name "+strconv.Quote(bad))
	}
	if n, _ := db.CountArticles(ctx()); n != 1 {
		t.Errorf("%d articles, want the one", n)
	}
	if cats, _ := db.Categories(ctx(), "en"); len(cats) != 1 || cats[0].Name != "World" {
		t.Errorf("categories: %+v", cats)
	}
	if cs, _ := db.Comments(ctx(), a.ID, news.CommentPublished); len(cs) != 0 {
		t.Errorf("%d comments stored", len(cs))
	}
	if set, _ := db.Settings(ctx()); set.SiteName != news.DefaultSettings().SiteName {
		t.Errorf("site_name %q", set.SiteName)
	}
	// Real text in any script goes in and comes back as it was.
	title := "Ўсё «так» — 👩\u200d💻 עברית\u200f"
	b := MustArticle(t, db, "en", title, T0.Add(-time.Hour), "world")
	if got, err := db.Article(ctx(), b.ID); err != nil || got.Title != title {
		t.Errorf("real text: %q, %v", got.Title, err)
	}
}

// testLoadRefusesNUL: a dump of an older site may hold NUL. Load refuses it
// naming the table, row and column, and writes nothing: not the rows before
// it, nor the removal of the new database's editions.
func testLoadRefusesNUL(t *testing.T, db *store.DB, _ *Clock) {
	rows := map[string][][]any{
		"editions":   {{"en", "English", int64(1), "inherit"}},
		"settings":   {{"site_name", "Fine"}},
		"categories": {{int64(1), "en", "world", "World", int64(1)}},
		"pages": {
			{int64(1), "en", "privacy", "Privacy", "Fine.", T0.UnixMicro()},
			{int64(2), "en", "about", "About\x00us", "Text", T0.UnixMicro()},
		},
	}
	err := db.Load(ctx(), func(load store.TableFunc) error {
		for _, tb := range store.Tables {
			rs := rows[tb.Name]
			err := load(tb, int64(len(rs)), func(yield func([]any, error) bool) {
				for _, r := range rs {
					if !yield(r, nil) {
						return
					}
				}
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	wantCode(t, err, news.EINVALID, "a dump with NUL")
	for _, want := range []string{"row 2 of pages (id 2)", "column title", "NUL"} {
		if !strings.Contains(news.ErrorMessage(err), want) {
			t.Errorf("message %q does not say %q", news.ErrorMessage(err), want)
		}
	}
	if empty, held, err := db.IsEmpty(ctx()); err != nil || !empty {
		t.Errorf("the refused load wrote %s (%v)", held, err)
	}
	if es, _ := db.Editions(ctx()); len(es) != 3 {
		t.Errorf("editions after the refused load: %+v", es)
	}
}
