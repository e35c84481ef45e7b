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
		if err := s.recordAudit(ctx, c, 0, AuditCategoryCreate, cat.Edition+"/"+cat.Slug, cat.Name); err != nil {
			return err
		}
		return s.recordChange(ctx, c, ChangeCategory, cat.Edition)
	})
}

// Category returns one category by id.
func (s *DB) Category(ctx context.Context, id int64) (*news.Category, error) {
	var cat news.Category
	err := s.read().queryRow(ctx, `SELECT id, edition, slug, name, position FROM categories WHERE id = ?`, id).
		Scan(&cat.ID, &cat.Edition, &cat.Slug, &cat.Name, &cat.Position)
	if err != nil {
		return nil, notFound(s.mapErr(err), "category")
	}
	return &cat, nil
}

// RenameCategory changes the name readers see in the menu. The slug stays:
// it is part of every URL already shared.
func (s *DB) RenameCategory(ctx context.Context, id int64, name string) error {
	return s.tx(ctx, func(c conn) error {
		var cat news.Category
		err := c.queryRow(ctx, `SELECT id, edition, slug, name, position FROM categories WHERE id = ?`, id).
			Scan(&cat.ID, &cat.Edition, &cat.Slug, &cat.Name, &cat.Position)
		if err != nil {
			return notFound(err, "category")
		}
		old := cat.Name
		cat.Name = name
		if err := cat.Validate(); err != nil {
			return err
		}
		if _, err := c.exec(ctx, `UPDATE categories SET name = ? WHERE id = ?`, cat.Name, id); err != nil {
			return err
		}
		if err := s.recordAudit(ctx, c, 0, AuditCategoryUpdate, cat.Edition+"/"+cat.Slug, old+" → "+cat.Name); err != nil {
			return err
		}
		return s.recordChange(ctx, c, ChangeCategory, cat.Edition)
	})
}

// MoveCategory moves a category one place up (delta -1) or down (+1) in
// its edition's menu, numbering the menu 1, 2, 3… again.
func (s *DB) MoveCategory(ctx context.Context, id int64, delta int) error {
	return s.tx(ctx, func(c conn) error {
		var edition, slug string
		if err := c.queryRow(ctx, `SELECT edition, slug FROM categories WHERE id = ?`, id).Scan(&edition, &slug); err != nil {
			return notFound(err, "category")
		}
		rows, err := c.query(ctx, `SELECT id FROM categories WHERE edition = ? ORDER BY position, id`, edition)
		if err != nil {
			return err
		}
		var ids []int64
		for rows.Next() {
			var x int64
			if err := rows.Scan(&x); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, x)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for i, x := range ids {
			if j := i + delta; x == id && j >= 0 && j < len(ids) {
				ids[i], ids[j] = ids[j], ids[i]
				break
			}
		}
		for i, x := range ids {
			if _, err := c.exec(ctx, `UPDATE categories SET position = ? WHERE id = ?`, i+1, x); err != nil {
				return err
			}
		}
		if err := s.recordAudit(ctx, c, 0, AuditCategoryUpdate, edition+"/"+slug, "moved in the menu"); err != nil {
			return err
		}
		return s.recordChange(ctx, c, ChangeCategory, edition)
	})
}

// DeleteCategory removes a category from the menu; its articles stay, in
// their other categories.
func (s *DB) DeleteCategory(ctx context.Context, id int64) error {
	return s.tx(ctx, func(c conn) error {
		var edition, slug string
		if err := c.queryRow(ctx, `SELECT edition, slug FROM categories WHERE id = ?`, id).Scan(&edition, &slug); err != nil {
			return notFound(err, "category")
		}
		if _, err := c.exec(ctx, `DELETE FROM categories WHERE id = ?`, id); err != nil {
			return err
		}
		// Its list goes with it, or a category made later with the
		// same slug would start with these articles.
		if _, err := c.exec(ctx, `DELETE FROM listings WHERE list = ?`, listCategory(edition, slug)); err != nil {
			return err
		}
		if err := s.recordAudit(ctx, c, 0, AuditCategoryDelete, edition+"/"+slug, ""); err != nil {
			return err
		}
		return s.recordChange(ctx, c, ChangeCategory, edition)
	})
}
