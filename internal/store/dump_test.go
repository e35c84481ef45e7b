package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"tamizdat/internal/news"
	"tamizdat/internal/store"
	"tamizdat/internal/store/postgres"
	"tamizdat/internal/store/postgres/pgtest"
	"tamizdat/internal/store/sqlite"
	"tamizdat/internal/store/storetest"
)

// engine opens a new migrated database, with a raw handle on it for what
// the store does not offer (the catalog, edits no method makes).
type engine struct {
	name    string
	dialect store.Dialect
	open    func(t *testing.T, clock *storetest.Clock) (*store.DB, *sql.DB)
}

var engines = []engine{
	{"sqlite", sqlite.Dialect, func(t *testing.T, clock *storetest.Clock) (*store.DB, *sql.DB) {
		path := filepath.Join(t.TempDir(), "site.db")
		db, err := sqlite.Open(context.Background(), path, clock.Now)
		if err != nil {
			t.Fatal(err)
		}
		return migrated(t, db), rawOpen(t, "sqlite", "file:"+path+"?_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)")
	}},
	{"postgres", postgres.Dialect, func(t *testing.T, clock *storetest.Clock) (*store.DB, *sql.DB) {
		dsn := pgtest.FreshDSN(t)
		db, err := postgres.Open(context.Background(), dsn, clock.Now)
		if err != nil {
			t.Fatal(err)
		}
		return migrated(t, db), rawOpen(t, "pgx", dsn)
	}},
}

func migrated(t *testing.T, db *store.DB) *store.DB {
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}

func rawOpen(t *testing.T, driver, dsn string) *sql.DB {
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return raw
}

func ctx() context.Context { return context.Background() }

// TestDumpDescribesTheSchema keeps store.Tables true to the migrations: a
// new table or column must be described (or listed in NotDumped) before a
// backup can leave it out.
func TestDumpDescribesTheSchema(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			db, raw := e.open(t, storetest.NewClock(storetest.T0))
			cur, latest, err := db.SchemaVersion(ctx())
			if err != nil || cur != latest {
				t.Fatalf("schema %d of %d: %v", cur, latest, err)
			}
			if n, err := store.LatestSchema(e.dialect); err != nil || n != latest {
				t.Errorf("LatestSchema = %d, %v; want %d", n, err, latest)
			}
			var tables []string
			q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`
			if e.name == "postgres" {
				q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`
			}
			for _, r := range queryRows(t, raw, q) {
				tables = append(tables, r[0].(string))
			}
			var described []string
			for _, tb := range store.Tables {
				described = append(described, tb.Name)
				if cols := catalogColumns(t, e.name, raw, tb.Name); !reflect.DeepEqual(cols, tb.Columns) {
					t.Errorf("%s: the migrations have\n%v\nstore.Tables says\n%v", tb.Name, cols, tb.Columns)
				}
			}
			described = append(described, store.NotDumped...)
			slices.Sort(tables)
			slices.Sort(described)
			if !slices.Equal(tables, described) {
				t.Errorf("tables in the schema %v; described or left out on purpose %v", tables, described)
			}
		})
	}
}

func catalogColumns(t *testing.T, engine string, raw *sql.DB, table string) []store.Column {
	q := `SELECT name, type, "notnull" <> 0 OR pk <> 0 FROM pragma_table_info(?) ORDER BY cid`
	kinds := map[string]store.Kind{"INTEGER": store.KindInt, "TEXT": store.KindText, "BLOB": store.KindBytes}
	if engine == "postgres" {
		q = `SELECT column_name, data_type, is_nullable = 'NO' FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`
		kinds = map[string]store.Kind{"bigint": store.KindInt, "integer": store.KindInt, "smallint": store.KindInt,
			"text": store.KindText, "bytea": store.KindBytes}
	}
	var cols []store.Column
	for _, r := range queryRows(t, raw, q, table) {
		kind, ok := kinds[fmt.Sprint(r[1])]
		if !ok {
			t.Errorf("%s.%s has type %v, which no Kind stands for", table, r[0], r[1])
		}
		notNull := r[2] == true || r[2] == int64(1)
		cols = append(cols, store.Column{Name: fmt.Sprint(r[0]), Kind: kind, Null: !notNull})
	}
	return cols
}

func queryRows(t *testing.T, raw *sql.DB, q string, args ...any) [][]any {
	t.Helper()
	rows, err := raw.Query(q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]any
	for rows.Next() {
		r := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range r {
			ptrs[i] = &r[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for i, v := range r {
			if b, ok := v.([]byte); ok {
				r[i] = string(b)
			}
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// fill writes a little of everything through the store, plus what no method
// writes yet (a fourth edition, an article that is the translation of a
// newer one), straight into the tables.
func fill(t *testing.T, db *store.DB, raw *sql.DB, clock *storetest.Clock) {
	t.Helper()
	for k, v := range map[string]string{"site_name": "Вольны голас", "time_zone": "Europe/Warsaw", "access.be": "Радок 1\nРадок 2 <b>&</b>"} {
		if err := db.SetSetting(ctx(), k, v); err != nil {
			t.Fatal(err)
		}
	}
	storetest.MustCategory(t, db, "ru", "politics", "Политика")
	storetest.MustCategory(t, db, "be", "culture", "Культура")
	u := &news.User{Email: "editor@example.org", Name: "Рэдактар", Role: news.RoleEditor, Active: true, PasswordHash: "$argon2id$x"}
	if err := db.CreateUser(ctx(), u); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateToken(ctx(), u.ID, []byte{0, 1, 0xfe, 0xff, '\n', '"'}, storetest.T0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	first := storetest.MustArticle(t, db, "ru", "Новость «дня»", storetest.T0.Add(-3*time.Hour), "politics")
	first.Tags = []string{"Гродно", "выборы"}
	if err := db.UpdateArticle(ctx(), first); err != nil {
		t.Fatal(err)
	}
	be := &news.Article{Edition: "be", Title: "Навіна", Status: news.StatusPublished, PublishedAt: storetest.T0.Add(-2 * time.Hour),
		TranslationOf: first.ID, Categories: []string{"culture"}, AuthorID: u.ID}
	if err := db.CreateArticle(ctx(), be); err != nil {
		t.Fatal(err)
	}
	scheduled := storetest.MustArticle(t, db, "ru", "Запланировано", storetest.T0.Add(time.Hour))
	draft := &news.Article{Edition: "en", Title: "Draft", Body: "- Question?\n- Answer.", Interview: true, Status: news.StatusDraft}
	if err := db.CreateArticle(ctx(), draft); err != nil {
		t.Fatal(err)
	}
	c1 := &news.Comment{ArticleID: first.ID, Name: "Читатель", Body: "Первый", Status: news.CommentPublished, CreatedAt: storetest.T0}
	if err := db.CreateComment(ctx(), c1); err != nil {
		t.Fatal(err)
	}
	c2 := &news.Comment{ArticleID: first.ID, ParentID: c1.ID, Body: "Ответ", Status: news.CommentPending, CreatedAt: storetest.T0.Add(time.Minute)}
	if err := db.CreateComment(ctx(), c2); err != nil {
		t.Fatal(err)
	}
	if err := db.PutPage(ctx(), &news.Page{Edition: "be", Slug: "about", Title: "Пра нас", Body: "Мы — рэдакцыя."}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Claim(ctx(), "demo-content"); err != nil {
		t.Fatal(err)
	}
	clock.Set(storetest.T0.Add(2 * time.Hour))
	if n, err := db.GoLive(ctx()); err != nil || n != 1 {
		t.Fatalf("GoLive = %d, %v (audit event for %d)", n, err, scheduled.ID)
	}
	for _, q := range []string{
		`INSERT INTO editions (code, name, position, comment_policy) VALUES ('uk', 'Українська', 4, 'premoderated')`,
		`UPDATE editions SET name = 'English edition', comment_policy = 'closed' WHERE code = 'en'`,
		fmt.Sprintf(`UPDATE articles SET translation_of = %d WHERE id = %d`, draft.ID, first.ID),
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
}

// collect reads a whole dump into memory, each table's rows in a canonical
// order (text keys sort differently under each engine's collation).
func collect(t *testing.T, db *store.DB) map[string][][]any {
	t.Helper()
	out := map[string][][]any{}
	err := db.Dump(ctx(), func(tb store.Table, count int64, rows store.Rows) error {
		list := [][]any{}
		for row, err := range rows {
			if err != nil {
				return err
			}
			list = append(list, row)
		}
		if int64(len(list)) != count {
			return fmt.Errorf("%s: %d rows, count said %d", tb.Name, len(list), count)
		}
		slices.SortFunc(list, func(a, b []any) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
		out[tb.Name] = list
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestDumpAndLoadAcrossEngines(t *testing.T) {
	for _, from := range engines {
		for _, to := range engines {
			t.Run(from.name+" to "+to.name, func(t *testing.T) {
				clock := storetest.NewClock(storetest.T0)
				src, srcRaw := from.open(t, clock)
				dst, _ := to.open(t, clock)
				fill(t, src, srcRaw, clock)
				if empty, held, err := src.IsEmpty(ctx()); err != nil || empty || !strings.Contains(held, "articles (4)") {
					t.Errorf("IsEmpty(filled) = %v, %q, %v", empty, held, err)
				}
				if empty, _, err := dst.IsEmpty(ctx()); err != nil || !empty {
					t.Fatalf("IsEmpty(new) = %v, %v", empty, err)
				}
				err := dst.Load(ctx(), func(fn store.TableFunc) error { return src.Dump(ctx(), fn) })
				if err != nil {
					t.Fatal(err)
				}
				want, got := collect(t, src), collect(t, dst)
				for _, tb := range store.Tables {
					if !reflect.DeepEqual(got[tb.Name], want[tb.Name]) {
						t.Errorf("%s after the load:\n%v\nwant\n%v", tb.Name, got[tb.Name], want[tb.Name])
					}
				}
				sc, _ := src.Counts(ctx())
				dc, _ := dst.Counts(ctx())
				if !reflect.DeepEqual(sc, dc) || sc["editions"] != 4 || sc["audit_events"] == 0 {
					t.Errorf("counts %v, source %v", dc, sc)
				}
				eds, _ := dst.Editions(ctx())
				if len(eds) != 4 || eds[2].Name != "English edition" || eds[2].CommentPolicy != "closed" || eds[3].Code != "uk" {
					t.Errorf("editions after the load: %+v", eds)
				}
				// New rows get new ids: PostgreSQL's sequences moved on.
				a := storetest.MustArticle(t, dst, "en", "After the restore", storetest.T0)
				if a.ID <= int64(sc["articles"]) {
					t.Errorf("new article got id %d, taken ids go to %d", a.ID, sc["articles"])
				}
				if _, err := dst.CreateToken(ctx(), 1, []byte("another token hash"), storetest.T0.Add(time.Hour)); err != nil {
					t.Errorf("new token after the load: %v", err)
				}
				// A second load into what is no longer empty changes nothing.
				before := collect(t, dst)
				err = dst.Load(ctx(), func(fn store.TableFunc) error { return src.Dump(ctx(), fn) })
				if news.ErrorCode(err) != news.ECONFLICT || !strings.Contains(err.Error(), "not empty") {
					t.Errorf("load into a full database: %v", err)
				}
				if after := collect(t, dst); !reflect.DeepEqual(before, after) {
					t.Error("a refused load changed the database")
				}
			})
		}
	}
}

// source is a hand-made dump: every table of store.Tables, with rows given
// per table name.
func source(rows map[string][][]any, failAt string) func(store.TableFunc) error {
	return func(fn store.TableFunc) error {
		for _, tb := range store.Tables {
			list := rows[tb.Name]
			seq := func(yield func([]any, error) bool) {
				for i, r := range list {
					if tb.Name == failAt && i == len(list)-1 {
						yield(nil, errors.New("the source broke"))
						return
					}
					if !yield(r, nil) {
						return
					}
				}
			}
			if err := fn(tb, int64(len(list)), seq); err != nil {
				return err
			}
		}
		return nil
	}
}

func article(id int64, translationOf any) []any {
	return []any{id, "ru", fmt.Sprint("Статья ", id), "", "", "", "", "published", int64(1), int64(1), nil, "", "inherit",
		translationOf, nil, int64(0), int64(0), nil, "", "", nil, "", nil, int64(1), "", int64(0)}
}

func TestLoad(t *testing.T) {
	editions := [][]any{{"ru", "Русский", int64(1), "inherit"}}
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			t.Run("a reference to a later row", func(t *testing.T) {
				db, _ := e.open(t, storetest.NewClock(storetest.T0))
				err := db.Load(ctx(), source(map[string][][]any{"editions": editions,
					"articles": {article(1, int64(3)), article(2, int64(2)), article(3, int64(1))},
					"comments": {{int64(1), int64(1), int64(2), "", "a reply first", "published", int64(5), nil, nil, "", nil, "", int64(0), nil, nil},
						{int64(2), int64(1), nil, "", "its parent", "published", int64(4), nil, nil, "", nil, "", int64(0), nil, nil}},
				}, ""))
				if err != nil {
					t.Fatal(err)
				}
				got := collect(t, db)
				for i, want := range []any{int64(3), int64(2), int64(1)} {
					if v := got["articles"][i][13]; v != want {
						t.Errorf("article %d translation_of = %v, want %v", i+1, v, want)
					}
				}
				if v := got["comments"][0][2]; v != int64(2) {
					t.Errorf("reply's parent = %v", v)
				}
			})
			for name, c := range map[string]struct {
				rows   map[string][][]any
				failAt string
				want   string
			}{
				"a failing source": {map[string][][]any{"editions": editions, "articles": {article(1, nil), article(2, nil)}}, "articles", "the source broke"},
				"a broken reference": {map[string][][]any{"editions": editions, "articles": {article(1, nil)},
					"article_tags": {{int64(1), "a", "A", int64(0)}, {int64(9), "b", "B", int64(0)}}}, "", "refers to something that does not exist"},
				"a value of the wrong kind": {map[string][][]any{"editions": editions, "settings": {{"site_name", int64(5)}}}, "", "settings.value"},
				"a NULL where none belongs": {map[string][][]any{"editions": {{"ru", nil, int64(1), "inherit"}}}, "", "editions.name"},
				"a duplicate":               {map[string][][]any{"editions": editions, "articles": {article(1, nil), article(1, nil)}}, "", "already exists"},
			} {
				t.Run(name, func(t *testing.T) {
					db, _ := e.open(t, storetest.NewClock(storetest.T0))
					before := collect(t, db)
					err := db.Load(ctx(), source(c.rows, c.failAt))
					if err == nil || !strings.Contains(err.Error(), c.want) {
						t.Errorf("err = %v, want %q", err, c.want)
					}
					if after := collect(t, db); !reflect.DeepEqual(before, after) {
						t.Errorf("a failed load left\n%v", after)
					}
				})
			}
			t.Run("tables out of order", func(t *testing.T) {
				db, _ := e.open(t, storetest.NewClock(storetest.T0))
				err := db.Load(ctx(), func(fn store.TableFunc) error {
					return fn(store.Tables[1], 0, func(func([]any, error) bool) {})
				})
				if err == nil || !strings.Contains(err.Error(), "where editions belongs") {
					t.Errorf("err = %v", err)
				}
				err = db.Load(ctx(), func(fn store.TableFunc) error { return nil })
				if err == nil || !strings.Contains(err.Error(), "ends before table editions") {
					t.Errorf("err = %v", err)
				}
			})
		})
	}
}

// TestDumpIsASnapshot writes while a dump is under way: the writer is not
// held up, and the dump does not see what it wrote.
func TestDumpIsASnapshot(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			clock := storetest.NewClock(storetest.T0)
			db, raw := e.open(t, clock)
			fill(t, db, raw, clock)
			before := collect(t, db)
			wrote := false
			got := map[string]int{}
			err := db.Dump(ctx(), func(tb store.Table, count int64, rows store.Rows) error {
				if !wrote {
					wrote = true
					done := make(chan error, 1)
					go func() {
						a := &news.Article{Edition: "ru", Title: "Written during the dump", Status: news.StatusPublished,
							PublishedAt: storetest.T0, Categories: []string{"politics"}, Tags: []string{"x"}}
						err := db.CreateArticle(ctx(), a)
						if err == nil {
							err = db.SetSetting(ctx(), "site_name", "Changed")
						}
						done <- err
					}()
					select {
					case err := <-done:
						if err != nil {
							return err
						}
					case <-time.After(30 * time.Second):
						return errors.New("a write waited for the dump")
					}
				}
				for _, err := range rows {
					if err != nil {
						return err
					}
					got[tb.Name]++
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			for _, tb := range store.Tables {
				if got[tb.Name] != len(before[tb.Name]) {
					t.Errorf("%s: the dump has %d rows, %d before the write", tb.Name, got[tb.Name], len(before[tb.Name]))
				}
			}
			if after, _ := db.Counts(ctx()); after["articles"] != int64(len(before["articles"])+1) {
				t.Errorf("the write is not there after the dump: %v", after)
			}
		})
	}
}
