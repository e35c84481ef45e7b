package api

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"tamizdat/internal/news"
	"tamizdat/internal/store"
	"tamizdat/internal/web"
)

// articleOut is an article as the API shows it; field names as in PRODUCT.md.
type articleOut struct {
	ID            int64       `json:"id"`
	Edition       string      `json:"edition"`
	Title         string      `json:"title"`
	Lead          string      `json:"lead"`
	Body          string      `json:"body"`
	Interview     bool        `json:"interview"`
	Categories    []string    `json:"categories"`
	Tags          []string    `json:"tags"`
	Byline        string      `json:"byline"`
	Source        string      `json:"source"`
	Status        news.Status `json:"status"`
	PublishedAt   *string     `json:"published_at"`
	UpdatedAt     *string     `json:"updated_at"`
	Correction    string      `json:"correction"`
	CommentPolicy string      `json:"comment_policy"`
	TranslationOf *int64      `json:"translation_of"`
	Top           bool        `json:"top"`
	Breaking      bool        `json:"breaking"`
	Image         *news.Image `json:"image"`
	URL           string      `json:"url"`
	CommentCount  int         `json:"comment_count"`
}

// articleIn is a create or patch body: every field optional, so a PATCH
// changes exactly what it names. Nullable fields stay raw to tell null
// (clear it) from absent (leave it).
type articleIn struct {
	Edition       *string         `json:"edition"`
	Title         *string         `json:"title"`
	Lead          *string         `json:"lead"`
	Body          *string         `json:"body"`
	Interview     *bool           `json:"interview"`
	Categories    *[]string       `json:"categories"`
	Tags          *[]string       `json:"tags"`
	Byline        *string         `json:"byline"`
	Source        *string         `json:"source"`
	Status        *string         `json:"status"`
	PublishedAt   json.RawMessage `json:"published_at"`
	Correction    *string         `json:"correction"`
	CommentPolicy *string         `json:"comment_policy"`
	TranslationOf json.RawMessage `json:"translation_of"`
	Top           *bool           `json:"top"`
	Breaking      *bool           `json:"breaking"`
	Image         json.RawMessage `json:"image"`
	// Read-only fields are accepted and ignored, so that what GET returned
	// can be sent back with changes.
	ID           json.RawMessage `json:"id"`
	URL          json.RawMessage `json:"url"`
	UpdatedAt    json.RawMessage `json:"updated_at"`
	CommentCount json.RawMessage `json:"comment_count"`
}

func isNull(raw json.RawMessage) bool { return strings.TrimSpace(string(raw)) == "null" }

// apply copies the fields present in in onto a.
func (in *articleIn) apply(a *news.Article, creating bool) error {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	if in.Edition != nil {
		if !creating && *in.Edition != a.Edition {
			return news.Errorf(news.EINVALID, "edition cannot change; create a translation in the other edition instead")
		}
		a.Edition = *in.Edition
	}
	set(&a.Title, in.Title)
	set(&a.Lead, in.Lead)
	set(&a.Body, in.Body)
	set(&a.Byline, in.Byline)
	set(&a.Source, in.Source)
	set(&a.Correction, in.Correction)
	if in.Status != nil {
		a.Status = news.Status(*in.Status)
	}
	if in.CommentPolicy != nil {
		a.CommentPolicy = news.CommentPolicy(*in.CommentPolicy)
	}
	if in.Categories != nil {
		a.Categories = slices.Clone(*in.Categories)
	}
	if in.Tags != nil {
		a.Tags = slices.Clone(*in.Tags)
	}
	if in.Interview != nil {
		a.Interview = *in.Interview
	}
	if in.Top != nil {
		a.Top = *in.Top
	}
	if in.Breaking != nil {
		a.Breaking = *in.Breaking
	}
	if in.PublishedAt != nil {
		if isNull(in.PublishedAt) {
			a.PublishedAt = time.Time{}
		} else {
			var s string
			if err := json.Unmarshal(in.PublishedAt, &s); err != nil {
				return &badRequest{"field published_at must be a string with an RFC 3339 time, e.g. 2026-02-02T13:47:00+01:00"}
			}
			t, err := time.Parse(time.RFC3339, s)
			if err != nil || t.Year() < 1900 || t.Year() > 9999 {
				return news.Errorf(news.EINVALID, "published_at %q is not an RFC 3339 time such as 2026-02-02T13:47:00+01:00", s)
			}
			a.PublishedAt = t.UTC()
		}
	}
	if in.TranslationOf != nil {
		if isNull(in.TranslationOf) {
			a.TranslationOf = 0
		} else if err := json.Unmarshal(in.TranslationOf, &a.TranslationOf); err != nil {
			return &badRequest{"field translation_of must be an article id or null"}
		}
	}
	if in.Image != nil {
		if isNull(in.Image) {
			a.Image = nil
		} else {
			var img news.Image
			dec := json.NewDecoder(strings.NewReader(string(in.Image)))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&img); err != nil {
				return &badRequest{`field image must be {"id", "caption", "credit"} or null`}
			}
			a.Image = &img
		}
	}
	return nil
}

func (a *API) out(r *http.Request, set news.Settings, art *news.Article) articleOut {
	o := articleOut{ID: art.ID, Edition: art.Edition, Title: art.Title, Lead: art.Lead, Body: art.Body, Interview: art.Interview,
		Categories: art.Categories, Tags: art.Tags, Byline: art.Byline, Source: art.Source, Status: art.Status,
		Correction: art.Correction, CommentPolicy: string(art.CommentPolicy), Top: art.Top, Breaking: art.Breaking,
		Image: art.Image, CommentCount: art.CommentCount}
	if o.Categories == nil {
		o.Categories = []string{}
	}
	if o.Tags == nil {
		o.Tags = []string{}
	}
	if !art.PublishedAt.IsZero() {
		s := art.PublishedAt.In(set.Location).Format(time.RFC3339)
		o.PublishedAt = &s
	}
	if !art.UpdatedAt.IsZero() {
		s := art.UpdatedAt.In(set.Location).Format(time.RFC3339)
		o.UpdatedAt = &s
	}
	if art.TranslationOf != 0 {
		o.TranslationOf = &art.TranslationOf
	}
	// On the primary domain; until there is one, the path alone: the host
	// a request names is the client's to choose.
	o.URL = set.PrimaryURL + art.Path(set.Location)
	return o
}

func (a *API) respond(w http.ResponseWriter, r *http.Request, status int, art *news.Article) {
	set, err := a.store.Settings(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	// Read back so that the answer shows what was stored, comment count and all.
	stored, err := a.store.Article(r.Context(), art.ID)
	if err != nil {
		fail(w, r, err)
		return
	}
	web.JSON(w, r, status, a.out(r, set, stored))
}

func (a *API) createArticle(w http.ResponseWriter, r *http.Request) {
	actor, err := a.actor(r, false)
	if err != nil {
		fail(w, r, err)
		return
	}
	var in articleIn
	if err := decode(r, &in); err != nil {
		fail(w, r, err)
		return
	}
	var art news.Article
	if err := in.apply(&art, true); err != nil {
		fail(w, r, err)
		return
	}
	if art.Edition == "" {
		fail(w, r, news.Errorf(news.EINVALID, "edition is required"))
		return
	}
	if err := a.editor.CreateArticle(r.Context(), actor, &art); err != nil {
		fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/articles/"+strconv.FormatInt(art.ID, 10))
	a.respond(w, r, http.StatusCreated, &art)
}

func articleID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, news.Errorf(news.ENOTFOUND, "article %q not found", r.PathValue("id"))
	}
	return id, nil
}

// actorAndID authenticates the caller (optional: anonymous allowed) and
// reads the article id of the path.
func (a *API) actorAndID(r *http.Request, optional bool) (*news.User, int64, error) {
	actor, err := a.actor(r, optional)
	if err != nil {
		return nil, 0, err
	}
	id, err := articleID(r)
	return actor, id, err
}

func (a *API) getArticle(w http.ResponseWriter, r *http.Request) {
	actor, id, err := a.actorAndID(r, true)
	if err != nil {
		fail(w, r, err)
		return
	}
	// Without a token only what readers see exists; with one, what the
	// role may read (editorial.CanRead). Anything else answers exactly like
	// a missing article.
	art, err := a.editor.Article(r.Context(), actor, id)
	if err != nil {
		fail(w, r, err)
		return
	}
	set, err := a.store.Settings(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	web.JSON(w, r, http.StatusOK, a.out(r, set, art))
}

func (a *API) patchArticle(w http.ResponseWriter, r *http.Request) {
	actor, id, err := a.actorAndID(r, false)
	if err != nil {
		fail(w, r, err)
		return
	}
	var in articleIn
	if err := decode(r, &in); err != nil {
		fail(w, r, err)
		return
	}
	art, err := a.editor.UpdateArticle(r.Context(), actor, id, func(art *news.Article) error { return in.apply(art, false) })
	if err != nil {
		fail(w, r, err)
		return
	}
	a.respond(w, r, http.StatusOK, art)
}

func (a *API) deleteArticle(w http.ResponseWriter, r *http.Request) {
	actor, id, err := a.actorAndID(r, false)
	if err != nil {
		fail(w, r, err)
		return
	}
	if err := a.editor.DeleteArticle(r.Context(), actor, id); err != nil {
		fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// listArticles is the public read API: published, visible articles only.
func (a *API) listArticles(w http.ResponseWriter, r *http.Request) {
	ctx, qv := r.Context(), r.URL.Query()
	for k := range qv {
		if k != "edition" && k != "category" && k != "q" && k != "page" && k != "tag" {
			fail(w, r, &badRequest{"unknown parameter " + k + "; use edition, category, tag, q, page"})
			return
		}
	}
	q := store.ArticleQuery{Edition: qv.Get("edition"), Category: qv.Get("category"), Q: qv.Get("q"),
		Tag: news.TagKey(qv.Get("tag")), Visible: true, WithBody: true, Limit: PerPage}
	if len(q.Q) > 200 {
		fail(w, r, &badRequest{"q is longer than 200 bytes"})
		return
	}
	page := 1
	if p := qv.Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 100000 {
			fail(w, r, &badRequest{"page must be a positive number"})
			return
		}
		page = n
	}
	q.Offset = (page - 1) * PerPage
	if q.Edition != "" {
		es, err := a.store.Editions(ctx)
		if err != nil {
			fail(w, r, err)
			return
		}
		if !slices.ContainsFunc(es, func(e news.Edition) bool { return e.Code == q.Edition }) {
			fail(w, r, &badRequest{"unknown edition " + strconv.Quote(q.Edition)})
			return
		}
	}
	if q.Category != "" {
		if q.Edition == "" {
			fail(w, r, &badRequest{"category needs an edition: categories belong to one"})
			return
		}
		cats, err := a.store.Categories(ctx, q.Edition)
		if err != nil {
			fail(w, r, err)
			return
		}
		if !slices.ContainsFunc(cats, func(c news.Category) bool { return c.Slug == q.Category }) {
			fail(w, r, &badRequest{"unknown category " + strconv.Quote(q.Category) + " in edition " + q.Edition})
			return
		}
	}
	list, total, err := a.store.Articles(ctx, q)
	if err != nil {
		fail(w, r, err)
		return
	}
	set, err := a.store.Settings(ctx)
	if err != nil {
		fail(w, r, err)
		return
	}
	items := make([]articleOut, 0, len(list))
	for _, art := range list {
		items = append(items, a.out(r, set, art))
	}
	web.JSON(w, r, http.StatusOK, map[string]any{"items": items, "page": page, "per_page": PerPage, "total": total})
}
