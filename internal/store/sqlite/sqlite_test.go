package sqlite_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
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

// The database holds password and token hashes: it and its -wal and -shm
// files are its owner's alone, whatever the umask.
func TestOpenCreatesTheDatabaseForItsOwnerOnly(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	path := filepath.Join(t.TempDir(), "site.db")
	db, err := sqlite.Open(context.Background(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %04o, want 0600", p, st.Mode().Perm())
		}
	}
}

func TestOpenCreatesNoFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "no", "such")
	_, err := sqlite.Open(context.Background(), filepath.Join(dir, "site.db"), nil)
	if news.ErrorCode(err) != news.EINVALID || !strings.Contains(err.Error(), dir+" does not exist") {
		t.Fatalf("err = %v", err)
	}
	if _, err := os.Stat(filepath.Dir(dir)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Open created a folder: %v", err)
	}
}

func TestOpenExistingCreatesNothing(t *testing.T) {
	dir := t.TempDir()
	for _, path := range []string{filepath.Join(dir, "missing.db"), filepath.Join(dir, "no", "such.db")} {
		_, err := sqlite.OpenExisting(context.Background(), path, nil)
		if !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("OpenExisting(%s) = %v, want fs.ErrNotExist", path, err)
		}
	}
	if _, err := sqlite.OpenExisting(context.Background(), dir, nil); news.ErrorCode(err) != news.EINVALID || !strings.Contains(err.Error(), "is a folder") {
		t.Errorf("OpenExisting(a folder) = %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("OpenExisting left %d files", len(entries))
	}
	path := filepath.Join(dir, "site.db")
	db, err := sqlite.Open(context.Background(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = sqlite.OpenExisting(context.Background(), path, nil)
	if err != nil {
		t.Fatalf("OpenExisting of a database: %v", err)
	}
	db.Close()
}

// A path is a path: "?" and "#" in it do not start SQLite URI parameters.
func TestOpenTakesPathsLiterally(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"site.db?mode=memory", "a#b.db", "100%25.db"} {
		path := filepath.Join(dir, name)
		db, err := sqlite.Open(context.Background(), path, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := db.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		db.Close()
		db, err = sqlite.OpenExisting(context.Background(), path, nil)
		if err != nil {
			t.Fatalf("%s reopened: %v", name, err)
		}
		cur, _, err := db.SchemaVersion(context.Background())
		db.Close()
		if err != nil || cur == 0 {
			t.Errorf("%s kept nothing: version %d, %v", name, cur, err)
		}
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	for _, want := range []string{"site.db?mode=memory", "a#b.db", "100%25.db"} {
		if !slices.Contains(names, want) {
			t.Errorf("no file %q among %q", want, names)
		}
	}
}
