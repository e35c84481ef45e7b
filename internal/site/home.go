package site

import (
	"net/http"

	"tamizdat/internal/news"
	"tamizdat/internal/store"
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

func (s *Site) home(w http.ResponseWriter, r *http.Request) {
	rq, err := s.begin(w, r, r.PathValue("lang"))
	if err != nil {
		s.fail(w, r, rq, err)
		return
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
		s.fail(w, r, rq, err)
		return
	}
	q = visible
	q.Breaking = true
	if c.Breaking, err = one(q); err != nil {
		s.fail(w, r, rq, err)
		return
	}
	q = visible
	q.Limit = latestOnHome + 1
	latest, _, err := s.store.Articles(ctx, q)
	if err != nil {
		s.fail(w, r, rq, err)
		return
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
			s.fail(w, r, rq, err)
			return
		}
		if len(list) > 0 {
			c.Blocks = append(c.Blocks, categoryBlock{Category: cat, Articles: list})
		}
	}
	rq.page.Content = c
	rq.page.Canonical = canonical(rq.page.Site, "/"+lang+"/")
	s.render(rq, "home", http.StatusOK)
}
