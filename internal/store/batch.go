package store

import (
	"context"
	"database/sql"

	"tamizdat/internal/news"
)

// Writes of many rows at once, for loaders (tamizdat demo): each row takes
// the path a single write takes, and a batch of them shares one
// transaction.

// CreateArticles stores many new articles, each exactly as CreateArticle
// would (the same validation, categories, tags, translation group,
// revision, audit and change log), in one transaction. Nothing is stored
// if one is refused (the IDs already set then name nothing). prepare, when
// not nil, is called with each index before that article is saved, once
// the ones before it have their IDs, so that a translation can name an
// original stored earlier in the same batch.
func (s *DB) CreateArticles(ctx context.Context, list []*news.Article, prepare func(i int)) error {
	return s.batch(ctx, func(c conn) error {
		for i, a := range list {
			if prepare != nil {
				prepare(i)
			}
			if a.CreatedAt.IsZero() {
				a.CreatedAt = s.now()
			}
			if err := s.saveArticle(ctx, c, a, true); err != nil {
				return err
			}
		}
		return nil
	})
}

// CreateComments stores many comments, each exactly as CreateComment would,
// in one transaction. Nothing is stored if one is refused (the IDs already
// set then name nothing). prepare, when not nil, is called with each index
// before that comment is checked, once the ones before it have their IDs,
// so that a reply can name a parent stored earlier in the same batch.
func (s *DB) CreateComments(ctx context.Context, list []*news.Comment, prepare func(i int)) error {
	return s.batch(ctx, func(c conn) error {
		for i, cm := range list {
			if prepare != nil {
				prepare(i)
			}
			if err := s.checkComment(cm); err != nil {
				return err
			}
			if err := s.insertComment(ctx, c, cm, nil, nil); err != nil {
				return err
			}
		}
		return nil
	})
}

// batch is tx for a batch: a statement is prepared once and reused for
// every row. A loader runs the same few statements thousands of times, and
// on SQLite parsing each anew took a third of the work.
func (s *DB) batch(ctx context.Context, fn func(c conn) error) error {
	t, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return s.mapErr(err)
	}
	// The statements are closed with the transaction.
	if err := fn(conn{q: &preparedTx{tx: t, stmts: map[string]*sql.Stmt{}}, s: s}); err != nil {
		t.Rollback()
		return err
	}
	return s.mapErr(t.Commit())
}

// preparedTx is a transaction that keeps the statements it prepared.
type preparedTx struct {
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
}

func (p *preparedTx) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := p.stmts[query]; ok {
		return st, nil
	}
	st, err := p.tx.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	p.stmts[query] = st
	return st, nil
}

func (p *preparedTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := p.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

func (p *preparedTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := p.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

func (p *preparedTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := p.stmt(ctx, query)
	if err != nil {
		// A *sql.Row cannot be made to hold an error: let the
		// transaction run the query unprepared, and fail the same way.
		return p.tx.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}
