package storetest

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"tamizdat/internal/store"
	"tamizdat/internal/store/postgres"
	"tamizdat/internal/store/postgres/pgtest"
	"tamizdat/internal/store/sqlite"
)

// Engine opens a fresh, empty store of one engine for a test; tests that
// run on every engine range over Engines.
type Engine struct {
	Name string
	// Open returns the store, not yet migrated, with now as its clock,
	// and the DSN that names it to the command line. The store is closed
	// when the test ends.
	Open func(tb testing.TB, now func() time.Time) (*store.DB, string)
}

// Engines are SQLite, in a file of the test's temporary folder, and
// PostgreSQL, in a fresh schema of the test server.
var Engines = []Engine{
	{"sqlite", func(tb testing.TB, now func() time.Time) (*store.DB, string) {
		path := filepath.Join(tb.TempDir(), "site.db")
		db, err := sqlite.Open(context.Background(), path, now)
		return closed(tb, db, err), path
	}},
	{"postgres", func(tb testing.TB, now func() time.Time) (*store.DB, string) {
		dsn := pgtest.FreshDSN(tb)
		db, err := postgres.Open(context.Background(), dsn, now)
		return closed(tb, db, err), dsn
	}},
}

// closed fails the test when the store did not open, and closes it when
// the test ends.
func closed(tb testing.TB, db *store.DB, err error) *store.DB {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}
