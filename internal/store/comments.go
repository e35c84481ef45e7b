package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"tamizdat/internal/news"
)

type sqlNullInt = sql.NullInt64

const sqlComments = `SELECT id, article_id, parent_id, name, body, status, created_at FROM comments
	WHERE article_id = ? AND status = ? ORDER BY created_at, id`

// PublishedComments returns one page of an article's published comments,
// oldest first, and how many it has in all; the page is read down the
// article's part of an index, so its cost is bounded by the article's
// comments and not the site's.
func (s *DB) PublishedComments(ctx context.Context, articleID int64, offset, limit int) ([]news.Comment, int, error) {
	c := s.read()
	var total int
	err := c.queryRow(ctx, `SELECT published FROM comment_counts WHERE article_id = ?`, articleID).Scan(&total)
	if err != nil && !isNoRows(err) {
		return nil, 0, err
	}
	if offset >= total {
		return nil, total, nil
	}
	list, err := s.scanComments(ctx, c, sqlComments+` LIMIT ? OFFSET ?`, articleID, string(news.CommentPublished), limit, max(offset, 0))
	return list, total, err
}

// Comments returns an article's comments of one status, oldest first.
func (s *DB) Comments(ctx context.Context, articleID int64, status news.CommentStatus) ([]news.Comment, error) {
	return s.scanComments(ctx, s.read(), sqlComments, articleID, string(status))
}

func (s *DB) scanComments(ctx context.Context, c conn, query string, args ...any) ([]news.Comment, error) {
	rows, err := c.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []news.Comment
	for rows.Next() {
		var cm news.Comment
		var parent, created sql.NullInt64
		if err := rows.Scan(&cm.ID, &cm.ArticleID, &parent, &cm.Name, &cm.Body, &cm.Status, &created); err != nil {
			return nil, err
		}
		cm.ParentID, cm.CreatedAt = parent.Int64, fromDB(created)
		list = append(list, cm)
	}
	return list, rows.Err()
}

// CreateComment stores a comment; a reply must belong to the same article.
func (s *DB) CreateComment(ctx context.Context, cm *news.Comment) error {
	return s.PostComment(ctx, cm, nil, nil)
}

// PostComment stores a reader's comment with what the intake checks keep
// (meta may be nil), and refreshes only what shows it: the article and its
// counts, through the change log. With limits it first counts, in the same
// transaction, and refuses what they do not allow (see CheckCommentLimits).
func (s *DB) PostComment(ctx context.Context, cm *news.Comment, meta *CommentMeta, limits *CommentLimits) error {
	if err := s.checkComment(cm); err != nil {
		return err
	}
	return s.tx(ctx, func(c conn) error { return s.insertComment(ctx, c, cm, meta, limits) })
}

// checkComment normalises and validates a comment before it is stored.
func (s *DB) checkComment(cm *news.Comment) error {
	cm.Name = strings.TrimSpace(cm.Name)
	if err := cm.Validate(); err != nil {
		return err
	}
	if !cm.Status.Valid() {
		return news.Errorf(news.EINVALID, "unknown comment status %q", cm.Status)
	}
	if cm.CreatedAt.IsZero() {
		cm.CreatedAt = s.now()
	}
	return nil
}

// insertComment is PostComment's work inside its transaction, for a
// comment checkComment passed.
func (s *DB) insertComment(ctx context.Context, c conn, cm *news.Comment, meta *CommentMeta, limits *CommentLimits) error {
	if limits != nil {
		if err := s.lockCommentLimits(ctx, c, cm.ArticleID, limits); err != nil {
			return err
		}
		if err := s.checkCommentLimits(ctx, c, cm.ArticleID, limits); err != nil {
			return err
		}
	}
	if cm.ParentID != 0 {
		var article int64
		err := c.queryRow(ctx, `SELECT article_id FROM comments WHERE id = ?`, cm.ParentID).Scan(&article)
		if err != nil || article != cm.ArticleID {
			return news.Errorf(news.EINVALID, "the comment replied to is not on this article")
		}
	}
	if meta == nil {
		meta = &CommentMeta{}
	}
	var fp, day any
	if meta.Fingerprint != nil {
		fp, day = meta.Fingerprint, meta.FPDay
	}
	id, err := c.insert(ctx, `INSERT INTO comments (article_id, parent_id, name, body, status, created_at,
		fingerprint, fp_day, dup_key, shingles, held_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		cm.ArticleID, nullID(cm.ParentID), cm.Name, cm.Body, string(cm.Status), cm.CreatedAt.UnixMicro(),
		fp, day, meta.DupKey, packShingles(meta.Shingles), cm.HeldReason)
	if err != nil {
		return err
	}
	cm.ID = id
	for i, h := range meta.Shingles {
		if i == maxIndexedShingles {
			break
		}
		if _, err := c.exec(ctx, `INSERT INTO comment_shingles (hash, comment_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
			int64(h), id, cm.CreatedAt.UnixMicro()); err != nil {
			return err
		}
	}
	if c.recounts != nil {
		c.recounts[cm.ArticleID] = true // counted once, at the batch's end
	} else if err := s.recount(ctx, c, cm.ArticleID); err != nil {
		return err
	}
	return s.recordChange(ctx, c, ChangeComment, strconv.FormatInt(cm.ArticleID, 10))
}

// recount sets the article's count of published comments, which lists
// show beside each headline: counted again from the comments' index at
// each write that may change it, so the count cannot drift, and read by
// the lists with one lookup per row.
func (s *DB) recount(ctx context.Context, c conn, articleID int64) error {
	_, err := c.exec(ctx, `INSERT INTO comment_counts (article_id, published)
		VALUES (?, (SELECT count(*) FROM comments WHERE article_id = ? AND status = 'published'))
		ON CONFLICT (article_id) DO UPDATE SET published = excluded.published`, articleID, articleID)
	return err
}
