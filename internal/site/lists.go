package site

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"tamizdat/internal/i18n"
	"tamizdat/internal/news"
	"tamizdat/internal/store"
	"tamizdat/internal/web"
)

type listContent struct {
	Heading            string
	Articles           []*news.Article
	Page               int
	NewerURL, OlderURL string
}

// pageNumber reads ?page=N; anything but a positive number is a bad request.
func pageNumber(r *http.Request) (int, error) {
	v := r.URL.Query().Get("page")
	if v == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 100000 {
		return 0, news.Errorf(news.EINVALID, "page must be a positive number")
	}
	return n, nil
}

// paginated renders one page of q under heading, with links to the
// neighbouring pages. A page past the end is a 404, not an empty list.
func (s *Site) paginated(r *http.Request, rq *request, q store.ArticleQuery, heading string) (*web.Page, error) {
	page, err := pageNumber(r)
	if err != nil {
		return nil, err
	}
	q.Visible, q.Limit, q.Offset = true, PageSize, (page-1)*PageSize
	list, total, err := s.store.Articles(r.Context(), q)
	if err != nil {
		return nil, err
	}
	if q.From.IsZero() {
		rq.keys = append(rq.keys, listKey(store.ListOf(q)))
	} else {
		rq.keys = append(rq.keys, dayKey(q.Edition, q.From.In(rq.page.Site.Location).Format(time.DateOnly)))
	}
	rq.shows(list)
	if page > 1 && len(list) == 0 {
		return s.answer(r, rq, news.Errorf(news.ENOTFOUND, "no such page"))
	}
	c := listContent{Heading: heading, Articles: list, Page: page}
	base := r.URL.EscapedPath()
	if page > 1 {
		c.NewerURL = base
		if page > 2 {
			c.NewerURL += "?page=" + strconv.Itoa(page-1)
		}
	}
	if page*PageSize < total {
		c.OlderURL = base + "?page=" + strconv.Itoa(page+1)
	}
	canon := base
	if page > 1 {
		canon += "?page=" + strconv.Itoa(page)
		heading += " — " + i18n.T(rq.page.Lang, "page_n", page)
	}
	rq.page.Title = heading
	rq.page.Canonical = canonical(rq.page.Site, canon)
	rq.page.Content = c
	return s.render(rq, "list", http.StatusOK)
}

func (s *Site) category(r *http.Request) (*web.Page, error) {
	rq, err := s.begin(r, r.PathValue("lang"))
	if err != nil {
		return nil, err
	}
	slug := r.PathValue("category")
	for _, c := range rq.page.Categories {
		if c.Slug == slug {
			rq.page.ActiveCategory = slug
			return s.paginated(r, rq, store.ArticleQuery{Edition: rq.page.Lang, Category: slug}, c.Name)
		}
	}
	return nil, news.Errorf(news.ENOTFOUND, "no category %q", slug)
}

func (s *Site) tag(r *http.Request) (*web.Page, error) {
	rq, err := s.begin(r, r.PathValue("lang"))
	if err != nil {
		return nil, err
	}
	tag := r.PathValue("tag")
	key := news.TagKey(tag)
	if key == "" {
		return nil, news.Errorf(news.ENOTFOUND, "empty tag")
	}
	// Tags are compared by key; send readers who typed "Minsk" to "minsk".
	if key != tag {
		return redirect("/" + rq.page.Lang + "/tag/" + url.PathEscape(key) + "/"), nil
	}
	q := store.ArticleQuery{Edition: rq.page.Lang, Tag: key, Visible: true, Limit: 1}
	first, _, err := s.store.Articles(r.Context(), q)
	if err != nil {
		return nil, err
	}
	if len(first) == 0 {
		rq.keys = append(rq.keys, listKey(store.ListOf(q)))
		return s.answer(r, rq, news.Errorf(news.ENOTFOUND, "no tag %q", tag))
	}
	shown := tag
	for _, t := range first[0].Tags {
		if news.TagKey(t) == key {
			shown = t // as the newsroom typed it
		}
	}
	return s.paginated(r, rq, store.ArticleQuery{Edition: rq.page.Lang, Tag: key}, i18n.T(rq.page.Lang, "tag_title", shown))
}

// parseDay reads {y}/{m}/{d} as a day in loc; it must be a real date written
// without leading zeros, as the article URLs write it.
func parseDay(r *http.Request, loc *time.Location) (time.Time, bool) {
	var v [3]int
	for i, k := range []string{"y", "m", "d"} {
		n, err := strconv.Atoi(r.PathValue(k))
		if err != nil || strconv.Itoa(n) != r.PathValue(k) {
			return time.Time{}, false
		}
		v[i] = n
	}
	t := time.Date(v[0], time.Month(v[1]), v[2], 0, 0, 0, 0, loc)
	if t.Year() != v[0] || int(t.Month()) != v[1] || t.Day() != v[2] || v[0] < 1900 || v[0] > 9999 {
		return time.Time{}, false
	}
	return t, true
}

func (s *Site) day(r *http.Request) (*web.Page, error) {
	rq, err := s.begin(r, r.PathValue("lang"))
	if err != nil {
		return nil, err
	}
	day, ok := parseDay(r, rq.page.Site.Location)
	if !ok {
		return nil, news.Errorf(news.ENOTFOUND, "no such day")
	}
	q := store.ArticleQuery{Edition: rq.page.Lang, From: day, To: day.AddDate(0, 0, 1)}
	return s.paginated(r, rq, q, i18n.T(rq.page.Lang, "day_title", i18n.Date(rq.page.Lang, day)))
}
