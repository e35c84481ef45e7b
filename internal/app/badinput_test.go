package app_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
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
	"tamizdat/internal/moderation"
	"tamizdat/internal/news"
	readersite "tamizdat/internal/site"
	"tamizdat/internal/store"
	"tamizdat/internal/store/postgres"
	"tamizdat/internal/store/postgres/pgtest"
	"tamizdat/internal/store/storetest"
	"tamizdat/internal/views"
)

// stack is the whole HTTP surface (app.Handler: reader site with comments,
// desk, API) on a real store of one engine, with an admin, an API token,
// a category and a published article.
type stack struct {
	db      *store.DB
	dsn     string // for the CLI
	handler http.Handler
	srv     *httptest.Server
	token   string
	article string // the article's path
}

var adminHash = sync.OnceValues(func() (string, error) { return auth.HashPassword("correct horse battery staple") })

func newStack(t testing.TB, eng storetest.Engine) *stack {
	t.Helper()
	ctx := context.Background()
	db, dsn := eng.Open(t, time.Now)
	if _, err := db.Migrate(ctx); err != nil {
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
	reader := readersite.New(db, v, log)
	reader.SetComments(&moderation.Intake{Store: db, Keys: keys, TokenKey: keys.Derive("comment form token")})
	dk, err := desk.New(db, &editorial.Service{Store: db, Now: db.Now}, keys, log)
	if err != nil {
		t.Fatal(err)
	}
	s := &stack{db: db, dsn: dsn, handler: app.Handler(db, reader, dk, log, config.Default())}
	s.srv = httptest.NewServer(s.handler)
	t.Cleanup(s.srv.Close)
	hash, err := adminHash()
	if err != nil {
		t.Fatal(err)
	}
	admin := &news.User{Email: "admin@example.org", Name: "Admin", Role: news.RoleAdmin, Active: true, PasswordHash: hash}
	if err := db.CreateUser(ctx, admin); err != nil {
		t.Fatal(err)
	}
	tok, tokHash := auth.NewToken()
	if _, err := db.CreateToken(ctx, admin.ID, tokHash, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	s.token = tok
	if err := db.CreateCategory(ctx, &news.Category{Edition: "en", Slug: "world", Name: "World"}); err != nil {
		t.Fatal(err)
	}
	a := &news.Article{Edition: "en", Title: "A story", Body: "Text.", Categories: []string{"world"}, Tags: []string{"Minsk"},
		Status: news.StatusPublished, PublishedAt: time.Now().Add(-time.Hour)}
	if err := db.CreateArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	s.article = a.Path(time.UTC)
	return s
}

type answer struct {
	status int
	ctype  string
	body   string
}

// send makes one request; target is percent-encoded.
func (s *stack) send(t testing.TB, method, target, ctype, body string, auth bool) answer {
	t.Helper()
	req, err := http.NewRequest(method, s.srv.URL+target, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if auth {
		req.Header.Set("Authorization", "Bearer "+s.token)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return answer{res.StatusCode, res.Header.Get("Content-Type"), string(b)}
}

func (s *stack) counts(t testing.TB) map[string]int64 {
	t.Helper()
	c, err := s.db.Counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

const formType = "application/x-www-form-urlencoded"

// Bytes that no field may hold, on every surface and both engines: each
// case of the issue answers 400 (422 where the domain refuses it) in the
// surface's own form, and nothing is stored. PostgreSQL answered 500 to
// them; SQLite stored them.
func TestBytesNoFieldMayHold(t *testing.T) {
	for _, eng := range storetest.Engines {
		t.Run(eng.Name, func(t *testing.T) {
			s := newStack(t, eng)
			before := s.counts(t)
			type surface int
			const (
				apiJSON surface = iota
				deskPage
				sitePage
			)
			for _, c := range []struct {
				name, method, target, ctype, body string
				auth                              bool
				status                            int
				surface                           surface
				says                              string
			}{
				{"search with NUL", "GET", "/api/v1/articles?q=a%00b", "", "", false, 400, apiJSON, `query parameter \"q\" contains a control character (U+0000)`},
				{"tag with NUL", "GET", "/api/v1/articles?tag=a%00b", "", "", false, 400, apiJSON, `query parameter \"tag\" contains a control character (U+0000)`},
				{"tag page with NUL", "GET", "/en/tag/a%00b/", "", "", false, 400, sitePage, "no text may hold"},
				{"tag page in Belarusian", "GET", "/be/tag/a%00b/", "", "", false, 400, sitePage, "якога не можа быць у тэксце"},
				{"category page with a broken byte", "GET", "/en/a%ffb/", "", "", false, 400, sitePage, "no text may hold"},
				{"comment text with NUL", "POST", s.article, formType, "name=Reader&text=a%00b&token=x", false, 400, sitePage, "no text may hold"},
				{"comment name with NUL", "POST", s.article, formType, "name=Rea%00der&text=Hello&token=x", false, 400, sitePage, "no text may hold"},
				{"sign-in e-mail with NUL", "POST", "/desk/signin", formType, "email=admin%00%40example.org&password=x&next=%2Fdesk%2F", false, 400, deskPage, `form field &#34;email&#34; contains a control character (U&#43;0000)`},
				{"sign-in password with NUL", "POST", "/desk/signin", formType, "email=admin%40example.org&password=correct%00horse", false, 400, deskPage, `form field &#34;password&#34; contains a control character (U&#43;0000)`},
				{"API title with NUL", "POST", "/api/v1/articles", "application/json", `{"edition":"en","title":"a\u0000b"}`, true, 400, apiJSON, `field title contains a control character (U+0000)`},
				{"API title of a zero-width space", "POST", "/api/v1/articles", "application/json", `{"edition":"en","title":"\u200b"}`, true, 422, apiJSON, "title has no visible character"},
				{"API category name with byte 0xFF", "POST", "/api/v1/categories", "application/json", "{\"edition\":\"en\",\"slug\":\"sport\",\"name\":\"a\xffb\"}", true, 400, apiJSON, "field name is not valid UTF-8"},
			} {
				t.Run(c.name, func(t *testing.T) {
					got := s.send(t, c.method, c.target, c.ctype, c.body, c.auth)
					if got.status != c.status {
						t.Errorf("%s %q: %d, want %d: %.300s", c.method, c.target, got.status, c.status, got.body)
					}
					switch c.surface {
					case apiJSON:
						var e struct{ Error string }
						if !strings.HasPrefix(got.ctype, "application/json") || json.Unmarshal([]byte(got.body), &e) != nil || e.Error == "" {
							t.Errorf("not the API's JSON error: %s %q", got.ctype, got.body)
						}
					case deskPage:
						if !strings.HasPrefix(got.ctype, "text/html") || !strings.Contains(got.body, "/assets/desk.") || !strings.Contains(got.body, "Nothing was saved") {
							t.Errorf("not the desk's error page: %s %.500s", got.ctype, got.body)
						}
					case sitePage:
						if !strings.HasPrefix(got.ctype, "text/html") || !strings.Contains(got.body, "<html lang=") {
							t.Errorf("not the reader site's page: %s %.500s", got.ctype, got.body)
						}
					}
					if !strings.Contains(got.body, c.says) {
						t.Errorf("the answer does not say %q: %.800s", c.says, got.body)
					}
				})
			}
			if after := s.counts(t); !maps.Equal(before, after) {
				t.Errorf("rows before %v, after %v", before, after)
			}
			set, err := s.db.Settings(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			code, _, stderr := run(t, "", "settings", "set", "site_name", "a\x01b", "--db", s.dsn)
			if code != app.ExitBadInput || !strings.Contains(stderr, "site_name contains a control character (U+0001)") || strings.Count(stderr, "\n") != 1 {
				t.Errorf("settings set site_name with U+0001: exit %d, %q", code, stderr)
			}
			if now, err := s.db.Settings(context.Background()); err != nil || now.SiteName != set.SiteName {
				t.Errorf("site_name is %q after the refusal (%v)", now.SiteName, err)
			}
		})
	}
}

// A site of an older tamizdat on SQLite stored a category name with NUL.
// Its backup is made (it is a faithful copy), but restoring it into
// PostgreSQL, which cannot hold NUL, or into SQLite is refused as bad input
// naming the table, row and column, and writes nothing: before, the load
// failed midway on PostgreSQL with the driver's error.
func TestBackupHoldingNULIsRefusedOnRestore(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "old.db")
	if code, _, errs := run(t, "", "migrate", "--db", src); code != 0 {
		t.Fatalf("migrate: %s", errs)
	}
	raw, err := sql.Open("sqlite", "file:"+src)
	if err != nil {
		t.Fatal(err)
	}
	// As an older tamizdat wrote it, without today's checks.
	if _, err := raw.Exec(`INSERT INTO categories (edition, slug, name, position) VALUES (?, ?, ?, ?)`, "en", "world", "Wor\x00ld", 1); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	file := filepath.Join(dir, "old.tar.gz")
	if code, out, errs := run(t, "", "backup", file, "--db", src); code != 0 {
		t.Fatalf("backup of the older site: %d %q %q", code, out, errs)
	}
	pg := pgtest.FreshDSN(t)
	for _, target := range []string{pg, filepath.Join(dir, "restored.db")} {
		code, _, errs := run(t, "", "restore", file, "--db", target)
		if code != app.ExitBadInput || strings.Count(errs, "\n") != 1 {
			t.Errorf("restore into %s: exit %d, %q", target, code, errs)
		}
		for _, want := range []string{"row 1 of categories (id 1)", "column name", "NUL", "nothing was written"} {
			if !strings.Contains(errs, want) {
				t.Errorf("restore into %s: %q does not say %q", target, errs, want)
			}
		}
	}
	db, err := postgres.Open(context.Background(), pg, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if empty, held, err := db.IsEmpty(context.Background()); !empty || err != nil {
		t.Errorf("the refused restore left %s (%v)", held, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "restored.db")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the refused restore left a SQLite file: %v", err)
	}
}
