package storetest

import (
	"testing"
	"time"

	"tamizdat/internal/news"
	"tamizdat/internal/store"
)

// testBatches: CreateArticles and CreateComments store each row as the
// single-row writes do, let a row name one stored earlier in its batch,
// and store nothing of a batch in which one row is refused.
func testBatches(t *testing.T, db *store.DB, _ *Clock) {
	MustCategory(t, db, "ru", "belarus", "Беларусь")
	MustCategory(t, db, "be", "belarus", "Беларусь")
	pub := T0.Add(-time.Hour)
	list := []*news.Article{
		{Edition: "ru", Title: "Первая", Body: "Текст", Categories: []string{"Belarus"}, Tags: []string{"Минск", "суды"},
			Status: news.StatusPublished, PublishedAt: pub},
		{Edition: "be", Title: "Першая", Body: "Тэкст", Categories: []string{"belarus"}, Tags: []string{"Мінск"},
			Status: news.StatusPublished, PublishedAt: pub.Add(10 * time.Minute)},
		{Edition: "en", Title: "Draft", Status: news.StatusDraft},
	}
	prepared := 0
	err := db.CreateArticles(ctx(), list, func(i int) {
		prepared++
		if i == 1 {
			list[1].TranslationOf = list[0].ID // saved a moment ago, same transaction
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if prepared != 3 || list[0].ID == 0 || list[1].ID <= list[0].ID || list[2].ID <= list[1].ID {
		t.Fatalf("prepare ran %d times; ids %d, %d, %d", prepared, list[0].ID, list[1].ID, list[2].ID)
	}
	got, err := db.Article(ctx(), list[0].ID)
	if err != nil || got.Categories[0] != "belarus" || len(got.Tags) != 2 || got.CreatedAt.IsZero() {
		t.Fatalf("stored article %+v, %v", got, err)
	}
	if tr, err := db.Translations(ctx(), got); err != nil || len(tr) != 1 || tr[0].ID != list[1].ID {
		t.Errorf("translations of the batch's original: %v, %v", tr, err)
	}
	if revs, err := db.Revisions(ctx(), list[2].ID); err != nil || len(revs) != 1 {
		t.Errorf("revisions of a batch article: %d, %v", len(revs), err)
	}
	if n, _ := db.CountArticles(ctx()); n != 3 {
		t.Errorf("%d articles after the batch, want 3", n)
	}

	bad := []*news.Article{
		{Edition: "ru", Title: "Годная", Status: news.StatusDraft},
		{Edition: "ru", Title: "Негодная", Categories: []string{"nowhere"}, Status: news.StatusDraft},
	}
	wantCode(t, db.CreateArticles(ctx(), bad, nil), news.EINVALID, "a batch with an unknown category")
	if n, _ := db.CountArticles(ctx()); n != 3 {
		t.Errorf("%d articles after a refused batch, want 3: the good one was kept", n)
	}

	id := list[0].ID
	comments := []*news.Comment{
		{ArticleID: id, Name: " Читатель ", Body: "Первый", Status: news.CommentPublished, CreatedAt: pub.Add(time.Minute)},
		{ArticleID: id, Body: "Ответ", Status: news.CommentPublished, CreatedAt: pub.Add(2 * time.Minute)},
		{ArticleID: id, Body: "Подождёт", Status: news.CommentPending},
	}
	err = db.CreateComments(ctx(), comments, func(i int) {
		if i == 1 {
			comments[1].ParentID = comments[0].ID
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	stored, err := db.Comments(ctx(), id, news.CommentPublished)
	if err != nil || len(stored) != 2 || stored[0].Name != "Читатель" || stored[1].ParentID != stored[0].ID {
		t.Fatalf("stored comments %+v, %v", stored, err)
	}
	if a, _ := db.Article(ctx(), id); a.CommentCount != 2 {
		t.Errorf("comment count %d, want 2", a.CommentCount)
	}
	refused := []*news.Comment{
		{ArticleID: list[1].ID, Body: "Годны", Status: news.CommentPublished},
		{ArticleID: list[1].ID, ParentID: stored[0].ID, Body: "Адказ не туды", Status: news.CommentPublished},
	}
	wantCode(t, db.CreateComments(ctx(), refused, nil), news.EINVALID, "a batch with a reply across articles")
	if c, _ := db.Comments(ctx(), list[1].ID, news.CommentPublished); len(c) != 0 {
		t.Errorf("%d comments kept from a refused batch", len(c))
	}
}
