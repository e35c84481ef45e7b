package site

import (
	"net/http"

	"tamizdat/internal/news"
	"tamizdat/internal/store"
	"tamizdat/internal/web"
)

type homeContent struct {
	Top      *news.Article
	Breaking *news.Article
	Latest   []*news.Article
	Blocks   []categoryBlock
}

type categoryBlock struct {
	Category news.Category
	Articles []*news.Article
}

// Home page of an edition: the top story, the breaking banner, the latest
// news and a block per category.
const (
	latestOnHome   = 15
	perCategoryBox = 4
)

func (s *Site) home(r *http.Request) (*web.Page, error) {
	rq, err := s.begin(r, r.PathValue("lang"))
	if err != nil {
		return nil, err
	}
	ctx, lang := r.Context(), rq.page.Lang
	var c homeContent
	visible := store.ArticleQuery{Edition: lang, Visible: true, NoTotal: true}
	one := func(q store.ArticleQuery) (*news.Article, error) {
		q.Limit = 1
		list, _, err := s.store.Articles(ctx, q)
		if err != nil || len(list) == 0 {
			return nil, err
		}
		return list[0], nil
	}
	// The newest visible top story wins, so an editor can schedule the next
	// one without taking the current one down first.
	q := visible
	q.Top = true
	if c.Top, err = one(q); err != nil {
		return nil, err
	}
	q = visible
	q.Breaking = true
	if c.Breaking, err = one(q); err != nil {
		return nil, err
	}
	q = visible
	q.Limit = latestOnHome + 1
	latest, _, err := s.store.Articles(ctx, q)
	if err != nil {
		return nil, err
	}
	for _, a := range latest {
		if c.Top == nil {
			c.Top = a // no story is marked top: lead with the newest
			continue
		}
		if a.ID != c.Top.ID && len(c.Latest) < latestOnHome {
			c.Latest = append(c.Latest, a)
		}
	}
	for _, cat := range rq.page.Categories {
		q = visible
		q.Category, q.Limit = cat.Slug, perCategoryBox
		list, _, err := s.store.Articles(ctx, q)
		if err != nil {
			return nil, err
		}
		if len(list) > 0 {
			c.Blocks = append(c.Blocks, categoryBlock{Category: cat, Articles: list})
		}
	}
	// The home page shows its edition's lists, and changes with any
	// article on them.
	rq.keys = append(rq.keys, listKey(store.ListOf(visible)), listKey(store.ListOf(store.ArticleQuery{Edition: lang, Top: true, Visible: true})),
		listKey(store.ListOf(store.ArticleQuery{Edition: lang, Breaking: true, Visible: true})))
	for _, b := range c.Blocks {
		rq.shows(b.Articles)
	}
	for _, cat := range rq.page.Categories {
		rq.keys = append(rq.keys, listKey(store.ListOf(store.ArticleQuery{Edition: lang, Category: cat.Slug, Visible: true})))
	}
	rq.shows(c.Latest)
	for _, a := range []*news.Article{c.Top, c.Breaking} {
		if a != nil {
			rq.keys = append(rq.keys, articleKey(a.ID))
		}
	}
	rq.page.Content = c
	rq.page.Canonical = canonical(rq.page.Site, "/"+lang+"/")
	return s.render(rq, "home", http.StatusOK)
}
