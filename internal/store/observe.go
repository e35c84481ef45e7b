package store

import (
	"database/sql"
	"time"
)

// Observer is told of every statement the store runs: which kind (op is
// "exec", "query", "query_row" or "commit", never the SQL text), how long
// the database took to answer, and its error, nil when it answered. For a
// query that is the time to its first row; reading the rest is the
// caller's.
type Observer func(op string, d time.Duration, err error)

// SetObserver makes o the store's observer (nil for none). It may be
// called while the store is in use.
func (s *DB) SetObserver(o Observer) {
	if o == nil {
		s.observe.Store(nil)
		return
	}
	s.observe.Store(&o)
}

func (s *DB) observed(op string, start time.Time, err error) {
	if o := s.observe.Load(); o != nil {
		(*o)(op, time.Since(start), err)
	}
}

// Pool is the connection pool underneath, for instruments that read its
// statistics (sql.DB.Stats). Queries go through the store's methods.
func (s *DB) Pool() *sql.DB { return s.db }
