package store

import (
	"context"
	"database/sql"
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
	WithBody bool // lists rarely need the body; leave it out unless asked
	// NoTotal skips counting the matches (Articles then reports -1), for
	// lists without pages: the home page's blocks and curation slots.
	NoTotal bool
	Limit   int
	Offset  int
}

const articleColumns = `a.id, a.edition, a.title, a.lead, %BODY%, a.byline, a.source, a.status,
	a.published_at, a.created_at, a.updated_at, a.correction, a.comment_policy, a.translation_of,
	a.top, a.breaking, a.image_id, a.image_caption, a.image_credit, a.author_id,
	(SELECT count(*) FROM comments c WHERE c.article_id = a.id AND c.status = 'published')`

func columns(withBody bool) string {
	body := "''"
	if withBody {
		body = "a.body"
	}
	return strings.Replace(articleColumns, "%BODY%", body, 1)
}

func scanArticle(sc interface{ Scan(...any) error }) (*news.Article, error) {
	var a news.Article
	var pub, created, updated, transOf, imageID, authorID sql.NullInt64
	var top, breaking int
	var caption, credit string
	err := sc.Scan(&a.ID, &a.Edition, &a.Title, &a.Lead, &a.Body, &a.Byline, &a.Source, &a.Status,
		&pub, &created, &updated, &a.Correction, &a.CommentPolicy, &transOf,
		&top, &breaking, &imageID, &caption, &credit, &authorID, &a.CommentCount)
	if err != nil {
		return nil, err
	}
	a.PublishedAt, a.CreatedAt, a.UpdatedAt = fromDB(pub), fromDB(created), fromDB(updated)
	a.TranslationOf, a.AuthorID = transOf.Int64, authorID.Int64
	a.Top, a.Breaking = top != 0, breaking != 0
	if imageID.Valid {
		a.Image = &news.Image{ID: imageID.Int64, Caption: caption, Credit: credit}
	}
	return &a, nil
}

// Article returns one article of any status.
func (s *DB) Article(ctx context.Context, id int64) (*news.Article, error) {
	c := s.read()
	a, err := scanArticle(c.queryRow(ctx, `SELECT `+columns(true)+` FROM articles a WHERE a.id = ?`, id))
	if err != nil {
		return nil, notFound(s.mapErr(err), "article")
	}
	if err := s.loadRelations(ctx, c, []*news.Article{a}); err != nil {
		return nil, err
	}
	return a, nil
}

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
	where, args := s.where(q)
	total := -1
	if !q.NoTotal {
		if err := c.queryRow(ctx, `SELECT count(*) FROM articles a`+where, args...).Scan(&total); err != nil {
			return nil, 0, s.mapErr(err)
		}
	}
	limit := q.Limit
	if limit <= 0 || limit > 500 {
		limit = 500
	}
	rows, err := c.query(ctx, `SELECT `+columns(q.WithBody)+` FROM articles a`+where+
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
	c := s.read()
	rows, err := c.query(ctx, `SELECT `+columns(false)+` FROM articles a
		JOIN editions e ON e.code = a.edition
		WHERE a.translation_group = (SELECT translation_group FROM articles WHERE id = ?)
		AND a.id <> ? AND a.status = 'published' AND a.published_at <= ?
		ORDER BY e.position`, a.ID, a.ID, s.now().UnixMicro())
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
	in := "(" + strings.Join(marks, ",") + ")"
	for _, q := range []string{
		`SELECT ac.article_id, c.slug FROM article_categories ac JOIN categories c ON c.id = ac.category_id
			WHERE ac.article_id IN ` + in + ` ORDER BY ac.article_id, ac.position`,
		`SELECT article_id, tag FROM article_tags WHERE article_id IN ` + in + ` ORDER BY article_id, position`,
	} {
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

// UpdateArticle replaces every field of the stored article a.ID.
func (s *DB) UpdateArticle(ctx context.Context, a *news.Article) error {
	return s.tx(ctx, func(c conn) error { return s.saveArticle(ctx, c, a, false) })
}

// DeleteArticle removes an article with its comments.
func (s *DB) DeleteArticle(ctx context.Context, id int64) error {
	return s.tx(ctx, func(c conn) error {
		r, err := c.exec(ctx, `DELETE FROM articles WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return news.Errorf(news.ENOTFOUND, "article not found")
		}
		return s.recordChange(ctx, c, ChangeArticle, strconv.FormatInt(id, 10))
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
	if !isNew {
		var edition string
		err := c.queryRow(ctx, `SELECT edition, translation_group FROM articles WHERE id = ?`, a.ID).Scan(&edition, &oldGroup)
		if err != nil {
			return notFound(s.mapErr(err), "article")
		}
		if edition != a.Edition {
			return news.Errorf(news.EINVALID, "an article cannot move to another edition; create a translation instead")
		}
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
		transOf, group, boolInt(a.Top), boolInt(a.Breaking), imageID, caption, credit, nullID(a.AuthorID), search, liveAt}
	if isNew {
		a.ID, err = c.insert(ctx, `INSERT INTO articles (edition, title, lead, body, byline, source, status,
			published_at, created_at, updated_at, correction, comment_policy, translation_of, translation_group,
			top, breaking, image_id, image_caption, image_credit, author_id, search_text, live_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args...)
		if err != nil {
			return err
		}
	} else {
		_, err = c.exec(ctx, `UPDATE articles SET edition = ?, title = ?, lead = ?, body = ?, byline = ?, source = ?,
			status = ?, published_at = ?, created_at = ?, updated_at = ?, correction = ?, comment_policy = ?,
			translation_of = ?, translation_group = ?, top = ?, breaking = ?, image_id = ?, image_caption = ?,
			image_credit = ?, author_id = ?, search_text = ?, live_at = ? WHERE id = ?`, append(args, a.ID)...)
		if err != nil {
			return err
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
	return s.recordChange(ctx, c, ChangeArticle, strconv.FormatInt(a.ID, 10))
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
