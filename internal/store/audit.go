package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
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

	ActorEmail string // filled on reads; "" for the system
}

// Audit actions.
const (
	AuditArticleLive = "article.live" // a scheduled article's time came
	AuditUserDisable = "user.disable"
	AuditTokenCreate = "token.create"
	AuditTokenRevoke = "token.revoke"
	AuditSettingsSet = "settings.set"

	AuditArticleCreate    = "article.create"
	AuditArticleEdit      = "article.edit"
	AuditArticlePublish   = "article.publish" // published now, or scheduled for a time
	AuditArticleUnpublish = "article.unpublish"
	AuditArticleDelete    = "article.delete"
	AuditArticleConflict  = "article.conflict" // a save refused because someone saved first
	AuditArticleRestore   = "article.restore"

	AuditSignIn       = "signin"
	AuditSignInFail   = "signin.fail"
	AuditSignOut      = "signout"
	AuditSessionsEnd  = "sessions.end" // sign out everywhere
	AuditPassword     = "user.password"
	AuditTwoFactorOn  = "user.2fa.enable"
	AuditTwoFactorOff = "user.2fa.reset"
	AuditRecoveryUsed = "user.recovery_code"
	AuditUserCreate   = "user.create"
	AuditUserUpdate   = "user.update"
	AuditUserEnable   = "user.enable"

	AuditCategoryCreate = "category.create"
	AuditCategoryUpdate = "category.update"
	AuditCategoryDelete = "category.delete"
	AuditPageSave       = "page.save"
	AuditPageDelete     = "page.delete"
	AuditImageUpload    = "image.upload"
	AuditImageUpdate    = "image.update"
	AuditImageDelete    = "image.delete"
)

// Audit records one event outside any other write (a sign-in, a failed
// one). actorID 0 takes the actor of ctx.
func (s *DB) Audit(ctx context.Context, actorID int64, action, ref, detail string) error {
	return s.tx(ctx, func(c conn) error { return s.recordAudit(ctx, c, actorID, action, ref, detail) })
}

// recordAudit writes an event in the write's own transaction, so that the
// log holds exactly what happened. actorID 0 takes the actor of ctx.
func (s *DB) recordAudit(ctx context.Context, c conn, actorID int64, action, ref, detail string) error {
	if actorID == 0 {
		actorID = ActorOf(ctx)
	}
	_, err := c.exec(ctx, `INSERT INTO audit_events (at, actor_id, action, ref, detail) VALUES (?, ?, ?, ?, ?)`,
		s.now().UnixMicro(), nullID(actorID), action, ref, detail)
	return err
}

// AuditEvents returns the newest events first, at most limit.
func (s *DB) AuditEvents(ctx context.Context, limit int) ([]AuditEvent, error) {
	return s.AuditLog(ctx, AuditQuery{Limit: limit})
}

// AuditQuery selects a page of the audit log, newest first.
type AuditQuery struct {
	Action  string // an action, or a prefix ending in "." ("article.")
	ActorID int64
	Before  int64 // only events with a smaller id: the next page
	Limit   int
}

// AuditLog returns the events the query selects, with their actors' names.
func (s *DB) AuditLog(ctx context.Context, q AuditQuery) ([]AuditEvent, error) {
	var conds []string
	var args []any
	if q.Action != "" {
		if strings.HasSuffix(q.Action, ".") {
			conds, args = append(conds, "e.action LIKE ? ESCAPE '\\'"), append(args, escapeLike(q.Action)+"%")
		} else {
			conds, args = append(conds, "e.action = ?"), append(args, q.Action)
		}
	}
	if q.ActorID != 0 {
		conds, args = append(conds, "e.actor_id = ?"), append(args, q.ActorID)
	}
	if q.Before > 0 {
		conds, args = append(conds, "e.id < ?"), append(args, q.Before)
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	if q.Limit <= 0 || q.Limit > 1000 {
		q.Limit = 1000
	}
	rows, err := s.read().query(ctx, `SELECT e.id, e.at, e.actor_id, e.action, e.ref, e.detail, COALESCE(u.email, '')
		FROM audit_events e LEFT JOIN users u ON u.id = e.actor_id`+where+` ORDER BY e.id DESC LIMIT ?`, append(args, q.Limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []AuditEvent
	for rows.Next() {
		var e AuditEvent
		var at int64
		var actor sql.NullInt64
		if err := rows.Scan(&e.ID, &at, &actor, &e.Action, &e.Ref, &e.Detail, &e.ActorEmail); err != nil {
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
