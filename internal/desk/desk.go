// Package desk is the newsroom's back office under /desk/: sign-in with a
// second factor, the article form with preview, scheduling, revisions and
// edit-conflict refusal, the media library, categories, pages, settings,
// users and the audit log. Pages are rendered on the server and work
// without JavaScript. Every route names the permission it needs in one
// table (routes), which the role tests walk; the use-cases of writing
// (editorial) check the finer rules again whatever surface calls them.
package desk

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"tamizdat/internal/assets"
	"tamizdat/internal/auth"
	"tamizdat/internal/news"
	"tamizdat/internal/render"
	"tamizdat/internal/store"
	"tamizdat/internal/web"
)

// Store is what the desk reads and writes.
type Store interface {
	Settings(ctx context.Context) (news.Settings, error)
	SetSetting(ctx context.Context, key, value string) error
	Editions(ctx context.Context) ([]news.Edition, error)
	Now() time.Time

	UserByEmail(ctx context.Context, email string) (*news.User, error)
	UserByID(ctx context.Context, id int64) (*news.User, error)
	Users(ctx context.Context) ([]*news.User, error)
	CreateUser(ctx context.Context, u *news.User) error
	UpdateUser(ctx context.Context, id int64, name string, role news.Role) error
	DisableUser(ctx context.Context, email string) (int, error)
	EnableUser(ctx context.Context, id int64) error
	CanDisable(ctx context.Context, id int64) error
	SetPassword(ctx context.Context, id int64, hash string) error
	SetTOTP(ctx context.Context, id int64, secret string, step int64, codeHashes [][]byte) error
	ResetTOTP(ctx context.Context, email string) error
	UseTOTPStep(ctx context.Context, id, step int64) error
	UseRecoveryCode(ctx context.Context, id int64, hash []byte) error
	RecoveryCodesLeft(ctx context.Context, id int64) (int, error)
	Tokens(ctx context.Context, userID int64) ([]news.APIToken, error)
	RevokeToken(ctx context.Context, id int64) error

	CreateSession(ctx context.Context, userID int64, hash []byte, stage, agent string) (*news.Session, error)
	CompleteSession(ctx context.Context, id int64, newHash []byte, detail string) error
	SessionByHash(ctx context.Context, hash []byte) (*news.Session, *news.User, error)
	Sessions(ctx context.Context, userID int64) ([]news.Session, error)
	EndSession(ctx context.Context, userID, id int64) error
	EndSessions(ctx context.Context, userID int64) (int, error)
	TakeAttempt(ctx context.Context, keys ...news.ThrottleKey) (*store.Attempt, time.Time, error)
	ReturnAttempt(ctx context.Context, a *store.Attempt) error
	ClearSigninFailures(ctx context.Context, key []byte) error
	FailSecondStep(ctx context.Context, sessionID int64, limit int) (bool, error)
	Audit(ctx context.Context, actorID int64, action, ref, detail string) error
	AuditLog(ctx context.Context, q store.AuditQuery) ([]store.AuditEvent, error)

	SetEditionCommentPolicy(ctx context.Context, code string, p news.CommentPolicy) error
	Categories(ctx context.Context, edition string) ([]news.Category, error)
	Category(ctx context.Context, id int64) (*news.Category, error)
	RenameCategory(ctx context.Context, id int64, name string) error
	MoveCategory(ctx context.Context, id int64, delta int) error
	DeleteCategory(ctx context.Context, id int64) error
	Articles(ctx context.Context, q store.ArticleQuery) ([]*news.Article, int, error)
	Article(ctx context.Context, id int64) (*news.Article, error)
	TranslationGroup(ctx context.Context, id int64) ([]*news.Article, error)
	Revisions(ctx context.Context, articleID int64) ([]*store.Revision, error)
	Revision(ctx context.Context, articleID, id int64) (*store.Revision, error)
	Page(ctx context.Context, edition, slug string) (*news.Page, error)
	Pages(ctx context.Context) ([]*news.Page, error)
	PutPage(ctx context.Context, p *news.Page) error

	Comment(ctx context.Context, id int64) (*news.Comment, error)
	Comments(ctx context.Context, articleID int64, status news.CommentStatus) ([]news.Comment, error)
	CommentQueue(ctx context.Context, q store.CommentQuery) ([]*store.QueuedComment, int, error)
	ModerateComments(ctx context.Context, ids []int64, status news.CommentStatus) (int, error)
	EditComment(ctx context.Context, id int64, body string) error
	BanCommenter(ctx context.Context, commentID int64, until time.Time, retention int, reason string) (time.Time, error)

	CreateImage(ctx context.Context, img *news.MediaImage, variants []store.ImageVariant) error
	Images(ctx context.Context, limit, offset int) ([]*news.MediaImage, int, error)
	Image(ctx context.Context, id int64) (*news.MediaImage, error)
	DeleteImage(ctx context.Context, id int64) error
}

// Editor runs the writing use-cases (editorial.Service).
type Editor interface {
	Article(ctx context.Context, actor *news.User, id int64) (*news.Article, error)
	History(ctx context.Context, actor *news.User, id int64) (*news.Article, error)
	Readable(actor *news.User, a *news.Article) bool
	HistoryReadable(actor *news.User, a *news.Article) bool
	UpdateImage(ctx context.Context, actor *news.User, img *news.MediaImage) error
	CreateArticle(ctx context.Context, actor *news.User, a *news.Article) error
	UpdateArticle(ctx context.Context, actor *news.User, id int64, change func(*news.Article) error) (*news.Article, error)
	DeleteArticle(ctx context.Context, actor *news.User, id int64) error
	CreateCategory(ctx context.Context, actor *news.User, c *news.Category) error
}

// Keys hashes client addresses under the day's key and seals
// authenticator secrets under the node secret (keyring.Keyring).
type Keys interface {
	Fingerprint(ctx context.Context, purpose string, addr netip.Addr) ([]byte, error)
	Retention() int
	SealTOTP(userID int64, secret string) string
	OpenTOTP(userID int64, stored string) (string, error)
}

// Desk is the back office.
type Desk struct {
	store  Store
	editor Editor
	keys   Keys
	log    *slog.Logger
	pages  map[string]*template.Template

	imageWait time.Duration
}

// New parses the desk's templates; a broken one stops the start.
func New(st Store, ed Editor, keys Keys, log *slog.Logger) (*Desk, error) {
	d := &Desk{store: st, editor: ed, keys: keys, log: log, pages: map[string]*template.Template{}, imageWait: imageWait}
	base, err := template.New("").Funcs(funcs).ParseFS(files, "templates/layout.html")
	if err != nil {
		return nil, err
	}
	entries, err := files.ReadDir("templates")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".html")
		if name == "layout" {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(files, "templates/"+e.Name())
		if err != nil {
			return nil, fmt.Errorf("desk template %s: %w", name, err)
		}
		d.pages[name] = t
	}
	return d, nil
}

//go:embed templates/*.html
var files embed.FS

// Permission is what a route asks of the signed-in user.
type Permission int

const (
	Public     Permission = iota // no session: the sign-in pages
	SecondStep                   // a session past the password, before the second factor
	SignedIn                     // any desk user
	Writer                       // admins, editors, authors
	Publisher                    // admins, editors
	Admin
	Moderator // admins, editors, moderators
)

func (p Permission) String() string {
	return [...]string{"public", "second step", "signed in", "writer", "publisher", "admin", "moderator"}[p]
}

// Allows reports whether role r passes p (for signed-in permissions).
func (p Permission) Allows(r news.Role) bool {
	switch p {
	case Writer:
		return r.CanWrite()
	case Publisher:
		return r.CanPublish()
	case Admin:
		return r.CanAdminister()
	case Moderator:
		return r.CanModerate()
	}
	return true
}

// Route is one entry of the desk's route table.
type Route struct {
	Pattern string
	Need    Permission
	handle  func(w http.ResponseWriter, r *http.Request, q *req) error
}

// uploadRoutes take a multipart form (a file), which their handler reads
// and checks itself. Every other route takes only ordinary forms, which
// the boundary checks before the desk.
var uploadRoutes = map[string]bool{"POST /desk/images/{$}": true}

// req is what a handler knows about the request beyond net/http.
type req struct {
	user     *news.User
	session  *news.Session
	settings news.Settings
}

// Routes is the route table: every desk URL and the permission it needs.
func (d *Desk) Routes() []Route {
	return []Route{
		{"GET /desk/signin", Public, d.signinForm},
		{"POST /desk/signin", Public, d.signin},
		{"GET /desk/signin/code", SecondStep, d.codeForm},
		{"POST /desk/signin/code", SecondStep, d.code},
		{"GET /desk/signin/enroll", SecondStep, d.enrollForm},
		{"POST /desk/signin/enroll", SecondStep, d.enroll},
		{"POST /desk/signout", SecondStep, d.signout},

		{"GET /desk/{$}", SignedIn, d.home},
		{"GET /desk/account/{$}", SignedIn, d.account},
		{"POST /desk/account/password", SignedIn, d.changePassword},
		{"GET /desk/account/2fa", SignedIn, d.twoFactorForm},
		{"POST /desk/account/2fa", SignedIn, d.twoFactor},
		{"POST /desk/account/sessions/{id}/end", SignedIn, d.endSession},
		{"POST /desk/account/sessions/end-all", SignedIn, d.endAllSessions},

		{"GET /desk/articles/{$}", Writer, d.articles},
		{"GET /desk/articles/new", Writer, d.newArticle},
		{"POST /desk/articles/new", Writer, d.createArticle},
		{"GET /desk/articles/{id}/{$}", Writer, d.editArticle},
		{"POST /desk/articles/{id}/{$}", Writer, d.saveArticle},
		{"POST /desk/articles/{id}/delete", Writer, d.deleteArticle},
		{"POST /desk/articles/{id}/translate", Writer, d.translateArticle},
		{"GET /desk/articles/{id}/revisions/{$}", Writer, d.revisions},
		{"GET /desk/articles/{id}/diff", Writer, d.diff},
		{"POST /desk/articles/{id}/revisions/{rev}/restore", Writer, d.restore},
		{"GET /desk/front/{$}", Publisher, d.front},

		{"GET /desk/comments/{$}", Moderator, d.comments},
		{"POST /desk/comments/{$}", Moderator, d.moderate},
		{"GET /desk/comments/{id}/{$}", Moderator, d.comment},
		{"POST /desk/comments/{id}/{$}", Moderator, d.editComment},
		{"POST /desk/comments/{id}/ban", Moderator, d.banCommenter},

		{"GET /desk/images/{$}", Writer, d.images},
		{"POST /desk/images/{$}", Writer, d.uploadImage},
		{"GET /desk/images/{id}/{$}", Writer, d.image},
		{"POST /desk/images/{id}/{$}", Writer, d.updateImage},
		{"POST /desk/images/{id}/delete", Publisher, d.deleteImage},

		{"GET /desk/categories/{$}", Publisher, d.categories},
		{"POST /desk/categories/{$}", Publisher, d.createCategory},
		{"POST /desk/categories/{id}/rename", Publisher, d.renameCategory},
		{"POST /desk/categories/{id}/move", Publisher, d.moveCategory},
		{"POST /desk/categories/{id}/delete", Publisher, d.deleteCategory},
		{"POST /desk/editions/{code}/comments", Publisher, d.editionComments},
		{"GET /desk/pages/{$}", Publisher, d.pagesList},
		{"GET /desk/pages/{lang}/{slug}", Publisher, d.pageForm},
		{"POST /desk/pages/{lang}/{slug}", Publisher, d.savePage},

		{"GET /desk/settings/{$}", Admin, d.settingsForm},
		{"POST /desk/settings/{$}", Admin, d.saveSettings},
		{"GET /desk/users/{$}", Admin, d.users},
		{"POST /desk/users/{$}", Admin, d.createUser},
		{"GET /desk/users/{id}/{$}", Admin, d.user},
		{"POST /desk/users/{id}/{$}", Admin, d.updateUser},
		{"POST /desk/users/{id}/disable", Admin, d.disableUser},
		{"POST /desk/users/{id}/enable", Admin, d.enableUser},
		{"POST /desk/users/{id}/reset-2fa", Admin, d.resetUser2FA},
		{"POST /desk/users/{id}/sessions/end", Admin, d.endUserSessions},
		{"POST /desk/users/{id}/tokens/{token}/revoke", Admin, d.revokeToken},
		{"GET /desk/audit/{$}", Admin, d.audit},
	}
}

// Register puts the desk on mux. State-changing requests from another
// origin are refused (net/http.CrossOriginProtection reads Sec-Fetch-Site,
// or compares Origin with Host for browsers that send no Sec-Fetch-Site);
// SameSite=Lax cookies are the second wall.
func (d *Desk) Register(mux *http.ServeMux) {
	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d.renderError(w, r, nil, http.StatusForbidden, "This form was sent from another site, so it was refused. Open the desk and send it from there.")
	}))
	for _, rt := range d.Routes() {
		mux.Handle(rt.Pattern, csrf.Handler(d.wrap(rt)))
	}
}

// NotFound answers a path under /desk/ that no route matched (the reader
// site's patterns overlap /desk/ on the mux, so the app's fallback sends
// such paths here).
func (d *Desk) NotFound(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	d.renderError(w, r, nil, http.StatusNotFound, "There is no such page in the desk.")
}

// BadRequest answers a request the HTTP boundary refused (web.CleanInput):
// the desk's error page, saying which field holds what.
func (d *Desk) BadRequest(w http.ResponseWriter, r *http.Request, err error) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Robots-Tag", "noindex, nofollow")
	d.renderError(w, r, nil, http.StatusBadRequest, "What you sent was refused: "+web.Message(err)+". Nothing was saved.")
}

// SessionCookie is the desk's cookie. The __Host- prefix makes browsers
// refuse it unless it is Secure, host-only and for the whole path, so no
// other host and no plain-HTTP page can set or shadow it. Browsers treat
// loopback and .onion hosts as secure.
const SessionCookie = "__Host-tamizdat-desk"

func (d *Desk) wrap(rt Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Cache-Control", "no-store")
		h.Set("X-Robots-Tag", "noindex, nofollow")
		ctx := r.Context()
		set, err := d.store.Settings(ctx)
		if err != nil {
			d.fail(w, r, nil, err)
			return
		}
		q := &req{settings: set}
		// Forms are read once here (uploads, multipart, by their handler),
		// so a body over the limit is a clear 413 before any work. A
		// multipart form anywhere but an upload is refused: only the
		// boundary's check of ordinary forms stands between its fields and
		// the handlers.
		multipart := strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/")
		if r.Method == http.MethodPost && multipart && !uploadRoutes[rt.Pattern] {
			d.renderError(w, r, nil, http.StatusUnsupportedMediaType, "This form must be sent as an ordinary form, not as a file upload; nothing was saved.")
			return
		}
		if r.Method == http.MethodPost && !multipart {
			if err := r.ParseForm(); err != nil {
				var mbe *http.MaxBytesError
				if errors.As(err, &mbe) {
					d.renderError(w, r, nil, http.StatusRequestEntityTooLarge, web.Message(err)+"; nothing was saved.")
				} else {
					d.renderError(w, r, nil, http.StatusBadRequest, "The form could not be read; nothing was saved.")
				}
				return
			}
		}
		if rt.Need != Public {
			sess, u, err := d.session(r)
			if err != nil {
				d.signedOut(w, r, err)
				return
			}
			q.user, q.session = u, sess
			if rt.Need >= SignedIn && sess.Stage != news.StageFull {
				http.Redirect(w, r, "/desk/signin/code", http.StatusSeeOther)
				return
			}
			if !rt.Need.Allows(u.Role) {
				d.renderError(w, r, q, http.StatusForbidden, "Your role ("+string(u.Role)+") cannot open this page; it needs "+rt.Need.String()+".")
				return
			}
			r = r.WithContext(store.WithActor(ctx, u.ID))
		}
		if err := rt.handle(w, r, q); err != nil {
			d.fail(w, r, q, err)
		}
	})
}

func (d *Desk) session(r *http.Request) (*news.Session, *news.User, error) {
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return nil, nil, news.Errorf(news.EUNAUTHORIZED, "you are not signed in")
	}
	return d.store.SessionByHash(r.Context(), auth.HashSessionToken(c.Value))
}

// signedOut answers a request without a live session: a page is sent to the
// sign-in form (and back after it); a form is refused, since its data
// cannot be carried across a sign-in.
func (d *Desk) signedOut(w http.ResponseWriter, r *http.Request, err error) {
	if news.ErrorCode(err) != news.EUNAUTHORIZED {
		d.fail(w, r, nil, err)
		return
	}
	clearCookie(w)
	if r.Method == http.MethodGet {
		http.Redirect(w, r, "/desk/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	d.renderError(w, r, nil, http.StatusUnauthorized, "You are signed out: your session ended or your account was disabled. Nothing was saved. Sign in again.")
}

func setCookie(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: token, Path: "/", Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

func clearCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

// Page is what the desk layout renders around every page.
type Page struct {
	Title   string
	User    *news.User
	Nav     []NavItem
	Notice  string
	Error   string
	Content any
	Site    news.Settings
	Path    string
}

// NavItem is one link of the desk's menu.
type NavItem struct {
	Label, URL string
	Current    bool
}

func (d *Desk) nav(r *http.Request, u *news.User) []NavItem {
	if u == nil {
		return nil
	}
	var items []NavItem
	add := func(label, url string, ok bool) {
		if ok {
			items = append(items, NavItem{label, url, strings.HasPrefix(r.URL.Path, url)})
		}
	}
	add("Articles", "/desk/articles/", u.Role.CanWrite())
	add("Front page", "/desk/front/", u.Role.CanPublish())
	add("Comments", "/desk/comments/", u.Role.CanModerate())
	add("Images", "/desk/images/", u.Role.CanWrite())
	add("Categories", "/desk/categories/", u.Role.CanPublish())
	add("Pages", "/desk/pages/", u.Role.CanPublish())
	add("Settings", "/desk/settings/", u.Role.CanAdminister())
	add("Users", "/desk/users/", u.Role.CanAdminister())
	add("Audit log", "/desk/audit/", u.Role.CanAdminister())
	add("Account", "/desk/account/", true)
	return items
}

// render writes page name inside the layout, whole (see web.Whole).
func (d *Desk) render(w http.ResponseWriter, r *http.Request, q *req, status int, name, title string, content any, problem error) error {
	t, ok := d.pages[name]
	if !ok {
		return fmt.Errorf("no desk template %q", name)
	}
	p := &Page{Title: title, Content: content, Path: r.URL.Path, Notice: notices[r.URL.Query().Get("done")]}
	if q != nil {
		p.Site = q.settings
		if q.session != nil && q.session.Stage == news.StageFull {
			p.User = q.user
			p.Nav = d.nav(r, q.user)
		}
	}
	if problem != nil {
		p.Error = web.Message(problem)
		if status == 0 {
			status = web.StatusOf(problem)
		}
	}
	if status == 0 {
		status = http.StatusOK
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		return err
	}
	h := w.Header()
	if status == http.StatusTooManyRequests && h.Get("Retry-After") == "" {
		// A busy server (the password or image gate) says when to come
		// back as a throttle does.
		h.Set("Retry-After", "1")
	}
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	web.Whole(w, r, func() {
		w.WriteHeader(status)
		buf.WriteTo(w)
	})
	return nil
}

func (d *Desk) renderError(w http.ResponseWriter, r *http.Request, q *req, status int, msg string) {
	if err := d.render(w, r, q, status, "error", http.StatusText(status), msg, nil); err != nil {
		d.log.Error("desk error page", "error", err)
		http.Error(w, msg, status)
	}
}

// fail answers an error a handler returned: the message of a news error
// the user can act on, a bare "something went wrong" otherwise.
func (d *Desk) fail(w http.ResponseWriter, r *http.Request, q *req, err error) {
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		return
	}
	status := web.StatusOf(err)
	msg := web.Message(err)
	if status == http.StatusInternalServerError {
		d.log.Error("desk", "path", r.URL.Path, "error", err)
		msg = "Something went wrong on the server; nothing was changed. Try again, and tell the site's operator if it goes on."
	}
	if status == http.StatusUnauthorized {
		d.signedOut(w, r, err)
		return
	}
	d.renderError(w, r, q, status, msg)
}

// done redirects after a successful form (POST, then GET), with a notice.
func done(w http.ResponseWriter, r *http.Request, to, notice string) error {
	sep := "?"
	if strings.Contains(to, "?") {
		sep = "&"
	}
	http.Redirect(w, r, to+sep+"done="+notice, http.StatusSeeOther)
	return nil
}

// notices are the messages a redirect may ask for; only these, so a link
// cannot put words of its own on a desk page.
var notices = map[string]string{
	"saved":       "Saved.",
	"created":     "Created.",
	"published":   "Published: readers see it now.",
	"scheduled":   "Scheduled: readers see it from the time you set.",
	"unpublished": "Unpublished: readers get “gone” at its address.",
	"submitted":   "Submitted for review; an editor will publish it.",
	"deleted":     "Deleted.",
	"restored":    "The revision was restored as a new save.",
	"password":    "Your password was changed; every other session was signed out.",
	"2fa":         "Two-factor sign-in is on. Keep your recovery codes somewhere safe.",
	"signedout":   "Signed out.",
	"ended":       "The session was signed out.",
	"endedall":    "Every session was signed out.",
	"disabled":    "The user was disabled: every session and API token ended.",
	"enabled":     "The user can sign in again.",
	"reset2fa":    "Two-factor sign-in was reset; the user enrols again at the next sign-in.",
	"revoked":     "The API token was revoked.",
	"uploaded":    "Uploaded. The image was re-encoded: no camera data or location was kept.",
	"approved":    "The comments were approved: readers see them now.",
	"approved1":   "The comment was approved: readers see it now.",
	"rejected":    "The comments were rejected.",
	"rejected1":   "The comment was rejected.",
	"spammed":     "The comments were marked as spam.",
	"spammed1":    "The comment was marked as spam.",
	"banned":      "Its sender is banned; the ban ends at the latest when the day's key is destroyed.",
}

func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, news.Errorf(news.ENOTFOUND, "there is no such %s", name)
	}
	return id, nil
}

var funcs = template.FuncMap{
	"asset": assets.URL,
	"md":    render.Markdown,
	"when": func(t time.Time, loc *time.Location) string {
		if t.IsZero() {
			return "—"
		}
		if loc == nil {
			loc = time.UTC
		}
		return t.In(loc).Format("2 Jan 2006, 15:04 MST")
	},
	"iso":  func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"join": strings.Join,
	"safeSVG": func(s string) template.HTML {
		// Only the QR code renderer's own output reaches this.
		return template.HTML(s)
	},
	"contains": func(list []string, s string) bool {
		for _, x := range list {
			if x == s {
				return true
			}
		}
		return false
	},
	"add":       func(a, b int) int { return a + b },
	"list":      func(v ...string) []string { return v },
	"hasPrefix": strings.HasPrefix,
}
