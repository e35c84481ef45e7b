package store

import (
	"context"
	"time"
)

// Change is one entry of the change log: what a write touched.
type Change struct {
	Seq  int64
	Kind string // one of the Change* kinds
	Ref  string // the id or key touched, "" for site-wide
	At   time.Time
}

// Kinds of change.
const (
	ChangeSettings = "settings"
	ChangeCategory = "category"
	ChangeArticle  = "article"
	ChangePage     = "page"
	ChangeComment  = "comment"
	ChangeImage    = "image"
	// ChangeList: a reader list (Ref, as ListOf names it) was numbered
	// again without the article that changed being on it any more, as
	// when one is deleted: every page of the list moved, not only those
	// that showed it.
	ChangeList = "list"
)

// recordChange appends to the change log inside the write's transaction:
// the change is visible exactly when the write is, so a reader of the log
// never misses one.
func (s *DB) recordChange(ctx context.Context, c conn, kind, ref string) error {
	if _, err := c.exec(ctx, `INSERT INTO changes (kind, ref, at) VALUES (?, ?, ?)`, kind, ref, s.now().UnixMicro()); err != nil {
		return err
	}
	if c.changed != nil {
		*c.changed = true
	}
	if s.d.Notify != "" {
		if _, err := c.exec(ctx, s.d.Notify, kind); err != nil {
			return err
		}
	}
	return nil
}

// ChangesAfter returns the logged changes with a sequence number above
// after, oldest first.
func (s *DB) ChangesAfter(ctx context.Context, after int64) ([]Change, error) {
	rows, err := s.read().query(ctx, `SELECT seq, kind, ref, at FROM changes WHERE seq > ? ORDER BY seq LIMIT 10000`, after)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []Change
	for rows.Next() {
		var ch Change
		var at int64
		if err := rows.Scan(&ch.Seq, &ch.Kind, &ch.Ref, &at); err != nil {
			return nil, err
		}
		ch.At = time.UnixMicro(at).UTC()
		list = append(list, ch)
	}
	return list, rows.Err()
}

// LastChange returns the highest sequence number in the log, 0 if empty.
func (s *DB) LastChange(ctx context.Context) (int64, error) {
	var seq int64
	err := s.read().queryRow(ctx, `SELECT COALESCE(MAX(seq), 0) FROM changes`).Scan(&seq)
	return seq, err
}

// PruneChanges deletes log entries older than before. Safe to run on
// several nodes at once.
func (s *DB) PruneChanges(ctx context.Context, before time.Time) error {
	_, err := s.read().exec(ctx, `DELETE FROM changes WHERE at < ?`, before.UnixMicro())
	return err
}

// Claim records that this process takes on the one-time work called name.
// It reports true to exactly one caller, whatever the number of processes
// and engines racing for it.
func (s *DB) Claim(ctx context.Context, name string) (bool, error) {
	var won bool
	err := s.tx(ctx, func(c conn) error {
		r, err := c.exec(ctx, `INSERT INTO claims (name, at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`, name, s.now().UnixMicro())
		if err != nil {
			return err
		}
		n, err := r.RowsAffected()
		won = n == 1
		return err
	})
	return won, err
}
