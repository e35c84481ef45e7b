package store

import (
	"context"

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
		c.recounts = map[int64]bool{}
		defer func() { c.recounts = nil }()
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
		for id := range c.recounts {
			if err := s.recount(ctx, c, id); err != nil {
				return err
			}
		}
		return nil
	})
}

// batch is tx for a batch: every statement is prepared once in the
// transaction and reused for each row (see conn.on). A loader runs the
// same few statements thousands of times, and on SQLite parsing each anew
// took a third of the work.
func (s *DB) batch(ctx context.Context, fn func(c conn) error) error {
	return s.tx(ctx, fn)
}
