package store

import (
	"context"
	"database/sql"
	"sync"
)

// stmts keeps one prepared statement per query text, so that a page's
// queries are parsed and planned once per connection rather than at every
// view: on SQLite preparing was half the cost of a page's SQL.
// database/sql prepares each statement again on the connections that
// have not seen it, and binds it to a transaction's connection (Tx.Stmt).
//
// Query texts are few and fixed, but for the lists of ids that vary in
// length; past maxStmts texts new ones run unprepared rather than
// growing without bound.
type stmts struct {
	mu sync.RWMutex
	m  map[string]*sql.Stmt
}

const maxStmts = 1000

// get returns the prepared statement of query, preparing it when it may;
// nil when it is not prepared and may not be, or the cache is full.
func (c *stmts) get(ctx context.Context, s *DB, query string, prepare bool) (*sql.Stmt, error) {
	c.mu.RLock()
	st, ok := c.m[query]
	full := len(c.m) >= maxStmts
	c.mu.RUnlock()
	if ok {
		return st, nil
	}
	if full || !prepare {
		return nil, nil
	}
	// Prepared outside the lock; two goroutines preparing the same text
	// at once keep the first and close the second.
	st, err := s.db.PrepareContext(ctx, s.d.Rebind(query))
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	have, ok := c.m[query]
	if !ok {
		if c.m == nil {
			c.m = map[string]*sql.Stmt{}
		}
		c.m[query] = st
	}
	c.mu.Unlock()
	if ok {
		// Closed outside the lock: closing waits for the connections the
		// statement was prepared on, and one of them may be a transaction
		// waiting (on an advisory lock) for a writer that needs this cache.
		st.Close()
		return have, nil
	}
	return st, nil
}

func (c *stmts) close() {
	c.mu.Lock()
	m := c.m
	c.m = nil
	c.mu.Unlock()
	for _, st := range m {
		st.Close()
	}
}

// stmtQuerier runs a prepared statement where a querier is expected; the
// query text it is given is the statement's own and is ignored.
type stmtQuerier struct{ st *sql.Stmt }

func (q stmtQuerier) ExecContext(ctx context.Context, _ string, args ...any) (sql.Result, error) {
	return q.st.ExecContext(ctx, args...)
}

func (q stmtQuerier) QueryContext(ctx context.Context, _ string, args ...any) (*sql.Rows, error) {
	return q.st.QueryContext(ctx, args...)
}

func (q stmtQuerier) QueryRowContext(ctx context.Context, _ string, args ...any) *sql.Row {
	return q.st.QueryRowContext(ctx, args...)
}
