package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"tamizdat/internal/news"
	"tamizdat/internal/store"
	"tamizdat/internal/store/sqlite"
	"tamizdat/internal/store/storetest"
)

func open(t *testing.T, clock *storetest.Clock) *store.DB {
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "site.db"), clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestConformance(t *testing.T) { storetest.Run(t, open) }

func TestOpenRefusesAFileThatIsNotADatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "broken.db")
	if err := os.WriteFile(path, []byte("this is not a database, just some words written to a file......................................................"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := sqlite.Open(context.Background(), path, nil)
	if news.ErrorCode(err) != news.EINVALID {
		t.Fatalf("Open(garbage) = %v, want an EINVALID error", err)
	}
}

func TestWALAndForeignKeys(t *testing.T) {
	db := open(t, storetest.NewClock(storetest.T0))
	// A comment on a missing article breaks a foreign key only when they are on.
	err := db.CreateComment(context.Background(), &news.Comment{ArticleID: 12345, Body: "x", Status: news.CommentPublished})
	if news.ErrorCode(err) != news.EINVALID {
		t.Errorf("foreign keys are off: %v", err)
	}
}

func TestMigrateIsIdempotent(t *testing.T) {
	db := open(t, storetest.NewClock(storetest.T0))
	n, err := db.Migrate(context.Background())
	if err != nil || n != 0 {
		t.Errorf("second Migrate applied %d, %v", n, err)
	}
}
