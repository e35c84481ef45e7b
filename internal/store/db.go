// Package store keeps the site in a SQL database. The SQL is written once,
// portable between SQLite and PostgreSQL; each engine's package (sqlite,
// postgres) supplies a Dialect with its driver quirks, error mapping and
// migrations. Every exported method takes ctx first and runs in at most one
// transaction, so a failed call leaves nothing half-written.
package store

import (
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"tamizdat/internal/news"
)

// Dialect is what differs between engines.
type Dialect struct {
	Name       string
	Rebind     func(query string) string // turns ? placeholders into the engine's
	MapError   func(error) error         // driver errors → news errors where meaningful
	Migrations fs.FS                     // NNNN_name.sql files
	// MigrationLock, when set, runs first in each migration's transaction
	// and holds until it ends, so that only one process migrates at a time.
	MigrationLock string
	// XactLock, when set, takes a lock on its one integer argument that
	// holds until the transaction ends. Engines whose write transactions
	// run one at a time need none.
	XactLock string
	// Notify, when set, is run with the change kind as its argument in
	// every write transaction, to wake the other nodes at commit.
	Notify string
	// SnapshotIsolation is the level at which one read transaction sees a
	// single moment of the database (a dump while the site is written).
	SnapshotIsolation sql.IsolationLevel
	// ResetSequence, when set, moves {table}'s id sequence past the ids a
	// restore inserted; engines that number max(id)+1 need none.
	ResetSequence string
	// HasTable counts the tables named by its one argument that unqualified
	// queries see: 1 or 0.
	HasTable string
	// Explain, put before a query, makes the engine describe its plan;
	// ExplainSetup runs first in the same transaction (PostgreSQL plans
	// a small test table by scanning it whatever the indexes, so its
	// tests forbid the scan to see whether an index can serve).
	Explain      string
	ExplainSetup []string
}

// DB is the store. Its clock decides what "now" is for scheduled articles.
type DB struct {
	db       *sql.DB
	d        Dialect
	now      func() time.Time
	renderer Renderer
	stmts    stmts

	observe atomic.Pointer[Observer] // SetObserver

	afterChange func(context.Context) // SetAfterChange
}

// New wraps an open database. now may be nil for time.Now.
func New(db *sql.DB, d Dialect, now func() time.Time) *DB {
	if now == nil {
		now = time.Now
	}
	return &DB{db: db, d: d, now: now}
}

func (s *DB) Close() error                   { s.stmts.close(); return s.db.Close() }
func (s *DB) Engine() string                 { return s.d.Name }
func (s *DB) Now() time.Time                 { return s.now() }
func (s *DB) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

// querier is what both *sql.DB and *sql.Tx offer, so helpers run in or out
// of a transaction.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// conn runs the store's queries on the database or in a transaction (tx),
// each through a prepared statement: those of the statement cache (see
// stmts), and in a transaction those it prepared itself (local).
type conn struct {
	q       querier
	tx      *sql.Tx
	s       *DB
	local   map[string]*sql.Stmt // closed with the transaction
	changed *bool                // the transaction logged a change
	// recounts, in a batch of comments, gathers the articles whose count
	// is made once at the end rather than at each comment.
	recounts map[int64]bool
}

// on returns what runs query: a prepared statement, bound to the
// transaction when there is one, or the plain querier when the statement
// is not prepared.
func (c conn) on(ctx context.Context, query string) (querier, string) {
	// A transaction never prepares into the shared cache: that would take
	// a second connection from the pool while holding one (writers
	// waiting for each other's locks could then hold them all), and
	// outside the transaction a statement cannot see what it made (a
	// migration's new table). It binds the shared ones it finds, and
	// prepares the rest on its own connection for as long as it lasts (a
	// loader's batch runs the same statements thousands of times).
	// A statement that cannot be prepared (the context is done, the
	// connection dropped) runs as it is, and fails as queries do.
	st, _ := c.s.stmts.get(ctx, c.s, query, c.tx == nil)
	switch {
	case st != nil && c.tx != nil:
		return stmtQuerier{c.tx.StmtContext(ctx, st)}, ""
	case st != nil:
		return stmtQuerier{st}, ""
	case c.local != nil:
		if st, ok := c.local[query]; ok {
			return stmtQuerier{st}, ""
		}
		st, err := c.tx.PrepareContext(ctx, c.s.d.Rebind(query))
		if err != nil {
			return c.q, c.s.d.Rebind(query) // let the query itself fail, mapped as usual
		}
		c.local[query] = st
		return stmtQuerier{st}, ""
	}
	return c.q, c.s.d.Rebind(query)
}

// strings runs a query of one text column and returns its values.
func (c conn) strings(ctx context.Context, query string, args ...any) ([]string, error) {
	rows, err := c.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var vs []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		vs = append(vs, v)
	}
	return vs, rows.Err()
}

func (c conn) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if err := storable(args); err != nil {
		return nil, err
	}
	q, text := c.on(ctx, query)
	start := time.Now()
	r, err := q.ExecContext(ctx, text, args...)
	c.s.observed("exec", start, err)
	return r, c.s.mapErr(err)
}

func (c conn) query(ctx context.Context, query string, args ...any) (*rows, error) {
	if err := storable(args); err != nil {
		return nil, err
	}
	q, text := c.on(ctx, query)
	start := time.Now()
	r, err := q.QueryContext(ctx, text, args...)
	c.s.observed("query", start, err)
	if err != nil {
		return nil, c.s.mapErr(err)
	}
	return &rows{Rows: r, s: c.s}, nil
}

func (c conn) queryRow(ctx context.Context, query string, args ...any) row {
	if err := storable(args); err != nil {
		return row{err: err}
	}
	q, text := c.on(ctx, query)
	start := time.Now()
	r := q.QueryRowContext(ctx, text, args...)
	c.s.observed("query_row", start, r.Err())
	return row{r: r, s: c.s}
}

// storable refuses, on every engine alike, text that PostgreSQL cannot
// hold or compare: NUL and invalid UTF-8. Every surface and the domain
// refuse it first, with a message naming the field (news.CheckText); this
// is the wall behind them, so that a path they missed is a 422 and not a
// 500 on PostgreSQL and stored bytes on SQLite.
func storable(args []any) error {
	for _, a := range args {
		if s, ok := a.(string); ok && (strings.IndexByte(s, 0) >= 0 || !utf8.ValidString(s)) {
			return news.Errorf(news.EINVALID, "text with a NUL character or invalid UTF-8 can be neither stored nor looked up; remove it")
		}
	}
	return nil
}

// row and rows map the errors that surface only when a result is read (a
// connection lost mid-query), so that every error leaving the store speaks
// the domain's language.
type row struct {
	r   *sql.Row
	s   *DB
	err error // the query was not sent
}

func (r row) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	return r.s.mapErr(r.r.Scan(dest...))
}

type rows struct {
	*sql.Rows
	s *DB
}

func (r *rows) Scan(dest ...any) error { return r.s.mapErr(r.Rows.Scan(dest...)) }
func (r *rows) Err() error             { return r.s.mapErr(r.Rows.Err()) }

// insert runs an INSERT … RETURNING id (both engines support RETURNING).
func (c conn) insert(ctx context.Context, query string, args ...any) (int64, error) {
	var id int64
	err := c.queryRow(ctx, query+" RETURNING id", args...).Scan(&id)
	return id, c.s.mapErr(err)
}

func (s *DB) read() conn { return conn{q: s.db, s: s} }

func (s *DB) mapErr(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return news.Errorf(news.EUNAVAILABLE, "the database did not answer in time; try again")
	}
	var ne *news.Error
	if errors.As(err, &ne) {
		return err
	}
	return s.d.MapError(err)
}

// SetAfterChange has fn run after every committed write that logged a
// change, before the write returns: the serving node reads the change log
// there (changes.Feed.Sync), so that its caches have dropped what a write
// replaced before anyone is told the write is done. Set it before use.
func (s *DB) SetAfterChange(fn func(context.Context)) { s.afterChange = fn }

// tx runs fn in one transaction, committing only when it returns nil.
func (s *DB) tx(ctx context.Context, fn func(c conn) error) error {
	t, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return s.mapErr(err)
	}
	changed := false
	if err := fn(conn{q: t, tx: t, s: s, local: map[string]*sql.Stmt{}, changed: &changed}); err != nil {
		t.Rollback()
		return err
	}
	start := time.Now()
	err = t.Commit()
	s.observed("commit", start, err)
	if err != nil {
		return s.mapErr(err)
	}
	if changed && s.afterChange != nil {
		s.afterChange(ctx)
	}
	return nil
}

// Times are stored as microseconds since the epoch, NULL for the zero time.
func toDB(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMicro()
}

func fromDB(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.UnixMicro(v.Int64).UTC()
}

func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return news.Errorf(news.ENOTFOUND, "%s not found", what)
	}
	return err
}
