package store_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"tamizdat/internal/news"
	"tamizdat/internal/store/storetest"
)

type observed struct {
	op  string
	err error
}

// The observer hears of every statement by its kind alone, with the
// database's own errors and not a row that was not there.
func TestObserverHearsEveryStatementByKind(t *testing.T) {
	for _, eng := range storetest.Engines {
		t.Run(eng.Name, func(t *testing.T) {
			ctx := context.Background()
			db, _ := eng.Open(t, nil)
			if _, err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			var mu sync.Mutex
			var seen []observed
			db.SetObserver(func(op string, d time.Duration, err error) {
				if d < 0 {
					t.Errorf("%s took %v", op, d)
				}
				mu.Lock()
				seen = append(seen, observed{op, err})
				mu.Unlock()
			})
			take := func() []observed {
				mu.Lock()
				defer mu.Unlock()
				s := seen
				seen = nil
				return s
			}
			ops := func(s []observed) []string {
				var out []string
				for _, o := range s {
					if !slices.Contains(out, o.op) {
						out = append(out, o.op)
					}
				}
				slices.Sort(out)
				return out
			}

			if err := db.SetSetting(ctx, "site_name", "Observed"); err != nil {
				t.Fatal(err)
			}
			if got := ops(take()); !slices.Equal(got, []string{"commit", "exec", "query"}) {
				t.Errorf("a setting stored: ops %v, want commit, exec and query", got)
			}

			if _, err := db.Article(ctx, 424242); news.ErrorCode(err) != news.ENOTFOUND {
				t.Fatalf("a missing article: %v", err)
			}
			got := take()
			if len(got) != 1 || got[0].op != "query_row" || got[0].err != nil {
				t.Errorf("a missing article: %v, want one query_row without error (no row is an answer)", got)
			}

			gone, cancel := context.WithCancel(ctx)
			cancel()
			if _, err := db.Editions(gone); err == nil {
				t.Fatal("a query on a cancelled context answered")
			}
			got = take()
			if len(got) != 1 || got[0].op != "query" || got[0].err == nil {
				t.Errorf("a query that failed: %v, want one query with its error", got)
			}

			db.SetObserver(nil)
			if _, err := db.Editions(ctx); err != nil {
				t.Fatal(err)
			}
			if got := take(); len(got) != 0 {
				t.Errorf("after SetObserver(nil): %v", got)
			}
		})
	}
}
