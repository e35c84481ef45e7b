package store

import (
	"context"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"
)

// MigrationFiles gives an engine's embedded migrations/ folder as the FS a
// Dialect wants.
func MigrationFiles(embedded fs.FS) fs.FS {
	sub, err := fs.Sub(embedded, "migrations")
	if err != nil {
		panic(err) // the folder is embedded at build time
	}
	return sub
}

// afterSQL is work of a migration that the store does in Go, in the
// migration's transaction after its SQL: filling tables derived from the
// rows by rules the store already holds, so the rule is written once.
var afterSQL = map[int]func(s *DB, ctx context.Context, c conn) error{
	9: (*DB).rebuildDerived,
}

type migration struct {
	version int
	name    string
	sql     string
}

func (s *DB) migrations() ([]migration, error) {
	entries, err := fs.ReadDir(s.d.Migrations, ".")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("migration file %s is not named NNNN_name.sql", e.Name())
		}
		b, err := fs.ReadFile(s.d.Migrations, e.Name())
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(b)})
	}
	slices.SortFunc(ms, func(a, b migration) int { return a.version - b.version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: versions must run 1, 2, 3… without gaps", m.name)
		}
	}
	return ms, nil
}

// SchemaVersion returns the version the database is at, 0 when it has no
// tamizdat tables, and the latest the binary knows. It writes nothing, so
// looking at a database that is not a site leaves it as it was.
func (s *DB) SchemaVersion(ctx context.Context) (current, latest int, err error) {
	ms, err := s.migrations()
	if err != nil {
		return 0, 0, err
	}
	c := s.read()
	var n int
	if err := c.queryRow(ctx, s.d.HasTable, "schema_migrations").Scan(&n); err != nil {
		return 0, 0, s.mapErr(err)
	}
	if n == 0 {
		return 0, len(ms), nil
	}
	if err := c.queryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
		return 0, 0, s.mapErr(err)
	}
	return current, len(ms), nil
}

// Migrate applies every migration the database lacks, each in its own
// transaction, and returns how many it applied. A database newer than the
// binary is refused: an older binary must not write to it.
func (s *DB) Migrate(ctx context.Context) (int, error) {
	// Nodes starting together on a new database would race to create the
	// table, which PostgreSQL refuses in several ways: create it under the
	// migration lock.
	err := s.tx(ctx, func(c conn) error {
		if s.d.MigrationLock != "" {
			if _, err := c.exec(ctx, s.d.MigrationLock); err != nil {
				return err
			}
		}
		_, err := c.exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)`)
		return err
	})
	if err != nil {
		return 0, err
	}
	current, latest, err := s.SchemaVersion(ctx)
	if err != nil {
		return 0, err
	}
	if current > latest {
		return 0, fmt.Errorf("the database schema is at version %d, newer than this binary's %d; run a newer tamizdat", current, latest)
	}
	ms, _ := s.migrations()
	applied := 0
	for _, m := range ms[current:] {
		done := false
		err := s.tx(ctx, func(c conn) error {
			// Nodes starting together may race to migrate: take the engine's
			// lock, then look again at what is applied.
			if s.d.MigrationLock != "" {
				if _, err := c.exec(ctx, s.d.MigrationLock); err != nil {
					return err
				}
			}
			var at int
			if err := c.queryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&at); err != nil {
				return s.mapErr(err)
			}
			if at >= m.version {
				done = true
				return nil
			}
			if _, err := c.q.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("migration %s: %w", m.name, err)
			}
			if step := afterSQL[m.version]; step != nil {
				if err := step(s, ctx, c); err != nil {
					return fmt.Errorf("migration %s: %w", m.name, err)
				}
			}
			_, err := c.exec(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`, m.version, s.now().UnixMicro())
			return err
		})
		if err != nil {
			return applied, err
		}
		if !done {
			applied++
		}
	}
	return applied, nil
}
