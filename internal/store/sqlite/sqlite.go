// Package sqlite is the embedded engine: driver setup, the pragmas tamizdat
// relies on, error mapping to news errors, and the embedded migrations.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"tamizdat/internal/news"
	"tamizdat/internal/store"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Dialect tells the shared store how this engine differs.
var Dialect = store.Dialect{
	Name:       "sqlite",
	Rebind:     func(q string) string { return q },
	MapError:   mapError,
	Migrations: store.MigrationFiles(migrations),
	HasTable:   "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
	Explain:    "EXPLAIN QUERY PLAN ",
}

// Open opens the SQLite database at path, creating it when missing, in WAL
// mode with foreign keys on, and checks that the file really is a database.
// A new file is created with mode 0600 before SQLite opens it (SQLite would
// make it 0644, and its -wal and -shm files take the database's mode): the
// database holds password and token hashes. The folder must exist; Open
// never creates one.
func Open(ctx context.Context, path string, now func() time.Time) (*store.DB, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	created := err == nil
	switch {
	case created:
		f.Close()
	case errors.Is(err, fs.ErrExist):
	case errors.Is(err, fs.ErrNotExist):
		return nil, news.Errorf(news.EINVALID, "the folder %s does not exist; create it or choose another path for the database", filepath.Dir(path))
	default:
		return nil, news.Errorf(news.EINVALID, "cannot create the database %s: %v", path, unwrapPathErr(err))
	}
	db, err := open(ctx, path, "", now)
	if err != nil && created {
		for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
			os.Remove(path + suffix)
		}
	}
	return db, err
}

// OpenExisting is Open for a database that must be there already: it never
// creates a file. When there is none the error is an *fs.PathError for
// which errors.Is(err, fs.ErrNotExist) holds.
func OpenExisting(ctx context.Context, path string, now func() time.Time) (*store.DB, error) {
	st, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
			return nil, &fs.PathError{Op: "open", Path: path, Err: fs.ErrNotExist}
		}
		return nil, news.Errorf(news.EINVALID, "cannot open the database %s: %v", path, unwrapPathErr(err))
	}
	if st.IsDir() {
		return nil, news.Errorf(news.EINVALID, "%s is a folder, not a database file", path)
	}
	// mode=rw: should the file go between the Stat and the open, SQLite
	// fails instead of creating an empty one.
	return open(ctx, path, "rw", now)
}

func open(ctx context.Context, path, mode string, now func() time.Time) (*store.DB, error) {
	q := url.Values{}
	if mode != "" {
		q.Set("mode", mode)
	}
	// synchronous=NORMAL in WAL mode keeps every commit through a crash of the
	// process (the WAL is written before COMMIT returns); only a power loss
	// can take the last commits, and it is 10x faster than FULL here.
	for _, p := range []string{"foreign_keys(1)", "journal_mode(WAL)", "synchronous(NORMAL)", "busy_timeout(10000)"} {
		q.Add("_pragma", p)
	}
	// Write transactions take the lock at BEGIN, so two writers wait for each
	// other instead of failing when a read lock would be upgraded.
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+uriPath(path)+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	// Connections are kept, not closed as soon as more than two are idle
	// (database/sql's default): a new one reads the schema again and
	// prepares each statement again, and under a few dozen readers at once
	// that churn cost more than the page (an article uncached: 0.6 ms of
	// CPU with it, 0.25–0.3 ms without). 32 kept hold at most 64 MB of
	// SQLite's page caches. There is no bound on open ones, so that a
	// transaction waiting for the write lock never waits for a connection
	// too.
	db.SetMaxIdleConns(32)
	db.SetConnMaxIdleTime(5 * time.Minute)
	// Reading the schema fails on a file that is not a database, which a
	// plain Ping would not notice.
	var n int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master").Scan(&n); err != nil {
		db.Close()
		return nil, describeOpenError(path, err)
	}
	var jm string
	if err := db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&jm); err != nil || jm != "wal" {
		db.Close()
		return nil, news.Errorf(news.EINVALID, "cannot put %s in WAL mode (journal_mode=%s, %v); is the folder on a local file system?", path, jm, err)
	}
	return store.New(db, Dialect, now), nil
}

// uriPath escapes what a SQLite URI would read otherwise: a path holding
// "?" or "#" must name that file, not end the path and start parameters
// (x.db?mode=memory would quietly keep nothing).
func uriPath(path string) string {
	return strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
}

func describeOpenError(path string, err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT:
			return news.Errorf(news.EINVALID, "%s is not a SQLite database or is damaged; restore it from a backup or point --db elsewhere", path)
		case sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH:
			return news.Errorf(news.EINVALID, "cannot open %s for writing; check the permissions of the file and its folder", path)
		}
	}
	return news.Errorf(news.EINVALID, "cannot open the database %s: %v", path, err)
}

func mapError(err error) error {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return err
	}
	switch se.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return news.Errorf(news.ECONFLICT, "already exists")
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return news.Errorf(news.EINVALID, "refers to something that does not exist")
	}
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return news.Errorf(news.EUNAVAILABLE, "the database is busy; try again")
	case sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_READONLY:
		return fmt.Errorf("database cannot write: %w", err)
	}
	return err
}

func unwrapPathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
