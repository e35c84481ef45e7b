package postgres_test

import (
	"context"
	"net"
	"net/url"
	"strings"
	"testing"

	"tamizdat/internal/news"
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

// TestOpenNamesWhyItCannotConnect: an operator starting a command learns
// what to fix, in one line, without the password.
func TestOpenNamesWhyItCannotConnect(t *testing.T) {
	server, err := url.Parse(pgtest.FreshDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	with := func(change func(u *url.URL)) string {
		u := *server
		change(&u)
		return u.String()
	}
	// A server that accepts connections and never answers, as behind a
	// firewall that swallows packets.
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	go func() {
		var held []net.Conn // open, or their finalizers would close them
		defer func() {
			for _, c := range held {
				c.Close()
			}
		}()
		for {
			c, err := silent.Accept()
			if err != nil {
				return
			}
			held = append(held, c)
		}
	}()
	cases := []struct {
		name, dsn string
		words     []string
	}{
		{"nothing listening", "postgres://u:secret@127.0.0.1:1/x", []string{"PostgreSQL at 127.0.0.1:1", "connection refused", "is the server running"}},
		{"an unknown user", with(func(u *url.URL) { u.User = url.UserPassword("nobody_here", "secret") }), []string{`refused user "nobody_here"`, "authentication failed", `role "nobody_here" does not exist`}},
		{"an unknown database", with(func(u *url.URL) { u.Path = "/no_such_database" }), []string{`database "no_such_database" does not exist`, "createdb no_such_database"}},
		{"no answer", "postgres://u:secret@" + silent.Addr().String() + "/x?connect_timeout=1&sslmode=disable", []string{"no answer from PostgreSQL at " + silent.Addr().String() + " within 1s", "firewall"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db, err := postgres.Open(context.Background(), c.dsn, nil)
			if err == nil {
				db.Close()
				t.Fatal("Open succeeded")
			}
			if news.ErrorCode(err) != news.EINVALID {
				t.Errorf("code %s, want EINVALID", news.ErrorCode(err))
			}
			msg := err.Error()
			for _, w := range c.words {
				if !strings.Contains(msg, w) {
					t.Errorf("%q does not say %q", msg, w)
				}
			}
			if strings.Contains(msg, "secret") || strings.Contains(msg, "try again shortly") {
				t.Errorf("%q", msg)
			}
		})
	}
}
