package desk

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"tamizdat/internal/news"
	"tamizdat/internal/render"
	"tamizdat/internal/store"
)

type listContent struct {
	Articles   []*news.Article
	Total      int
	Page, Last int
	Filter     listFilter
	Editions   []news.Edition
	Categories []news.Category
	Users      []*news.User
	Authors    map[int64]string
	Now        time.Time
	Loc        *time.Location
	Query      string // the filter as a query string, for paging links
}

type listFilter struct {
	Edition, Status, Category, Q string
	Author                       int64
}

const deskPageSize = 50

// articles lists every article with filters: edition, status (scheduled
// counts as its own), category, author and words of the headline.
func (d *Desk) articles(w http.ResponseWriter, r *http.Request, q *req) error {
	ctx := r.Context()
	v := r.URL.Query()
	f := listFilter{Edition: v.Get("edition"), Status: v.Get("status"), Category: v.Get("category"), Q: strings.TrimSpace(v.Get("q"))}
	f.Author, _ = strconv.ParseInt(v.Get("author"), 10, 64)
	aq := store.ArticleQuery{Edition: f.Edition, Headline: f.Q, AuthorID: f.Author, Limit: deskPageSize}
	if !q.user.Role.CanPublish() {
		// What an author may open (editorial.CanRead): their own
		// articles and what readers see.
		aq.OwnOrVisible = q.user.ID
	}
	if f.Edition != "" {
		aq.Category = f.Category
	}
	switch f.Status {
	case "":
	case "scheduled":
		aq.Scheduled = true
	case "draft", "review", "published", "unpublished":
		aq.Status = news.Status(f.Status)
	default:
		f.Status = ""
	}
	page, _ := strconv.Atoi(v.Get("page"))
	page = max(page, 1)
	aq.Offset = (page - 1) * deskPageSize
	list, total, err := d.store.Articles(ctx, aq)
	if err != nil {
		return err
	}
	c := listContent{Articles: list, Total: total, Page: page, Last: max(1, (total+deskPageSize-1)/deskPageSize),
		Filter: f, Now: d.store.Now(), Loc: q.settings.Location, Authors: map[int64]string{}}
	if c.Editions, err = d.store.Editions(ctx); err != nil {
		return err
	}
	if f.Edition != "" {
		if c.Categories, err = d.store.Categories(ctx, f.Edition); err != nil {
			return err
		}
	}
	if c.Users, err = d.store.Users(ctx); err != nil {
		return err
	}
	for _, u := range c.Users {
		c.Authors[u.ID] = u.Name
	}
	keep := url.Values{}
	for k, val := range map[string]string{"edition": f.Edition, "status": f.Status, "category": f.Category, "q": f.Q} {
		if val != "" {
			keep.Set(k, val)
		}
	}
	if f.Author != 0 {
		keep.Set("author", strconv.FormatInt(f.Author, 10))
	}
	c.Query = keep.Encode()
	return d.render(w, r, q, 0, "articles", "Articles", c, nil)
}

// articleForm is the state of the article form.
type articleForm struct {
	A            *news.Article
	IsNew        bool
	Editions     []news.Edition
	Categories   []news.Category
	Images       []*news.MediaImage
	PublishAt    string // datetime-local in the newsroom's zone
	Tags         string
	Preview      template.HTML
	Translations []*news.Article
	Missing      []news.Edition // editions without a translation yet
	CanPublish   bool
	History      bool          // the user may read the revisions
	Conflict     *news.Article // the current text when a save was refused
	URL          string        // where readers see it, when they do
	Scheduled    bool
	Zone         string
	Now          time.Time
	Loc          *time.Location
}

func (d *Desk) newArticle(w http.ResponseWriter, r *http.Request, q *req) error {
	ed := r.URL.Query().Get("edition")
	if ed == "" {
		ed = q.settings.DefaultEdition
	}
	a := &news.Article{Edition: ed, Status: news.StatusDraft, CommentPolicy: news.PolicyInherit, Byline: q.user.Name}
	return d.renderForm(w, r, q, 0, a, true, nil, nil)
}

func (d *Desk) renderForm(w http.ResponseWriter, r *http.Request, q *req, status int, a *news.Article, isNew bool, preview *template.HTML, problem error) error {
	ctx := r.Context()
	f := &articleForm{A: a, IsNew: isNew, CanPublish: q.user.Role.CanPublish(), History: d.editor.HistoryReadable(q.user, a), Zone: q.settings.TimeZone,
		Now: d.store.Now(), Loc: q.settings.Location, Tags: strings.Join(a.Tags, ", ")}
	var err error
	if f.Editions, err = d.store.Editions(ctx); err != nil {
		return err
	}
	if f.Categories, err = d.store.Categories(ctx, a.Edition); err != nil {
		return err
	}
	if f.Images, _, err = d.store.Images(ctx, 60, 0); err != nil {
		return err
	}
	if !a.PublishedAt.IsZero() {
		f.PublishAt = a.PublishedAt.In(q.settings.Location).Format("2006-01-02T15:04:05")
	}
	f.Scheduled = a.Status == news.StatusPublished && a.PublishedAt.After(f.Now)
	if a.VisibleAt(f.Now) {
		f.URL = a.Path(q.settings.Location)
	}
	if preview != nil {
		f.Preview = *preview
	}
	if !isNew {
		group, err := d.store.TranslationGroup(ctx, a.ID)
		if err != nil {
			return err
		}
		for _, t := range group {
			if d.editor.Readable(q.user, t) {
				f.Translations = append(f.Translations, t)
			}
		}
		have := map[string]bool{a.Edition: true}
		for _, t := range group {
			have[t.Edition] = true
		}
		for _, e := range f.Editions {
			if !have[e.Code] {
				f.Missing = append(f.Missing, e)
			}
		}
	}
	if ce, ok := problem.(*conflictProblem); ok {
		f.Conflict = ce.current
		problem = ce.err
	}
	title := "New article"
	if !isNew {
		title = "Edit: " + a.Title
	}
	return d.render(w, r, q, status, "article", title, f, problem)
}

type conflictProblem struct {
	err     error
	current *news.Article
}

func (c *conflictProblem) Error() string { return c.err.Error() }

func (d *Desk) editArticle(w http.ResponseWriter, r *http.Request, q *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	a, err := d.editor.Article(r.Context(), q.user, id)
	if err != nil {
		return err
	}
	return d.renderForm(w, r, q, 0, a, false, nil, nil)
}

// readForm fills a from the form's fields. Only what the form shows is
// read; the edition of an existing article never changes.
func (d *Desk) readForm(r *http.Request, q *req, a *news.Article, isNew bool) error {
	f := r.PostForm
	if isNew {
		a.Edition = f.Get("edition")
	}
	a.Title, a.Lead, a.Body = f.Get("title"), f.Get("lead"), normalizeNewlines(f.Get("body"))
	a.Interview = f.Get("interview") == "1"
	a.Byline, a.Source, a.Correction = f.Get("byline"), f.Get("source"), f.Get("correction")
	a.CommentPolicy = news.CommentPolicy(f.Get("comment_policy"))
	var cats []string
	if p := f.Get("primary"); p != "" {
		cats = append(cats, p)
	}
	cats = append(cats, f["category"]...)
	a.Categories = cats
	a.Tags = strings.Split(f.Get("tags"), ",")
	a.TranslationOf = 0
	if t := strings.TrimSpace(f.Get("translation_of")); t != "" {
		n, err := strconv.ParseInt(strings.TrimPrefix(t, "#"), 10, 64)
		if err != nil || n <= 0 {
			return news.Errorf(news.EINVALID, "“Translation of” takes an article number, such as 1234")
		}
		a.TranslationOf = n
	}
	if q.user.Role.CanPublish() {
		a.Top, a.Breaking = f.Get("top") == "1", f.Get("breaking") == "1"
	}
	a.Image = nil
	if s := f.Get("image_id"); s != "" && s != "0" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return news.Errorf(news.EINVALID, "choose an image from the list")
		}
		a.Image = &news.Image{ID: n, Caption: f.Get("image_caption"), Credit: f.Get("image_credit")}
	}
	if v, err := strconv.ParseInt(f.Get("version"), 10, 64); err == nil {
		a.Version = v
	}
	return nil
}

func normalizeNewlines(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }

// applyAction turns the button pressed into a status and time.
func (d *Desk) applyAction(r *http.Request, q *req, a *news.Article, old *news.Article) error {
	now := d.store.Now()
	switch r.PostFormValue("action") {
	case "save", "preview", "":
		// A draft stays a draft, a published story stays published: an
		// edit after publication is a save.
	case "submit":
		a.Status = news.StatusReview
	case "publish":
		wasLive := old != nil && old.VisibleAt(now)
		a.Status = news.StatusPublished
		if !wasLive {
			a.PublishedAt = time.Time{} // now, set by the use-case
		}
	case "schedule":
		at, err := parseLocal(r.PostFormValue("publish_at"), q.settings.Location)
		if err != nil {
			return news.Errorf(news.EINVALID, "choose the date and time to publish at (in %s)", q.settings.TimeZone)
		}
		if !at.After(now) {
			return news.Errorf(news.EINVALID, "%s has already passed in %s; choose a later time, or press Publish now", at.Format("2 Jan 2006, 15:04:05"), q.settings.TimeZone)
		}
		a.Status, a.PublishedAt = news.StatusPublished, at
	case "unpublish":
		if old == nil || old.Status != news.StatusPublished {
			return news.Errorf(news.EINVALID, "only a published article can be unpublished")
		}
		a.Status = news.StatusUnpublished
	default:
		return news.Errorf(news.EINVALID, "unknown action %q", r.PostFormValue("action"))
	}
	return nil
}

// parseLocal reads a datetime-local value (with or without seconds) in the
// newsroom's zone.
func parseLocal(v string, loc *time.Location) (time.Time, error) {
	t, err := time.ParseInLocation("2006-01-02T15:04:05", v, loc)
	if err != nil {
		t, err = time.ParseInLocation("2006-01-02T15:04", v, loc)
	}
	return t, err
}

func previewOf(a *news.Article) *template.HTML {
	h := render.Article(a.Body, render.Options{Interview: a.Interview})
	return &h
}

func (d *Desk) createArticle(w http.ResponseWriter, r *http.Request, q *req) error {
	a := &news.Article{Status: news.StatusDraft}
	if err := d.readForm(r, q, a, true); err != nil {
		return d.renderForm(w, r, q, 0, a, true, nil, err)
	}
	if err := d.applyAction(r, q, a, nil); err != nil {
		return d.renderForm(w, r, q, 0, a, true, nil, err)
	}
	if r.PostFormValue("action") == "preview" {
		return d.renderForm(w, r, q, 0, a, true, previewOf(a), nil)
	}
	if err := d.editor.CreateArticle(r.Context(), q.user, a); err != nil {
		a.ID = 0
		return d.renderForm(w, r, q, 0, a, true, nil, err)
	}
	return done(w, r, "/desk/articles/"+strconv.FormatInt(a.ID, 10)+"/", noticeFor(r.PostFormValue("action"), a, d.store.Now()))
}

func noticeFor(action string, a *news.Article, now time.Time) string {
	switch {
	case action == "submit":
		return "submitted"
	case action == "unpublish":
		return "unpublished"
	case action == "schedule" || (action == "publish" && a.PublishedAt.After(now)):
		return "scheduled"
	case action == "publish":
		return "published"
	}
	return "saved"
}

func (d *Desk) saveArticle(w http.ResponseWriter, r *http.Request, q *req) error {
	ctx := r.Context()
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	old, err := d.editor.Article(ctx, q.user, id)
	if err != nil {
		return err
	}
	// The form's text, whatever happens next, so that a refused save shows
	// the writer's words again rather than losing them.
	mine := *old
	if err := d.readForm(r, q, &mine, false); err != nil {
		return d.renderForm(w, r, q, 0, &mine, false, nil, err)
	}
	if err := d.applyAction(r, q, &mine, old); err != nil {
		return d.renderForm(w, r, q, 0, &mine, false, nil, err)
	}
	if r.PostFormValue("action") == "preview" {
		return d.renderForm(w, r, q, 0, &mine, false, previewOf(&mine), nil)
	}
	saved, err := d.editor.UpdateArticle(ctx, q.user, id, func(a *news.Article) error {
		version := mine.Version
		*a = mine
		a.Version = version
		return nil
	})
	var edited *store.EditConflict
	if errors.As(err, &edited) {
		current, cerr := d.store.Article(ctx, id)
		if cerr != nil {
			return cerr
		}
		// Saving again from here is a deliberate choice over the other
		// text, which the form shows beside this one.
		mine.Version = current.Version
		return d.renderForm(w, r, q, http.StatusConflict, &mine, false, nil, &conflictProblem{err: err, current: current})
	}
	if err != nil {
		return d.renderForm(w, r, q, 0, &mine, false, nil, err)
	}
	return done(w, r, "/desk/articles/"+strconv.FormatInt(saved.ID, 10)+"/", noticeFor(r.PostFormValue("action"), saved, d.store.Now()))
}

func (d *Desk) deleteArticle(w http.ResponseWriter, r *http.Request, q *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if r.PostFormValue("confirm") != "1" {
		return news.Errorf(news.EINVALID, "tick the box to confirm that the article goes for good; nothing was deleted")
	}
	if err := d.editor.DeleteArticle(r.Context(), q.user, id); err != nil {
		return err
	}
	return done(w, r, "/desk/articles/", "deleted")
}

// translateArticle starts the story in another edition: a draft linked to
// this one, with its text to translate from.
func (d *Desk) translateArticle(w http.ResponseWriter, r *http.Request, q *req) error {
	ctx := r.Context()
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	src, err := d.editor.Article(ctx, q.user, id)
	if err != nil {
		return err
	}
	t := &news.Article{Edition: r.PostFormValue("edition"), Title: src.Title, Lead: src.Lead, Body: src.Body, Interview: src.Interview,
		Byline: src.Byline, Source: src.Source, Tags: src.Tags, TranslationOf: src.ID, Status: news.StatusDraft,
		CommentPolicy: src.CommentPolicy, Image: src.Image}
	if err := d.editor.CreateArticle(ctx, q.user, t); err != nil {
		return err
	}
	return done(w, r, "/desk/articles/"+strconv.FormatInt(t.ID, 10)+"/", "created")
}

type frontContent struct {
	Editions []frontEdition
	Loc      *time.Location
}

type frontEdition struct {
	Edition  news.Edition
	Top      []*news.Article
	Breaking []*news.Article
}

// front shows what leads each edition's home page now: the top story and
// the breaking-news banner, with what else is marked.
func (d *Desk) front(w http.ResponseWriter, r *http.Request, q *req) error {
	ctx := r.Context()
	eds, err := d.store.Editions(ctx)
	if err != nil {
		return err
	}
	c := frontContent{Loc: q.settings.Location}
	for _, e := range eds {
		fe := frontEdition{Edition: e}
		if fe.Top, _, err = d.store.Articles(ctx, store.ArticleQuery{Edition: e.Code, Visible: true, Top: true, NoTotal: true, Limit: 5}); err != nil {
			return err
		}
		if fe.Breaking, _, err = d.store.Articles(ctx, store.ArticleQuery{Edition: e.Code, Visible: true, Breaking: true, NoTotal: true, Limit: 5}); err != nil {
			return err
		}
		c.Editions = append(c.Editions, fe)
	}
	return d.render(w, r, q, 0, "front", "Front page", c, nil)
}
