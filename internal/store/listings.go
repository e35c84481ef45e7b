package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"

	"tamizdat/internal/news"
)

// Reader lists are served from the listings table rather than from the
// articles: one row per published article and per list it appears on (its
// edition, each of its categories and tags, the top and breaking slots,
// the whole site), ordered by publication time and id, and numbered 1, 2,
// 3… from the oldest. The numbers are what make a list's cost independent
// of the archive's size: the newest visible row's number is how many the
// list holds, and page N is a range of numbers, so no page counts or skips
// through the rows before it.
//
// A scheduled article is listed from the moment it is saved, with a time
// still to come: it sorts above every visible row, so the rows numbered up
// to the newest visible one are exactly the visible ones, and it appears
// at its minute without anything being renumbered.
//
// Keeping the numbers dense costs a renumbering of the rows newer than one
// that is added or removed: none for the news of the hour, the whole list
// for a story backdated by years or withdrawn from the far archive, both
// rare.

// List keys name the lists an article appears on.
func listAll() string                   { return "all" }
func listEdition(edition string) string { return "e:" + edition }
func listCategory(edition, slug string) string {
	return "c:" + edition + ":" + slug
}
func listTag(edition, key string) string { return "t:" + edition + ":" + key }
func listTop(edition string) string      { return "top:" + edition }
func listBreaking(edition string) string { return "brk:" + edition }

// listing is one row of an article's lists.
type listing struct {
	list string
	at   int64 // published_at
	pos  int64
}

// listsOf returns the lists a saved article belongs on, with the time it
// sorts by; none unless it is published.
func listsOf(a *news.Article) []listing {
	if a.Status != news.StatusPublished || a.PublishedAt.IsZero() {
		return nil
	}
	at := a.PublishedAt.UnixMicro()
	keys := []string{listAll(), listEdition(a.Edition)}
	for _, slug := range a.Categories {
		keys = append(keys, listCategory(a.Edition, slug))
	}
	for _, t := range a.Tags {
		keys = append(keys, listTag(a.Edition, news.TagKey(t)))
	}
	if a.Top {
		keys = append(keys, listTop(a.Edition))
	}
	if a.Breaking {
		keys = append(keys, listBreaking(a.Edition))
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	out := make([]listing, len(keys))
	for i, k := range keys {
		out[i] = listing{list: k, at: at}
	}
	return out
}

// relist brings the article's rows in listings in line with want, keeping
// every list it touches numbered densely. It runs in the transaction of
// the write that changed the article.
func (s *DB) relist(ctx context.Context, c conn, id int64, want []listing) error {
	rows, err := c.query(ctx, `SELECT list, published_at, pos FROM listings WHERE article_id = ?`, id)
	if err != nil {
		return err
	}
	var have []listing
	for rows.Next() {
		var l listing
		if err := rows.Scan(&l.list, &l.at, &l.pos); err != nil {
			rows.Close()
			return err
		}
		have = append(have, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	same := func(a, b listing) bool { return a.list == b.list && a.at == b.at }
	var drop, add []listing
	for _, h := range have {
		if !slices.ContainsFunc(want, func(w listing) bool { return same(w, h) }) {
			drop = append(drop, h)
		}
	}
	for _, w := range want {
		if !slices.ContainsFunc(have, func(h listing) bool { return same(w, h) }) {
			add = append(add, w)
		}
	}
	if len(drop)+len(add) == 0 {
		return nil
	}
	// Two writers numbering one list at once would give two rows one
	// number: where writes run side by side, each list is locked, in one
	// order so that two writers never wait for each other.
	if s.d.XactLock != "" {
		var locks []int64
		for _, l := range append(slices.Clone(drop), add...) {
			locks = append(locks, listLock(l.list))
		}
		slices.Sort(locks)
		for _, k := range slices.Compact(locks) {
			if _, err := c.exec(ctx, s.d.XactLock, k); err != nil {
				return err
			}
		}
	}
	for _, l := range drop {
		// The number is read again under the lock: another writer may
		// have renumbered the list since it was read above.
		if err := c.queryRow(ctx, `SELECT pos FROM listings WHERE list = ? AND article_id = ?`, l.list, id).Scan(&l.pos); err != nil {
			return err
		}
		if _, err := c.exec(ctx, `DELETE FROM listings WHERE list = ? AND article_id = ?`, l.list, id); err != nil {
			return err
		}
		if _, err := c.exec(ctx, `UPDATE listings SET pos = pos - 1 WHERE list = ? AND pos > ?`, l.list, l.pos); err != nil {
			return err
		}
	}
	for _, l := range add {
		var before int64
		err := c.queryRow(ctx, `SELECT pos FROM listings WHERE list = ? AND (published_at < ? OR (published_at = ? AND article_id < ?))
			ORDER BY published_at DESC, article_id DESC LIMIT 1`, l.list, l.at, l.at, id).Scan(&before)
		if err != nil && !isNoRows(err) {
			return err
		}
		if _, err := c.exec(ctx, `UPDATE listings SET pos = pos + 1 WHERE list = ? AND pos > ?`, l.list, before); err != nil {
			return err
		}
		if _, err := c.exec(ctx, `INSERT INTO listings (list, published_at, article_id, pos) VALUES (?, ?, ?, ?)`,
			l.list, l.at, id, before+1); err != nil {
			return err
		}
	}
	return nil
}

// listLock is the advisory lock number of a list. Locks of the list
// namespace are kept apart from the comment limits' by their high bit.
func listLock(list string) int64 {
	h := fnv.New64a()
	h.Write([]byte("list:" + list))
	return int64(h.Sum64() | 1<<62)
}

// rebuildDerived makes the tables derived from the articles and comments
// afresh: after the migration that creates them and after a restore,
// which carries the rows but not what is derived from them.
func (s *DB) rebuildDerived(ctx context.Context, c conn) error {
	if _, err := c.exec(ctx, `DELETE FROM comment_counts`); err != nil {
		return err
	}
	if _, err := c.exec(ctx, `INSERT INTO comment_counts (article_id, published)
		SELECT article_id, count(*) FROM comments WHERE status = 'published' GROUP BY article_id`); err != nil {
		return err
	}
	return s.rebuildListings(ctx, c)
}

// rebuildListings numbers every list afresh from the articles.
func (s *DB) rebuildListings(ctx context.Context, c conn) error {
	if _, err := c.exec(ctx, `DELETE FROM listings`); err != nil {
		return err
	}
	const live = `a.status = 'published' AND a.published_at IS NOT NULL`
	_, err := c.exec(ctx, `INSERT INTO listings (list, published_at, article_id, pos)
		SELECT list, published_at, article_id, ROW_NUMBER() OVER (PARTITION BY list ORDER BY published_at, article_id)
		FROM (
			SELECT 'all' AS list, a.published_at, a.id AS article_id FROM articles a WHERE `+live+`
			UNION ALL SELECT 'e:' || a.edition, a.published_at, a.id FROM articles a WHERE `+live+`
			UNION ALL SELECT 'top:' || a.edition, a.published_at, a.id FROM articles a WHERE `+live+` AND a.top = 1
			UNION ALL SELECT 'brk:' || a.edition, a.published_at, a.id FROM articles a WHERE `+live+` AND a.breaking = 1
			UNION ALL SELECT DISTINCT 'c:' || a.edition || ':' || c.slug, a.published_at, a.id
				FROM articles a JOIN article_categories ac ON ac.article_id = a.id JOIN categories c ON c.id = ac.category_id
				WHERE `+live+`
			UNION ALL SELECT DISTINCT 't:' || a.edition || ':' || t.tag_key, a.published_at, a.id
				FROM articles a JOIN article_tags t ON t.article_id = a.id WHERE `+live+`
		) m`)
	return err
}

// The two statements every reader list runs: the newest row before a
// time, and a range of numbers with the articles joined by id.
const sqlListLastBefore = `SELECT pos FROM listings WHERE list = ? AND published_at < ?
	ORDER BY published_at DESC, article_id DESC LIMIT 1`

func sqlListRange(withBody bool) string {
	return `SELECT ` + columns(withBody) + ` FROM listings l JOIN articles a ON a.id = l.article_id` + articleJoins + `
		WHERE l.list = ? AND l.pos > ? AND l.pos <= ? ORDER BY l.pos DESC`
}

// span is the part of a list that a reader query covers: the rows
// numbered lo < pos <= hi.
type span struct {
	list   string
	lo, hi int64
}

// listSpan finds the rows of list visible now and, when given, published
// in [from, to): the newest such row's number and the number of the
// newest row before from. Both are one step down an index.
func (s *DB) listSpan(ctx context.Context, c conn, list string, from, to int64) (span, error) {
	sp := span{list: list}
	upto := s.now().UnixMicro() + 1 // published_at <= now
	if to != 0 && to < upto {
		upto = to
	}
	last := func(before int64) (int64, error) {
		var pos int64
		err := c.queryRow(ctx, sqlListLastBefore, list, before).Scan(&pos)
		if isNoRows(err) {
			return 0, nil
		}
		return pos, err
	}
	var err error
	if sp.hi, err = last(upto); err != nil {
		return sp, err
	}
	if from != 0 {
		if sp.lo, err = last(from); err != nil {
			return sp, err
		}
	}
	if sp.lo > sp.hi {
		sp.lo = sp.hi
	}
	return sp, nil
}

// ListOf names the list a reader query reads ("" when none serves it),
// for the caches that key pages by the lists they show.
func ListOf(q ArticleQuery) string {
	q.Visible = true
	list, _ := listKey(q)
	return list
}

// listKey returns the list that serves q, if one does: reader queries of
// one edition (or all), by at most one category, tag or slot, without
// words to search for.
func listKey(q ArticleQuery) (string, bool) {
	if !q.Visible || q.Q != "" || q.Status != "" || q.AuthorID != 0 || q.OwnOrVisible != 0 ||
		q.Headline != "" || q.Scheduled {
		return "", false
	}
	n := 0
	for _, set := range []bool{q.Category != "", q.Tag != "", q.Top, q.Breaking} {
		if set {
			n++
		}
	}
	switch {
	case n > 1:
		return "", false
	case q.Edition == "":
		return listAll(), n == 0
	case q.Category != "":
		return listCategory(q.Edition, q.Category), true
	case q.Tag != "":
		return listTag(q.Edition, q.Tag), true
	case q.Top:
		return listTop(q.Edition), true
	case q.Breaking:
		return listBreaking(q.Edition), true
	}
	return listEdition(q.Edition), true
}

// listed answers a query that a list serves: one range of numbers, read
// down the list's index with the articles joined by id, bodies left out
// unless asked for. The total is the span's width, not a count.
func (s *DB) listed(ctx context.Context, c conn, list string, q ArticleQuery, limit int) ([]*news.Article, int, error) {
	var from, to int64
	if !q.From.IsZero() {
		from = q.From.UnixMicro()
	}
	if !q.To.IsZero() {
		to = q.To.UnixMicro()
	}
	sp, err := s.listSpan(ctx, c, list, from, to)
	if err != nil {
		return nil, 0, err
	}
	total := int(sp.hi - sp.lo)
	if q.NoTotal {
		total = -1 // as the query asked, though here it cost nothing
	}
	hi := sp.hi - int64(max(q.Offset, 0))
	lo := max(hi-int64(limit), sp.lo)
	if hi <= lo {
		return nil, total, nil
	}
	rows, err := c.query(ctx, sqlListRange(q.WithBody), list, lo, hi)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	found := make([]*news.Article, 0, hi-lo)
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return nil, 0, err
		}
		found = append(found, a)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	return found, total, s.loadRelations(ctx, c, found)
}

// ListsOf names the reader lists an article appears on, or would if it
// were published (an article just withdrawn left them), for the caches
// that must drop the pages showing those lists when it changes.
func ListsOf(a *news.Article) []string {
	b := *a
	b.Status = news.StatusPublished
	var out []string
	for _, l := range listsOf(&b) {
		out = append(out, l.list)
	}
	return out
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// VerifyListings checks that the lists as writes left them are what
// numbering them afresh from the articles gives: the same rows, numbered
// alike. It looks in a transaction it rolls back, so it changes nothing.
func (s *DB) VerifyListings(ctx context.Context) error {
	var problem error
	err := s.tx(ctx, func(c conn) error {
		snapshot := func() (map[string][]int64, error) {
			rows, err := c.query(ctx, `SELECT list, article_id, pos, published_at FROM listings ORDER BY list, pos`)
			if err != nil {
				return nil, err
			}
			defer rows.Close()
			m := map[string][]int64{}
			for rows.Next() {
				var list string
				var id, pos, at int64
				if err := rows.Scan(&list, &id, &pos, &at); err != nil {
					return nil, err
				}
				m[list] = append(m[list], pos, id, at)
			}
			return m, rows.Err()
		}
		kept, err := snapshot()
		if err != nil {
			return err
		}
		if err := s.rebuildListings(ctx, c); err != nil {
			return err
		}
		fresh, err := snapshot()
		if err != nil {
			return err
		}
		for list, want := range fresh {
			if !slices.Equal(kept[list], want) {
				problem = fmt.Errorf("list %s holds (pos, id, time) %v; numbered afresh it is %v", list, kept[list], want)
				break
			}
		}
		for list, got := range kept {
			if _, ok := fresh[list]; !ok && problem == nil {
				problem = fmt.Errorf("list %s holds %v, which no article belongs on", list, got)
			}
		}
		return errRollback
	})
	if err != nil && !errors.Is(err, errRollback) {
		return err
	}
	return problem
}

var errRollback = errors.New("rolled back on purpose")

// listsHolding names the lists an article is on now.
func (s *DB) listsHolding(ctx context.Context, c conn, id int64) ([]string, error) {
	return c.strings(ctx, `SELECT list FROM listings WHERE article_id = ? ORDER BY list`, id)
}
