package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"tamizdat/internal/news"
)

// ArticleQuery selects articles for lists. The zero value lists every
// article of every status, newest first.
type ArticleQuery struct {
	Edition  string
	Category string // slug within Edition
	Tag      string // news.TagKey form
	From, To time.Time
	Q        string // words that must all appear in title, lead or body
	// Visible limits the list to what readers see now: published, and the
	// time has come. Scheduled stories appear without any job running.
	Visible  bool
	Status   news.Status
	Top      bool // only articles marked top
	Breaking bool // only articles marked breaking
	AuthorID int64
	// OwnOrVisible limits the list to this author's articles and those
	// readers see: what an author may open in the desk.
	OwnOrVisible int64
	Headline     string // words that must all appear in the headline (the desk's search)
	// Scheduled: published with a time still to come.
	Scheduled bool
	WithBody  bool // lists rarely need the body; leave it out unless asked
	// NoTotal skips counting the matches (Articles then reports -1), for
	// lists without pages: the home page's blocks and curation slots.
	NoTotal bool
	Limit   int
	Offset  int
}

const articleColumns = `a.id, a.edition, a.title, a.lead, %BODY%, a.byline, a.source, a.status,
	a.published_at, a.created_at, a.updated_at, a.correction, a.comment_policy, a.translation_of,
	a.top, a.breaking, a.image_id, a.image_caption, a.image_credit, a.author_id,
	COALESCE(cc.published, 0),
	a.version, COALESCE(i.width, 0), COALESCE(i.height, 0), COALESCE(i.format, ''), COALESCE(i.alt, ''), a.interview`

// articleFrom joins the media library for the featured image's size, which
// srcset needs, and the count of published comments; articleJoins is the
// same for a query that reaches the articles from another table.
const (
	articleJoins = ` LEFT JOIN images i ON i.id = a.image_id LEFT JOIN comment_counts cc ON cc.article_id = a.id`
	articleFrom  = ` FROM articles a` + articleJoins
)

func columns(withBody bool) string {
	body := "''"
	if withBody {
		body = "a.body"
	}
	return replaceBody(articleColumns, body)
}

func replaceBody(cols, body string) string { return strings.Replace(cols, "%BODY%", body, 1) }

func scanArticle(sc interface{ Scan(...any) error }) (*news.Article, error) {
	var a news.Article
	var pub, created, updated, transOf, imageID, authorID sql.NullInt64
	var top, breaking, interview int
	var caption, credit, format, alt string
	var width, height int
	err := sc.Scan(&a.ID, &a.Edition, &a.Title, &a.Lead, &a.Body, &a.Byline, &a.Source, &a.Status,
		&pub, &created, &updated, &a.Correction, &a.CommentPolicy, &transOf,
		&top, &breaking, &imageID, &caption, &credit, &authorID, &a.CommentCount,
		&a.Version, &width, &height, &format, &alt, &interview)
	if err != nil {
		return nil, err
	}
	a.PublishedAt, a.CreatedAt, a.UpdatedAt = fromDB(pub), fromDB(created), fromDB(updated)
	a.TranslationOf, a.AuthorID = transOf.Int64, authorID.Int64
	a.Top, a.Breaking, a.Interview = top != 0, breaking != 0, interview != 0
	if imageID.Valid {
		a.Image = &news.Image{ID: imageID.Int64, Caption: caption, Credit: credit,
			Width: width, Height: height, Format: format, Alt: alt}
	}
	return &a, nil
}

// Article returns one article of any status, with its body rendered as
// readers get it when the store has it from the current renderer.
func (s *DB) Article(ctx context.Context, id int64) (*news.Article, error) {
	c := s.read()
	var html sql.NullString
	a, err := scanArticle(scanAlso{c.queryRow(ctx, sqlArticle, s.renderer.Version, id), &html})
	if err != nil {
		return nil, notFound(s.mapErr(err), "article")
	}
	a.HTML = html.String
	if err := s.loadRelations(ctx, c, []*news.Article{a}); err != nil {
		return nil, err
	}
	return a, nil
}

// sqlArticle reads one article with its rendered body of one renderer.
var sqlArticle = `SELECT ` + columns(true) + `, h.html` + articleFrom +
	` LEFT JOIN article_html h ON h.article_id = a.id AND h.version = ? WHERE a.id = ?`

// scanAlso scans a row that has more columns after an article's.
type scanAlso struct {
	sc   interface{ Scan(...any) error }
	more any
}

func (s scanAlso) Scan(dest ...any) error { return s.sc.Scan(append(dest, s.more)...) }

func (s *DB) where(q ArticleQuery) (string, []any) {
	var conds []string
	var args []any
	add := func(cond string, a ...any) { conds = append(conds, cond); args = append(args, a...) }
	if q.Edition != "" {
		add("a.edition = ?", q.Edition)
	}
	if q.Category != "" {
		add(`EXISTS (SELECT 1 FROM article_categories ac JOIN categories c ON c.id = ac.category_id
			WHERE ac.article_id = a.id AND c.slug = ? AND c.edition = a.edition)`, q.Category)
	}
	if q.Tag != "" {
		add("EXISTS (SELECT 1 FROM article_tags t WHERE t.article_id = a.id AND t.tag_key = ?)", q.Tag)
	}
	if !q.From.IsZero() {
		add("a.published_at >= ?", q.From.UnixMicro())
	}
	if !q.To.IsZero() {
		add("a.published_at < ?", q.To.UnixMicro())
	}
	for _, w := range strings.Fields(strings.ToLower(q.Q)) {
		add("a.search_text LIKE ? ESCAPE '\\'", "%"+escapeLike(w)+"%")
	}
	if q.Visible {
		add("a.status = 'published' AND a.published_at <= ?", s.now().UnixMicro())
	}
	if q.Status != "" {
		add("a.status = ?", string(q.Status))
	}
	if q.Top {
		add("a.top = 1")
	}
	if q.Breaking {
		add("a.breaking = 1")
	}
	if q.AuthorID != 0 {
		add("a.author_id = ?", q.AuthorID)
	}
	if q.OwnOrVisible != 0 {
		add("(a.author_id = ? OR (a.status = 'published' AND a.published_at <= ?))", q.OwnOrVisible, s.now().UnixMicro())
	}
	for _, w := range strings.Fields(strings.ToLower(q.Headline)) {
		add("a.title_search LIKE ? ESCAPE '\\'", "%"+escapeLike(w)+"%")
	}
	if q.Scheduled {
		add("a.status = 'published' AND a.published_at > ?", s.now().UnixMicro())
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// Articles returns one page of the query's articles, newest first, and how
// many match in all.
func (s *DB) Articles(ctx context.Context, q ArticleQuery) ([]*news.Article, int, error) {
	c := s.read()
	limit := q.Limit
	if limit <= 0 || limit > 500 {
		limit = 500
	}
	// Reader lists are read from their numbered list (listings.go), at a
	// cost that does not grow with the archive; the desk's searches and
	// filters read the articles.
	if list, ok := listKey(q); ok {
		return s.listed(ctx, c, list, q, limit)
	}
	where, args := s.where(q)
	total := -1
	if !q.NoTotal {
		if err := c.queryRow(ctx, `SELECT count(*) FROM articles a`+where, args...).Scan(&total); err != nil {
			return nil, 0, s.mapErr(err)
		}
	}
	rows, err := c.query(ctx, `SELECT `+columns(q.WithBody)+articleFrom+where+
		` ORDER BY COALESCE(a.published_at, a.created_at) DESC, a.id DESC LIMIT ? OFFSET ?`,
		append(args, limit, max(q.Offset, 0))...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var list []*news.Article
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return nil, 0, err
		}
		list = append(list, a)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	return list, total, s.loadRelations(ctx, c, list)
}

// CountArticles counts every article of every status and edition.
func (s *DB) CountArticles(ctx context.Context) (int, error) {
	var n int
	err := s.read().queryRow(ctx, `SELECT count(*) FROM articles`).Scan(&n)
	return n, s.mapErr(err)
}

// Translations returns the visible articles of a's translation group, other
// than a, in edition order.
func (s *DB) Translations(ctx context.Context, a *news.Article) ([]*news.Article, error) {
	return s.group(ctx, a.ID, true)
}

// TranslationGroup returns the other articles of article id's translation
// group in any status, for the desk.
func (s *DB) TranslationGroup(ctx context.Context, id int64) ([]*news.Article, error) {
	return s.group(ctx, id, false)
}

var sqlGroup = `SELECT ` + columns(false) + articleFrom + `
	JOIN editions e ON e.code = a.edition
	WHERE a.translation_group = (SELECT translation_group FROM articles WHERE id = ?)
	AND a.id <> ?`

func (s *DB) group(ctx context.Context, id int64, visible bool) ([]*news.Article, error) {
	c := s.read()
	cond, args := "", []any{id, id}
	if visible {
		cond, args = ` AND a.status = 'published' AND a.published_at <= ?`, append(args, s.now().UnixMicro())
	}
	rows, err := c.query(ctx, sqlGroup+cond+` ORDER BY e.position`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []*news.Article
	for rows.Next() {
		t, err := scanArticle(rows)
		if err != nil {
			return nil, err
		}
		list = append(list, t)
	}
	return list, rows.Err()
}

// sqlRelations reads the categories and the tags of the articles whose
// ids are in the list `in`.
func sqlRelations(in string) []string {
	return []string{
		`SELECT ac.article_id, c.slug FROM article_categories ac JOIN categories c ON c.id = ac.category_id
			WHERE ac.article_id IN ` + in + ` ORDER BY ac.article_id, ac.position`,
		`SELECT article_id, tag FROM article_tags WHERE article_id IN ` + in + ` ORDER BY article_id, position`,
	}
}

// loadRelations fills categories and tags of the listed articles with two
// queries, whatever the list's length.
func (s *DB) loadRelations(ctx context.Context, c conn, list []*news.Article) error {
	if len(list) == 0 {
		return nil
	}
	byID := make(map[int64]*news.Article, len(list))
	marks := make([]string, len(list))
	args := make([]any, len(list))
	for i, a := range list {
		byID[a.ID] = a
		marks[i], args[i] = "?", a.ID
	}
	for _, q := range sqlRelations("(" + strings.Join(marks, ",") + ")") {
		rows, err := c.query(ctx, q, args...)
		if err != nil {
			return err
		}
		isCats := strings.Contains(q, "article_categories")
		for rows.Next() {
			var id int64
			var v string
			if err := rows.Scan(&id, &v); err != nil {
				rows.Close()
				return err
			}
			if isCats {
				byID[id].Categories = append(byID[id].Categories, v)
			} else {
				byID[id].Tags = append(byID[id].Tags, v)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// CreateArticle validates and stores a new article, setting its ID (and
// CreatedAt when zero).
func (s *DB) CreateArticle(ctx context.Context, a *news.Article) error {
	if a.CreatedAt.IsZero() {
		a.CreatedAt = s.now()
	}
	return s.tx(ctx, func(c conn) error { return s.saveArticle(ctx, c, a, true) })
}

// UpdateArticle replaces every field of the stored article a.ID. a.Version
// must be the version the edit started from: when someone saved since, the
// save is refused with ECONFLICT, and the refused text is kept as a
// revision of kind "conflict" so that neither text is lost.
func (s *DB) UpdateArticle(ctx context.Context, a *news.Article) error {
	var conflict error
	err := s.tx(ctx, func(c conn) error {
		err := s.saveArticle(ctx, c, a, false)
		var ce *EditConflict
		if errors.As(err, &ce) {
			conflict = ce
			return nil // commit the kept text, nothing else
		}
		return err
	})
	if err != nil {
		return err
	}
	return conflict
}

// EditConflict is the error of a save refused because someone saved the
// article after the version it was edited from. It is an ECONFLICT
// news.Error underneath; Revision is the id under which the refused text
// was kept.
type EditConflict struct {
	err      error
	Revision int64
}

func (e *EditConflict) Error() string { return e.err.Error() }
func (e *EditConflict) Unwrap() error { return e.err }

// DeleteArticle removes an article with its comments.
func (s *DB) DeleteArticle(ctx context.Context, id int64) error {
	return s.tx(ctx, func(c conn) error {
		var title string
		if err := c.queryRow(ctx, `SELECT title FROM articles WHERE id = ?`, id).Scan(&title); err != nil {
			return notFound(err, "article")
		}
		// Its rows in the lists go first, numbering the lists densely
		// again; every page of those lists moves.
		lists, err := s.listsHolding(ctx, c, id)
		if err != nil {
			return err
		}
		if err := s.relist(ctx, c, id, nil); err != nil {
			return err
		}
		for _, l := range lists {
			if err := s.recordChange(ctx, c, ChangeList, l); err != nil {
				return err
			}
		}
		if _, err := c.exec(ctx, `DELETE FROM articles WHERE id = ?`, id); err != nil {
			return err
		}
		ref := strconv.FormatInt(id, 10)
		if err := s.recordAudit(ctx, c, 0, AuditArticleDelete, ref, title); err != nil {
			return err
		}
		return s.recordChange(ctx, c, ChangeArticle, ref)
	})
}

func (s *DB) saveArticle(ctx context.Context, c conn, a *news.Article, isNew bool) error {
	a.Normalize()
	if err := a.Validate(); err != nil {
		return err
	}
	if err := s.checkEdition(ctx, c, a.Edition); err != nil {
		return err
	}
	var oldGroup sql.NullInt64
	var oldStatus news.Status
	var version int64 = 1
	if !isNew {
		var edition string
		err := c.queryRow(ctx, `SELECT edition, translation_group, status, version FROM articles WHERE id = ?`, a.ID).
			Scan(&edition, &oldGroup, &oldStatus, &version)
		if err != nil {
			return notFound(s.mapErr(err), "article")
		}
		if edition != a.Edition {
			return news.Errorf(news.EINVALID, "an article cannot move to another edition; create a translation instead")
		}
		if a.Version != 0 && a.Version != version {
			return s.keepConflict(ctx, c, a, version)
		}
		version++
	}
	catIDs := make([]int64, len(a.Categories))
	for i, slug := range a.Categories {
		err := c.queryRow(ctx, `SELECT id FROM categories WHERE edition = ? AND slug = ?`, a.Edition, strings.ToLower(slug)).Scan(&catIDs[i])
		if err != nil {
			if err == sql.ErrNoRows {
				return news.Errorf(news.EINVALID, "unknown category %q in edition %s", slug, a.Edition)
			}
			return s.mapErr(err)
		}
		a.Categories[i] = strings.ToLower(slug)
	}
	var imageID, caption, credit any = nil, "", ""
	if a.Image != nil && a.Image.ID != 0 {
		var n int
		if err := c.queryRow(ctx, `SELECT count(*) FROM images WHERE id = ?`, a.Image.ID).Scan(&n); err != nil {
			return s.mapErr(err)
		}
		if n == 0 {
			return news.Errorf(news.EINVALID, "unknown image %d", a.Image.ID)
		}
		imageID, caption, credit = a.Image.ID, a.Image.Caption, a.Image.Credit
	}
	group, err := s.translationGroup(ctx, c, a, oldGroup)
	if err != nil {
		return err
	}
	var transOf any
	if a.TranslationOf != 0 {
		transOf = a.TranslationOf
	}
	search := strings.ToLower(a.Title + "\n" + a.Lead + "\n" + a.Body)
	titleSearch := strings.ToLower(strings.Join(strings.Fields(a.Title), " "))
	// A publication whose time has come takes effect with this save; a
	// scheduled one waits for the go-live job (GoLive). Saving it again
	// keeps the moment it went live.
	var liveAt any
	if a.Status == news.StatusPublished && !a.PublishedAt.After(s.now()) {
		liveAt = s.now().UnixMicro()
		if !isNew {
			var was sql.NullInt64
			if err := c.queryRow(ctx, `SELECT live_at FROM articles WHERE id = ?`, a.ID).Scan(&was); err != nil {
				return err
			}
			if was.Valid {
				liveAt = was.Int64
			}
		}
	}
	args := []any{a.Edition, a.Title, a.Lead, a.Body, a.Byline, a.Source, string(a.Status),
		toDB(a.PublishedAt), toDB(a.CreatedAt), toDB(a.UpdatedAt), a.Correction, string(a.CommentPolicy),
		transOf, group, boolInt(a.Top), boolInt(a.Breaking), imageID, caption, credit, nullID(a.AuthorID), search, liveAt, version, titleSearch, boolInt(a.Interview)}
	if isNew {
		a.ID, err = c.insert(ctx, `INSERT INTO articles (edition, title, lead, body, byline, source, status,
			published_at, created_at, updated_at, correction, comment_policy, translation_of, translation_group,
			top, breaking, image_id, image_caption, image_credit, author_id, search_text, live_at, version, title_search, interview)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args...)
		if err != nil {
			return err
		}
	} else {
		// The version in the WHERE clause settles a race the check above
		// cannot see: on PostgreSQL two saves may both read the same
		// version; the second then updates nothing.
		r, err := c.exec(ctx, `UPDATE articles SET edition = ?, title = ?, lead = ?, body = ?, byline = ?, source = ?,
			status = ?, published_at = ?, created_at = ?, updated_at = ?, correction = ?, comment_policy = ?,
			translation_of = ?, translation_group = ?, top = ?, breaking = ?, image_id = ?, image_caption = ?,
			image_credit = ?, author_id = ?, search_text = ?, live_at = ?, version = ?, title_search = ?, interview = ? WHERE id = ? AND version = ?`,
			append(args, a.ID, version-1)...)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return s.keepConflict(ctx, c, a, version)
		}
		if _, err := c.exec(ctx, `DELETE FROM article_categories WHERE article_id = ?`, a.ID); err != nil {
			return err
		}
		if _, err := c.exec(ctx, `DELETE FROM article_tags WHERE article_id = ?`, a.ID); err != nil {
			return err
		}
	}
	for i, id := range catIDs {
		if _, err := c.exec(ctx, `INSERT INTO article_categories (article_id, category_id, position) VALUES (?, ?, ?)`, a.ID, id, i); err != nil {
			return err
		}
	}
	for i, t := range a.Tags {
		if _, err := c.exec(ctx, `INSERT INTO article_tags (article_id, tag_key, tag, position) VALUES (?, ?, ?, ?)`, a.ID, news.TagKey(t), t, i); err != nil {
			return err
		}
	}
	if err := s.relist(ctx, c, a.ID, listsOf(a)); err != nil {
		return err
	}
	if err := s.storeHTML(ctx, c, a.ID, a.Body, a.Interview); err != nil {
		return err
	}
	a.Version = version
	kind := "save"
	restored, _ := ctx.Value(restoreKey{}).(int64)
	if restored != 0 {
		kind = "restore"
	}
	if _, err := s.insertRevision(ctx, c, a, kind); err != nil {
		return err
	}
	ref := strconv.FormatInt(a.ID, 10)
	if err := s.auditSave(ctx, c, a, ref, isNew, oldStatus, restored); err != nil {
		return err
	}
	return s.recordChange(ctx, c, ChangeArticle, ref)
}

// auditSave logs what a save did, in the words an editor searches for.
func (s *DB) auditSave(ctx context.Context, c conn, a *news.Article, ref string, isNew bool, oldStatus news.Status, restored int64) error {
	action := AuditArticleEdit
	switch {
	case isNew:
		action = AuditArticleCreate
	case restored != 0:
		action = AuditArticleRestore
	}
	detail := a.Title
	if restored != 0 {
		detail = "revision " + strconv.FormatInt(restored, 10) + ": " + a.Title
	}
	if err := s.recordAudit(ctx, c, 0, action, ref, detail); err != nil {
		return err
	}
	switch {
	case a.Status == news.StatusPublished && oldStatus != news.StatusPublished:
		return s.recordAudit(ctx, c, 0, AuditArticlePublish, ref, a.PublishedAt.UTC().Format(time.RFC3339))
	case a.Status == news.StatusUnpublished && oldStatus == news.StatusPublished:
		return s.recordAudit(ctx, c, 0, AuditArticleUnpublish, ref, a.Title)
	}
	return nil
}

// keepConflict stores the text of a refused save as a revision and returns
// the error that refuses it; UpdateArticle commits only the revision.
func (s *DB) keepConflict(ctx context.Context, c conn, a *news.Article, current int64) error {
	base := a.Version
	id, err := s.insertRevision(ctx, c, a, "conflict")
	if err != nil {
		return err
	}
	var who, at string
	var actor sql.NullInt64
	var when int64
	err = c.queryRow(ctx, `SELECT r.actor_id, r.at, COALESCE(u.name, '') FROM article_revisions r LEFT JOIN users u ON u.id = r.actor_id
		WHERE r.article_id = ? AND r.kind <> 'conflict' ORDER BY r.id DESC LIMIT 1`, a.ID).Scan(&actor, &when, &who)
	if err == nil {
		at = time.UnixMicro(when).UTC().Format("15:04:05 UTC")
	}
	if who == "" {
		who = "someone"
	}
	if err := s.recordAudit(ctx, c, 0, AuditArticleConflict, strconv.FormatInt(a.ID, 10),
		fmt.Sprintf("edited from version %d, current %d; kept as revision %d", base, current, id)); err != nil {
		return err
	}
	return &EditConflict{Revision: id, err: news.Errorf(news.ECONFLICT,
		"%s saved this article (version %d, at %s) after you opened version %d; your save was refused so that neither text is lost. Your text is kept as revision %d: compare it with the current text and save again",
		who, current, at, base, id)}
}

// translationGroup works out the group a joins: the group of the article it
// translates, which may have to be opened first. A group holds at most one
// article per edition.
func (s *DB) translationGroup(ctx context.Context, c conn, a *news.Article, oldGroup sql.NullInt64) (any, error) {
	if a.TranslationOf == 0 {
		// An article others translate keeps the group it founded.
		if oldGroup.Valid && oldGroup.Int64 == a.ID {
			return a.ID, nil
		}
		return nil, nil
	}
	var edition string
	var group sql.NullInt64
	err := c.queryRow(ctx, `SELECT edition, translation_group FROM articles WHERE id = ?`, a.TranslationOf).Scan(&edition, &group)
	if err == sql.ErrNoRows {
		return nil, news.Errorf(news.EINVALID, "translation_of: there is no article %d", a.TranslationOf)
	} else if err != nil {
		return nil, s.mapErr(err)
	}
	if edition == a.Edition {
		return nil, news.Errorf(news.EINVALID, "translation_of: article %d is in the same edition (%s); a translation belongs to another edition", a.TranslationOf, edition)
	}
	if !group.Valid {
		group = sql.NullInt64{Int64: a.TranslationOf, Valid: true}
		if _, err := c.exec(ctx, `UPDATE articles SET translation_group = ? WHERE id = ?`, group.Int64, a.TranslationOf); err != nil {
			return nil, err
		}
	}
	var other int64
	err = c.queryRow(ctx, `SELECT id FROM articles WHERE translation_group = ? AND edition = ? AND id <> ?`,
		group.Int64, a.Edition, a.ID).Scan(&other)
	if err == nil {
		return nil, news.Errorf(news.ECONFLICT, "translation_of: the story already has a %s version, article %d", a.Edition, other)
	} else if err != sql.ErrNoRows {
		return nil, s.mapErr(err)
	}
	return group.Int64, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
