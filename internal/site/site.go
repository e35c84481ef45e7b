// Package site serves the public reader pages: one route table below, one
// file per page. Every page is complete without JavaScript and links within
// the host it was reached on, so the same instance serves its primary
// domain, its mirrors and its onion address.
package site

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"tamizdat/internal/i18n"
	"tamizdat/internal/news"
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
	Now() time.Time
}

// Site is the reader surface.
type Site struct {
	store    Store
	views    *views.Views
	log      *slog.Logger
	chrome   *chrome // nil: read the store every time
	comments Comments
}

// PageSize is the number of articles on a category or tag page.
const PageSize = 20

// New builds the reader surface.
func New(st Store, v *views.Views, log *slog.Logger) *Site {
	return &Site{store: st, views: v, log: log}
}

// Routes registers the reader routes on mux.
func (s *Site) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", s.home)
	mux.HandleFunc("GET /{lang}/{$}", s.home)
	mux.HandleFunc("GET /{lang}/{category}/{$}", s.category)
	mux.HandleFunc("GET /{lang}/news/{y}/{m}/{d}/{$}", s.day)
	mux.HandleFunc("GET /{lang}/news/{y}/{m}/{d}/{id}/{$}", s.article)
	mux.HandleFunc("POST /{lang}/news/{y}/{m}/{d}/{id}/{$}", s.postComment)
	mux.HandleFunc("POST /{lang}/comments/{id}/report", s.reportComment)
	mux.HandleFunc("GET /{lang}/tag/{tag}/{$}", s.tag)
	mux.HandleFunc("GET /{lang}/support/{$}", s.support)
	mux.HandleFunc("GET /{lang}/access/{$}", s.access)
	mux.HandleFunc("GET /{lang}/about/{$}", s.about)
	mux.HandleFunc("GET /{lang}/privacy/{$}", s.privacy)
	mux.HandleFunc("GET /robots.txt", s.robots)
	mux.HandleFunc("GET /media/{id}/{width}", s.media)
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
}

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
	w        http.ResponseWriter
	r        *http.Request
	page     *Page
	editions []news.Edition
}

func (s *Site) begin(w http.ResponseWriter, r *http.Request, lang string) (*request, error) {
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
		return &request{w: w, r: r, editions: editions, page: s.basePage(r, set, editions, set.DefaultEdition, nil)},
			news.Errorf(news.ENOTFOUND, "no edition %q", lang)
	}
	cats, err := s.menu(ctx, lang)
	if err != nil {
		return nil, err
	}
	return &request{w: w, r: r, editions: editions, page: s.basePage(r, set, editions, lang, cats)}, nil
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

// render writes a page with status 200.
func (s *Site) render(rq *request, name string, status int) {
	h := rq.w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "public, max-age=30")
	}
	var buf strings.Builder
	if err := s.views.Render(&buf, name, rq.page); err != nil {
		s.log.Error("render", "page", name, "error", err)
		http.Error(rq.w, "internal error", http.StatusInternalServerError)
		return
	}
	// A declared length ends the response with its last byte: a proxy
	// then has the whole page even if this node dies a moment later,
	// whereas a chunked page is complete only after the handler returns.
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	web.Whole(rq.w, rq.r, func() {
		rq.w.WriteHeader(status)
		_, _ = strings.NewReader(buf.String()).WriteTo(rq.w)
	})
}

// fail renders the error page of err in the request's language.
func (s *Site) fail(w http.ResponseWriter, r *http.Request, rq *request, err error) {
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		return // the reader left; there is no one to answer
	}
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
	s.errorPage(w, r, rq, status, title, text)
}

// errorPage renders the error page of status with the texts of the
// request's language.
func (s *Site) errorPage(w http.ResponseWriter, r *http.Request, rq *request, status int, title, text string) {
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
		rq = &request{w: w, r: r, page: p}
	}
	if status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "5")
	}
	rq.page.Title = i18n.T(rq.page.Lang, title)
	rq.page.NoIndex = true
	rq.page.Canonical = ""
	rq.page.Content = errorContent{Heading: i18n.T(rq.page.Lang, title), Text: i18n.T(rq.page.Lang, text)}
	rq.w.Header().Set("Cache-Control", "no-store")
	s.render(rq, "error", status)
}

type errorContent struct{ Heading, Text string }

// BadRequest answers a request the HTTP boundary refused (web.CleanInput)
// with the 400 page, in the language of the path's edition (or the
// default one), saying that what was sent holds a character no text may.
func (s *Site) BadRequest(w http.ResponseWriter, r *http.Request, problem error) {
	lang, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	// Whatever the database says (even nothing: the page then comes from
	// the defaults), the request stays refused.
	rq, _ := s.begin(w, r, lang)
	s.errorPage(w, r, rq, http.StatusBadRequest, "bad_request_title", "bad_text_text")
}

// NotFound answers every path no route of mux matched: a path without its
// trailing slash is redirected to the page it names, anything else gets the
// 404 page in the language of its first segment.
func (s *Site) NotFound(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if (r.Method == http.MethodGet || r.Method == http.MethodHead) && !strings.HasSuffix(r.URL.Path, "/") {
			probe := r.Clone(r.Context())
			probe.URL.Path += "/"
			probe.URL.RawPath = ""
			if _, pattern := mux.Handler(probe); pattern != "" && pattern != "/" {
				target := probe.URL.EscapedPath()
				if r.URL.RawQuery != "" {
					target += "?" + r.URL.RawQuery
				}
				http.Redirect(w, r, target, http.StatusMovedPermanently)
				return
			}
		}
		lang, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
		rq, err := s.begin(w, r, lang)
		if err != nil && rq == nil {
			s.fail(w, r, nil, err)
			return
		}
		s.fail(w, r, rq, news.Errorf(news.ENOTFOUND, "not found"))
	})
}

func (s *Site) robots(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("User-agent: *\nDisallow: /desk/\nDisallow: /api/\n"))
}
