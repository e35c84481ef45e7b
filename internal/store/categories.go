package store

import (
	"context"

	"tamizdat/internal/news"
)

// Categories returns an edition's categories in menu order.
func (s *DB) Categories(ctx context.Context, edition string) ([]news.Category, error) {
	rows, err := s.read().query(ctx, `SELECT id, edition, slug, name, position FROM categories
		WHERE edition = ? ORDER BY position, id`, edition)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cs []news.Category
	for rows.Next() {
		var c news.Category
		if err := rows.Scan(&c.ID, &c.Edition, &c.Slug, &c.Name, &c.Position); err != nil {
			return nil, err
		}
		cs = append(cs, c)
	}
	return cs, rows.Err()
}

// CreateCategory validates and adds a category at the end of its edition's
// menu unless a position is given.
func (s *DB) CreateCategory(ctx context.Context, cat *news.Category) error {
	if err := cat.Validate(); err != nil {
		return err
	}
	return s.tx(ctx, func(c conn) error {
		if err := s.checkEdition(ctx, c, cat.Edition); err != nil {
			return err
		}
		if cat.Position <= 0 {
			if err := c.queryRow(ctx, `SELECT COALESCE(MAX(position), 0) + 1 FROM categories WHERE edition = ?`, cat.Edition).Scan(&cat.Position); err != nil {
				return s.mapErr(err)
			}
		}
		id, err := c.insert(ctx, `INSERT INTO categories (edition, slug, name, position) VALUES (?, ?, ?, ?)`,
			cat.Edition, cat.Slug, cat.Name, cat.Position)
		if news.ErrorCode(err) == news.ECONFLICT {
			return news.Errorf(news.ECONFLICT, "edition %s already has a category %q", cat.Edition, cat.Slug)
		}
		if err != nil {
			return err
		}
		cat.ID = id
		return s.recordChange(ctx, c, ChangeCategory, cat.Edition)
	})
}
