package store

import (
	"context"

	"tamizdat/internal/news"
)

// Page returns an edition's static page by slug.
func (s *DB) Page(ctx context.Context, edition, slug string) (*news.Page, error) {
	var p news.Page
	var updated sqlNullInt
	err := s.read().queryRow(ctx, `SELECT id, edition, slug, title, body, updated_at FROM pages WHERE edition = ? AND slug = ?`,
		edition, slug).Scan(&p.ID, &p.Edition, &p.Slug, &p.Title, &p.Body, &updated)
	if err != nil {
		return nil, notFound(s.mapErr(err), "page")
	}
	p.UpdatedAt = fromDB(updated)
	return &p, nil
}

// PutPage creates or replaces an edition's page of p.Slug.
func (s *DB) PutPage(ctx context.Context, p *news.Page) error {
	if err := p.Validate(); err != nil {
		return err
	}
	if p.UpdatedAt.IsZero() {
		p.UpdatedAt = s.now()
	}
	return s.tx(ctx, func(c conn) error {
		if err := s.checkEdition(ctx, c, p.Edition); err != nil {
			return err
		}
		id, err := c.insert(ctx, `INSERT INTO pages (edition, slug, title, body, updated_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (edition, slug) DO UPDATE SET title = excluded.title, body = excluded.body, updated_at = excluded.updated_at`,
			p.Edition, p.Slug, p.Title, p.Body, p.UpdatedAt.UnixMicro())
		if err != nil {
			return err
		}
		p.ID = id
		if err := s.recordAudit(ctx, c, 0, AuditPageSave, p.Edition+"/"+p.Slug, p.Title); err != nil {
			return err
		}
		return s.recordChange(ctx, c, ChangePage, p.Edition+"/"+p.Slug)
	})
}

// Pages lists every static page of every edition.
func (s *DB) Pages(ctx context.Context) ([]*news.Page, error) {
	rows, err := s.read().query(ctx, `SELECT id, edition, slug, title, '', updated_at FROM pages ORDER BY edition, slug`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []*news.Page
	for rows.Next() {
		var p news.Page
		var updated sqlNullInt
		if err := rows.Scan(&p.ID, &p.Edition, &p.Slug, &p.Title, &p.Body, &updated); err != nil {
			return nil, err
		}
		p.UpdatedAt = fromDB(updated)
		list = append(list, &p)
	}
	return list, rows.Err()
}
