// Package postgres is the engine for several nodes on one PostgreSQL: driver
// setup (pgx through database/sql), placeholders, error mapping to news
// errors, and the embedded migrations.
package postgres

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"tamizdat/internal/news"
	"tamizdat/internal/store"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Dialect tells the shared store how this engine differs.
var Dialect = store.Dialect{
	Name:       "postgres",
	Rebind:     Rebind,
	MapError:   mapError,
	Migrations: store.MigrationFiles(migrations),
	// A transaction-scoped advisory lock: released at COMMIT or ROLLBACK,
	// also when the node dies mid-way.
	MigrationLock: "SELECT pg_advisory_xact_lock(727274)",
	// Delivered to every LISTENing node when the transaction commits.
	Notify: "SELECT pg_notify('" + Channel + "', ?)",
	// REPEATABLE READ is a snapshot in PostgreSQL.
	SnapshotIsolation: sql.LevelRepeatableRead,
	ResetSequence:     "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM {table}",
	// Resolved through the search_path, as the queries that follow are.
	HasTable: "SELECT CASE WHEN to_regclass(CAST(? AS text)) IS NULL THEN 0 ELSE 1 END",
}

// Channel is the NOTIFY channel of the change log.
const Channel = "tamizdat_changes"

// IsDSN reports whether dsn names a PostgreSQL database.
func IsDSN(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open connects to the database at dsn and checks that it answers.
func Open(ctx context.Context, dsn string, now func() time.Time) (*store.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, news.Errorf(news.EINVALID, "--db is not a valid PostgreSQL URL: %v", err)
	}
	// Without a bound a connection to a server behind a dead link waits for
	// the kernel's TCP timeout, minutes; readers must get a 503 in seconds.
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = 3 * time.Second
	}
	db := stdlib.OpenDB(*cfg)
	// A node serves many readers from a small pool; idle connections are
	// recycled so a restarted server is picked up again.
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(10)
	db.SetConnMaxIdleTime(5 * time.Minute)
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pingCtx); err != nil {
		db.Close()
		return nil, news.Errorf(news.EINVALID, "cannot connect to PostgreSQL: %v", mapError(err))
	}
	return store.New(db, Dialect, now), nil
}

// Rebind turns ? placeholders into $1, $2, … outside quoted strings.
func Rebind(q string) string {
	if !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n, quoted := 0, false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'':
			quoted = !quoted
		case c == '?' && !quoted:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

func mapError(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505":
			return news.Errorf(news.ECONFLICT, "already exists")
		case "23503":
			return news.Errorf(news.EINVALID, "refers to something that does not exist")
		case "57P01", "57P02", "57P03", "53300":
			return news.Errorf(news.EUNAVAILABLE, "the database is unavailable; try again shortly")
		}
		return err
	}
	// Anything else the driver returns is about the connection, not the
	// query: refused, reset, closed or timed out.
	var ne net.Error
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) || errors.As(err, &ne) || errors.Is(err, sql.ErrConnDone) || errors.Is(err, driver.ErrBadConn) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || pgconn.Timeout(err) || strings.Contains(err.Error(), "conn closed") {
		return news.Errorf(news.EUNAVAILABLE, "the database is unavailable; try again shortly")
	}
	return err
}
