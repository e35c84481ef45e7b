package app_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"tamizdat/internal/app"
	"tamizdat/internal/archive"
	"tamizdat/internal/news"
	"tamizdat/internal/store"
	"tamizdat/internal/store/postgres"
	"tamizdat/internal/store/postgres/pgtest"
	"tamizdat/internal/store/sqlite"
	"tamizdat/internal/testkit"
	"tamizdat/internal/textdiff"
)

// site names a database for the CLI and opens it for the test.
type site struct {
	engine string
	dsn    string // SQLite file path or postgres:// URL
}

func newSite(t *testing.T, engine string) site {
	if engine == "postgres" {
		return site{engine, pgtest.FreshDSN(t)}
	}
	return site{engine, filepath.Join(t.TempDir(), "tamizdat.db")}
}

func (s site) open(t *testing.T) *store.DB {
	t.Helper()
	var db *store.DB
	var err error
	if s.engine == "postgres" {
		db, err = postgres.Open(context.Background(), s.dsn, nil)
	} else {
		if _, statErr := os.Stat(s.dsn); statErr != nil {
			t.Fatalf("no database at %s", s.dsn)
		}
		db, err = sqlite.Open(context.Background(), s.dsn, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// rows reads every dumped table of the site, each in a canonical order.
func (s site) rows(t *testing.T) map[string][][]any {
	t.Helper()
	out := map[string][][]any{}
	err := s.open(t).Dump(context.Background(), func(tb store.Table, _ int64, rows store.Rows) error {
		var err error
		out[tb.Name], err = gather(rows)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// archiveRows reads an archive the way restore does.
func archiveRows(t *testing.T, file string) (*archive.Manifest, map[string][][]any) {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][][]any{}
	schema, _ := store.LatestSchema(sqlite.Dialect)
	m, err := archive.Read(f, archive.Want{SchemaVersion: schema, Tables: store.Tables}, func(tb store.Table, _ int64, rows store.Rows) error {
		var err error
		out[tb.Name], err = gather(rows)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m, out
}

func gather(rows store.Rows) ([][]any, error) {
	list := [][]any{}
	for row, err := range rows {
		if err != nil {
			return nil, err
		}
		list = append(list, row)
	}
	// PostgreSQL and SQLite sort text keys by different collations. Each
	// row is written out once, not at every comparison.
	keys := make([]string, len(list))
	for i, r := range list {
		keys[i] = fmt.Sprintf("%#v", r)
	}
	idx := make([]int, len(list))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return strings.Compare(keys[a], keys[b]) })
	sorted := make([][]any, len(list))
	for i, j := range idx {
		sorted[i] = list[j]
	}
	return sorted, nil
}

func sameRows(t *testing.T, what string, got, want map[string][][]any) {
	t.Helper()
	for _, tb := range store.Tables {
		if !reflect.DeepEqual(got[tb.Name], want[tb.Name]) {
			t.Errorf("%s: table %s differs: %d rows, want %d", what, tb.Name, len(got[tb.Name]), len(want[tb.Name]))
		}
	}
}

// writer creates draft articles through the API until stopped; drafts are
// invisible to readers, so the public pages of the site do not move while
// its tables do.
type writer struct {
	n        atomic.Int64
	stopping atomic.Bool
	err      error
	done     chan struct{}
}

const writerTitle = "Written during the backup"

func startWriter(addr, token string) *writer {
	w := &writer{done: make(chan struct{})}
	go func() {
		defer close(w.done)
		// Stopped between requests, not in the middle of one: an
		// abandoned request is not what this test is about.
		for i := 0; !w.stopping.Load(); i++ {
			body := fmt.Sprintf(`{"edition":"en","title":"%s %d","body":"Body %d","status":"draft","tags":["backup","writer %d"]}`, writerTitle, i, i, i)
			req, _ := http.NewRequest("POST", "http://"+addr+"/api/v1/articles", strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Content-Type", "application/json")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				w.err = err
				return
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != 201 {
				w.err = fmt.Errorf("POST /api/v1/articles: %d", res.StatusCode)
				return
			}
			w.n.Add(1)
		}
	}()
	return w
}

// waitFor waits until the writer has created n articles.
func (w *writer) waitFor(t *testing.T, n int64) {
	t.Helper()
	deadline := testkit.Deadline(t)
	for w.n.Load() < n {
		select {
		case <-w.done:
			t.Fatalf("the writer stopped after %d articles: %v", w.n.Load(), w.err)
		case <-time.After(5 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("the writer made only %d articles by the test's deadline", w.n.Load())
		}
	}
}

func (w *writer) finish(t *testing.T) int64 {
	w.stopping.Store(true)
	<-w.done
	if w.err != nil {
		t.Fatal(w.err)
	}
	return w.n.Load()
}

// samePages fetches each path from both servers and wants the same answer,
// but for what names the moment a page was made (the clock, the comment
// form's token), which may turn between the two fetches.
func samePages(t *testing.T, a, b *server, paths ...string) {
	t.Helper()
	for _, path := range paths {
		res, ra := a.get(t, path)
		sa := res.StatusCode
		res, rb := b.get(t, path)
		sb := res.StatusCode
		// Links name the host a page was asked on.
		ra = testkit.MaskMoment(bytes.ReplaceAll(ra, []byte(a.addr), []byte("HOST")))
		rb = testkit.MaskMoment(bytes.ReplaceAll(rb, []byte(b.addr), []byte("HOST")))
		if sa != 200 || sb != 200 {
			t.Errorf("%s: %d and %d", path, sa, sb)
		} else if !bytes.Equal(ra, rb) {
			t.Errorf("%s differs after the restore:\n%s", path, differingLines(ra, rb))
		}
	}
}

// differingLines shows the lines where two pages part, with one line of
// context, so a failure names what moved rather than the page's head.
func differingLines(a, b []byte) string {
	var out strings.Builder
	for _, h := range textdiff.Hunks(textdiff.Lines(string(a), string(b)), 1) {
		for _, l := range h.Lines {
			fmt.Fprintf(&out, "%s %s\n", l.Op, l.Text)
		}
	}
	return out.String()
}

func storageArgs(s site, data string) []string {
	return []string{"--db", s.dsn, "--data", data}
}

func other(engine string) string {
	if engine == "sqlite" {
		return "postgres"
	}
	return "sqlite"
}

// TestBackupWhileServingRestoreAndCopyAcrossEngines is the whole story on
// a demo site of each engine: a backup taken while articles are being
// written, restored into the other engine, where the site reads the same
// and takes new articles; then copy to the other engine, and the refusals
// to fill a database that is not empty.
func TestBackupWhileServingRestoreAndCopyAcrossEngines(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine+" to "+other(engine), func(t *testing.T) {
			src := newSite(t, engine)
			s := startServer(t, append(storageArgs(src, t.TempDir()), "--demo")...)
			token := regexp.MustCompile(`tzd_\S+`).FindString(s.stdout.String())
			if token == "" {
				t.Fatalf("no demo token in %q", s.stdout.String())
			}
			file := filepath.Join(t.TempDir(), "site.tar.gz")

			// The backup, while a writer keeps adding articles.
			w := startWriter(s.addr, token)
			w.waitFor(t, 3)
			before := w.n.Load()
			code, out, errs := run(t, "", "backup", file, "--db", src.dsn)
			during := w.n.Load()
			w.waitFor(t, during+3)
			written := w.finish(t)
			if code != 0 || !strings.Contains(out, "written to "+file) || errs != "" {
				t.Fatalf("backup: %d %q %q", code, out, errs)
			}
			t.Logf("%s; the writer made %d articles before the backup, %d by its end, %d in all", strings.TrimSpace(out), before, during, written)
			if _, err := os.Stat(file + ".tmp"); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%s.tmp left behind: %v", file, err)
			}
			if st, err := os.Stat(file); err != nil || st.Mode().Perm() != 0o600 {
				t.Errorf("archive mode: %v %v", st, err)
			}
			m, archived := archiveRows(t, file)
			if m.Engine != engine {
				t.Errorf("manifest engine %q", m.Engine)
			}
			// The archive is one moment: every article of the writer
			// that it holds has both its tags, and it holds as many as
			// were written by some moment during the backup.
			tags := map[int64]int{}
			for _, r := range archived["article_tags"] {
				tags[r[0].(int64)]++
			}
			var fromWriter int64
			for _, r := range archived["articles"] {
				if strings.HasPrefix(r[2].(string), writerTitle) {
					fromWriter++
					if tags[r[0].(int64)] != 2 {
						t.Errorf("article %d is in the archive with %d of its 2 tags", r[0], tags[r[0].(int64)])
					}
				}
			}
			if fromWriter < before || fromWriter > during {
				t.Errorf("the archive holds %d of the writer's articles; %d were written before the backup, %d by its end", fromWriter, before, during)
			}

			// Restored into the other engine: the same rows...
			dst := newSite(t, other(engine))
			code, out, errs = run(t, "", "restore", file, "--db", dst.dsn)
			if code != 0 || !strings.Contains(out, fmt.Sprintf("%d rows", m.TotalRows())) {
				t.Fatalf("restore: %d %q %q", code, out, errs)
			}
			sameRows(t, "restored from the archive", dst.rows(t), archived)

			// ...the same site for readers...
			r := startServer(t, storageArgs(dst, t.TempDir())...)
			_, home := s.get(t, "/en/interview/")
			link := articleLink.FindSubmatch(home)
			if link == nil {
				t.Fatal("no article link on /en/interview/")
			}
			article := string(link[1])
			day := article[:strings.LastIndex(strings.TrimSuffix(article, "/"), "/")+1]
			samePages(t, s, r, "/api/v1/articles?edition=en", "/api/v1/articles?edition=ru&page=2", "/api/v1/articles?edition=be&q=%D1%96",
				"/", "/be/", "/en/interview/", article, day, "/ru/about/", "/be/privacy/", "/en/access/", "/en/support/", "/robots.txt")

			// ...that takes new articles with fresh ids, with the token
			// that came across.
			var maxID int64
			for _, row := range archived["articles"] {
				maxID = max(maxID, row[0].(int64))
			}
			req, _ := http.NewRequest("POST", "http://"+r.addr+"/api/v1/articles", strings.NewReader(
				`{"edition":"en","title":"After the restore","body":"New.","status":"published","published_at":"2020-01-01T00:00:00Z","tags":["restored"]}`))
			req.Header.Set("Authorization", "Bearer "+token)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var created struct{ ID int64 }
			json.NewDecoder(res.Body).Decode(&created)
			res.Body.Close()
			if res.StatusCode != 201 || created.ID <= maxID {
				t.Fatalf("creating an article after the restore: %d, id %d (archive ids up to %d)", res.StatusCode, created.ID, maxID)
			}
			if res, _ := r.get(t, fmt.Sprintf("/api/v1/articles/%d", created.ID)); res.StatusCode != 200 {
				t.Errorf("the new article answers %d", res.StatusCode)
			}

			// copy to the other engine, from the site at rest.
			if code := s.stop(); code != 0 {
				t.Fatalf("serve exited %d", code)
			}
			want := src.rows(t)
			target := newSite(t, other(engine))
			code, out, errs = run(t, "", "copy", "--from", src.dsn, "--to", target.dsn)
			if code != 0 || !strings.Contains(out, "counts checked") || errs != "" {
				t.Fatalf("copy: %d %q %q", code, out, errs)
			}
			sameRows(t, "copied", target.rows(t), want)
			counts, _ := target.open(t).Counts(context.Background())
			if counts["articles"] != int64(len(want["articles"])) || counts["editions"] != 3 {
				t.Errorf("counts after the copy: %v", counts)
			}

			// Neither copy nor restore fills a database that is not empty.
			full := dst.rows(t)
			code, _, errs = run(t, "", "copy", "--from", src.dsn, "--to", dst.dsn)
			wantRefusal(t, "copy into a full database", code, errs, "is not empty")
			code, _, errs = run(t, "", "restore", file, "--db", dst.dsn)
			wantRefusal(t, "restore into a full database", code, errs, "is not empty")
			sameRows(t, "after the refusals", dst.rows(t), full)
			code, _, errs = run(t, "", "restore", file, "--db", src.dsn)
			wantRefusal(t, "restore into the source", code, errs, "is not empty")
			sameRows(t, "the source after the refusal", src.rows(t), want)
		})
	}
}

func wantRefusal(t *testing.T, what string, code int, stderr, words string) {
	t.Helper()
	if code != app.ExitBadInput {
		t.Errorf("%s: exit %d, want 2 (%q)", what, code, stderr)
	}
	if strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, "tamizdat: ") || !strings.Contains(stderr, words) {
		t.Errorf("%s: stderr %q, want one line with %q", what, stderr, words)
	}
}

// smallSite makes a site with a little of everything, straight through the
// store (quicker than the demo under -race), and its archive.
func smallSite(t *testing.T) (site, string) {
	src := newSite(t, "sqlite")
	if code, _, errs := run(t, "", "migrate", "--db", src.dsn); code != 0 {
		t.Fatal(errs)
	}
	if code, _, errs := run(t, "a long enough password\n", "user", "add", "--email", "e@example.org", "--role", "editor", "--db", src.dsn); code != 0 {
		t.Fatal(errs)
	}
	if code, _, errs := run(t, "", "token", "create", "--email", "e@example.org", "--db", src.dsn); code != 0 {
		t.Fatal(errs)
	}
	db := src.open(t)
	ctx := context.Background()
	cat := &news.Category{Edition: "ru", Slug: "politics", Name: "Политика"}
	if err := db.CreateCategory(ctx, cat); err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		a := &news.Article{Edition: "ru", Title: fmt.Sprint("Статья ", i), Body: "Текст", Status: news.StatusPublished,
			PublishedAt: time.Now().Add(-time.Hour), Categories: []string{"politics"}, Tags: []string{"тег"}}
		if err := db.CreateArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateComment(ctx, &news.Comment{ArticleID: a.ID, Body: "Комментарий", Status: news.CommentPublished, CreatedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.SetSetting(ctx, "site_name", "Малы сайт"); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "small.tar.gz")
	if code, out, errs := run(t, "", "backup", file, "--db", src.dsn); code != 0 {
		t.Fatalf("backup: %q %q", out, errs)
	}
	return src, file
}

type entry struct {
	name string
	data []byte
}

func unpackArchive(t *testing.T, b []byte) []entry {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	var list []entry
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return list
		}
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(tr)
		list = append(list, entry{h.Name, data})
	}
}

func packArchive(list []entry) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, e := range list {
		tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: e.name, Size: int64(len(e.data)), Mode: 0o644})
		tw.Write(e.data)
	}
	tw.Close()
	zw.Close()
	return buf.Bytes()
}

// alter unpacks the archive, lets change edit its entries and manifest,
// and packs it again.
func alter(t *testing.T, good []byte, change func(list []entry, m map[string]any) []entry) []byte {
	list := unpackArchive(t, good)
	var m map[string]any
	if err := json.Unmarshal(list[0].data, &m); err != nil {
		t.Fatal(err)
	}
	list = change(list, m)
	list[0].data, _ = json.Marshal(m)
	return packArchive(list)
}

func tableOf(m map[string]any, name string) map[string]any {
	for _, tb := range m["tables"].([]any) {
		if tb.(map[string]any)["name"] == name {
			return tb.(map[string]any)
		}
	}
	panic(name)
}

func edit(list []entry, name string, change func([]byte) []byte) {
	for i := range list {
		if list[i].name == name {
			list[i].data = change(bytes.Clone(list[i].data))
		}
	}
}

func shaHex(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

// TestRestoreRefusesDamagedArchives: each damage is refused with exit 2 and
// one line before anything is written: a new SQLite file is not even
// created, a PostgreSQL schema gets no table.
func TestRestoreRefusesDamagedArchives(t *testing.T) {
	_, file := smallSite(t)
	good, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		bytes []byte
		words string
	}{
		{"not gzip at all", []byte("This is a text file, not an archive.\n"), "not a tamizdat archive"},
		{"empty", nil, "empty"},
		{"truncated in the header", good[:5], "truncated"},
		{"truncated in the manifest", good[:200], "truncated"},
		{"truncated in the middle", good[:len(good)/2], "truncated"},
		{"truncated in the gzip trailer", good[:len(good)-3], "archive"},
		{"a byte flipped inside a table file", alter(t, good, func(list []entry, m map[string]any) []entry {
			edit(list, "articles.jsonl", func(b []byte) []byte { b[len(b)/3] ^= 0x02; return b })
			return list
		}), "articles.jsonl"},
		{"a byte flipped in the compressed stream", func() []byte { b := bytes.Clone(good); b[len(b)/2] ^= 0x10; return b }(), "the archive is"},
		{"a line altered, checksum not recomputed", alter(t, good, func(list []entry, m map[string]any) []entry {
			edit(list, "settings.jsonl", func(b []byte) []byte {
				return bytes.Replace(b, []byte("Малы сайт"), []byte("Чужы сайт"), 1)
			})
			return list
		}), "settings.jsonl does not match its checksum"},
		{"a manifest that lies about counts", alter(t, good, func(list []entry, m map[string]any) []entry {
			tableOf(m, "comments")["rows"] = 4.0
			return list
		}), "says comments.jsonl has 4 rows, the file has 5"},
		{"an extra file", alter(t, good, func(list []entry, m map[string]any) []entry {
			return append(list, entry{"notes.txt", []byte("hello")})
		}), "notes.txt"},
		{"a missing file", alter(t, good, func(list []entry, m map[string]any) []entry {
			return slices.DeleteFunc(list, func(e entry) bool { return e.name == "users.jsonl" })
		}), "users.jsonl"},
		{"another schema version", alter(t, good, func(list []entry, m map[string]any) []entry {
			m["schema_version"] = 99.0
			return list
		}), "schema version 99"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			bad := filepath.Join(t.TempDir(), "bad.tar.gz")
			os.WriteFile(bad, c.bytes, 0o600)
			// A new SQLite file is not created.
			target := filepath.Join(t.TempDir(), "tamizdat.db")
			code, out, errs := run(t, "", "restore", bad, "--db", target)
			wantRefusal(t, "sqlite", code, errs, c.words)
			if !strings.Contains(errs, bad) || out != "" {
				t.Errorf("the message does not name the file: %q (stdout %q)", errs, out)
			}
			if _, err := os.Stat(target); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("restore created %s: %v", target, err)
			}
			// A PostgreSQL schema stays without tables.
			dsn := pgtest.FreshDSN(t)
			code, _, errs = run(t, "", "restore", bad, "--db", dsn)
			wantRefusal(t, "postgres", code, errs, c.words)
			if n := pgTables(t, dsn); n != 0 {
				t.Errorf("restore made %d tables", n)
			}
		})
	}
}

// An archive that checks out but breaks a rule of the database (here a tag
// of an article it does not hold, checksum and count made to match) fails
// while loading: the transaction leaves the target empty, and a SQLite file
// the restore created is removed.
func TestRestoreThatFailsWhileLoadingLeavesNothing(t *testing.T) {
	_, file := smallSite(t)
	good, _ := os.ReadFile(file)
	bad := filepath.Join(t.TempDir(), "bad.tar.gz")
	os.WriteFile(bad, alter(t, good, func(list []entry, m map[string]any) []entry {
		edit(list, "article_tags.jsonl", func(b []byte) []byte { return append(b, `[999,"x","x",0]`+"\n"...) })
		tb := tableOf(m, "article_tags")
		tb["rows"] = tb["rows"].(float64) + 1
		for _, e := range list {
			if e.name == "article_tags.jsonl" {
				tb["sha256"] = shaHex(e.data)
			}
		}
		return list
	}), 0o600)
	target := filepath.Join(t.TempDir(), "tamizdat.db")
	code, _, errs := run(t, "", "restore", bad, "--db", target)
	wantRefusal(t, "sqlite", code, errs, "does not exist")
	if _, err := os.Stat(target); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed restore left %s: %v", target, err)
	}
	pg := site{"postgres", pgtest.FreshDSN(t)}
	code, _, errs = run(t, "", "restore", bad, "--db", pg.dsn)
	wantRefusal(t, "postgres", code, errs, "does not exist")
	db := pg.open(t)
	if empty, held, err := db.IsEmpty(context.Background()); !empty || err != nil {
		t.Errorf("a failed restore left %s (%v)", held, err)
	}
	// And the database is usable: the same archive, undamaged, goes in.
	if code, out, errs := run(t, "", "restore", file, "--db", pg.dsn); code != 0 {
		t.Errorf("restore after a failed one: %q %q", out, errs)
	}
}

func pgTables(t *testing.T, dsn string) int {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestBackupCopyRestoreBadInput(t *testing.T) {
	src, file := smallSite(t)
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.db")
	cases := []struct {
		name  string
		args  []string
		words string
	}{
		{"backup without a file", []string{"backup", "--db", src.dsn}, "usage"},
		{"backup of no database", []string{"backup", filepath.Join(dir, "x.tar.gz"), "--db", missing}, "no site at " + missing + " (looked for --db)"},
		{"backup into a folder", []string{"backup", dir, "--db", src.dsn}, "is a folder"},
		{"backup into a missing folder", []string{"backup", filepath.Join(dir, "no", "such", "x.tar.gz"), "--db", src.dsn}, "cannot write the backup"},
		{"restore without a file", []string{"restore", "--db", filepath.Join(dir, "r.db")}, "usage"},
		{"restore of a missing file", []string{"restore", filepath.Join(dir, "none.tar.gz"), "--db", filepath.Join(dir, "r.db")}, "cannot read"},
		{"copy without --to", []string{"copy", "--from", src.dsn}, "usage"},
		{"copy onto itself", []string{"copy", "--from", src.dsn, "--to", src.dsn}, "same database"},
		{"copy from nothing", []string{"copy", "--from", missing, "--to", filepath.Join(dir, "c.db")}, "no site at " + missing + " (looked for --from)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := run(t, "", c.args...)
			wantRefusal(t, c.name, code, errs, c.words)
			if out != "" {
				t.Errorf("stdout %q", out)
			}
		})
	}
	for _, name := range []string{"missing.db", "r.db", "c.db", "x.tar.gz", "x.tar.gz.tmp"} {
		if _, err := os.Stat(filepath.Join(dir, name)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s was created", name)
		}
	}
	// The archive restores into a new SQLite file too, and copy into a
	// SQLite file that already holds that site is refused.
	restored := filepath.Join(dir, "restored.db")
	if code, out, errs := run(t, "", "restore", file, "--db", restored); code != 0 {
		t.Fatalf("restore: %q %q", out, errs)
	}
	code, _, errs := run(t, "", "copy", "--from", src.dsn, "--to", restored)
	wantRefusal(t, "copy into a full SQLite file", code, errs, "is not empty")
	sameRows(t, "restored", site{"sqlite", restored}.rows(t), src.rows(t))
}
