// Package site serves the public reader pages: one route table below, one
// file per page. Every page is complete without JavaScript and links within
// the host it was reached on, so the same instance serves its primary
// domain, its mirrors and its onion address.
package site

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"tamizdat/internal/i18n"
	"tamizdat/internal/news"
	"tamizdat/internal/pagecache"
	"tamizdat/internal/store"
	"tamizdat/internal/views"
	"tamizdat/internal/web"
)

// Store is what the reader pages read.
type Store interface {
	Settings(ctx context.Context) (news.Settings, error)
	Editions(ctx context.Context) ([]news.Edition, error)
	Categories(ctx context.Context, edition string) ([]news.Category, error)
	Articles(ctx context.Context, q store.ArticleQuery) ([]*news.Article, int, error)
	Article(ctx context.Context, id int64) (*news.Article, error)
	Translations(ctx context.Context, a *news.Article) ([]*news.Article, error)
	PublishedComments(ctx context.Context, articleID int64, offset, limit int) ([]news.Comment, int, error)
	Page(ctx context.Context, edition, slug string) (*news.Page, error)
	ImageVariantData(ctx context.Context, id int64, width int) ([]byte, string, error)
	Comment(ctx context.Context, id int64) (*news.Comment, error)
	TranslationGroup(ctx context.Context, id int64) ([]*news.Article, error)
	Now() time.Time
}

// Site is the reader surface.
type Site struct {
	store    Store
	views    *views.Views
	log      *slog.Logger
	chrome   *chrome // nil: read the store every time
	comments Comments
	cache    *pagecache.Cache // the pages; one that keeps nothing until SetCache
	deadline time.Duration    // of the work for one request (SetDeadline)
}

// PageSize is the number of articles on a category or tag page.
const PageSize = 20

// New builds the reader surface.
func New(st Store, v *views.Views, log *slog.Logger) *Site {
	return &Site{store: st, views: v, log: log, cache: pagecache.New(0, pagecache.Options{}), deadline: DefaultDeadline}
}

// DefaultDeadline bounds the work of one request until SetDeadline says
// otherwise.
const DefaultDeadline = 10 * time.Second

// SetDeadline bounds the work of one request: the render of a page (one
// served from memory does no work to bound, and a request waiting for
// another's render waits as long as that render may take), a comment or
// report sent, an image read. A database that stopped answering turns into
// the last copy of a page or a quick 503 rather than a hung connection.
func (s *Site) SetDeadline(d time.Duration) { s.deadline = d }

// bounded is h with the deadline.
func (s *Site) bounded(h http.HandlerFunc) http.Handler {
	return web.Deadline(func(*http.Request) time.Duration { return s.deadline }, h)
}

// SetCache serves the pages through c; Invalidate then drops from it
// what each change makes out of date.
func (s *Site) SetCache(c *pagecache.Cache) { s.cache = c }

// Routes registers the reader routes on mux. Every page a reader can get
// is made as a value (a pageFunc) and served through the page cache, with
// the query parameters it reads; the two forms post to handlers of their
// own, never cached.
func (s *Site) Routes(mux *http.ServeMux) {
	pages := []struct {
		pattern string
		params  []string
		fn      pageFunc
	}{
		{"GET /{$}", nil, s.home},
		{"GET /{lang}/{$}", nil, s.home},
		{"GET /{lang}/{category}/{$}", []string{"page"}, s.category},
		{"GET /{lang}/news/{y}/{m}/{d}/{$}", []string{"page"}, s.day},
		{"GET /{lang}/news/{y}/{m}/{d}/{id}/{$}", []string{"comments", "reply", "comment"}, s.article},
		{"GET /{lang}/tag/{tag}/{$}", []string{"page"}, s.tag},
		{"GET /{lang}/support/{$}", nil, s.support},
		{"GET /{lang}/access/{$}", nil, s.access},
		{"GET /{lang}/about/{$}", nil, s.about},
		{"GET /{lang}/privacy/{$}", nil, s.privacy},
		{"GET /robots.txt", nil, s.robots},
	}
	for _, p := range pages {
		mux.Handle(p.pattern, s.cache.Handler(p.params, s.value(p.fn), s.failed))
	}
	mux.Handle("POST /{lang}/news/{y}/{m}/{d}/{id}/{$}", s.bounded(s.postComment))
	mux.Handle("POST /{lang}/comments/{id}/report", s.bounded(s.reportComment))
	mux.Handle("GET /media/{id}/{width}", s.bounded(s.media))
}

// pageFunc makes one page as a value. An error it returns is the page's
// answer: a not-found or gone becomes that error page (value), a database
// that is away the cache's to answer (the last copy, or the 503 page).
type pageFunc func(r *http.Request) (*web.Page, error)

// value turns a pageFunc's answerable errors into their error pages, so
// that the cache keeps a not-found briefly like any other page, and passes
// on those only the cache can answer.
func (s *Site) value(fn pageFunc) pagecache.Render {
	return func(r *http.Request) (*web.Page, error) {
		ctx, cancel := context.WithTimeout(r.Context(), s.deadline)
		defer cancel()
		r = r.WithContext(ctx)
		p, err := fn(r)
		if err == nil {
			return p, nil
		}
		switch news.ErrorCode(err) {
		case news.ENOTFOUND, news.EGONE, news.EINVALID:
			return s.errorValue(r, nil, err)
		}
		return nil, err
	}
}

// answer is the error page of err made with rq, which keeps the keys the
// page named before it failed: a cached not-found of an article, a tag or
// a page of a list is dropped when that article or list changes. Errors
// only the cache can answer pass on.
func (s *Site) answer(r *http.Request, rq *request, err error) (*web.Page, error) {
	switch news.ErrorCode(err) {
	case news.ENOTFOUND, news.EGONE, news.EINVALID:
		if rq != nil {
			return s.errorValue(r, rq, err)
		}
	}
	return nil, err
}

// failed answers for a page that could not be made and was never cached.
func (s *Site) failed(w http.ResponseWriter, r *http.Request, err error) { s.fail(w, r, nil, err) }

// redirect is a page that sends the reader elsewhere for good.
func redirect(to string) *web.Page {
	return &web.Page{Status: http.StatusMovedPermanently, Header: http.Header{"Location": {to}}}
}

// Page is what the layout renders around every page's content.
type Page struct {
	Lang           string
	Site           news.Settings
	Categories     []news.Category
	EditionLinks   []EditionLink
	Alternates     []Alternate
	Now            time.Time
	Title          string
	Description    string
	Canonical      string
	ActiveCategory string
	NoIndex        bool
	Content        any
	// Chrome is the layout around the clock and the content, rendered
	// once for the edition, menu and year (see Site.chromeOf); nil has the
	// layout render it.
	Chrome *Chrome
}

// Chrome is what every page of an edition shows the same: the top bar and
// menu (Top, before the clock; Links, after it up to the edition switcher,
// whose links an article points at its translations; Nav, the rest) and
// the footer.
type Chrome struct{ Top, Links, Nav, Footer template.HTML }

// EditionLink is one entry of the edition switcher.
type EditionLink struct {
	Lang, Name, URL string
	Current         bool
}

// Alternate is a <link rel="alternate" hreflang> of the page.
type Alternate struct{ Lang, URL string }

// Local converts a stored time to the newsroom's time zone.
func (p *Page) Local(t time.Time) time.Time { return t.In(p.Site.Location) }

// ArticlePath is an article's path, dated in the newsroom's zone.
func (p *Page) ArticlePath(a *news.Article) string { return a.Path(p.Site.Location) }

// request is what every handler starts from: the edition, the settings and
// the menu, loaded once per request so that a setting changed by any process
// shows at the next page.
type request struct {
	r        *http.Request
	gen      uint64 // of the chrome its settings, editions and menu came from
	page     *Page
	editions []news.Edition
	// keys name what the page shows, for the cache to drop it when any
	// of them changes: "settings" (the chrome: settings, editions, menus),
	// "a:ID" for each article shown, "cm:ID" for an article's page, which
	// shows its comments, "l:LIST" for each list, "day:…",
	// "page:EDITION/SLUG". A list shows comment counts too but does not
	// name them: they are as fresh as the page (a minute, for the clock),
	// so that a busy thread does not make the edition's home again for
	// every comment.
	keys []string
}

// Keys of the page cache.
func articleKey(id int64) string      { return "a:" + strconv.FormatInt(id, 10) }
func commentsKey(id int64) string     { return "cm:" + strconv.FormatInt(id, 10) }
func listKey(list string) string      { return "l:" + list }
func dayKey(lang, date string) string { return "day:" + lang + ":" + date }

// Settings is the key of every page: the chrome.
const settingsKey = "settings"

func (rq *request) shows(list []*news.Article) {
	for _, a := range list {
		rq.keys = append(rq.keys, articleKey(a.ID))
	}
}

func (s *Site) begin(r *http.Request, lang string) (*request, error) {
	gen := s.chrome.generation() // before anything is read
	rq, err := s.load(r, lang)
	if rq != nil {
		rq.gen = gen
	}
	return rq, err
}

func (s *Site) load(r *http.Request, lang string) (*request, error) {
	ctx := r.Context()
	set, err := s.settings(ctx)
	if err != nil {
		return nil, err
	}
	editions, err := s.editions(ctx)
	if err != nil {
		return nil, err
	}
	if lang == "" {
		lang = set.DefaultEdition
	}
	if !slices.ContainsFunc(editions, func(e news.Edition) bool { return e.Code == lang }) {
		return &request{r: r, editions: editions, page: s.basePage(r, set, editions, set.DefaultEdition, nil), keys: []string{settingsKey}},
			news.Errorf(news.ENOTFOUND, "no edition %q", lang)
	}
	cats, err := s.menu(ctx, lang)
	if err != nil {
		return nil, err
	}
	return &request{r: r, editions: editions, page: s.basePage(r, set, editions, lang, cats), keys: []string{settingsKey}}, nil
}

func (s *Site) basePage(r *http.Request, set news.Settings, editions []news.Edition, lang string, cats []news.Category) *Page {
	p := &Page{Lang: lang, Site: set, Categories: cats, Now: s.store.Now().In(set.Location)}
	for _, e := range editions {
		p.EditionLinks = append(p.EditionLinks, EditionLink{Lang: e.Code, Name: e.Name, URL: "/" + e.Code + "/", Current: e.Code == lang})
	}
	p.Canonical = canonical(set, r.URL.Path)
	return p
}

// canonical points at the primary domain; until there is one it is the
// path alone, since the host a request names is the client's to choose
// and must never reach a page that caches keep.
func canonical(set news.Settings, path string) string { return set.PrimaryURL + path }

// render makes the page of template name with status: the value the cache
// keeps and every writer sends. Its top bar shows the minute, so it is out
// of date at the next one.
func (s *Site) render(rq *request, name string, status int) (*web.Page, error) {
	var buf bytes.Buffer
	rq.page.Chrome = s.chromeOf(rq)
	if err := s.views.Render(&buf, name, rq.page); err != nil {
		s.log.Error("render", "page", name, "error", err)
		return nil, fmt.Errorf("rendering %s: %w", name, err)
	}
	slices.Sort(rq.keys)
	return &web.Page{Status: status, Header: http.Header{"Content-Type": {"text/html; charset=utf-8"}},
		Body: buf.Bytes(), Keys: slices.Compact(rq.keys),
		Expires: rq.page.Now.Truncate(time.Minute).Add(time.Minute)}, nil
}

// fail writes the error page of err in the request's language, for the
// handlers that write (the forms) and for the pages the cache could not
// make: never kept by anyone.
func (s *Site) fail(w http.ResponseWriter, r *http.Request, rq *request, err error) {
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		return // the reader left; there is no one to answer
	}
	p, err := s.errorValue(r, rq, err)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	p.Header.Set("Cache-Control", "no-store")
	web.WritePage(w, r, p)
}

// errorValue makes the error page of err in the request's language (or,
// without a request, in the language the path names).
func (s *Site) errorValue(r *http.Request, rq *request, err error) (*web.Page, error) {
	status, title, text := http.StatusInternalServerError, "error_title", "error_text"
	switch news.ErrorCode(err) {
	case news.ENOTFOUND:
		status, title, text = http.StatusNotFound, "not_found_title", "not_found_text"
	case news.EGONE:
		status, title, text = http.StatusGone, "gone_title", "gone_text"
	case news.EINVALID:
		status, title, text = http.StatusBadRequest, "bad_request_title", "not_found_text"
	case news.EUNAVAILABLE:
		status, title, text = http.StatusServiceUnavailable, "unavailable_title", "unavailable_text"
	default:
		if !errors.Is(err, context.Canceled) {
			s.log.Error("page", "path", r.URL.Path, "error", err)
		}
	}
	if rq == nil && status != http.StatusServiceUnavailable && status != http.StatusInternalServerError {
		lang, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
		rq, _ = s.begin(r, lang)
	}
	return s.errorPage(r, rq, status, title, text)
}

// errorPage renders the error page of status with the texts of the
// request's language.
func (s *Site) errorPage(r *http.Request, rq *request, status int, title, text string) (*web.Page, error) {
	if rq == nil || rq.page == nil {
		// The settings could not be read (the database is away): render
		// the error page from built-in defaults, in the language the path
		// names, without touching the store again.
		lang, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
		if !i18n.Supported(lang) {
			lang = news.DefaultSettings().DefaultEdition
		}
		p := &Page{Lang: lang, Site: news.DefaultSettings(), Now: s.store.Now()}
		for _, code := range i18n.Langs {
			p.EditionLinks = append(p.EditionLinks, EditionLink{Lang: code, Name: i18n.EditionName(code), URL: "/" + code + "/", Current: code == lang})
		}
		rq = &request{r: r, page: p}
	}
	rq.page.Title = i18n.T(rq.page.Lang, title)
	rq.page.NoIndex = true
	rq.page.Canonical = ""
	rq.page.Content = errorContent{Heading: i18n.T(rq.page.Lang, title), Text: i18n.T(rq.page.Lang, text)}
	p, err := s.render(rq, "error", status)
	if err != nil {
		return nil, err
	}
	if status == http.StatusServiceUnavailable {
		p.Header.Set("Retry-After", "5")
	}
	return p, nil
}

type errorContent struct{ Heading, Text string }

// BadRequest answers a request the HTTP boundary refused (web.CleanInput)
// with the 400 page, in the language of the path's edition (or the
// default one), saying that what was sent holds a character no text may.
func (s *Site) BadRequest(w http.ResponseWriter, r *http.Request, problem error) {
	lang, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	// Whatever the database says (even nothing: the page then comes from
	// the defaults), the request stays refused.
	rq, _ := s.begin(r, lang)
	p, err := s.errorPage(r, rq, http.StatusBadRequest, "bad_request_title", "bad_text_text")
	if err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	p.Header.Set("Cache-Control", "no-store")
	web.WritePage(w, r, p)
}

// NotFound answers every path no route of mux matched, through the cache:
// a path without its trailing slash is redirected to the page it names,
// anything else gets the 404 page in the language of its first segment.
func (s *Site) NotFound(mux *http.ServeMux) http.Handler {
	return s.cache.Handler(nil, s.value(func(r *http.Request) (*web.Page, error) {
		if (r.Method == http.MethodGet || r.Method == http.MethodHead) && !strings.HasSuffix(r.URL.Path, "/") {
			probe := r.Clone(r.Context())
			probe.URL.Path += "/"
			probe.URL.RawPath = ""
			if _, pattern := mux.Handler(probe); pattern != "" && pattern != "/" {
				target := probe.URL.EscapedPath()
				if r.URL.RawQuery != "" {
					target += "?" + r.URL.RawQuery
				}
				return redirect(target), nil
			}
		}
		return nil, news.Errorf(news.ENOTFOUND, "not found")
	}), s.failed)
}

func (s *Site) robots(r *http.Request) (*web.Page, error) {
	return &web.Page{Header: http.Header{"Content-Type": {"text/plain; charset=utf-8"}},
		Body: []byte("User-agent: *\nDisallow: /desk/\nDisallow: /api/\n")}, nil
}
