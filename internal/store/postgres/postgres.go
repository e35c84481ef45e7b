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
	"syscall"
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
	XactLock:      "SELECT pg_advisory_xact_lock(?)",
	// Delivered to every LISTENing node when the transaction commits.
	Notify: "SELECT pg_notify('" + Channel + "', ?)",
	// REPEATABLE READ is a snapshot in PostgreSQL.
	SnapshotIsolation: sql.LevelRepeatableRead,
	ResetSequence:     "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM {table}",
	// Resolved through the search_path, as the queries that follow are.
	HasTable: "SELECT CASE WHEN to_regclass(CAST(? AS text)) IS NULL THEN 0 ELSE 1 END",
	Explain:  "EXPLAIN (COSTS OFF) ",
	ExplainSetup: []string{"SET LOCAL enable_seqscan = off", "SET LOCAL enable_sort = off",
		"SET LOCAL enable_bitmapscan = off"},
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
	// A node serves many readers from a small pool, kept whole between
	// bursts (a connection closed when more than half were idle was opened
	// again at the next burst, with its statements prepared again); idle
	// connections are recycled so a restarted server is picked up again.
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(20)
	db.SetConnMaxIdleTime(5 * time.Minute)
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pingCtx); err != nil {
		db.Close()
		return nil, describeConnectError(cfg, err)
	}
	return store.New(db, Dialect, now), nil
}

// describeConnectError names why the first connection failed, for the
// operator who starts a command: unlike a connection lost while serving
// (mapError: readers get a 503 and it heals by itself), this is a setting
// to fix, so the message says which one. It never shows the password.
func describeConnectError(cfg *pgx.ConnConfig, err error) error {
	where := "PostgreSQL at " + net.JoinHostPort(cfg.Host, strconv.Itoa(int(cfg.Port)))
	if strings.HasPrefix(cfg.Host, "/") {
		where = "PostgreSQL at the socket in " + cfg.Host
	}
	var pe *pgconn.PgError
	var dnsErr *net.DNSError
	switch {
	case errors.As(err, &pe):
		switch {
		case pe.Code == "3D000": // invalid_catalog_name
			return news.Errorf(news.EINVALID, "database %q does not exist on %s; create it (createdb %s) or fix the database name in --db", cfg.Database, where, cfg.Database)
		case strings.HasPrefix(pe.Code, "28"): // invalid_password, invalid_authorization_specification, …
			return news.Errorf(news.EINVALID, "%s refused user %q: authentication failed (%s); check the user and password in --db, and the server's pg_hba.conf", where, cfg.User, pe.Message)
		case pe.Code == "57P03": // cannot_connect_now
			return news.Errorf(news.EINVALID, "%s is starting up or shutting down (%s); try again when it is up", where, pe.Message)
		case pe.Code == "53300": // too_many_connections
			return news.Errorf(news.EINVALID, "%s has no free connections (%s); raise max_connections or run fewer nodes", where, pe.Message)
		}
		return news.Errorf(news.EINVALID, "%s refused the connection: %s (SQLSTATE %s)", where, pe.Message, pe.Code)
	case errors.Is(err, syscall.ECONNREFUSED):
		return news.Errorf(news.EINVALID, "cannot connect to %s: connection refused; is the server running and listening there? Check the host and port in --db", where)
	case errors.As(err, &dnsErr):
		return news.Errorf(news.EINVALID, "cannot find the host %q of --db: %s; check the host name", cfg.Host, dnsErr.Err)
	case pgconn.Timeout(err) || errors.Is(err, context.DeadlineExceeded):
		return news.Errorf(news.EINVALID, "no answer from %s within %s; check the host and port in --db and any firewall in between", where, cfg.ConnectTimeout)
	}
	return news.Errorf(news.EINVALID, "cannot connect to %s: %v", where, news.RootCause(err))
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
