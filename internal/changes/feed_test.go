package changes_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"tamizdat/internal/changes"
	"tamizdat/internal/news"
	"tamizdat/internal/store"
	"tamizdat/internal/store/sqlite"
)

// Two handles on one SQLite file stand for two processes: what one writes,
// the other's feed delivers, each change once.
func TestFeedDeliversEachChangeOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "site.db")
	writer, err := sqlite.Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Close()
	if _, err := writer.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	writer.SetSetting(ctx, "site_name", "Before the feed started")
	reader, err := sqlite.Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()

	feed := changes.New(reader, slog.New(slog.NewTextHandler(io.Discard, nil)), time.Hour)
	var got []store.Change
	feed.Subscribe(func(cs []store.Change) { got = append(got, cs...) })
	if err := feed.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if err := feed.Poll(ctx); err != nil || len(got) != 0 {
		t.Fatalf("changes from before Start were delivered: %v %v", got, err)
	}
	writer.SetSetting(ctx, "time_zone", "Europe/Vilnius")
	writer.CreateCategory(ctx, &news.Category{Edition: "be", Slug: "svet", Name: "Свет"})
	for range 2 {
		if err := feed.Poll(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if len(got) != 2 || got[0].Kind != store.ChangeSettings || got[0].Ref != "time_zone" || got[1].Kind != store.ChangeCategory {
		t.Errorf("delivered %+v, want the setting then the category, once each", got)
	}
}

// Run reads the log when woken, without waiting for its interval.
func TestWakeReadsAtOnce(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "site.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.Migrate(ctx)
	feed := changes.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)), time.Hour)
	delivered := make(chan []store.Change, 1)
	feed.Subscribe(func(cs []store.Change) { delivered <- cs })
	feed.Start(ctx)
	go feed.Run(ctx)
	db.SetSetting(ctx, "site_name", "Woken")
	feed.Wake()
	select {
	case cs := <-delivered:
		if cs[0].Ref != "site_name" {
			t.Errorf("delivered %+v", cs)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("a woken feed did not read the log")
	}
}
