package store

import (
	"context"
)

// Renderer turns an article's body into the HTML readers get. The store
// renders with it as it saves, so that no view renders; it comes from the
// composition root, since the store knows nothing of Markdown.
type Renderer struct {
	// Version names the output; bodies stored by another version are
	// rendered again (RenderStale).
	Version int
	Render  func(body string, interview bool) string
}

// SetRenderer makes every save store the rendered body. Without one the
// store keeps none, and the pages render on view.
func (s *DB) SetRenderer(r Renderer) { s.renderer = r }

// storeHTML renders the saved article's body into article_html. Whatever
// version was there goes: it rendered another text. (Saved by a node not
// yet upgraded, the body is then rendered on view by the upgraded ones
// until it is rendered again.)
func (s *DB) storeHTML(ctx context.Context, c conn, id int64, body string, interview bool) error {
	if s.renderer.Render == nil {
		_, err := c.exec(ctx, `DELETE FROM article_html WHERE article_id = ?`, id)
		return err
	}
	html := s.renderer.Render(body, interview)
	_, err := c.exec(ctx, `INSERT INTO article_html (article_id, version, html) VALUES (?, ?, ?)
		ON CONFLICT (article_id) DO UPDATE SET version = excluded.version, html = excluded.html`, id, s.renderer.Version, html)
	return err
}

// RenderStale renders, in id order from after, up to n articles whose
// stored body is missing or from an older renderer, and returns the last
// id it looked at (0 when it reached the end). Serve runs it in the
// background after a migration, a restore or an upgrade of the renderer:
// pages render on view until their article's turn comes.
func (s *DB) RenderStale(ctx context.Context, after int64, n int) (last int64, done int, err error) {
	if s.renderer.Render == nil {
		return 0, 0, nil
	}
	type job struct {
		id        int64
		version   int64
		body      string
		interview bool
	}
	var jobs []job
	rows, err := s.read().query(ctx, `SELECT a.id, a.version, a.body, a.interview FROM articles a
		LEFT JOIN article_html h ON h.article_id = a.id
		WHERE a.id > ? AND (h.article_id IS NULL OR h.version < ?) ORDER BY a.id LIMIT ?`, after, s.renderer.Version, n)
	if err != nil {
		return 0, 0, err
	}
	for rows.Next() {
		var j job
		var interview int
		if err := rows.Scan(&j.id, &j.version, &j.body, &interview); err != nil {
			rows.Close()
			return 0, 0, err
		}
		j.interview = interview != 0
		jobs = append(jobs, j)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, 0, err
	}
	if len(jobs) == 0 {
		return 0, 0, nil
	}
	// Rendered outside the transaction, written in one; a body saved in
	// between is already rendered by its save, and the version check
	// keeps this older text from replacing it.
	html := make([]string, len(jobs))
	for i, j := range jobs {
		html[i] = s.renderer.Render(j.body, j.interview)
	}
	err = s.tx(ctx, func(c conn) error {
		for i, j := range jobs {
			r, err := c.exec(ctx, `INSERT INTO article_html (article_id, version, html)
				SELECT id, ?, ? FROM articles WHERE id = ? AND version = ?
				ON CONFLICT (article_id) DO UPDATE SET version = excluded.version, html = excluded.html
				WHERE article_html.version < excluded.version`, s.renderer.Version, html[i], j.id, j.version)
			if err != nil {
				return err
			}
			if k, _ := r.RowsAffected(); k > 0 {
				done++
			}
		}
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	return jobs[len(jobs)-1].id, done, nil
}
