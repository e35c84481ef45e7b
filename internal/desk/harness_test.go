package desk_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"tamizdat/internal/app"
	"tamizdat/internal/auth"
	"tamizdat/internal/config"
	"tamizdat/internal/desk"
	"tamizdat/internal/editorial"
	"tamizdat/internal/keyring"
	"tamizdat/internal/news"
	"tamizdat/internal/site"
	"tamizdat/internal/store"
	"tamizdat/internal/store/storetest"
	"tamizdat/internal/views"
)

func ctx() context.Context { return context.Background() }

// env is a desk on a real store behind the app's whole HTTP stack, with a
// clock the test moves.
type env struct {
	t     testing.TB
	db    *store.DB
	clock *storetest.Clock
	srv   *httptest.Server
	desk  *desk.Desk
	keys  *keyring.Keyring
	users map[news.Role]*account
	log   *slog.Logger
	cfg   config.Config
}

type account struct {
	user     *news.User
	password string
	secret   string // TOTP secret, "" without a second factor
}

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// onEngines runs f on a fresh desk on every storage engine.
func onEngines(t *testing.T, f func(t *testing.T, e *env)) {
	for _, eng := range storetest.Engines {
		t.Run(eng.Name, func(t *testing.T) { f(t, newEnv(t, eng)) })
	}
}

func newEnv(t testing.TB, eng storetest.Engine) *env {
	t.Helper()
	clock := storetest.NewClock(t0)
	db, _ := eng.Open(t, clock.Now)
	if _, err := db.Migrate(ctx()); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	v, err := views.New()
	if err != nil {
		t.Fatal(err)
	}
	keys, err := keyring.New(db, []byte("a test node secret of at least thirty-two bytes"), db.Now, 0)
	if err != nil {
		t.Fatal(err)
	}
	dk, err := desk.New(db, &editorial.Service{Store: db, Now: db.Now}, keys, log)
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	// Tests speak for other client addresses through X-Forwarded-For.
	cfg.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
	srv := httptest.NewServer(app.Handler(db, site.New(db, v, log), dk, log, cfg))
	t.Cleanup(srv.Close)
	e := &env{t: t, db: db, clock: clock, srv: srv, desk: dk, keys: keys, users: map[news.Role]*account{}, log: log, cfg: cfg}
	for _, r := range []news.Role{news.RoleAdmin, news.RoleEditor, news.RoleAuthor, news.RoleModerator} {
		e.users[r] = e.addUser(string(r)+"@example.org", r, r == news.RoleAdmin || r == news.RoleEditor)
	}
	for _, ed := range []string{"en", "ru"} {
		if err := db.CreateCategory(ctx(), &news.Category{Edition: ed, Slug: "politics", Name: "Politics"}); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// withDesk is the same site and users served through another desk (one
// built with another node secret, say).
func (e *env) withDesk(dk *desk.Desk) *env {
	e.t.Helper()
	v, err := views.New()
	if err != nil {
		e.t.Fatal(err)
	}
	other := *e
	other.desk = dk
	other.srv = httptest.NewServer(app.Handler(e.db, site.New(e.db, v, e.log), dk, e.log, e.cfg))
	e.t.Cleanup(other.srv.Close)
	return &other
}

func (e *env) addUser(email string, role news.Role, twoFactor bool) *account {
	e.t.Helper()
	a := &account{password: "correct horse battery staple " + string(role)}
	hash, err := hashOnce(a.password)
	if err != nil {
		e.t.Fatal(err)
	}
	a.user = &news.User{Email: email, Name: strings.ToUpper(string(role[0])) + string(role[1:]) + " Person", Role: role, Active: true, PasswordHash: hash}
	if err := e.db.CreateUser(ctx(), a.user); err != nil {
		e.t.Fatal(err)
	}
	if twoFactor {
		key, err := auth.NewTOTPKey("test", email)
		if err != nil {
			e.t.Fatal(err)
		}
		sealed := e.keys.SealTOTP(a.user.ID, key.Secret)
		if err := e.db.SetTOTP(ctx(), a.user.ID, sealed, 0, nil); err != nil {
			e.t.Fatal(err)
		}
		a.secret, a.user.TOTPSecret = key.Secret, sealed
	}
	return a
}

var (
	hashMu sync.Mutex
	hashes = map[string]string{}
)

// hashOnce hashes each test password once: argon2id is slow on purpose,
// and under the race detector more so.
func hashOnce(password string) (string, error) {
	hashMu.Lock()
	defer hashMu.Unlock()
	if h, ok := hashes[password]; ok {
		return h, nil
	}
	h, err := auth.HashPassword(password)
	hashes[password] = h
	return h, err
}

// browser is a client that keeps the desk cookie and sends what a browser
// sends with a same-origin form: Origin and Sec-Fetch-Site.
type browser struct {
	e      *env
	cookie string
	client *http.Client
	// headers replace the browser's own for the next requests (CSRF tests).
	headers map[string]string
}

func (e *env) browser() *browser {
	return &browser{e: e, client: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		headers: map[string]string{"Origin": e.srv.URL, "Sec-Fetch-Site": "same-origin"}}
}

// withSession is a browser holding a fresh full session of acc, made in the
// store directly (fast, for the role table).
func (e *env) withSession(acc *account) *browser {
	e.t.Helper()
	token, hash, err := auth.NewSessionToken()
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.db.CreateSession(ctx(), acc.user.ID, hash, news.StageFull, "test"); err != nil {
		e.t.Fatal(err)
	}
	b := e.browser()
	b.cookie = token
	return b
}

type reply struct {
	status   int
	body     string
	location string
	header   http.Header
}

func (b *browser) do(method, path string, body io.Reader, ctype string) reply {
	b.e.t.Helper()
	req, err := http.NewRequest(method, b.e.srv.URL+path, body)
	if err != nil {
		b.e.t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if method != http.MethodGet {
		for k, v := range b.headers {
			req.Header.Set(k, v)
		}
	}
	if b.cookie != "" {
		req.Header.Set("Cookie", desk.SessionCookie+"="+b.cookie)
	}
	res, err := b.client.Do(req)
	if err != nil {
		b.e.t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	for _, c := range res.Cookies() {
		if c.Name == desk.SessionCookie {
			b.cookie = c.Value
		}
	}
	return reply{status: res.StatusCode, body: string(data), location: res.Header.Get("Location"), header: res.Header}
}

func (b *browser) get(path string) reply { return b.do(http.MethodGet, path, nil, "") }

func (b *browser) post(path string, form url.Values) reply {
	return b.do(http.MethodPost, path, strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
}

// signIn signs acc in through the forms: password, then the second factor
// when the account has one. The clock moves a step so that each sign-in
// uses a fresh code.
func (b *browser) signIn(acc *account) {
	t := b.e.t
	t.Helper()
	r := b.post("/desk/signin", url.Values{"email": {acc.user.Email}, "password": {acc.password}, "next": {"/desk/"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("sign-in of %s answered %d: %s", acc.user.Email, r.status, errorText(r.body))
	}
	if strings.HasPrefix(r.location, "/desk/signin/code") {
		b.e.clock.Set(b.e.clock.Now().Add(30 * time.Second))
		code, _ := auth.TOTPCode(acc.secret, b.e.clock.Now())
		r = b.post("/desk/signin/code", url.Values{"code": {code}, "next": {"/desk/"}})
		if r.status != http.StatusSeeOther || r.location != "/desk/" {
			t.Fatalf("second factor of %s answered %d %q: %s", acc.user.Email, r.status, r.location, errorText(r.body))
		}
	}
}

var alertRE = regexp.MustCompile(`(?s)role="alert"><p>(.*?)</p>`)

// errorText is the desk's error message on a page, for failure output.
func errorText(body string) string {
	if m := alertRE.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	if len(body) > 300 {
		return body[:300]
	}
	return body
}

var hiddenRE = regexp.MustCompile(`name="(\w+)" value="([^"]*)"`)

// hidden returns the value of a hidden form field on a page.
func hidden(body, name string) string {
	for _, m := range hiddenRE.FindAllStringSubmatch(body, -1) {
		if m[1] == name {
			return m[2]
		}
	}
	return ""
}

func authToken() (string, []byte) { return auth.NewToken() }

func mustAddr(s string) netip.Addr { return netip.MustParseAddr(s) }
