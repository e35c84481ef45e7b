package store

import (
	"context"
	"database/sql"
	"strconv"
	"time"
)

// AuditEvent is one entry of the audit log.
type AuditEvent struct {
	ID      int64
	At      time.Time
	ActorID int64 // 0 for the system (a job)
	Action  string
	Ref     string
	Detail  string
}

// Audit actions.
const (
	AuditArticleLive = "article.live" // a scheduled article's time came
	AuditUserDisable = "user.disable"
	AuditTokenCreate = "token.create"
	AuditTokenRevoke = "token.revoke"
	AuditSettingsSet = "settings.set"
)

func (s *DB) recordAudit(ctx context.Context, c conn, actorID int64, action, ref, detail string) error {
	_, err := c.exec(ctx, `INSERT INTO audit_events (at, actor_id, action, ref, detail) VALUES (?, ?, ?, ?, ?)`,
		s.now().UnixMicro(), nullID(actorID), action, ref, detail)
	return err
}

// AuditEvents returns the newest events first, at most limit.
func (s *DB) AuditEvents(ctx context.Context, limit int) ([]AuditEvent, error) {
	rows, err := s.read().query(ctx, `SELECT id, at, actor_id, action, ref, detail FROM audit_events ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []AuditEvent
	for rows.Next() {
		var e AuditEvent
		var at int64
		var actor sql.NullInt64
		if err := rows.Scan(&e.ID, &at, &actor, &e.Action, &e.Ref, &e.Detail); err != nil {
			return nil, err
		}
		e.At, e.ActorID = time.UnixMicro(at).UTC(), actor.Int64
		list = append(list, e)
	}
	return list, rows.Err()
}

// GoLive makes the publication of every scheduled article whose time has
// come take effect: it logs the change (so that caches drop what lists it)
// and one audit event. Every node may run it at any time and as often as it
// likes: each article is claimed by a conditional update in the same
// transaction as its effects, so each goes live exactly once, also when a
// node dies half-way through.
func (s *DB) GoLive(ctx context.Context) (int, error) {
	now := s.now().UnixMicro()
	rows, err := s.read().query(ctx, `SELECT id FROM articles WHERE status = 'published' AND live_at IS NULL AND published_at <= ? ORDER BY published_at LIMIT 500`, now)
	if err != nil {
		return 0, err
	}
	var due []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, err
		}
		due = append(due, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	done := 0
	for _, id := range due {
		err := s.tx(ctx, func(c conn) error {
			r, err := c.exec(ctx, `UPDATE articles SET live_at = ? WHERE id = ? AND live_at IS NULL AND status = 'published' AND published_at <= ?`, now, id, now)
			if err != nil {
				return err
			}
			if n, _ := r.RowsAffected(); n == 0 {
				return nil // another node did it, or the article changed
			}
			ref := strconv.FormatInt(id, 10)
			if err := s.recordChange(ctx, c, ChangeArticle, ref); err != nil {
				return err
			}
			done++
			return s.recordAudit(ctx, c, 0, AuditArticleLive, ref, "")
		})
		if err != nil {
			return done, err
		}
	}
	return done, nil
}
