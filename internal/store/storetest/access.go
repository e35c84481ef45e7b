package storetest

import (
	"slices"
	"testing"
	"time"

	"tamizdat/internal/news"
	"tamizdat/internal/store"
)

// testImagePublished: an image counts as published while an article with
// status published shows it, live or scheduled; drafts and withdrawn
// articles do not count.
func testImagePublished(t *testing.T, db *store.DB, _ *Clock) {
	img := &news.MediaImage{Width: 640, Height: 480, Format: "jpeg"}
	if err := db.CreateImage(ctx(), img, []store.ImageVariant{{Width: 640, Height: 480, Data: []byte("jpeg")}}); err != nil {
		t.Fatal(err)
	}
	used := func() bool {
		t.Helper()
		ok, err := db.ImagePublished(ctx(), img.ID)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	a := &news.Article{Edition: "en", Title: "With a picture", Status: news.StatusDraft, Image: &news.Image{ID: img.ID}}
	if err := db.CreateArticle(ctx(), a); err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct {
		status news.Status
		at     time.Time
		want   bool
	}{
		{news.StatusDraft, time.Time{}, false},
		{news.StatusReview, time.Time{}, false},
		{news.StatusPublished, T0.Add(time.Hour), true}, // scheduled
		{news.StatusPublished, T0.Add(-time.Hour), true},
		{news.StatusUnpublished, T0.Add(-time.Hour), false},
	} {
		a.Status, a.PublishedAt = step.status, step.at
		if err := db.UpdateArticle(ctx(), a); err != nil {
			t.Fatal(err)
		}
		if got := used(); got != step.want {
			t.Errorf("image of a %s article (at %v): published %v, want %v", step.status, step.at, got, step.want)
		}
	}
	if ok, err := db.ImagePublished(ctx(), 999999); ok || err != nil {
		t.Errorf("a missing image: %v, %v", ok, err)
	}
}

// testOwnOrVisible: the list an author may open holds their own articles
// in every status and what readers see, nothing else.
func testOwnOrVisible(t *testing.T, db *store.DB, _ *Clock) {
	var ids []int64
	for _, email := range []string{"mine@example.org", "theirs@example.org"} {
		user := &news.User{Email: email, Name: "W", Role: news.RoleAuthor, Active: true, PasswordHash: "x"}
		if err := db.CreateUser(ctx(), user); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, user.ID)
	}
	mine, theirs := ids[0], ids[1]
	mk := func(title string, author int64, st news.Status, at time.Time) {
		t.Helper()
		if err := db.CreateArticle(ctx(), &news.Article{Edition: "en", Title: title, AuthorID: author, Status: st, PublishedAt: at}); err != nil {
			t.Fatal(err)
		}
	}
	mk("My draft", mine, news.StatusDraft, time.Time{})
	mk("My withdrawn story", mine, news.StatusUnpublished, T0.Add(-2*time.Hour))
	mk("Their draft", theirs, news.StatusDraft, time.Time{})
	mk("Their scheduled story", theirs, news.StatusPublished, T0.Add(time.Hour))
	mk("Their withdrawn story", theirs, news.StatusUnpublished, T0.Add(-2*time.Hour))
	mk("Their story", theirs, news.StatusPublished, T0.Add(-time.Hour))
	list, n, err := db.Articles(ctx(), store.ArticleQuery{OwnOrVisible: mine})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range list {
		got = append(got, a.Title)
	}
	slices.Sort(got)
	if want := []string{"My draft", "My withdrawn story", "Their story"}; !slices.Equal(got, want) || n != len(want) {
		t.Errorf("an author's list: %v (%d), want %v", got, n, want)
	}
}
