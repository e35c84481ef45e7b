package store

import (
	"context"
	"fmt"

	"tamizdat/internal/news"
)

// Settings returns the site settings: defaults overlaid with what is stored.
func (s *DB) Settings(ctx context.Context) (news.Settings, error) {
	set := news.DefaultSettings()
	codes, err := s.editionCodes(ctx, s.read())
	if err != nil {
		return set, err
	}
	rows, err := s.read().query(ctx, `SELECT key, value FROM settings ORDER BY key`)
	if err != nil {
		return set, err
	}
	defer rows.Close()
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return set, err
		}
		// Stored values were validated on the way in; one that no longer
		// validates (an edition removed) is a fault worth stopping for.
		if _, err := set.Apply(k, v, codes); err != nil {
			return set, fmt.Errorf("stored setting %s: %w", k, err)
		}
	}
	return set, rows.Err()
}

// SetSetting validates and stores one setting.
func (s *DB) SetSetting(ctx context.Context, key, value string) error {
	return s.tx(ctx, func(c conn) error {
		codes, err := s.editionCodes(ctx, c)
		if err != nil {
			return err
		}
		set := news.DefaultSettings()
		stored, err := set.Apply(key, value, codes)
		if err != nil {
			return err
		}
		if _, err = c.exec(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, stored); err != nil {
			return err
		}
		if err := s.recordChange(ctx, c, ChangeSettings, key); err != nil {
			return err
		}
		return s.recordAudit(ctx, c, 0, AuditSettingsSet, key, "")
	})
}

// Editions returns the editions in menu order.
func (s *DB) Editions(ctx context.Context) ([]news.Edition, error) {
	rows, err := s.read().query(ctx, `SELECT code, name, position, comment_policy FROM editions ORDER BY position, code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var es []news.Edition
	for rows.Next() {
		var e news.Edition
		if err := rows.Scan(&e.Code, &e.Name, &e.Position, &e.CommentPolicy); err != nil {
			return nil, err
		}
		es = append(es, e)
	}
	return es, rows.Err()
}

func (s *DB) editionCodes(ctx context.Context, c conn) ([]string, error) {
	return c.strings(ctx, `SELECT code FROM editions ORDER BY position`)
}

func (s *DB) checkEdition(ctx context.Context, c conn, code string) error {
	var n int
	if err := c.queryRow(ctx, `SELECT count(*) FROM editions WHERE code = ?`, code).Scan(&n); err != nil {
		return s.mapErr(err)
	}
	if n == 0 {
		return news.Errorf(news.EINVALID, "unknown edition %q", code)
	}
	return nil
}

// SetEditionCommentPolicy sets how an edition takes comments when its
// articles say inherit.
func (s *DB) SetEditionCommentPolicy(ctx context.Context, code string, p news.CommentPolicy) error {
	if !p.Valid() {
		return news.Errorf(news.EINVALID, "the comment policy must be inherit, open, premoderated or closed")
	}
	return s.tx(ctx, func(c conn) error {
		r, err := c.exec(ctx, `UPDATE editions SET comment_policy = ? WHERE code = ?`, string(p), code)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return news.Errorf(news.ENOTFOUND, "no edition %q", code)
		}
		// Editions are cached with the settings.
		if err := s.recordChange(ctx, c, ChangeSettings, "edition."+code); err != nil {
			return err
		}
		return s.recordAudit(ctx, c, 0, AuditSettingsSet, "edition."+code+".comment_policy", string(p))
	})
}
