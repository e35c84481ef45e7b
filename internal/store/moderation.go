package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"slices"
	"strconv"
	"strings"
	"time"

	"tamizdat/internal/news"
)

// CommentMeta is what the intake checks keep of a comment: never the
// address, only its keyed hash under the day's key, and the text's
// duplicate key and shingles.
type CommentMeta struct {
	Fingerprint []byte
	FPDay       int64
	DupKey      string
	Shingles    []uint64
}

func packShingles(sh []uint64) []byte {
	if len(sh) == 0 {
		return nil
	}
	b := make([]byte, 0, 8*len(sh))
	for _, v := range sh {
		b = binary.BigEndian.AppendUint64(b, v)
	}
	return b
}

// in makes "(?, ?, …)" and its arguments.
func in[T any](vs []T) (string, []any) {
	marks := make([]string, len(vs))
	args := make([]any, len(vs))
	for i, v := range vs {
		marks[i], args[i] = "?", v
	}
	return "(" + strings.Join(marks, ",") + ")", args
}

// CommentLimits are the rate limits a comment must pass. They are checked
// in the transaction that stores the comment, so that comments sent at the
// same moment cannot all pass a count that none of them is in yet.
type CommentLimits struct {
	// Fingerprints are the sender's under every key still kept; nil means
	// no limit per sender (on the onion service every reader shares the
	// Tor daemon's address).
	Fingerprints [][]byte
	PerHour      int // comments from the fingerprints in the last hour
	PerMinute    int // comments on the article in the last minute, from anyone
}

// CheckCommentLimits refuses, with ETOOMANY and the message key
// rate_fingerprint or rate_article, a comment on the article that the
// limits would refuse now. It only reads: a caller may ask it before
// costlier checks, and PostComment asks again in its transaction.
func (s *DB) CheckCommentLimits(ctx context.Context, articleID int64, l *CommentLimits) error {
	return s.checkCommentLimits(ctx, s.read(), articleID, l)
}

// checkCommentLimits counts what was taken (a refused comment is never
// stored, so it never counts).
func (s *DB) checkCommentLimits(ctx context.Context, c conn, articleID int64, l *CommentLimits) error {
	now := s.now()
	if len(l.Fingerprints) > 0 {
		marks, args := in(l.Fingerprints)
		var n int
		if err := c.queryRow(ctx, `SELECT count(*) FROM comments WHERE fingerprint IN `+marks+` AND created_at >= ?`,
			append(args, now.Add(-time.Hour).UnixMicro())...).Scan(&n); err != nil {
			return err
		}
		if n >= l.PerHour {
			return news.Errorf(news.ETOOMANY, "rate_fingerprint")
		}
	}
	var n int
	if err := c.queryRow(ctx, `SELECT count(*) FROM comments WHERE article_id = ? AND created_at >= ?`,
		articleID, now.Add(-time.Minute).UnixMicro()).Scan(&n); err != nil {
		return err
	}
	if n >= l.PerMinute {
		return news.Errorf(news.ETOOMANY, "rate_article")
	}
	return nil
}

// lockCommentLimits serialises, until the transaction ends, the comments
// that count against the same limits: those on the article and those from
// any of the fingerprints. SQLite needs nothing (its write transactions
// begin IMMEDIATE, one at a time); under PostgreSQL's READ COMMITTED two
// transactions would otherwise count the same rows and both insert. The
// locks are taken in the order of their keys, so two senders never wait
// for each other in a circle.
func (s *DB) lockCommentLimits(ctx context.Context, c conn, articleID int64, l *CommentLimits) error {
	if s.d.XactLock == "" {
		return nil
	}
	art := sha256.Sum256([]byte("tamizdat comments on article " + strconv.FormatInt(articleID, 10)))
	keys := []int64{int64(binary.BigEndian.Uint64(art[:8]))}
	for _, fp := range l.Fingerprints {
		if len(fp) >= 8 { // a keyed hash: its first bytes are as random as any key
			keys = append(keys, int64(binary.BigEndian.Uint64(fp[:8])))
		}
	}
	slices.Sort(keys)
	for _, k := range slices.Compact(keys) {
		if _, err := c.exec(ctx, s.d.XactLock, k); err != nil {
			return err
		}
	}
	return nil
}

// RejectedBefore counts the rejected and spam comments of any of the
// fingerprints (which reach back only as far as the keys are kept).
func (s *DB) RejectedBefore(ctx context.Context, fps [][]byte) (int, error) {
	if len(fps) == 0 {
		return 0, nil
	}
	marks, args := in(fps)
	var n int
	err := s.read().queryRow(ctx, `SELECT count(*) FROM comments WHERE fingerprint IN `+marks+` AND status IN ('rejected', 'spam')`, args...).Scan(&n)
	return n, err
}

// BannedUntil is the end of the longest ban of any of the fingerprints, or
// zero.
func (s *DB) BannedUntil(ctx context.Context, fps [][]byte) (time.Time, error) {
	if len(fps) == 0 {
		return time.Time{}, nil
	}
	marks, args := in(fps)
	var until sql.NullInt64
	err := s.read().queryRow(ctx, `SELECT max(until) FROM comment_bans WHERE fingerprint IN `+marks+` AND until > ?`,
		append(args, s.now().UnixMicro())...).Scan(&until)
	return fromDB(until), err
}

// DuplicateOf finds a comment since the moment with the same duplicate key.
func (s *DB) DuplicateOf(ctx context.Context, dupKey string, since time.Time) (int64, error) {
	var id int64
	err := s.read().queryRow(ctx, `SELECT id FROM comments WHERE dup_key = ? AND created_at >= ? ORDER BY id DESC LIMIT 1`,
		dupKey, since.UnixMicro()).Scan(&id)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	return id, err
}

// maxIndexedShingles bounds the index rows of one comment. Shingles come
// sorted by hash, so the first ones are a bottom-k sample of the text, the
// same sample for every comment: Jaccard over the samples estimates
// Jaccard over the whole texts.
const maxIndexedShingles = 200

// Similar is a recent comment that shares shingles with a text.
type Similar struct {
	ID         int64
	Shared     int // shingles in common
	Similarity float64
}

// MostSimilar finds, among the comments since the moment, the one sharing
// the most of the shingles (through the index), and its Jaccard similarity
// to them. ID 0: none shares any.
func (s *DB) MostSimilar(ctx context.Context, shingles []uint64, since time.Time) (Similar, error) {
	var best Similar
	if len(shingles) == 0 {
		return best, nil
	}
	if len(shingles) > maxIndexedShingles {
		shingles = shingles[:maxIndexedShingles]
	}
	hs := make([]int64, len(shingles))
	for i, h := range shingles {
		hs[i] = int64(h)
	}
	marks, args := in(hs)
	rows, err := s.read().query(ctx, `SELECT x.comment_id, x.n, COALESCE(length(c.shingles), 0) / 8 FROM
		(SELECT comment_id, count(*) AS n FROM comment_shingles WHERE hash IN `+marks+` AND created_at >= ?
		 GROUP BY comment_id ORDER BY n DESC, comment_id DESC LIMIT 5) x JOIN comments c ON c.id = x.comment_id`,
		append(args, since.UnixMicro())...)
	if err != nil {
		return best, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var shared, theirs int
		if err := rows.Scan(&id, &shared, &theirs); err != nil {
			return best, err
		}
		// Jaccard over the indexed shingles of both sides.
		mine := len(shingles)
		theirs = min(theirs, maxIndexedShingles)
		if union := mine + theirs - shared; union > 0 {
			if sim := float64(shared) / float64(union); sim > best.Similarity {
				best = Similar{ID: id, Shared: shared, Similarity: sim}
			}
		}
	}
	return best, rows.Err()
}

// QueuedComment is a comment as the moderation queue shows it: with its
// article and the comment it answers.
type QueuedComment struct {
	news.Comment
	ArticleTitle   string
	ArticleEdition string
	ArticlePath    string // filled by the caller, who knows the time zone
	Article        *news.Article
	ParentBody     string
	Banned         bool
}

// CommentQuery selects the moderation queue.
type CommentQuery struct {
	Status    news.CommentStatus // "" with Reported: reported ones of any status
	Reported  bool
	ArticleID int64
	Limit     int
	Offset    int
}

// CommentQueue lists comments for moderators, oldest waiting first.
func (s *DB) CommentQueue(ctx context.Context, q CommentQuery) ([]*QueuedComment, int, error) {
	var conds []string
	var args []any
	if q.Status != "" {
		conds, args = append(conds, "c.status = ?"), append(args, string(q.Status))
	}
	if q.Reported {
		conds = append(conds, "c.reports > 0")
	}
	if q.ArticleID != 0 {
		conds, args = append(conds, "c.article_id = ?"), append(args, q.ArticleID)
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	rc := s.read()
	var total int
	if err := rc.queryRow(ctx, `SELECT count(*) FROM comments c`+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	if q.Limit <= 0 || q.Limit > 500 {
		q.Limit = 100
	}
	order := " ORDER BY c.created_at, c.id"
	if q.Status != news.CommentPending {
		order = " ORDER BY c.created_at DESC, c.id DESC"
	}
	rows, err := rc.query(ctx, `SELECT `+commentColumns+`, COALESCE(p.body, ''),
		(SELECT count(*) FROM comment_bans b WHERE b.fingerprint = c.fingerprint AND b.until > ?)
		FROM comments c LEFT JOIN comments p ON p.id = c.parent_id`+where+order+` LIMIT ? OFFSET ?`,
		append(append([]any{s.now().UnixMicro()}, args...), q.Limit, max(q.Offset, 0))...)
	if err != nil {
		return nil, 0, err
	}
	var list []*QueuedComment
	for rows.Next() {
		var qc QueuedComment
		var banned int
		if err := scanComment(rows, &qc.Comment, &qc.ParentBody, &banned); err != nil {
			rows.Close()
			return nil, 0, err
		}
		qc.Banned = banned > 0
		list = append(list, &qc)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	for _, qc := range list {
		if qc.Article, err = s.Article(ctx, qc.ArticleID); err != nil {
			return nil, 0, err
		}
		qc.ArticleTitle, qc.ArticleEdition = qc.Article.Title, qc.Article.Edition
	}
	return list, total, nil
}

const commentColumns = `c.id, c.article_id, c.parent_id, c.name, c.body, c.status, c.created_at, c.held_reason, c.reports, c.moderated_at`

func scanComment(sc interface{ Scan(...any) error }, cm *news.Comment, extra ...any) error {
	var parent, created, moderated sql.NullInt64
	err := sc.Scan(append([]any{&cm.ID, &cm.ArticleID, &parent, &cm.Name, &cm.Body, &cm.Status, &created, &cm.HeldReason, &cm.Reports, &moderated}, extra...)...)
	cm.ParentID, cm.CreatedAt, cm.ModeratedAt = parent.Int64, fromDB(created), fromDB(moderated)
	return err
}

// Comment returns one comment of any status.
func (s *DB) Comment(ctx context.Context, id int64) (*news.Comment, error) {
	var cm news.Comment
	if err := scanComment(s.read().queryRow(ctx, `SELECT `+commentColumns+` FROM comments c WHERE c.id = ?`, id), &cm); err != nil {
		return nil, notFound(s.mapErr(err), "comment")
	}
	return &cm, nil
}

// Audit actions of moderation.
const (
	AuditCommentModerate = "comment.moderate"
	AuditCommentEdit     = "comment.edit"
	AuditCommentBan      = "comment.ban"
)

// ModerateComments sets the status of comments (approve: published; reject;
// spam) and clears their count of reports (the readers who reported stay
// recorded until their keys go, so the same reader cannot put a comment a
// moderator has seen back in the queue); each changed article's pages and
// counts are refreshed through the change log.
func (s *DB) ModerateComments(ctx context.Context, ids []int64, status news.CommentStatus) (int, error) {
	if !status.Valid() || status == news.CommentPending {
		return 0, news.Errorf(news.EINVALID, "a comment is approved, rejected or marked as spam")
	}
	if len(ids) == 0 || len(ids) > 500 {
		return 0, news.Errorf(news.EINVALID, "choose between 1 and 500 comments")
	}
	done := 0
	err := s.tx(ctx, func(c conn) error {
		marks, args := in(ids)
		rows, err := c.query(ctx, `SELECT DISTINCT article_id FROM comments WHERE id IN `+marks, args...)
		if err != nil {
			return err
		}
		var articles []int64
		for rows.Next() {
			var a int64
			if err := rows.Scan(&a); err != nil {
				rows.Close()
				return err
			}
			articles = append(articles, a)
		}
		rows.Close()
		r, err := c.exec(ctx, `UPDATE comments SET status = ?, reports = 0, moderated_at = ?, moderated_by = ? WHERE id IN `+marks,
			append([]any{string(status), s.now().UnixMicro(), nullID(ActorOf(ctx))}, args...)...)
		if err != nil {
			return err
		}
		n, _ := r.RowsAffected()
		done = int(n)
		if done != len(ids) {
			return news.Errorf(news.ENOTFOUND, "%d of the %d comments do not exist; nothing was changed", len(ids)-done, len(ids))
		}
		for _, a := range articles {
			if err := s.recount(ctx, c, a); err != nil {
				return err
			}
			if err := s.recordChange(ctx, c, ChangeComment, strconv.FormatInt(a, 10)); err != nil {
				return err
			}
		}
		for _, id := range ids {
			if err := s.recordAudit(ctx, c, 0, AuditCommentModerate, strconv.FormatInt(id, 10), string(status)); err != nil {
				return err
			}
		}
		return nil
	})
	return done, err
}

// EditComment replaces a comment's text (a moderator editing out a
// passage); the name stays.
func (s *DB) EditComment(ctx context.Context, id int64, body string) error {
	if err := news.CheckText("text", body); err != nil {
		return err
	}
	if !news.HasVisible(body) || len([]rune(body)) > news.MaxCommentRunes {
		return news.Errorf(news.EINVALID, "a comment needs text, at most %d characters", news.MaxCommentRunes)
	}
	return s.tx(ctx, func(c conn) error {
		var article int64
		if err := c.queryRow(ctx, `SELECT article_id FROM comments WHERE id = ?`, id).Scan(&article); err != nil {
			return notFound(err, "comment")
		}
		if _, err := c.exec(ctx, `UPDATE comments SET body = ?, moderated_at = ?, moderated_by = ? WHERE id = ?`,
			body, s.now().UnixMicro(), nullID(ActorOf(ctx)), id); err != nil {
			return err
		}
		if err := s.recordChange(ctx, c, ChangeComment, strconv.FormatInt(article, 10)); err != nil {
			return err
		}
		return s.recordAudit(ctx, c, 0, AuditCommentEdit, strconv.FormatInt(id, 10), "")
	})
}

// ReportComment takes a reader's report of a published comment, which puts
// it in the queue. A reader counts once per comment: fps are their
// fingerprints under the keys still kept, today's (day's) first, and a
// report from any of them after the first is taken without counting, so
// the reader is answered alike. The reports are forgotten with their keys.
func (s *DB) ReportComment(ctx context.Context, id int64, fps [][]byte, day int64) error {
	if len(fps) == 0 {
		return news.Errorf(news.EINVALID, "a report needs the reader's fingerprint")
	}
	return s.tx(ctx, func(c conn) error {
		var status string
		if err := c.queryRow(ctx, `SELECT status FROM comments WHERE id = ?`, id).Scan(&status); err != nil || status != string(news.CommentPublished) {
			if err != nil && err != sql.ErrNoRows {
				return err
			}
			return news.Errorf(news.ENOTFOUND, "there is no such comment")
		}
		marks, args := in(fps)
		var before int
		if err := c.queryRow(ctx, `SELECT count(*) FROM comment_reports WHERE comment_id = ? AND fingerprint IN `+marks,
			append([]any{id}, args...)...).Scan(&before); err != nil {
			return err
		}
		// Today's fingerprint is kept also when an earlier one matched, so
		// that the reader stays known after the earlier key is destroyed.
		// Two reports of one reader at the same moment: the key lets one in.
		r, err := c.exec(ctx, `INSERT INTO comment_reports (comment_id, fingerprint, fp_day) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
			id, fps[0], day)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 || before > 0 {
			return nil
		}
		_, err = c.exec(ctx, `UPDATE comments SET reports = reports + 1 WHERE id = ?`, id)
		return err
	})
}

// BanCommenter bans the fingerprint a comment was posted with until the
// moment, which cannot outlive the key of its day (destroyed retention
// days after that day): after that no one could tell whom it bans. It
// fails when the fingerprint is gone.
func (s *DB) BanCommenter(ctx context.Context, commentID int64, until time.Time, retention int, reason string) (time.Time, error) {
	err := s.tx(ctx, func(c conn) error {
		var fp []byte
		var day sql.NullInt64
		if err := c.queryRow(ctx, `SELECT fingerprint, fp_day FROM comments WHERE id = ?`, commentID).Scan(&fp, &day); err != nil {
			return notFound(err, "comment")
		}
		if fp == nil {
			return news.Errorf(news.EGONE, "no one can tell who wrote this comment (it came through the onion service, or its day's key is destroyed), so no ban is possible")
		}
		if keyEnd := time.Unix((day.Int64+int64(retention))*86400, 0); until.After(keyEnd) {
			until = keyEnd
		}
		if _, err := c.exec(ctx, `INSERT INTO comment_bans (fingerprint, fp_day, until, reason, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)`,
			fp, day.Int64, until.UnixMicro(), reason, s.now().UnixMicro(), nullID(ActorOf(ctx))); err != nil {
			return err
		}
		return s.recordAudit(ctx, c, 0, AuditCommentBan, strconv.FormatInt(commentID, 10), "until "+until.UTC().Format(time.RFC3339))
	})
	return until, err
}

// ForgetFingerprints erases the fingerprints made under keys of days before
// oldest, with the bans that rest on them (or have ended) and the reports
// that carry them: once a key is destroyed nothing may still point at the
// reader.
func (s *DB) ForgetFingerprints(ctx context.Context, oldest int64) (int, error) {
	n := 0
	err := s.tx(ctx, func(c conn) error {
		r, err := c.exec(ctx, `UPDATE comments SET fingerprint = NULL, fp_day = NULL WHERE fp_day < ?`, oldest)
		if err != nil {
			return err
		}
		k, _ := r.RowsAffected()
		n = int(k)
		if _, err = c.exec(ctx, `DELETE FROM comment_bans WHERE fp_day < ? OR until <= ?`, oldest, s.now().UnixMicro()); err != nil {
			return err
		}
		if _, err = c.exec(ctx, `DELETE FROM comment_reports WHERE fp_day < ?`, oldest); err != nil {
			return err
		}
		// The duplicate checks look back a week.
		_, err = c.exec(ctx, `DELETE FROM comment_shingles WHERE created_at < ?`, s.now().Add(-7*24*time.Hour).UnixMicro())
		return err
	})
	return n, err
}
