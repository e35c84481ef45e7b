// Package pgtest gives tests their own empty schema on the PostgreSQL
// server of the machine. In CI (CI=true) an unreachable server fails the
// test; elsewhere the test is skipped with a loud message.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
)

// ServerDSN is the server tests use: TAMIZDAT_TEST_POSTGRES, or the local
// server with trust authentication.
func ServerDSN() string {
	if dsn := os.Getenv("TAMIZDAT_TEST_POSTGRES"); dsn != "" {
		return dsn
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

// FreshDSN creates an empty schema, dropped when the test ends, and returns
// a DSN whose search_path is that schema.
func FreshDSN(t testing.TB) string {
	t.Helper()
	dsn := ServerDSN()
	admin, err := sql.Open("pgx", dsn)
	if err == nil {
		err = admin.PingContext(context.Background())
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL at %s is unreachable (%v); .ci/run must install and start it", dsn, err)
		}
		t.Skipf("\n*** SKIPPING a PostgreSQL test: %s is unreachable (%v).\n*** Start PostgreSQL or set TAMIZDAT_TEST_POSTGRES.", dsn, err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "test_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
