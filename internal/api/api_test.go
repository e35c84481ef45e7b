package api_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"tamizdat/internal/api"
	"tamizdat/internal/auth"
	"tamizdat/internal/editorial"
	"tamizdat/internal/news"
	"tamizdat/internal/store"
	"tamizdat/internal/store/sqlite"
	"tamizdat/internal/store/storetest"
	"tamizdat/internal/web"
)

var ctx = context.Background()

// maxRequest is the body limit the app puts in front of the API.
const maxRequest = 1 << 20

// T0 is the injected "now": 2 February 2026, 12:47 UTC.
var T0 = storetest.T0

// Roles with a token. "expired" is an editor's token that expired by the
// injected clock; "disabled" belongs to a user who is no longer active.
const (
	admin     = "admin"
	editor    = "editor"
	author    = "author"
	moderator = "moderator"
	expired   = "expired"
	disabled  = "disabled"
	anonymous = ""
)

// passwordHash is hashed once: argon2id is deliberately slow.
var passwordHash = sync.OnceValues(func() (string, error) {
	return auth.HashPassword("correct horse battery staple")
})

// env is one API server on its own SQLite file with a settable clock.
type env struct {
	db     *store.DB
	clock  *storetest.Clock
	srv    *httptest.Server
	tokens map[string]string
	users  map[string]*news.User
}

func newEnv(t *testing.T) *env {
	t.Helper()
	clock := storetest.NewClock(T0)
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "site.db"), clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	api.New(db, &editorial.Service{Store: db, Now: db.Now}).Routes(mux)
	mux.HandleFunc("/api/", api.NotFound) // as the app routes unmatched /api/ paths
	srv := httptest.NewServer(web.SecurityHeaders(web.LimitBody(func(*http.Request) int64 { return maxRequest }, mux)))
	t.Cleanup(srv.Close)

	hash, err := passwordHash()
	if err != nil {
		t.Fatal(err)
	}
	e := &env{db: db, clock: clock, srv: srv, tokens: map[string]string{}, users: map[string]*news.User{}}
	for _, role := range []string{admin, editor, author, moderator, disabled} {
		u := &news.User{Email: role + "@example.org", Name: "The " + role, Role: news.Role(role), Active: true, PasswordHash: hash}
		if role == disabled {
			u.Role, u.Active = news.RoleEditor, false
		}
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatalf("CreateUser(%s): %v", role, err)
		}
		e.users[role] = u
		e.tokens[role] = e.newToken(t, u.ID, clock.Now().Add(30*24*time.Hour))
	}
	e.tokens[expired] = e.newToken(t, e.users[editor].ID, clock.Now().Add(-time.Minute))
	return e
}

func (e *env) newToken(t *testing.T, userID int64, expires time.Time) string {
	t.Helper()
	tok, hash := auth.NewToken()
	if _, err := e.db.CreateToken(ctx, userID, hash, expires); err != nil {
		t.Fatalf("CreateToken: %v", err)
	}
	return tok
}

func (e *env) set(t *testing.T, key, value string) {
	t.Helper()
	if err := e.db.SetSetting(ctx, key, value); err != nil {
		t.Fatalf("SetSetting(%s): %v", key, err)
	}
}

// categories creates the menu most tests use.
func (e *env) categories(t *testing.T) {
	t.Helper()
	storetest.MustCategory(t, e.db, "ru", "politics", "Политика")
	storetest.MustCategory(t, e.db, "ru", "world", "В мире")
	storetest.MustCategory(t, e.db, "be", "palityka", "Палітыка")
	storetest.MustCategory(t, e.db, "be", "svet", "Свет")
	storetest.MustCategory(t, e.db, "en", "world", "World")
	storetest.MustCategory(t, e.db, "en", "culture", "Culture")
}

func (e *env) count(t *testing.T) int {
	t.Helper()
	n, err := e.db.CountArticles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// response is what a request got back.
type response struct {
	what   string // "METHOD /path", for messages
	status int
	header http.Header
	body   []byte
}

// call sends body (nil: none; string or []byte: as is; anything else:
// marshalled) as role, with Content-Type application/json when there is a
// body. extra holds header key/value pairs that override the defaults.
func (e *env) call(t *testing.T, method, path, role string, body any, extra ...string) *response {
	t.Helper()
	var rd io.Reader
	if body != nil {
		switch b := body.(type) {
		case string:
			rd = strings.NewReader(b)
		case []byte:
			rd = bytes.NewReader(b)
		default:
			j, err := json.Marshal(b)
			if err != nil {
				t.Fatal(err)
			}
			rd = bytes.NewReader(j)
		}
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if role != anonymous {
		tok, ok := e.tokens[role]
		if !ok {
			t.Fatalf("no token for role %q", role)
		}
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	for i := 0; i+1 < len(extra); i += 2 {
		if extra[i+1] == "" {
			req.Header.Del(extra[i])
		} else {
			req.Header.Set(extra[i], extra[i+1])
		}
	}
	res, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the body: %v", method, path, err)
	}
	r := &response{what: method + " " + path, status: res.StatusCode, header: res.Header, body: b}
	checkHeaders(t, r)
	return r
}

// rawCall writes head (the request line and headers, without the blank
// line) and then body from a goroutine on a raw connection, and reads the
// response: the only way to control exactly how the body is framed.
func (e *env) rawCall(t *testing.T, head string, body func(w io.Writer)) *response {
	t.Helper()
	conn, err := net.Dial("tcp", e.srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(30 * time.Second)); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		w := bufio.NewWriter(conn)
		io.WriteString(w, strings.ReplaceAll(head, "\n", "\r\n")+"\r\n\r\n")
		if body != nil {
			body(w)
		}
		w.Flush() // errors are expected once the server has answered and hung up
	}()
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("reading the response: %v", err)
	}
	b, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		t.Fatalf("reading the response body: %v", err)
	}
	conn.Close()
	<-done
	r := &response{what: strings.SplitN(head, "\n", 2)[0], status: res.StatusCode, header: res.Header, body: b}
	checkHeaders(t, r)
	return r
}

// checkHeaders: every response carries the security headers, and every
// response with a body is JSON that no cache keeps.
func checkHeaders(t *testing.T, r *response) {
	t.Helper()
	h := r.header
	if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("%s: Content-Security-Policy = %q, want default-src 'none' and frame-ancestors 'none'", r.what, csp)
	}
	if got := h.Get("Referrer-Policy"); got != "same-origin" {
		t.Errorf("%s: Referrer-Policy = %q, want same-origin", r.what, got)
	}
	if got := h.Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("%s: X-Content-Type-Options = %q, want nosniff", r.what, got)
	}
	if r.status == http.StatusNoContent {
		if len(r.body) != 0 {
			t.Errorf("%s: 204 with a body %q", r.what, r.body)
		}
		return
	}
	if ct := h.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("%s: Content-Type = %q, want application/json; charset=utf-8", r.what, ct)
	}
	if cc := h.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("%s: Cache-Control = %q, want no-store", r.what, cc)
	}
	if !json.Valid(r.body) {
		t.Errorf("%s: body is not JSON: %q", r.what, r.body)
	}
}

func wantStatus(t *testing.T, r *response, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("%s: status %d, want %d; body %s", r.what, r.status, status, r.body)
	}
}

// wantError checks the status and that the body is exactly {"error": "..."}
// with a message that names the problem (each of words, case-insensitively).
func wantError(t *testing.T, r *response, status int, words ...string) {
	t.Helper()
	if r.status != status {
		t.Errorf("%s: status %d, want %d; body %s", r.what, r.status, status, r.body)
		return
	}
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Errorf("%s: error body is not a JSON object: %q", r.what, r.body)
		return
	}
	msg, ok := m["error"].(string)
	if len(m) != 1 || !ok {
		t.Errorf(`%s: error body is %s, want exactly {"error": "..."}`, r.what, r.body)
		return
	}
	t.Logf("%s → %d %s", r.what, r.status, msg)
	if strings.TrimSpace(msg) == "" || msg == "internal error" {
		t.Errorf("%s: unhelpful error message %q", r.what, msg)
	}
	for _, w := range words {
		if !strings.Contains(strings.ToLower(msg), strings.ToLower(w)) {
			t.Errorf("%s: error %q does not mention %q", r.what, msg, w)
		}
	}
	if status == http.StatusUnauthorized {
		if wa := r.header.Get("WWW-Authenticate"); !strings.HasPrefix(wa, "Bearer") {
			t.Errorf("%s: 401 with WWW-Authenticate %q, want a Bearer challenge", r.what, wa)
		}
	}
}

// article is the API's article, decoded strictly.
type article struct {
	ID            int64    `json:"id"`
	Edition       string   `json:"edition"`
	Title         string   `json:"title"`
	Lead          string   `json:"lead"`
	Body          string   `json:"body"`
	Interview     bool     `json:"interview"`
	Categories    []string `json:"categories"`
	Tags          []string `json:"tags"`
	Byline        string   `json:"byline"`
	Source        string   `json:"source"`
	Status        string   `json:"status"`
	PublishedAt   *string  `json:"published_at"`
	UpdatedAt     *string  `json:"updated_at"`
	Correction    string   `json:"correction"`
	CommentPolicy string   `json:"comment_policy"`
	TranslationOf *int64   `json:"translation_of"`
	Top           bool     `json:"top"`
	Breaking      bool     `json:"breaking"`
	Image         *struct {
		ID      int64  `json:"id"`
		Caption string `json:"caption"`
		Credit  string `json:"credit"`
	} `json:"image"`
	URL          string `json:"url"`
	CommentCount int    `json:"comment_count"`
}

// articleKeys are the fields every article shows, null or not.
var articleKeys = []string{"body", "breaking", "byline", "categories", "comment_count", "comment_policy", "correction",
	"edition", "id", "image", "interview", "lead", "published_at", "source", "status", "tags", "title", "top", "translation_of",
	"updated_at", "url"}

func decodeArticle(t *testing.T, what string, raw []byte) article {
	t.Helper()
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(raw, &keys); err != nil {
		t.Fatalf("%s: not a JSON object: %s", what, raw)
	}
	if got := slices.Sorted(maps.Keys(keys)); !slices.Equal(got, articleKeys) {
		t.Errorf("%s: article has fields %v, want %v", what, got, articleKeys)
	}
	var a article
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&a); err != nil {
		t.Fatalf("%s: %v in %s", what, err, raw)
	}
	if a.Categories == nil || a.Tags == nil {
		t.Errorf("%s: categories and tags must be arrays, never null: %s", what, raw)
	}
	return a
}

func (r *response) article(t *testing.T) article {
	t.Helper()
	return decodeArticle(t, r.what, r.body)
}

func path(id int64) string { return "/api/v1/articles/" + strconv.FormatInt(id, 10) }

// create posts fields as role and wants 201.
func (e *env) create(t *testing.T, role string, fields map[string]any) article {
	t.Helper()
	r := e.call(t, "POST", "/api/v1/articles", role, fields)
	wantStatus(t, r, http.StatusCreated)
	a := r.article(t)
	if loc := r.header.Get("Location"); loc != path(a.ID) {
		t.Errorf("Location = %q, want %q", loc, path(a.ID))
	}
	return a
}

func (e *env) get(t *testing.T, id int64, role string) article {
	t.Helper()
	r := e.call(t, "GET", path(id), role, nil)
	wantStatus(t, r, http.StatusOK)
	return r.article(t)
}

func str(s *string) string {
	if s == nil {
		return "<null>"
	}
	return *s
}

func parseTime(t *testing.T, s *string) time.Time {
	t.Helper()
	if s == nil {
		t.Fatalf("time is null")
	}
	tm, err := time.Parse(time.RFC3339, *s)
	if err != nil {
		t.Fatalf("time %q is not RFC 3339: %v", *s, err)
	}
	return tm
}

// ---------------------------------------------------------------- create

func TestCreateArticleRoundTripsEveryField(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.categories(t)
	e.set(t, "time_zone", "Europe/Vilnius")
	ru := storetest.MustArticle(t, e.db, "ru", "Новость", T0.Add(-3*time.Hour), "politics")

	in := map[string]any{
		"edition":        "be",
		"title":          "Загаловак інтэрв'ю",
		"lead":           "Лід пад загалоўкам",
		"body":           "Уводзіны.\n\n- Пытанне?\n\n- Адказ.",
		"interview":      true,
		"categories":     []string{"svet", "palityka"},
		"tags":           []string{"Мінск", "Вільня"},
		"byline":         "Рэдакцыя",
		"source":         "Агенцтва X",
		"status":         "published",
		"published_at":   "2026-02-01T22:30:00Z", // 00:30 on 2 February in Vilnius
		"correction":     "Выпраўлена імя.",
		"comment_policy": "premoderated",
		"translation_of": ru.ID,
		"top":            true,
		"breaking":       true,
	}
	r := e.call(t, "POST", "/api/v1/articles", editor, in)
	wantStatus(t, r, http.StatusCreated)
	a := r.article(t)
	if a.ID <= 0 {
		t.Fatalf("id = %d", a.ID)
	}
	if loc := r.header.Get("Location"); loc != path(a.ID) {
		t.Errorf("Location = %q, want %q", loc, path(a.ID))
	}
	if a.Edition != "be" || a.Title != in["title"] || a.Lead != in["lead"] || a.Body != in["body"] || !a.Interview ||
		!slices.Equal(a.Categories, []string{"svet", "palityka"}) || !slices.Equal(a.Tags, []string{"Мінск", "Вільня"}) ||
		a.Byline != "Рэдакцыя" || a.Source != "Агенцтва X" || a.Status != "published" || a.Correction != "Выпраўлена імя." ||
		a.CommentPolicy != "premoderated" || a.TranslationOf == nil || *a.TranslationOf != ru.ID || !a.Top || !a.Breaking {
		t.Errorf("created article does not round-trip: %s", r.body)
	}
	if a.Image != nil || a.UpdatedAt != nil || a.CommentCount != 0 {
		t.Errorf("image %v, updated_at %s, comment_count %d; want null, null, 0", a.Image, str(a.UpdatedAt), a.CommentCount)
	}
	if got := parseTime(t, a.PublishedAt); !got.Equal(time.Date(2026, 2, 1, 22, 30, 0, 0, time.UTC)) {
		t.Errorf("published_at = %s, want the instant 2026-02-01T22:30:00Z", *a.PublishedAt)
	}
	if *a.PublishedAt != "2026-02-02T00:30:00+02:00" {
		t.Errorf("published_at = %s, want it shown in the newsroom's zone: 2026-02-02T00:30:00+02:00", *a.PublishedAt)
	}
	// Until primary_url is set, the path alone: never the Host the
	// request named.
	wantURL := fmt.Sprintf("/be/news/2026/2/2/%d/", a.ID)
	if a.URL != wantURL {
		t.Errorf("url = %q, want %q (the Vilnius date)", a.URL, wantURL)
	}

	// What readers get back is what was created, byte for byte.
	g := e.call(t, "GET", path(a.ID), anonymous, nil)
	wantStatus(t, g, http.StatusOK)
	if !bytes.Equal(g.body, r.body) {
		t.Errorf("GET differs from the POST answer:\n GET  %s\n POST %s", g.body, r.body)
	}
	// And the store holds it.
	st, err := e.db.Article(ctx, a.ID)
	if err != nil || st.Title != in["title"] || st.AuthorID != e.users[editor].ID || st.TranslationOf != ru.ID {
		t.Errorf("stored article %+v, %v", st, err)
	}
}

func TestCreateArticleURLDateInSiteTimeZone(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.set(t, "time_zone", "Europe/Vilnius")
	tests := []struct {
		published string
		shown     string
		date      string
	}{
		{"2026-02-01T22:30:00Z", "2026-02-02T00:30:00+02:00", "2026/2/2"},      // after midnight in Vilnius, not in UTC
		{"2026-02-01T21:59:59Z", "2026-02-01T23:59:59+02:00", "2026/2/1"},      // just before
		{"2026-02-01T22:00:00Z", "2026-02-02T00:00:00+02:00", "2026/2/2"},      // exactly midnight
		{"2026-02-02T00:30:00+03:00", "2026-02-01T23:30:00+02:00", "2026/2/1"}, // offset given by the client
		{"2025-06-30T21:30:00Z", "2025-07-01T00:30:00+03:00", "2025/7/1"},      // summer time
		{"2025-12-31T22:15:00Z", "2026-01-01T00:15:00+02:00", "2026/1/1"},      // new year
	}
	for _, tt := range tests {
		a := e.create(t, editor, map[string]any{"edition": "ru", "title": "Ночью " + tt.published, "status": "published", "published_at": tt.published})
		if want := fmt.Sprintf("/ru/news/%s/%d/", tt.date, a.ID); a.URL != want {
			t.Errorf("published_at %s: url %q, want %s", tt.published, a.URL, want)
		}
		if str(a.PublishedAt) != tt.shown {
			t.Errorf("published_at %s: shown as %s, want %s", tt.published, str(a.PublishedAt), tt.shown)
		}
	}

	// A draft without a time is dated by its creation (12:47 UTC, 14:47 in Vilnius).
	d := e.create(t, editor, map[string]any{"edition": "en", "title": "Draft"})
	if want := fmt.Sprintf("/en/news/2026/2/2/%d/", d.ID); !strings.HasSuffix(d.URL, want) {
		t.Errorf("draft url %q, want suffix %s", d.URL, want)
	}

	// With primary_url set, the url is on the primary domain.
	e.set(t, "primary_url", "https://example.org")
	p := e.create(t, editor, map[string]any{"edition": "en", "title": "Primary"})
	if want := fmt.Sprintf("https://example.org/en/news/2026/2/2/%d/", p.ID); p.URL != want {
		t.Errorf("url %q, want %q", p.URL, want)
	}
}

func TestCreateDefaultsAndPublishedGetsNow(t *testing.T) {
	t.Parallel()
	e := newEnv(t)

	d := e.create(t, editor, map[string]any{"edition": "ru", "title": "  Черновик  "})
	if d.Title != "Черновик" || d.Status != "draft" || d.CommentPolicy != "inherit" || d.PublishedAt != nil ||
		d.UpdatedAt != nil || d.TranslationOf != nil || d.Top || d.Breaking || len(d.Categories) != 0 || len(d.Tags) != 0 {
		t.Errorf("defaults: %+v", d)
	}

	// Published without a time: now, to the second, by the injected clock.
	e.clock.Set(T0.Add(1500 * time.Millisecond))
	p := e.create(t, admin, map[string]any{"edition": "en", "title": "Now", "status": "published"})
	if str(p.PublishedAt) != "2026-02-02T12:47:01Z" {
		t.Errorf("published_at = %s, want the clock's now 2026-02-02T12:47:01Z", str(p.PublishedAt))
	}
	// ... and readers see it at once.
	e.get(t, p.ID, anonymous)

	// Read-only fields are accepted and ignored.
	r := e.create(t, editor, map[string]any{"edition": "en", "title": "RO", "id": 777, "url": "http://x/", "updated_at": "2020-01-01T00:00:00Z", "comment_count": 9})
	if r.ID == 777 || r.UpdatedAt != nil || r.CommentCount != 0 || strings.HasPrefix(r.URL, "http://x/") {
		t.Errorf("read-only fields were taken from the request: %+v", r)
	}
	// A +json media type and a charset are JSON too.
	for _, ct := range []string{"application/json; charset=utf-8", "application/merge-patch+json"} {
		res := e.call(t, "POST", "/api/v1/articles", editor, `{"edition":"ru","title":"ct"}`, "Content-Type", ct)
		wantStatus(t, res, http.StatusCreated)
	}
}

// ---------------------------------------------------------------- auth

func TestAuthentication(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tests := []struct {
		name  string
		auth  string // Authorization header; "-" for none
		words []string
	}{
		{"no token", "-", []string{"token"}},
		{"unknown token", "Bearer tzd_notarealtokenatall", []string{"token"}},
		{"expired token", "Bearer " + e.tokens[expired], []string{"expired"}},
		{"disabled user", "Bearer " + e.tokens[disabled], []string{"token"}},
		{"basic scheme", "Basic YWRtaW46cGFzc3dvcmQ=", []string{"Bearer"}},
		{"token scheme", "Token " + e.tokens[editor], []string{"Bearer"}},
		{"no scheme", e.tokens[editor], []string{"Bearer"}},
		{"scheme only", "Bearer", []string{"Bearer"}},
		{"empty token", "Bearer    ", []string{"Bearer"}},
		{"token with a tail", "Bearer " + e.tokens[editor] + "x", []string{"token"}},
	}
	endpoints := []struct{ method, path, body string }{
		{"POST", "/api/v1/articles", `{"edition":"ru","title":"x"}`},
		{"PATCH", "/api/v1/articles/1", `{"title":"x"}`},
		{"DELETE", "/api/v1/articles/1", ""},
		{"POST", "/api/v1/categories", `{"edition":"ru","slug":"x","name":"X"}`},
	}
	for _, tt := range tests {
		for _, ep := range endpoints {
			t.Run(tt.name+"/"+ep.method+ep.path, func(t *testing.T) {
				var body any
				if ep.body != "" {
					body = ep.body
				}
				extra := []string{"Authorization", tt.auth}
				if tt.auth == "-" {
					extra = nil
				}
				wantError(t, e.call(t, ep.method, ep.path, anonymous, body, extra...), http.StatusUnauthorized, tt.words...)
			})
		}
	}
	// The public read of one article: no token is fine, a wrong one is not.
	a := storetest.MustArticle(t, e.db, "ru", "Публичная", T0.Add(-time.Hour))
	e.get(t, a.ID, anonymous)
	wantError(t, e.call(t, "GET", path(a.ID), anonymous, nil, "Authorization", "Bearer tzd_wrong"), http.StatusUnauthorized, "token")
	wantError(t, e.call(t, "GET", path(a.ID), expired, nil), http.StatusUnauthorized, "token")
	// The scheme is case-insensitive.
	wantStatus(t, e.call(t, "POST", "/api/v1/articles", anonymous, `{"edition":"ru","title":"x"}`, "Authorization", "bearer "+e.tokens[editor]), http.StatusCreated)
	if n := e.count(t); n != 2 {
		t.Errorf("%d articles after the refused requests, want 2", n)
	}
}

// ---------------------------------------------------------------- bad input

func TestCreateArticleBadInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.categories(t)
	ru := storetest.MustArticle(t, e.db, "ru", "Оригинал", T0.Add(-3*time.Hour))
	be := &news.Article{Edition: "be", Title: "Пераклад", Status: news.StatusPublished, PublishedAt: T0.Add(-2 * time.Hour), TranslationOf: ru.ID}
	if err := e.db.CreateArticle(ctx, be); err != nil {
		t.Fatal(err)
	}
	before := e.count(t)

	tests := []struct {
		name   string
		body   string
		ctype  string // "" → application/json; "-" → no Content-Type
		status int
		words  []string
	}{
		// The form of the request: 400.
		{"malformed JSON", `{"edition": "ru", "title": `, "", 400, []string{"JSON"}},
		{"trailing comma", `{"edition": "ru", "title": "x",}`, "", 400, []string{"JSON"}},
		{"not JSON at all", `edition=ru&title=x`, "", 400, []string{"JSON"}},
		{"text/plain", `{"edition": "ru", "title": "x"}`, "text/plain", 400, []string{"application/json"}},
		{"form content type", `edition=ru&title=x`, "application/x-www-form-urlencoded", 400, []string{"application/json"}},
		{"garbage content type", `{"edition": "ru", "title": "x"}`, "/;;", 400, []string{"application/json"}},
		{"empty body", ``, "", 400, []string{"empty"}},
		{"whitespace body", "  \n ", "", 400, []string{"empty"}},
		{"unknown field", `{"edition": "ru", "title": "x", "colour": "red"}`, "", 400, []string{"unknown field", "colour"}},
		{"title is a number", `{"edition": "ru", "title": 5}`, "", 400, []string{"title", "string"}},
		{"tags is a string", `{"edition": "ru", "title": "x", "tags": "a,b"}`, "", 400, []string{"tags", "array"}},
		{"top is a string", `{"edition": "ru", "title": "x", "top": "yes"}`, "", 400, []string{"top", "true or false"}},
		{"interview is a string", `{"edition": "ru", "title": "x", "interview": "yes"}`, "", 400, []string{"interview", "true or false"}},
		{"interview is a number", `{"edition": "ru", "title": "x", "interview": 1}`, "", 400, []string{"interview", "true or false"}},
		{"published_at is a number", `{"edition": "ru", "title": "x", "published_at": 1770000000}`, "", 400, []string{"published_at"}},
		{"translation_of is a string", `{"edition": "ru", "title": "x", "translation_of": "abc"}`, "", 400, []string{"translation_of"}},
		{"image with an unknown field", `{"edition": "ru", "title": "x", "image": {"id": 1, "url": "x"}}`, "", 400, []string{"image"}},
		{"two JSON values", `{"edition": "ru", "title": "a"} {"edition": "ru", "title": "b"}`, "", 400, []string{"more than one"}},
		{"an array", `[{"edition": "ru", "title": "a"}]`, "", 400, []string{"body must be a JSON object"}},
		{"a string", `"hello"`, "", 400, []string{"body must be a JSON object"}},
		// Values that break a rule: 422.
		{"missing title", `{"edition": "ru"}`, "", 422, []string{"title"}},
		{"blank title", `{"edition": "ru", "title": "   "}`, "", 422, []string{"title"}},
		{"title too long", `{"edition": "ru", "title": "` + strings.Repeat("я", news.MaxTitle+1) + `"}`, "", 422, []string{"title", "300"}},
		{"missing edition", `{"title": "x"}`, "", 422, []string{"edition"}},
		{"null body", `null`, "", 422, []string{"edition"}},
		{"unknown edition", `{"edition": "de", "title": "x"}`, "", 422, []string{"edition", "de"}},
		{"unknown category", `{"edition": "ru", "title": "x", "categories": ["sport"]}`, "", 422, []string{"category", "sport"}},
		{"category of another edition", `{"edition": "ru", "title": "x", "categories": ["culture"]}`, "", 422, []string{"category", "culture"}},
		{"published_at yesterday", `{"edition": "ru", "title": "x", "published_at": "yesterday"}`, "", 422, []string{"published_at", "RFC 3339"}},
		{"published_at month 13", `{"edition": "ru", "title": "x", "published_at": "2026-13-01T00:00:00Z"}`, "", 422, []string{"published_at", "RFC 3339"}},
		{"published_at without zone", `{"edition": "ru", "title": "x", "published_at": "2026-02-01T10:00:00"}`, "", 422, []string{"published_at"}},
		{"bad status", `{"edition": "ru", "title": "x", "status": "live"}`, "", 422, []string{"status", "live"}},
		{"bad comment_policy", `{"edition": "ru", "title": "x", "comment_policy": "maybe"}`, "", 422, []string{"comment_policy", "maybe"}},
		{"tag with a slash", `{"edition": "ru", "title": "x", "tags": ["a/b"]}`, "", 422, []string{"tag"}},
		{"unknown image", `{"edition": "ru", "title": "x", "image": {"id": 7}}`, "", 422, []string{"image"}},
		{"translation_of a missing article", `{"edition": "en", "title": "x", "translation_of": 424242}`, "", 422, []string{"translation_of", "424242"}},
		{"translation_of in the same edition", fmt.Sprintf(`{"edition": "ru", "title": "x", "translation_of": %d}`, ru.ID), "", 422, []string{"translation_of", "same edition"}},
		{"translation_of negative", `{"edition": "en", "title": "x", "translation_of": -1}`, "", 422, []string{"translation_of"}},
		// Clashes with what is stored: 409.
		{"second be version of a story", fmt.Sprintf(`{"edition": "be", "title": "x", "translation_of": %d}`, ru.ID), "", 409, []string{"be", strconv.FormatInt(be.ID, 10)}},
		{"second be version via another member", fmt.Sprintf(`{"edition": "be", "title": "x", "translation_of": %d}`, be.ID), "", 422, []string{"same edition"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var extra []string
			switch tt.ctype {
			case "":
			case "-":
				extra = []string{"Content-Type", ""}
			default:
				extra = []string{"Content-Type", tt.ctype}
			}
			wantError(t, e.call(t, "POST", "/api/v1/articles", editor, tt.body, extra...), tt.status, tt.words...)
		})
	}
	if n := e.count(t); n != before {
		t.Errorf("refused requests left %d articles, want %d", n, before)
	}
	// No Content-Type at all is taken as JSON.
	wantStatus(t, e.call(t, "POST", "/api/v1/articles", editor, `{"edition": "en", "title": "no type"}`, "Content-Type", ""), http.StatusCreated)
}

func TestBodyLimits(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	host := e.srv.Listener.Addr().String()
	head := func(framing string) string {
		return "POST /api/v1/articles HTTP/1.1\nHost: " + host + "\nAuthorization: Bearer " + e.tokens[editor] +
			"\nContent-Type: application/json\n" + framing
	}
	prefix := `{"edition": "ru", "title": "Большая", "body": "`

	t.Run("declared Content-Length over 1 MiB", func(t *testing.T) {
		n := 2 << 20
		r := e.rawCall(t, head("Content-Length: "+strconv.Itoa(n)), func(w io.Writer) {
			io.WriteString(w, prefix)
			w.Write(bytes.Repeat([]byte("a"), n-len(prefix)-2))
			io.WriteString(w, `"}`)
		})
		wantError(t, r, http.StatusRequestEntityTooLarge, "larger than 1 MB")
	})
	t.Run("declared Content-Length one byte over", func(t *testing.T) {
		r := e.rawCall(t, head("Content-Length: "+strconv.Itoa(maxRequest+1)), nil)
		wantError(t, r, http.StatusRequestEntityTooLarge, "larger than")
	})
	t.Run("chunked body over 1 MiB", func(t *testing.T) {
		r := e.rawCall(t, head("Transfer-Encoding: chunked"), func(w io.Writer) {
			chunk := func(b []byte) { fmt.Fprintf(w, "%x\r\n%s\r\n", len(b), b) }
			chunk([]byte(prefix))
			a := bytes.Repeat([]byte("a"), 64<<10)
			for range 17 { // 17 × 64 KiB > 1 MiB
				chunk(a)
			}
			chunk([]byte(`"}`))
			io.WriteString(w, "0\r\n\r\n")
		})
		wantError(t, r, http.StatusRequestEntityTooLarge, "larger than 1 MB")
	})
	t.Run("chunked through the client", func(t *testing.T) {
		payload := prefix + strings.Repeat("б", maxRequest/2+10) + `"}`
		req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/articles", io.MultiReader(strings.NewReader(payload)))
		req.ContentLength = -1
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+e.tokens[editor])
		res, err := e.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		r := &response{what: "POST chunked", status: res.StatusCode, header: res.Header, body: b}
		checkHeaders(t, r)
		wantError(t, r, http.StatusRequestEntityTooLarge, "larger than")
	})
	t.Run("body field over MaxBody in a small request", func(t *testing.T) {
		body := map[string]any{"edition": "ru", "title": "Длинная", "body": strings.Repeat("a", news.MaxBody+1)}
		wantError(t, e.call(t, "POST", "/api/v1/articles", editor, body), http.StatusRequestEntityTooLarge, "body", strconv.Itoa(news.MaxBody))
	})
	if n := e.count(t); n != 0 {
		t.Fatalf("oversized requests left %d articles", n)
	}
	t.Run("body of exactly MaxBody is fine", func(t *testing.T) {
		a := e.create(t, editor, map[string]any{"edition": "ru", "title": "Ровно", "body": strings.Repeat("a", news.MaxBody)})
		if len(a.Body) != news.MaxBody {
			t.Errorf("body of %d bytes came back as %d", news.MaxBody, len(a.Body))
		}
		big := map[string]any{"body": strings.Repeat("a", news.MaxBody+1)}
		wantError(t, e.call(t, "PATCH", path(a.ID), editor, big), http.StatusRequestEntityTooLarge, "body")
		if got := e.get(t, a.ID, editor); len(got.Body) != news.MaxBody {
			t.Errorf("a refused PATCH changed the body to %d bytes", len(got.Body))
		}
	})
}

// ---------------------------------------------------------------- roles

func TestCreatePermissions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tests := []struct {
		role   string
		fields map[string]any
		status int
	}{
		{admin, map[string]any{"status": "published"}, 201},
		{editor, map[string]any{"status": "published", "top": true, "breaking": true}, 201},
		{editor, map[string]any{"status": "unpublished", "published_at": "2026-01-01T00:00:00Z"}, 201},
		{author, map[string]any{}, 201},
		{author, map[string]any{"status": "review"}, 201},
		{author, map[string]any{"status": "published"}, 403},
		{author, map[string]any{"status": "published", "published_at": "2026-03-01T00:00:00Z"}, 403},
		{author, map[string]any{"status": "unpublished"}, 403},
		{author, map[string]any{"top": true}, 403},
		{author, map[string]any{"breaking": true}, 403},
		{moderator, map[string]any{}, 403},
		{moderator, map[string]any{"status": "published"}, 403},
	}
	created := 0
	for i, tt := range tests {
		t.Run(fmt.Sprintf("%d_%s_%v", i, tt.role, tt.fields), func(t *testing.T) {
			body := map[string]any{"edition": "ru", "title": "Статья"}
			maps.Copy(body, tt.fields)
			r := e.call(t, "POST", "/api/v1/articles", tt.role, body)
			if tt.status == 201 {
				wantStatus(t, r, 201)
				created++
				if a := r.article(t); e.mustStored(t, a.ID).AuthorID != e.users[tt.role].ID {
					t.Errorf("author of the new article is not the caller")
				}
				return
			}
			words := []string{"editor"}
			if tt.role == moderator {
				words = []string{"role"}
			}
			wantError(t, r, tt.status, words...)
		})
	}
	if n := e.count(t); n != created {
		t.Errorf("%d articles stored, want %d", n, created)
	}
}

func (e *env) mustStored(t *testing.T, id int64) *news.Article {
	t.Helper()
	a, err := e.db.Article(ctx, id)
	if err != nil {
		t.Fatalf("Article(%d): %v", id, err)
	}
	return a
}

// ---------------------------------------------------------------- routing

func TestMethodsAndUnknownPaths(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := storetest.MustArticle(t, e.db, "ru", "Статья", T0.Add(-time.Hour))
	tests := []struct {
		method, path string
		status       int
		allow        string
	}{
		{"PUT", "/api/v1/articles/1", 405, "GET, PATCH, DELETE"},
		{"POST", "/api/v1/articles/1", 405, "GET, PATCH, DELETE"},
		{"PUT", path(a.ID), 405, "GET, PATCH, DELETE"},
		{"PUT", "/api/v1/articles", 405, "GET, POST"},
		{"DELETE", "/api/v1/articles", 405, "GET, POST"},
		{"PATCH", "/api/v1/articles", 405, "GET, POST"},
		{"DELETE", "/api/v1/categories", 405, "GET, POST"},
		{"PUT", "/api/v1/categories", 405, "GET, POST"},
		{"GET", "/api/v1/whatever", 404, ""},
		{"POST", "/api/v1/whatever", 404, ""},
		{"GET", "/api/v2/articles", 404, ""},
		{"GET", "/api/", 404, ""},
		{"GET", "/api/v1/articles/1/comments/extra", 404, ""},
		{"GET", "/api/v1/categories/ru", 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			r := e.call(t, tt.method, tt.path, editor, nil)
			if tt.status == 405 {
				wantError(t, r, 405, tt.method, "not allowed")
				if got := r.header.Get("Allow"); got != tt.allow {
					t.Errorf("Allow = %q, want %q", got, tt.allow)
				}
			} else {
				wantError(t, r, tt.status, "/api/v1/articles")
			}
		})
	}
	if got := e.mustStored(t, a.ID); got.Title != "Статья" {
		t.Errorf("a refused method changed the article: %+v", got)
	}
}

// ---------------------------------------------------------------- GET

func TestGetArticleVisibility(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	mk := func(title string, status news.Status, pub time.Time) int64 {
		a := &news.Article{Edition: "ru", Title: title, Status: status, PublishedAt: pub, AuthorID: e.users[editor].ID}
		if err := e.db.CreateArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		return a.ID
	}
	published := mk("Опубликована", news.StatusPublished, T0.Add(-time.Hour))
	atNow := mk("Ровно сейчас", news.StatusPublished, T0)
	draft := mk("Черновик", news.StatusDraft, time.Time{})
	review := mk("На проверке", news.StatusReview, time.Time{})
	scheduled := mk("Запланирована", news.StatusPublished, T0.Add(2*time.Hour))
	unpublished := mk("Снята", news.StatusUnpublished, T0.Add(-2*time.Hour))

	tests := []struct {
		name string
		id   int64
		// status for anonymous, editor, admin, author (not the owner), moderator
		anon, ed, adm, auth, mod int
	}{
		{"published", published, 200, 200, 200, 200, 200},
		{"published at this very second", atNow, 200, 200, 200, 200, 200},
		{"draft", draft, 404, 200, 200, 404, 404},
		{"review", review, 404, 200, 200, 404, 404},
		{"scheduled", scheduled, 404, 200, 200, 404, 404},
		{"unpublished", unpublished, 404, 200, 200, 404, 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for role, want := range map[string]int{anonymous: tt.anon, editor: tt.ed, admin: tt.adm, author: tt.auth, moderator: tt.mod} {
				r := e.call(t, "GET", path(tt.id), role, nil)
				if want == 200 {
					wantStatus(t, r, 200)
					if a := r.article(t); a.ID != tt.id {
						t.Errorf("as %q: got article %d, want %d", role, a.ID, tt.id)
					}
				} else {
					wantError(t, r, want, "not found")
				}
			}
		})
	}
	for _, id := range []string{"abc", "0", "-1", "1.5", "99999999999999999999", "999999", "%20"} {
		wantError(t, e.call(t, "GET", "/api/v1/articles/"+id, anonymous, nil), 404, "not found")
		wantError(t, e.call(t, "GET", "/api/v1/articles/"+id, editor, nil), 404, "not found")
	}
	// A missing article and a hidden one answer alike: nothing tells a
	// reader, or another author, that a draft exists.
	for _, role := range []string{anonymous, author} {
		miss := e.call(t, "GET", path(999999), role, nil)
		hid := e.call(t, "GET", path(draft), role, nil)
		if strings.Replace(string(hid.body), strconv.FormatInt(draft, 10), "999999", 1) != string(miss.body) || hid.status != miss.status {
			t.Errorf("as %q a hidden article answers %d %s, a missing one %d %s", role, hid.status, hid.body, miss.status, miss.body)
		}
	}
	// An author reads their own articles in every status.
	for _, st := range []news.Status{news.StatusDraft, news.StatusReview, news.StatusUnpublished} {
		a := &news.Article{Edition: "ru", Title: "Своя", Status: st, PublishedAt: T0.Add(-time.Hour), AuthorID: e.users[author].ID}
		if err := e.db.CreateArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		if r := e.call(t, "GET", path(a.ID), author, nil); r.status != 200 || r.article(t).ID != a.ID {
			t.Errorf("an author's own %s article: %d", st, r.status)
		}
		wantError(t, e.call(t, "GET", path(a.ID), moderator, nil), 404, "not found")
	}
}

func TestScheduledArticleAppearsWhenTheClockPassesItsTime(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.categories(t)
	storetest.MustArticle(t, e.db, "en", "Earlier", T0.Add(-time.Hour), "world")
	s := e.create(t, editor, map[string]any{"edition": "en", "title": "Embargoed", "status": "published",
		"published_at": T0.Add(2 * time.Hour).Format(time.RFC3339), "categories": []string{"world"}})

	list := func() listPage {
		t.Helper()
		return e.list(t, "?edition=en&category=world")
	}
	wantError(t, e.call(t, "GET", path(s.ID), anonymous, nil), 404, "not found")
	if l := list(); l.Total != 1 || l.Items[0].Title != "Earlier" {
		t.Errorf("before its time the list has %d items", l.Total)
	}
	e.clock.Set(T0.Add(2*time.Hour - time.Second))
	wantError(t, e.call(t, "GET", path(s.ID), anonymous, nil), 404, "not found")
	e.clock.Set(T0.Add(2 * time.Hour))
	if got := e.get(t, s.ID, anonymous); got.Title != "Embargoed" {
		t.Errorf("got %+v", got)
	}
	if l := list(); l.Total != 2 || l.Items[0].ID != s.ID {
		t.Errorf("at its time the list has %d items, first %+v", l.Total, l.Items)
	}
}

// ---------------------------------------------------------------- PATCH

func TestPatchChangesOnlyNamedFields(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.categories(t)
	ru := storetest.MustArticle(t, e.db, "ru", "Оригинал", T0.Add(-3*time.Hour))
	orig := e.create(t, editor, map[string]any{
		"edition": "en", "title": "Original", "lead": "Lead", "body": "Body", "categories": []string{"world", "culture"},
		"tags": []string{"Minsk"}, "byline": "Staff", "source": "Agency", "status": "draft",
		"published_at": "2026-03-01T09:00:00Z", "correction": "", "comment_policy": "closed", "translation_of": ru.ID,
	})

	steps := []struct {
		name   string
		patch  string
		change func(a *article)
	}{
		{"title", `{"title": "New title"}`, func(a *article) { a.Title = "New title" }},
		{"lead and body", `{"lead": "New lead", "body": "New body"}`, func(a *article) { a.Lead, a.Body = "New lead", "New body" }},
		{"categories reorder", `{"categories": ["culture", "world"]}`, func(a *article) { a.Categories = []string{"culture", "world"} }},
		{"tags", `{"tags": ["Vilnius", "Kyiv"]}`, func(a *article) { a.Tags = []string{"Vilnius", "Kyiv"} }},
		{"empty tags", `{"tags": []}`, func(a *article) { a.Tags = []string{} }},
		{"byline source", `{"byline": "Desk", "source": ""}`, func(a *article) { a.Byline, a.Source = "Desk", "" }},
		{"comment_policy", `{"comment_policy": "open"}`, func(a *article) { a.CommentPolicy = "open" }},
		{"curation", `{"top": true, "breaking": true}`, func(a *article) { a.Top, a.Breaking = true, true }},
		{"interview", `{"interview": true}`, func(a *article) { a.Interview = true }},
		{"body keeps the interview mark", `{"body": "- Q?\n- A."}`, func(a *article) { a.Body = "- Q?\n- A." }},
		{"no longer an interview", `{"interview": false}`, func(a *article) { a.Interview = false }},
		{"interview null", `{"interview": null}`, func(a *article) {}},
		{"status review", `{"status": "review"}`, func(a *article) { a.Status = "review" }},
		{"same edition", `{"edition": "en"}`, func(a *article) {}},
		{"nothing", `{}`, func(a *article) {}},
		{"published_at", `{"published_at": "2026-03-02T10:00:00+01:00"}`, func(a *article) { s := "2026-03-02T09:00:00Z"; a.PublishedAt = &s }},
		{"null translation_of", `{"translation_of": null}`, func(a *article) { a.TranslationOf = nil }},
		{"null published_at", `{"published_at": null}`, func(a *article) { a.PublishedAt = nil }},
	}
	cur := orig
	for _, st := range steps {
		r := e.call(t, "PATCH", path(cur.ID), editor, st.patch)
		wantStatus(t, r, 200)
		got := r.article(t)
		want := cur
		want.Categories, want.Tags = slices.Clone(cur.Categories), slices.Clone(cur.Tags)
		st.change(&want)
		// The url follows the date; compare it separately.
		want.URL, got.URL = "", ""
		if fmt.Sprintf("%+v", derefArticle(got)) != fmt.Sprintf("%+v", derefArticle(want)) {
			t.Errorf("PATCH %s (%s):\n got  %+v\n want %+v", st.name, st.patch, derefArticle(got), derefArticle(want))
		}
		cur = e.get(t, cur.ID, editor) // and it is what is stored
		if fmt.Sprintf("%+v", derefArticle(cur)) != fmt.Sprintf("%+v", derefArticle(r.article(t))) {
			t.Errorf("PATCH %s: GET after differs from the PATCH answer", st.name)
		}
	}
	if cur.TranslationOf != nil || cur.PublishedAt != nil || cur.UpdatedAt != nil {
		t.Errorf("after clearing: translation_of %v, published_at %s, updated_at %s", cur.TranslationOf, str(cur.PublishedAt), str(cur.UpdatedAt))
	}
	// The ru original no longer has a translation.
	if tr, err := e.db.Translations(ctx, ru); err != nil || len(tr) != 0 {
		t.Errorf("translations of the ru original after clearing translation_of: %v, %v", tr, err)
	}
	// What GET returns can be sent back as is.
	g := e.call(t, "GET", path(cur.ID), editor, nil)
	back := e.call(t, "PATCH", path(cur.ID), editor, g.body)
	wantStatus(t, back, 200)
	if !bytes.Equal(back.body, g.body) {
		t.Errorf("sending back what GET returned changed the article:\n before %s\n after  %s", g.body, back.body)
	}
	// Publishing a draft without a time publishes it now.
	e.clock.Set(T0.Add(10 * time.Minute))
	p := e.call(t, "PATCH", path(cur.ID), editor, `{"status": "published"}`)
	wantStatus(t, p, 200)
	if pa := p.article(t); str(pa.PublishedAt) != "2026-02-02T12:57:00Z" || pa.UpdatedAt != nil {
		t.Errorf("published by PATCH: published_at %s, updated_at %s; want now and null", str(pa.PublishedAt), str(pa.UpdatedAt))
	}
	e.get(t, cur.ID, anonymous)
}

// derefArticle makes pointers printable for comparisons.
func derefArticle(a article) string {
	tr := "<null>"
	if a.TranslationOf != nil {
		tr = strconv.FormatInt(*a.TranslationOf, 10)
	}
	return fmt.Sprintf("id=%d edition=%s title=%q lead=%q body=%q interview=%v cats=%q tags=%q byline=%q source=%q status=%s pub=%s upd=%s corr=%q policy=%s tr=%s top=%v breaking=%v image=%v url=%q comments=%d",
		a.ID, a.Edition, a.Title, a.Lead, a.Body, a.Interview, a.Categories, a.Tags, a.Byline, a.Source, a.Status, str(a.PublishedAt),
		str(a.UpdatedAt), a.Correction, a.CommentPolicy, tr, a.Top, a.Breaking, a.Image, a.URL, a.CommentCount)
}

func TestPatchErrorsChangeNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.categories(t)
	a := e.create(t, editor, map[string]any{"edition": "ru", "title": "Исходный", "categories": []string{"politics"}, "status": "draft"})
	tests := []struct {
		name   string
		patch  string
		status int
		words  []string
	}{
		{"change edition", `{"edition": "en"}`, 422, []string{"edition"}},
		{"title and change edition", `{"title": "Новый", "edition": "be"}`, 422, []string{"edition"}},
		{"blank title", `{"title": " "}`, 422, []string{"title"}},
		{"unknown category", `{"categories": ["sport"]}`, 422, []string{"sport"}},
		{"bad status", `{"status": "live"}`, 422, []string{"status"}},
		{"bad policy", `{"comment_policy": "maybe"}`, 422, []string{"comment_policy"}},
		{"translation of itself", fmt.Sprintf(`{"translation_of": %d}`, a.ID), 422, []string{"itself"}},
		{"translation of a missing article", `{"translation_of": 424242}`, 422, []string{"424242"}},
		// apply fails half-way: the title is set before published_at is parsed.
		{"title and bad published_at", `{"title": "Новый", "published_at": "yesterday"}`, 422, []string{"published_at"}},
		{"title and published_at of the wrong type", `{"title": "Новый", "published_at": 5}`, 400, []string{"published_at"}},
		{"title and translation_of of the wrong type", `{"title": "Новый", "translation_of": "x"}`, 400, []string{"translation_of"}},
		{"title and bad image", `{"title": "Новый", "image": {"nope": 1}}`, 400, []string{"image"}},
		{"unknown field", `{"title": "Новый", "colour": "red"}`, 400, []string{"colour"}},
		{"wrong type", `{"title": 5}`, 400, []string{"title"}},
		{"title and interview of the wrong type", `{"title": "Новый", "interview": "yes"}`, 400, []string{"interview", "true or false"}},
		{"malformed", `{"title": `, 400, []string{"JSON"}},
		{"empty", ``, 400, []string{"empty"}},
		{"two values", `{"title": "a"}{"title": "b"}`, 400, []string{"more than one"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantError(t, e.call(t, "PATCH", path(a.ID), editor, tt.patch), tt.status, tt.words...)
			if got := e.get(t, a.ID, editor); derefArticle(got) != derefArticle(a) {
				t.Errorf("a refused PATCH changed the article:\n now    %s\n before %s", derefArticle(got), derefArticle(a))
			}
		})
	}
	wantError(t, e.call(t, "PATCH", path(a.ID), editor, `{"title": "x"}`, "Content-Type", "text/plain"), 400, "application/json")
	wantError(t, e.call(t, "PATCH", path(999999), editor, `{"title": "x"}`), 404, "not found")
	wantError(t, e.call(t, "PATCH", "/api/v1/articles/abc", editor, `{"title": "x"}`), 404, "not found")
}

func TestPatchPublishedStampsUpdatedAtAndKeepsCorrection(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.create(t, editor, map[string]any{"edition": "ru", "title": "Новость", "body": "Текст", "status": "published",
		"published_at": T0.Add(-time.Hour).Format(time.RFC3339), "correction": "Исправлено имя."})
	if a.UpdatedAt != nil {
		t.Fatalf("a new article has updated_at %s", *a.UpdatedAt)
	}
	e.clock.Set(T0.Add(time.Hour))
	b := e.call(t, "PATCH", path(a.ID), editor, `{"body": "Исправленный текст"}`)
	wantStatus(t, b, 200)
	got := b.article(t)
	if str(got.UpdatedAt) != "2026-02-02T13:47:00Z" || got.Correction != "Исправлено имя." || str(got.PublishedAt) != str(a.PublishedAt) || got.Body != "Исправленный текст" {
		t.Errorf("after an edit: updated_at %s, correction %q, published_at %s", str(got.UpdatedAt), got.Correction, str(got.PublishedAt))
	}
	if pub := e.get(t, a.ID, anonymous); str(pub.UpdatedAt) != "2026-02-02T13:47:00Z" || pub.Correction != "Исправлено имя." {
		t.Errorf("readers see updated_at %s and correction %q", str(pub.UpdatedAt), pub.Correction)
	}
	// Curation is not an edit readers notice: updated_at stays.
	e.clock.Set(T0.Add(2 * time.Hour))
	if c := e.call(t, "PATCH", path(a.ID), editor, `{"top": true, "tags": ["Минск"]}`).article(t); str(c.UpdatedAt) != "2026-02-02T13:47:00Z" {
		t.Errorf("curation moved updated_at to %s", str(c.UpdatedAt))
	}
	// A new correction is an edit.
	if c := e.call(t, "PATCH", path(a.ID), editor, `{"correction": "Исправлена дата."}`).article(t); str(c.UpdatedAt) != "2026-02-02T14:47:00Z" || c.Correction != "Исправлена дата." {
		t.Errorf("correction edit: updated_at %s, correction %q", str(c.UpdatedAt), c.Correction)
	}
	// So is marking it as an interview: its text now reads differently.
	e.clock.Set(T0.Add(3 * time.Hour))
	if c := e.call(t, "PATCH", path(a.ID), editor, `{"interview": true}`).article(t); str(c.UpdatedAt) != "2026-02-02T15:47:00Z" || !c.Interview {
		t.Errorf("marking as an interview: updated_at %s, interview %v", str(c.UpdatedAt), c.Interview)
	}
	// Editing a scheduled story (readers have not seen it) does not stamp it.
	s := e.create(t, editor, map[string]any{"edition": "ru", "title": "Позже", "status": "published", "published_at": T0.Add(5 * time.Hour).Format(time.RFC3339)})
	if c := e.call(t, "PATCH", path(s.ID), editor, `{"title": "Позже, поправлено"}`).article(t); c.UpdatedAt != nil {
		t.Errorf("editing a scheduled story set updated_at %s", str(c.UpdatedAt))
	}
}

func TestPatchPermissions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	own := e.create(t, author, map[string]any{"edition": "ru", "title": "Мой черновик"})
	others := e.create(t, editor, map[string]any{"edition": "ru", "title": "Чужой черновик"})

	wantStatus(t, e.call(t, "PATCH", path(own.ID), author, `{"title": "Мой черновик, правка"}`), 200)
	wantStatus(t, e.call(t, "PATCH", path(own.ID), author, `{"status": "review"}`), 200)
	wantError(t, e.call(t, "PATCH", path(own.ID), author, `{"status": "published"}`), 403, "editor")
	wantError(t, e.call(t, "PATCH", path(own.ID), author, `{"title": "Тайком", "status": "published", "published_at": "2026-01-01T00:00:00Z"}`), 403)
	wantError(t, e.call(t, "PATCH", path(own.ID), author, `{"top": true}`), 403)
	if got := e.get(t, own.ID, author); got.Status != "review" || got.Title != "Мой черновик, правка" || got.Top {
		t.Errorf("after refused patches the author's draft is %+v", got)
	}
	// Someone else's draft is not there for an author, like a missing one.
	wantError(t, e.call(t, "PATCH", path(others.ID), author, `{"title": "Не моё"}`), 404, "not found")
	wantError(t, e.call(t, "PATCH", path(own.ID), moderator, `{"title": "Модератор"}`), 403, "role")
	// Once an editor publishes it, the author may no longer change it.
	wantStatus(t, e.call(t, "PATCH", path(own.ID), editor, `{"status": "published"}`), 200)
	wantError(t, e.call(t, "PATCH", path(own.ID), author, `{"title": "После публикации"}`), 403, "editor")
	// An admin may edit anything.
	wantStatus(t, e.call(t, "PATCH", path(others.ID), admin, `{"title": "Админ"}`), 200)
	// A missing article is 404 for anyone who may write.
	wantError(t, e.call(t, "PATCH", path(999999), author, `{"title": "x"}`), 404, "not found")
	if got := e.get(t, others.ID, editor); got.Title != "Админ" {
		t.Errorf("title %q", got.Title)
	}
}

// ---------------------------------------------------------------- DELETE

func TestDelete(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.create(t, editor, map[string]any{"edition": "ru", "title": "Удалить", "status": "published"})
	e.get(t, a.ID, anonymous)

	wantError(t, e.call(t, "DELETE", path(a.ID), anonymous, nil), 401)
	wantError(t, e.call(t, "DELETE", path(a.ID), moderator, nil), 403, "editor")
	wantStatus(t, e.call(t, "DELETE", path(a.ID), editor, nil), 204)
	wantError(t, e.call(t, "GET", path(a.ID), anonymous, nil), 404, "not found")
	wantError(t, e.call(t, "GET", path(a.ID), editor, nil), 404, "not found")
	wantError(t, e.call(t, "DELETE", path(a.ID), editor, nil), 404, "not found")
	wantError(t, e.call(t, "PATCH", path(a.ID), editor, `{"title": "x"}`), 404, "not found")
	wantError(t, e.call(t, "DELETE", "/api/v1/articles/abc", editor, nil), 404, "not found")

	// Authors delete their own drafts, nothing else.
	own := e.create(t, author, map[string]any{"edition": "ru", "title": "Мой"})
	others := e.create(t, editor, map[string]any{"edition": "ru", "title": "Чужой"})
	wantError(t, e.call(t, "DELETE", path(others.ID), author, nil), 404, "not found")
	pub := e.create(t, author, map[string]any{"edition": "ru", "title": "Будет опубликован"})
	wantStatus(t, e.call(t, "PATCH", path(pub.ID), editor, `{"status": "published"}`), 200)
	wantError(t, e.call(t, "DELETE", path(pub.ID), author, nil), 403, "editor")
	e.get(t, pub.ID, anonymous)
	wantError(t, e.call(t, "DELETE", path(999999), author, nil), 404, "not found")
	wantStatus(t, e.call(t, "DELETE", path(own.ID), author, nil), 204)
	wantStatus(t, e.call(t, "DELETE", path(others.ID), admin, nil), 204)
	if n := e.count(t); n != 1 {
		t.Errorf("%d articles left, want 1", n)
	}
}

// ---------------------------------------------------------------- categories

func TestCreateCategory(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.call(t, "POST", "/api/v1/categories", editor, `{"edition": "ru", "slug": "politics", "name": "Политика"}`)
	wantStatus(t, r, 201)
	var c struct {
		ID       int64  `json:"id"`
		Edition  string `json:"edition"`
		Slug     string `json:"slug"`
		Name     string `json:"name"`
		Position int    `json:"position"`
	}
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil || c.ID <= 0 || c.Edition != "ru" || c.Slug != "politics" || c.Name != "Политика" || c.Position != 1 {
		t.Errorf("created category %s (%v)", r.body, err)
	}
	r = e.call(t, "POST", "/api/v1/categories", admin, `{"edition": "ru", "slug": "economy", "name": " Экономика "}`)
	wantStatus(t, r, 201)
	if !strings.Contains(string(r.body), `"position":2`) || !strings.Contains(string(r.body), `"name":"Экономика"`) {
		t.Errorf("second category %s", r.body)
	}
	// The same slug in another edition is another category.
	wantStatus(t, e.call(t, "POST", "/api/v1/categories", editor, `{"edition": "be", "slug": "politics", "name": "Палітыка"}`), 201)

	tests := []struct {
		name   string
		role   string
		body   string
		status int
		words  []string
	}{
		{"duplicate", editor, `{"edition": "ru", "slug": "politics", "name": "Ещё"}`, 409, []string{"politics"}},
		{"reserved news", editor, `{"edition": "ru", "slug": "news", "name": "X"}`, 422, []string{"news", "clashes"}},
		{"reserved support", editor, `{"edition": "ru", "slug": "support", "name": "X"}`, 422, []string{"support"}},
		{"reserved access", editor, `{"edition": "ru", "slug": "access", "name": "X"}`, 422, []string{"access"}},
		{"reserved rss.xml", editor, `{"edition": "ru", "slug": "rss.xml", "name": "X"}`, 422, []string{"rss.xml"}},
		{"reserved search", editor, `{"edition": "ru", "slug": "search", "name": "X"}`, 422, []string{"search"}},
		{"reserved tag", editor, `{"edition": "ru", "slug": "tag", "name": "X"}`, 422, []string{"tag"}},
		{"uppercase slug", editor, `{"edition": "ru", "slug": "Politics", "name": "X"}`, 422, []string{"slug"}},
		{"slug with a space", editor, `{"edition": "ru", "slug": "a b", "name": "X"}`, 422, []string{"slug"}},
		{"slug with a leading hyphen", editor, `{"edition": "ru", "slug": "-x", "name": "X"}`, 422, []string{"slug"}},
		{"cyrillic slug", editor, `{"edition": "ru", "slug": "политика", "name": "X"}`, 422, []string{"slug"}},
		{"slug with an underscore", editor, `{"edition": "ru", "slug": "a_b", "name": "X"}`, 422, []string{"slug"}},
		{"empty slug", editor, `{"edition": "ru", "slug": "", "name": "X"}`, 422, []string{"slug"}},
		{"slug too long", editor, `{"edition": "ru", "slug": "` + strings.Repeat("a", 65) + `", "name": "X"}`, 422, []string{"slug"}},
		{"no name", editor, `{"edition": "ru", "slug": "sport"}`, 422, []string{"name"}},
		{"unknown edition", editor, `{"edition": "de", "slug": "sport", "name": "Sport"}`, 422, []string{"edition", "de"}},
		{"no edition", editor, `{"slug": "sport", "name": "Sport"}`, 422, []string{"edition"}},
		{"author", author, `{"edition": "ru", "slug": "sport", "name": "Спорт"}`, 403, []string{"editors"}},
		{"moderator", moderator, `{"edition": "ru", "slug": "sport", "name": "Спорт"}`, 403, []string{"editors"}},
		{"no token", anonymous, `{"edition": "ru", "slug": "sport", "name": "Спорт"}`, 401, []string{"token"}},
		{"unknown field", editor, `{"edition": "ru", "slug": "sport", "name": "Спорт", "parent": 1}`, 400, []string{"parent"}},
		{"wrong type", editor, `{"edition": "ru", "slug": 5, "name": "Спорт"}`, 400, []string{"slug", "string"}},
		{"not an object", editor, `["ru", "sport"]`, 400, []string{"body must be a JSON object"}},
		{"malformed", editor, `{"edition": "ru",`, 400, []string{"JSON"}},
		{"empty", editor, ``, 400, []string{"empty"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantError(t, e.call(t, "POST", "/api/v1/categories", tt.role, tt.body), tt.status, tt.words...)
		})
	}
	cats, err := e.db.Categories(ctx, "ru")
	if err != nil || len(cats) != 2 {
		t.Errorf("ru has %d categories after the refused requests (%v), want 2", len(cats), err)
	}
	// The list of an edition's categories.
	l := e.call(t, "GET", "/api/v1/categories?edition=ru", anonymous, nil)
	wantStatus(t, l, 200)
	if !strings.Contains(string(l.body), `"slug":"politics"`) || !strings.Contains(string(l.body), `"slug":"economy"`) {
		t.Errorf("category list %s", l.body)
	}
	wantError(t, e.call(t, "GET", "/api/v1/categories", anonymous, nil), 400, "edition")
}

// ---------------------------------------------------------------- list

// listPage is a page of the public list.
type listPage struct {
	Items   []article
	Page    int
	PerPage int
	Total   int
}

func (e *env) list(t *testing.T, query string) listPage {
	t.Helper()
	r := e.call(t, "GET", "/api/v1/articles"+query, anonymous, nil)
	wantStatus(t, r, 200)
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(r.body, &keys); err != nil {
		t.Fatal(err)
	}
	if got := slices.Sorted(maps.Keys(keys)); !slices.Equal(got, []string{"items", "page", "per_page", "total"}) {
		t.Errorf("list has fields %v, want items, page, per_page, total", got)
	}
	if string(keys["items"]) == "null" {
		t.Errorf("items is null, want an array")
	}
	var p struct {
		Items   []json.RawMessage `json:"items"`
		Page    int               `json:"page"`
		PerPage int               `json:"per_page"`
		Total   int               `json:"total"`
	}
	if err := json.Unmarshal(r.body, &p); err != nil {
		t.Fatal(err)
	}
	out := listPage{Page: p.Page, PerPage: p.PerPage, Total: p.Total}
	for _, raw := range p.Items {
		a := decodeArticle(t, r.what, raw)
		if a.Status != "published" || a.PublishedAt == nil || parseTime(t, a.PublishedAt).After(e.clock.Now()) {
			t.Errorf("%s lists an article readers must not see: %+v", r.what, a)
		}
		out.Items = append(out.Items, a)
	}
	for i := 1; i < len(out.Items); i++ {
		if parseTime(t, out.Items[i-1].PublishedAt).Before(parseTime(t, out.Items[i].PublishedAt)) {
			t.Errorf("%s: not newest first at %d", r.what, i)
		}
	}
	return out
}

func titles(items []article) []string {
	var s []string
	for _, a := range items {
		s = append(s, a.Title)
	}
	return s
}

func TestPublicList(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.categories(t)
	for i := range 25 {
		cat := "world"
		if i%5 == 0 {
			cat = "culture"
		}
		storetest.MustArticle(t, e.db, "en", fmt.Sprintf("Story %02d", i), T0.Add(-time.Duration(25-i)*time.Hour), cat)
	}
	hidden := []*news.Article{
		{Edition: "en", Title: "Draft story", Status: news.StatusDraft},
		{Edition: "en", Title: "Review story", Status: news.StatusReview},
		{Edition: "en", Title: "Withdrawn story", Status: news.StatusUnpublished, PublishedAt: T0.Add(-30 * time.Minute)},
		{Edition: "en", Title: "Scheduled story", Status: news.StatusPublished, PublishedAt: T0.Add(3 * time.Hour), Categories: []string{"culture"}},
	}
	for _, a := range hidden {
		if err := e.db.CreateArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	minsk := storetest.MustArticle(t, e.db, "ru", "Встреча в Минске", T0.Add(-10*time.Minute), "politics")
	storetest.MustArticle(t, e.db, "ru", "Другая новость", T0.Add(-20*time.Minute), "world")
	vostok := &news.Article{Edition: "be", Title: "Навіны", Body: "Падрабязнасці пра Ўсход і 100% праўды", Tags: []string{"Мінск"},
		Status: news.StatusPublished, PublishedAt: T0.Add(-5 * time.Minute)}
	if err := e.db.CreateArticle(ctx, vostok); err != nil {
		t.Fatal(err)
	}

	t.Run("first page", func(t *testing.T) {
		l := e.list(t, "?edition=en")
		if l.Total != 25 || l.Page != 1 || l.PerPage != 20 || len(l.Items) != 20 || l.Items[0].Title != "Story 24" || l.Items[19].Title != "Story 05" {
			t.Errorf("page 1: total %d, page %d, per_page %d, %d items %v", l.Total, l.Page, l.PerPage, len(l.Items), titles(l.Items))
		}
		if l.Items[0].Body == "" || !strings.HasSuffix(l.Items[0].URL, fmt.Sprintf("/en/news/2026/2/2/%d/", l.Items[0].ID)) {
			t.Errorf("list item %+v", l.Items[0])
		}
	})
	t.Run("second page", func(t *testing.T) {
		l := e.list(t, "?edition=en&page=2")
		if l.Total != 25 || l.Page != 2 || len(l.Items) != 5 || l.Items[0].Title != "Story 04" || l.Items[4].Title != "Story 00" {
			t.Errorf("page 2: total %d, page %d, items %v", l.Total, l.Page, titles(l.Items))
		}
	})
	t.Run("past the end", func(t *testing.T) {
		l := e.list(t, "?edition=en&page=3")
		if l.Total != 25 || len(l.Items) != 0 {
			t.Errorf("page 3: total %d, items %v", l.Total, titles(l.Items))
		}
	})
	t.Run("category", func(t *testing.T) {
		l := e.list(t, "?edition=en&category=culture")
		if l.Total != 5 || len(l.Items) != 5 || !slices.Equal(titles(l.Items), []string{"Story 20", "Story 15", "Story 10", "Story 05", "Story 00"}) {
			t.Errorf("culture: total %d, %v", l.Total, titles(l.Items))
		}
		for _, a := range l.Items {
			if !slices.Contains(a.Categories, "culture") {
				t.Errorf("%q is not in culture: %v", a.Title, a.Categories)
			}
		}
		// world exists in two editions; the filter stays in the one asked.
		if l := e.list(t, "?edition=ru&category=world"); l.Total != 1 || l.Items[0].Title != "Другая новость" {
			t.Errorf("ru/world: %v", titles(l.Items))
		}
	})
	t.Run("every edition", func(t *testing.T) {
		l := e.list(t, "")
		if l.Total != 28 || l.Items[0].Title != "Навіны" || l.Items[1].Title != "Встреча в Минске" {
			t.Errorf("all editions: total %d, first %v", l.Total, titles(l.Items)[:3])
		}
	})
	t.Run("a token shows no drafts in the public list", func(t *testing.T) {
		r := e.call(t, "GET", "/api/v1/articles?edition=en", editor, nil)
		wantStatus(t, r, 200)
		if strings.Contains(string(r.body), "Draft story") || !strings.Contains(string(r.body), `"total":25`) {
			t.Errorf("with a token the list is %s", r.body[:200])
		}
	})
	search := []struct {
		q     string
		want  []string
		total int
	}{
		{"МИНСК", []string{"Встреча в Минске"}, 1},
		{"минск", []string{"Встреча в Минске"}, 1},
		{"МиНсКе", []string{"Встреча в Минске"}, 1},
		{"встреча МИНСК", []string{"Встреча в Минске"}, 1},
		{"встреча Лондон", nil, 0},
		{"ўсход", []string{"Навіны"}, 1},
		{"ЎСХОД", []string{"Навіны"}, 1},
		{"100%", []string{"Навіны"}, 1},
		{"%", []string{"Навіны"}, 1},
		{"_", nil, 0},
		{"STORY 07", []string{"Story 07"}, 1},
		{"story", nil, 25},
	}
	for _, s := range search {
		t.Run("q="+s.q, func(t *testing.T) {
			l := e.list(t, "?q="+urlEscape(s.q))
			if l.Total != s.total || (s.want != nil && !slices.Equal(titles(l.Items), s.want)) {
				t.Errorf("q=%s: total %d, %v; want %d, %v", s.q, l.Total, titles(l.Items), s.total, s.want)
			}
		})
	}
	t.Run("q within an edition and category", func(t *testing.T) {
		if l := e.list(t, "?edition=ru&category=politics&q=%D0%BC%D0%B8%D0%BD%D1%81%D0%BA"); l.Total != 1 || l.Items[0].ID != minsk.ID {
			t.Errorf("ru/politics q=минск: %v", titles(l.Items))
		}
		if l := e.list(t, "?edition=en&q=%D0%BC%D0%B8%D0%BD%D1%81%D0%BA"); l.Total != 0 {
			t.Errorf("en q=минск: %v", titles(l.Items))
		}
	})
	t.Run("tag", func(t *testing.T) {
		if l := e.list(t, "?tag=%D0%BC%D1%96%D0%BD%D1%81%D0%BA"); l.Total != 1 || l.Items[0].ID != vostok.ID { // мінск
			t.Errorf("tag=мінск: %v", titles(l.Items))
		}
	})

	errs := []struct {
		query string
		words []string
	}{
		{"?edition=de", []string{"edition", "de"}},
		{"?edition=EN", []string{"edition"}},
		{"?edition=en&category=sport", []string{"category", "sport"}},
		{"?edition=en&category=politics", []string{"category", "politics"}},
		{"?category=culture", []string{"category", "edition"}},
		{"?page=0", []string{"page"}},
		{"?page=-1", []string{"page"}},
		{"?page=abc", []string{"page"}},
		{"?page=1.5", []string{"page"}},
		{"?page=", nil}, // empty: the first page (checked below)
		{"?page=99999999999999999999", []string{"page"}},
		{"?limit=5", []string{"unknown parameter", "limit"}},
		{"?edition=en&sort=old", []string{"unknown parameter", "sort"}},
		{"?q=" + strings.Repeat("a", 201), []string{"q"}},
	}
	for _, tt := range errs {
		t.Run("bad "+tt.query[:min(len(tt.query), 40)], func(t *testing.T) {
			if tt.words == nil {
				if l := e.list(t, tt.query); l.Page != 1 {
					t.Errorf("page %d", l.Page)
				}
				return
			}
			wantError(t, e.call(t, "GET", "/api/v1/articles"+tt.query, anonymous, nil), 400, tt.words...)
		})
	}
}

func urlEscape(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// ---------------------------------------------------------------- headers

func TestEveryResponseHasSecurityHeaders(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := storetest.MustArticle(t, e.db, "ru", "Статья", T0.Add(-time.Hour))
	// call and rawCall check the headers of every response in this file;
	// this walks one request per kind of answer, to say so explicitly.
	for _, r := range []*response{
		e.call(t, "GET", "/api/v1/articles", anonymous, nil),                                         // 200 list
		e.call(t, "GET", path(a.ID), anonymous, nil),                                                 // 200 article
		e.call(t, "POST", "/api/v1/articles", editor, `{"edition":"ru","title":"x"}`),                // 201
		e.call(t, "DELETE", path(a.ID), editor, nil),                                                 // 204
		e.call(t, "POST", "/api/v1/articles", anonymous, `{}`),                                       // 401
		e.call(t, "POST", "/api/v1/articles", editor, `{`),                                           // 400
		e.call(t, "POST", "/api/v1/articles", moderator, `{"edition":"ru","title":"x"}`),             // 403
		e.call(t, "GET", path(a.ID), anonymous, nil),                                                 // 404
		e.call(t, "PUT", path(a.ID), anonymous, nil),                                                 // 405
		e.call(t, "GET", "/api/v1/nothing", anonymous, nil),                                          // 404 route
		e.call(t, "POST", "/api/v1/categories", editor, `{"edition":"ru","slug":"news","name":"x"}`), // 422
		e.rawCall(t, "POST /api/v1/articles HTTP/1.1\nHost: x\nContent-Length: 2000000", nil),        // 413 by LimitBody
	} {
		if r.header.Get("Content-Security-Policy") == "" {
			t.Errorf("%s (%d): no security headers", r.what, r.status)
		}
	}
}
