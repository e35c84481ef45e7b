package postgres_test

import (
	"context"
	"testing"

	"tamizdat/internal/store"
	"tamizdat/internal/store/postgres"
	"tamizdat/internal/store/postgres/pgtest"
	"tamizdat/internal/store/storetest"
)

// Open returns a migrated store on a fresh schema of the test server.
func open(t *testing.T, clock *storetest.Clock) *store.DB {
	db := openBare(t, pgtest.FreshDSN(t), clock)
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}

func openBare(t *testing.T, dsn string, clock *storetest.Clock) *store.DB {
	db, err := postgres.Open(context.Background(), dsn, clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestConformance(t *testing.T) { storetest.Run(t, open) }

func TestRebind(t *testing.T) {
	for in, want := range map[string]string{
		"SELECT 1":        "SELECT 1",
		"a = ? AND b = ?": "a = $1 AND b = $2",
		"x LIKE ? ESCAPE '\\' AND y = '?' AND z = ?": "x LIKE $1 ESCAPE '\\' AND y = '?' AND z = $2",
	} {
		if got := postgres.Rebind(in); got != want {
			t.Errorf("Rebind(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestConcurrentMigrateAppliesOnce(t *testing.T) {
	// Four nodes start at once on an empty database.
	dsn := pgtest.FreshDSN(t)
	clock := storetest.NewClock(storetest.T0)
	type result struct {
		applied int
		err     error
	}
	results := make(chan result, 4)
	for range 4 {
		db := openBare(t, dsn, clock)
		go func() {
			n, err := db.Migrate(context.Background())
			results <- result{n, err}
		}()
	}
	total := 0
	for range 4 {
		r := <-results
		if r.err != nil {
			t.Errorf("concurrent Migrate: %v", r.err)
		}
		total += r.applied
	}
	db := openBare(t, dsn, clock)
	cur, latest, err := db.SchemaVersion(context.Background())
	if err != nil || cur != latest || total != latest {
		t.Errorf("after concurrent migrations: version %d of %d, %d applied in all, %v", cur, latest, total, err)
	}
	if es, err := db.Editions(context.Background()); err != nil || len(es) != 3 {
		t.Errorf("editions after concurrent migrations: %v, %v", es, err)
	}
}
