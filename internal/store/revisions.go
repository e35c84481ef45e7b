package store

import (
	"context"
	"database/sql"
	"time"

	"tamizdat/internal/news"
)

// Revision is one saved state of an article's text.
type Revision struct {
	ID         int64
	ArticleID  int64
	Version    int64  // the version the save produced; for a conflict, the one it was edited from
	Kind       string // save, conflict (refused, kept) or restore
	At         time.Time
	ActorID    int64
	ActorName  string
	Status     news.Status
	Title      string
	Lead       string
	Body       string
	Byline     string
	Source     string
	Correction string
	Interview  bool
}

func (s *DB) insertRevision(ctx context.Context, c conn, a *news.Article, kind string) (int64, error) {
	return c.insert(ctx, `INSERT INTO article_revisions (article_id, version, kind, at, actor_id, status, title, lead, body, byline, source, correction, interview)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, a.Version, kind, s.now().UnixMicro(), nullID(ActorOf(ctx)), string(a.Status), a.Title, a.Lead, a.Body, a.Byline, a.Source, a.Correction,
		boolInt(a.Interview))
}

const revisionColumns = `r.id, r.article_id, r.version, r.kind, r.at, r.actor_id, COALESCE(u.name, ''), r.status,
	r.title, r.lead, %BODY%, r.byline, r.source, r.correction, r.interview`

func scanRevision(sc interface{ Scan(...any) error }) (*Revision, error) {
	var r Revision
	var at int64
	var actor sql.NullInt64
	var interview int
	err := sc.Scan(&r.ID, &r.ArticleID, &r.Version, &r.Kind, &at, &actor, &r.ActorName, &r.Status,
		&r.Title, &r.Lead, &r.Body, &r.Byline, &r.Source, &r.Correction, &interview)
	if err != nil {
		return nil, err
	}
	r.At, r.ActorID, r.Interview = time.UnixMicro(at).UTC(), actor.Int64, interview != 0
	return &r, nil
}

// Revisions lists an article's revisions, newest first, without bodies.
func (s *DB) Revisions(ctx context.Context, articleID int64) ([]*Revision, error) {
	cols := revisionColumnsWith("''")
	rows, err := s.read().query(ctx, `SELECT `+cols+` FROM article_revisions r LEFT JOIN users u ON u.id = r.actor_id
		WHERE r.article_id = ? ORDER BY r.id DESC`, articleID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []*Revision
	for rows.Next() {
		r, err := scanRevision(rows)
		if err != nil {
			return nil, err
		}
		list = append(list, r)
	}
	return list, rows.Err()
}

// Revision returns one revision of an article, with its body.
func (s *DB) Revision(ctx context.Context, articleID, id int64) (*Revision, error) {
	r, err := scanRevision(s.read().queryRow(ctx, `SELECT `+revisionColumnsWith("r.body")+` FROM article_revisions r
		LEFT JOIN users u ON u.id = r.actor_id WHERE r.article_id = ? AND r.id = ?`, articleID, id))
	if err != nil {
		return nil, notFound(s.mapErr(err), "revision")
	}
	return r, nil
}

func revisionColumnsWith(body string) string {
	return replaceBody(revisionColumns, body)
}
