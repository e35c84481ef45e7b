package api

import (
	"net/http"
	"slices"
	"strconv"

	"tamizdat/internal/news"
	"tamizdat/internal/web"
)

type categoryJSON struct {
	ID       int64  `json:"id"`
	Edition  string `json:"edition"`
	Slug     string `json:"slug"`
	Name     string `json:"name"`
	Position int    `json:"position"`
}

func (a *API) createCategory(w http.ResponseWriter, r *http.Request) {
	actor, err := a.actor(r, false)
	if err != nil {
		fail(w, r, err)
		return
	}
	var in struct {
		Edition  string `json:"edition"`
		Slug     string `json:"slug"`
		Name     string `json:"name"`
		Position int    `json:"position"`
	}
	if err := decode(r, &in); err != nil {
		fail(w, r, err)
		return
	}
	c := news.Category{Edition: in.Edition, Slug: in.Slug, Name: in.Name, Position: in.Position}
	if c.Edition == "" {
		fail(w, r, news.Errorf(news.EINVALID, "edition is required"))
		return
	}
	if err := a.editor.CreateCategory(r.Context(), actor, &c); err != nil {
		fail(w, r, err)
		return
	}
	web.JSON(w, r, http.StatusCreated, categoryJSON(c))
}

func (a *API) listCategories(w http.ResponseWriter, r *http.Request) {
	edition := r.URL.Query().Get("edition")
	if edition == "" {
		fail(w, r, &badRequest{"edition is required, e.g. ?edition=ru"})
		return
	}
	es, err := a.store.Editions(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	if !slices.ContainsFunc(es, func(e news.Edition) bool { return e.Code == edition }) {
		fail(w, r, &badRequest{"unknown edition " + strconv.Quote(edition)})
		return
	}
	cats, err := a.store.Categories(r.Context(), edition)
	if err != nil {
		fail(w, r, err)
		return
	}
	items := make([]categoryJSON, 0, len(cats))
	for _, c := range cats {
		items = append(items, categoryJSON(c))
	}
	web.JSON(w, r, http.StatusOK, map[string]any{"items": items})
}
