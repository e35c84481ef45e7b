package app_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"

	"tamizdat/internal/app"
	"tamizdat/internal/demo"
	"tamizdat/internal/news"
	"tamizdat/internal/store"
	"tamizdat/internal/testkit"
)

// runAt is run with the clock stopped at now, as a generated site depends
// on the moment it is made.
func runAt(t testing.TB, now time.Time, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := app.Main(context.Background(), args, app.Env{Stdout: &out, Stderr: &errb,
		Getenv: func(string) string { return "" }, Now: func() time.Time { return now }})
	return code, out.String(), errb.String()
}

var longestThread = regexp.MustCompile(`the longest thread: (\d+) published comments on /(ru|be|en)/news/\d+/\d+/\d+/\d+/\n`)

func TestDemoGeneratesASite(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			const n, seed = 150, 7
			s := newSite(t, engine)
			now := time.Now().Truncate(time.Second)
			code, out, errs := runAt(t, now, "demo", "--articles", fmt.Sprint(n), "--seed", fmt.Sprint(seed), "--db", s.dsn, "--data", t.TempDir())
			if code != 0 {
				t.Fatalf("demo: exit %d\n%s\n%s", code, out, errs)
			}
			// What the archive holds, to compare with what was stored.
			var want struct{ comments, published, translations int }
			for a := range demo.Archive(now, n, seed) {
				want.comments += len(a.Comments)
				for _, c := range a.Comments {
					if c.Status == news.CommentPublished {
						want.published++
					}
				}
				if a.TranslationOf != "" {
					want.translations++
				}
			}
			for _, w := range []string{fmt.Sprintf("%d articles and %d comments in 3 editions", n, want.comments), "e-mail " + app.DemoAdminEmail} {
				if !strings.Contains(out, w) {
					t.Errorf("stdout lacks %q:\n%s", w, out)
				}
			}
			if m := longestThread.FindStringSubmatch(out); m == nil || len(m[1]) < 4 {
				t.Errorf("stdout names no long thread of thousands:\n%s", out)
			}

			db := s.open(t)
			ctx := context.Background()
			all, total, err := db.Articles(ctx, store.ArticleQuery{Visible: true, Limit: n + 1})
			if err != nil || total != n || len(all) != n {
				t.Fatalf("%d visible articles (%d listed), want %d: %v", total, len(all), n, err)
			}
			perEdition := map[string]int{}
			published, translated, pictured, longest := 0, 0, 0, 0
			for _, a := range all {
				perEdition[a.Edition]++
				published += a.CommentCount
				longest = max(longest, a.CommentCount)
				if a.Image != nil && a.Image.ID != 0 {
					pictured++
				}
				if a.TranslationOf != 0 {
					translated++
				}
				if len(a.Categories) < 1 || len(a.Categories) > 2 || len(a.Tags) < 2 || len(a.Tags) > 4 {
					t.Errorf("article %d: categories %q, tags %q", a.ID, a.Categories, a.Tags)
				}
			}
			if len(perEdition) != 3 || perEdition["ru"] < n/5 || perEdition["be"] < n/5 || perEdition["en"] < n/5 {
				t.Errorf("articles per edition: %v", perEdition)
			}
			newest, oldest := all[0].PublishedAt, all[n-1].PublishedAt
			if age := now.Sub(newest); age < time.Minute || age > 10*time.Minute {
				t.Errorf("the newest article is %s old", age)
			}
			if oldest.After(now.AddDate(-demo.ArchiveYears+1, 0, 0)) || oldest.Before(now.AddDate(-demo.ArchiveYears, 0, -1)) {
				t.Errorf("the oldest article is of %s: the site does not span %d years", oldest, demo.ArchiveYears)
			}
			if published != want.published || longest < demo.LongThread {
				t.Errorf("%d published comments stored, the archive has %d; the longest thread has %d", published, want.published, longest)
			}
			if translated != want.translations || translated == 0 || pictured < n/5 {
				t.Errorf("%d translations stored (the archive has %d), %d articles with a picture", translated, want.translations, pictured)
			}
			if cats, err := db.Categories(ctx, "be"); err != nil || len(cats) != 10 {
				t.Errorf("%d categories in be: %v", len(cats), err)
			}

			// A second run would bury the site: refused, nothing added.
			code, out, errs = runAt(t, now, "demo", "--articles", "5", "--db", s.dsn, "--data", t.TempDir())
			if code != app.ExitBadInput || !strings.Contains(errs, fmt.Sprintf("already has %d articles", n)) || strings.Count(errs, "\n") != 1 {
				t.Errorf("demo on a site with articles: exit %d, stderr %q, stdout %q", code, errs, out)
			}
			if c, _ := db.CountArticles(ctx); c != n {
				t.Errorf("%d articles after the refused run", c)
			}
		})
	}
}

func TestDemoIsDeterministicPerSeed(t *testing.T) {
	now := time.Date(2026, 5, 14, 13, 47, 12, 0, time.UTC)
	tables := func(seed string) map[string][][]any {
		s := newSite(t, "sqlite")
		if code, out, errs := runAt(t, now, "demo", "--articles", "60", "--seed", seed, "--db", s.dsn); code != 0 {
			t.Fatalf("demo: exit %d\n%s\n%s", code, out, errs)
		}
		rows := s.rows(t)
		out := map[string][][]any{}
		for _, name := range []string{"articles", "article_categories", "article_tags", "comments"} {
			if len(rows[name]) == 0 {
				t.Fatalf("table %s is empty", name)
			}
			out[name] = rows[name]
		}
		return out
	}
	a, b, c := tables("3"), tables("3"), tables("4")
	for name := range a {
		if !reflect.DeepEqual(a[name], b[name]) {
			t.Errorf("table %s differs between two sites of seed 3", name)
		}
	}
	if reflect.DeepEqual(a["articles"], c["articles"]) {
		t.Error("seeds 3 and 4 gave the same articles")
	}
}

func TestDemoBadInput(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"demo", "--data", dir}, "--articles must be between 1 and"},
		{[]string{"demo", "--articles", "0", "--data", dir}, "--articles must be between 1 and"},
		{[]string{"demo", "--articles", "2000000", "--data", dir}, "--articles must be between 1 and"},
		{[]string{"demo", "--articles", "many", "--data", dir}, "invalid value"},
		{[]string{"demo", "big", "--articles", "10", "--data", dir}, "demo takes no arguments"},
		{[]string{"demo", "--articles", "10", "--db", filepath.Join(dir, "missing", "site.db")}, "does not exist"},
	} {
		code, out, errs := run(t, "", c.args...)
		if code != app.ExitBadInput || !strings.Contains(errs, c.want) || strings.Count(errs, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q, stdout %q; want 2 and %q", c.args, code, errs, out, c.want)
		}
	}
}

// BenchmarkReaderPages serves the pages of a site of 1,000 generated
// articles in-process, one request at a time, through the whole stack
// (HTTP, middleware, store, templates, gzip). bench/run measures them
// under load, beside nginx, at 100,000.
func BenchmarkReaderPages(b *testing.B) {
	dir := benchSite(b)
	for _, cache := range []string{"cached", "uncached"} {
		b.Run(cache, func(b *testing.B) {
			args := []string{"--data", dir}
			if cache == "uncached" {
				args = append(args, "--cache-mb", "0")
			}
			readerPages(b, testkit.Start(b, args...))
		})
	}
}

func readerPages(b *testing.B, srv *testkit.Server) {
	_, home := srv.Get(b, "/ru/")
	article := regexp.MustCompile(`href="(/ru/news/\d+/\d+/\d+/\d+/)"`).FindSubmatch(home)
	if article == nil {
		b.Fatal("no article on /ru/")
	}
	_, page := srv.Get(b, string(article[1]))
	tag := regexp.MustCompile(`href="(/ru/tag/[^"]+/)"`).FindSubmatch(page)
	if tag == nil {
		b.Fatal("no tag on the article page")
	}
	day := regexp.MustCompile(`^/ru/news/\d+/\d+/\d+/`).FindString(string(article[1]))
	for _, p := range []struct{ name, path string }{
		{"home", "/ru/"},
		{"article", string(article[1])},
		{"category", "/ru/belarus/"},
		{"category-page-4", "/ru/belarus/?page=4"},
		{"tag", string(tag[1])},
		{"day", day},
		{"api-page-10", "/api/v1/articles?edition=ru&page=10"},
	} {
		b.Run(p.name, func(b *testing.B) {
			req, _ := http.NewRequest(http.MethodGet, srv.URL(p.path), nil)
			req.Header.Set("Accept-Encoding", "gzip")
			for b.Loop() {
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				_, err = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if err != nil || res.StatusCode != http.StatusOK {
					b.Fatalf("%s: %d %v", p.path, res.StatusCode, err)
				}
			}
		})
	}
}

// benchSite generates the site once (a benchmark with sub-benchmarks runs
// once) and returns its folder.
func benchSite(b *testing.B) string {
	b.Helper()
	dir := b.TempDir()
	if code, out, errs := runAt(b, time.Now(), "demo", "--articles", "1000", "--data", dir); code != 0 {
		b.Fatalf("demo: exit %d\n%s\n%s", code, out, errs)
	}
	return dir
}

// BenchmarkRecompressPage is what filling a block into a page at serve
// time (the clock, the counts on lists) would add to every hit: the page
// compressed again, at the fastest gzip level, against the page kept
// compressed whole and a one-minute time-to-live (see site.render). Set
// its ns/op beside the cached rows of BenchmarkReaderPages.
func BenchmarkRecompressPage(b *testing.B) {
	srv := testkit.Start(b, "--data", benchSite(b))
	_, home := srv.Get(b, "/ru/")
	article := regexp.MustCompile(`href="(/ru/news/\d+/\d+/\d+/\d+/)"`).FindSubmatch(home)
	if article == nil {
		b.Fatal("no article on /ru/")
	}
	_, page := srv.Get(b, string(article[1]))
	for _, p := range []struct {
		name string
		body []byte
	}{{"home", home}, {"article", page}} {
		b.Run(p.name, func(b *testing.B) {
			var buf bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
			b.SetBytes(int64(len(p.body)))
			for b.Loop() {
				buf.Reset()
				zw.Reset(&buf)
				zw.Write(p.body)
				zw.Close()
			}
		})
	}
}
