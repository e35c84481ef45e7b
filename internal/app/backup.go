package app

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"tamizdat/internal/archive"
	"tamizdat/internal/config"
	"tamizdat/internal/news"
	"tamizdat/internal/signing"
	"tamizdat/internal/store"
	"tamizdat/internal/store/postgres"
	"tamizdat/internal/store/sqlite"
)

// cmdCopy moves a whole site from one database to another, engine to
// engine, streaming: the source is read in one snapshot and the target
// written in one transaction, table by table, never a whole table in memory.
func cmdCopy(ctx context.Context, args []string, env Env) error {
	fs := flag.NewFlagSet("copy", flag.ContinueOnError)
	from := fs.String("from", "", "the database to copy: a SQLite file path or postgres://user@host:port/db")
	to := fs.String("to", "", "the empty database to copy into (a new SQLite file is created)")
	pos, err := parse(fs, args, env)
	if err != nil {
		return err
	}
	if len(pos) > 0 || *from == "" || *to == "" {
		return usagef("usage: tamizdat copy --from DSN --to DSN (a DSN is a SQLite file path or a postgres:// URL)")
	}
	if sameDatabase(*from, *to) {
		return usagef("--from and --to name the same database; copy into a new, empty one")
	}
	target := source{flag: "--to"}
	if err := checkTarget(*to, target); err != nil {
		return err
	}
	src, latest, err := openSource(ctx, *from, env, source{flag: "--from"})
	if err != nil {
		return err
	}
	defer src.Close()
	dst, cleanup, err := openTarget(ctx, *to, env, latest, target)
	if err != nil {
		return err
	}
	done := false
	defer func() { cleanup(done) }()
	p := newProgress(env, "copying")
	dumped := map[string]int64{}
	start := time.Now()
	err = dst.Load(ctx, func(load store.TableFunc) error {
		return src.Dump(ctx, p.wrap(func(t store.Table, count int64, rows store.Rows) error {
			dumped[t.Name] = count
			return load(t, count, rows)
		}))
	})
	if err != nil {
		return failed(fmt.Sprintf("copy failed, nothing was written to %s", redact(*to)), err)
	}
	done = true
	if err := checkCounts(ctx, dst, dumped, "the source"); err != nil {
		return fmt.Errorf("the copy to %s is incomplete: %w", redact(*to), err)
	}
	fmt.Fprintf(env.Stdout, "copied %s to %s: %d rows in %d tables, counts checked (%s)\n",
		redact(*from), redact(*to), total(dumped), len(dumped), time.Since(start).Round(time.Millisecond))
	return nil
}

// cmdBackup writes an archive of the site, consistent even while the site
// is serving: Dump reads one snapshot. The file appears only once complete
// and checked, so a failed backup leaves no half file behind.
func cmdBackup(ctx context.Context, args []string, env Env) error {
	cfg := config.Default()
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	cfg.BindStorage(fs)
	sign := fs.String("sign", "", "sign the archive with this private key (made by tamizdat keygen)")
	pos, err := parse(fs, args, env)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("usage: tamizdat backup FILE [--sign KEYFILE] [--data DIR] [--db DSN]")
	}
	file := pos[0]
	if st, err := os.Stat(file); err == nil && st.IsDir() {
		return usagef("%s is a folder; name the archive file, e.g. %s", file, filepath.Join(file, "tamizdat-backup.tar.gz"))
	}
	key, err := signingKey(*sign)
	if err != nil {
		return err
	}
	db, latest, err := openSource(ctx, cfg.DSN(), env, sourceOf(&cfg))
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	tmp := file + ".tmp"
	// The archive holds password and token hashes: readable by its owner
	// only.
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return news.Errorf(news.EINVALID, "cannot write the backup: %v; choose another FILE", news.RootCause(err))
	}
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(tmp)
		}
	}()
	h := sha256.New()
	bw := bufio.NewWriterSize(io.MultiWriter(f, h), 1<<20)
	p := newProgress(env, "backing up")
	info := archive.Info{SchemaVersion: latest, Engine: db.Engine(), CreatedAt: env.Now(), Key: key}
	m, err := archive.Write(bw, filepath.Dir(file), info, func(fn store.TableFunc) error { return db.Dump(ctx, p.wrap(fn)) })
	if err != nil {
		return fmt.Errorf("backup failed, no file written: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("backup failed, no file written: %w", err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("backup failed, no file written: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("backup failed, no file written: %w", err)
	}
	// Read it back as restore will before it takes the name: a backup
	// that cannot be restored is worse than none, because it is trusted.
	var check *signing.PublicKey
	if key != nil {
		check = key.Public()
	}
	if _, err := verifyFile(tmp, latest, check, nil); err != nil {
		return fmt.Errorf("backup failed, the written archive does not check out: %w", err)
	}
	if err := os.Rename(tmp, file); err != nil {
		return fmt.Errorf("backup failed: %w", err)
	}
	ok = true
	syncDir(filepath.Dir(file))
	size := int64(0)
	if st, err := os.Stat(file); err == nil {
		size = st.Size()
	}
	signed := "unsigned"
	if key != nil {
		signed = "signed by key " + key.Public().Fingerprint()
	}
	fmt.Fprintf(env.Stdout, "backup of %s written to %s: %d rows in %d tables, %d bytes, sha256 %s, %s (%s)\n",
		redact(cfg.DSN()), file, m.TotalRows(), len(m.Tables), size, hex.EncodeToString(h.Sum(nil)), signed, time.Since(start).Round(time.Millisecond))
	return nil
}

// cmdRestore loads an archive into an empty database. The whole archive is
// checked (with --key, its signature too) before the database is even
// opened, so a damaged or forged one creates and writes nothing; the rows
// then go in in one transaction.
func cmdRestore(ctx context.Context, args []string, env Env) error {
	cfg := config.Default()
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	cfg.BindStorage(fs)
	keyFile := fs.String("key", "", "refuse the archive unless it is signed by the private key of this public key (KEYFILE.pub of tamizdat keygen)")
	pos, err := parse(fs, args, env)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("usage: tamizdat restore FILE [--key KEYFILE.pub] [--data DIR] [--db DSN]")
	}
	file, dsn := pos[0], cfg.DSN()
	key, err := checkingKey(*keyFile)
	if err != nil {
		return err
	}
	// What is wrong with the target is found before a long check of the
	// archive.
	if err := checkTarget(dsn, sourceOf(&cfg)); err != nil {
		return err
	}
	d := sqlite.Dialect
	if postgres.IsDSN(dsn) {
		d = postgres.Dialect
	}
	latest, err := store.LatestSchema(d)
	if err != nil {
		return err
	}
	start := time.Now()
	m, err := verifyFile(file, latest, key, newProgress(env, "checking"))
	if err != nil {
		return err
	}
	db, cleanup, err := openTarget(ctx, dsn, env, latest, sourceOf(&cfg))
	if err != nil {
		return err
	}
	done := false
	defer func() { cleanup(done) }()
	f, err := os.Open(file)
	if err != nil {
		return news.Errorf(news.EINVALID, "cannot read %s: %v", file, news.RootCause(err))
	}
	defer f.Close()
	p := newProgress(env, "restoring")
	// Checked again while loading: the file may have been replaced since.
	want := archive.Want{SchemaVersion: latest, Tables: store.Tables, Key: key}
	err = db.Load(ctx, func(load store.TableFunc) error {
		_, err := archive.Read(bufio.NewReaderSize(f, 1<<20), want, p.wrap(load))
		return err
	})
	if err != nil {
		// The archive was checked, but it may have changed since.
		if ae := archiveError(file, err); ae != err {
			return ae
		}
		return failed(fmt.Sprintf("restore failed, nothing was written to %s", redact(dsn)), err)
	}
	done = true
	expected := map[string]int64{}
	for _, t := range m.Tables {
		expected[t.Name] = t.Rows
	}
	if err := checkCounts(ctx, db, expected, "the archive"); err != nil {
		return fmt.Errorf("the restore into %s is incomplete: %w", redact(dsn), err)
	}
	var signed string
	switch {
	case key != nil:
		signed = "its signature by key " + m.SignedBy + " checked"
	case m.SignedBy != "":
		signed = "signed by key " + m.SignedBy + ", but the signature was not checked (no --key given)"
	default:
		signed = "unsigned"
	}
	fmt.Fprintf(env.Stdout, "restored %s into %s: %d rows in %d tables, a %s site backed up %s, %s (%s)\n",
		file, redact(dsn), m.TotalRows(), len(m.Tables), m.Engine, m.CreatedAt.Format(time.RFC3339), signed, time.Since(start).Round(time.Millisecond))
	return nil
}

// verifyFile reads the whole archive at path and checks it (and its
// signature, given the key), writing nothing anywhere.
func verifyFile(path string, schema int, key *signing.PublicKey, p *progress) (*archive.Manifest, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, news.Errorf(news.EINVALID, "cannot read %s: %v", path, news.RootCause(err))
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return nil, news.Errorf(news.EINVALID, "%s is a folder, not an archive", path)
	}
	var r io.Reader = f
	if p != nil {
		r = p.reader(f, st.Size())
	}
	m, err := archive.Read(bufio.NewReaderSize(r, 1<<20), archive.Want{SchemaVersion: schema, Tables: store.Tables, Key: key}, nil)
	if p != nil {
		p.end()
	}
	if err != nil {
		return nil, archiveError(path, err)
	}
	return m, nil
}

// failed puts what failed in front of err's message, keeping its news
// code: a rule of the database broken by the data is still bad input.
func failed(what string, err error) error {
	var ne *news.Error
	if errors.As(err, &ne) {
		return news.Errorf(ne.Code, "%s: %s", what, err.Error())
	}
	return fmt.Errorf("%s: %w", what, err)
}

// archiveError makes a problem with the archive bad input (exit 2) that
// names the file.
func archiveError(path string, err error) error {
	var ae *archive.Error
	if errors.As(err, &ae) {
		return news.Errorf(news.EINVALID, "%s: %s; nothing was restored", path, ae.Msg)
	}
	return err
}

// openSource opens an existing site to read: it must be there (a missing
// SQLite file is not created) and at the schema this binary dumps.
func openSource(ctx context.Context, dsn string, env Env, src source) (*store.DB, int, error) {
	db, err := openEngine(ctx, dsn, env, src)
	if err != nil {
		return nil, 0, err
	}
	cur, latest, err := db.SchemaVersion(ctx)
	switch {
	case err != nil:
		db.Close()
		return nil, 0, fmt.Errorf("reading the schema version of %s: %w", redact(dsn), err)
	case cur == 0:
		db.Close()
		return nil, 0, noSite(dsn, src)
	case cur != latest:
		db.Close()
		return nil, 0, news.Errorf(news.EINVALID, "the site at %s is at schema version %d, this tamizdat at %d; back it up with the tamizdat that runs it (or copy the database with the engine's tools) before upgrading", redact(dsn), cur, latest)
	}
	return db, latest, nil
}

// checkTarget refuses, before any work, a target that cannot be: not a
// database name, or a new SQLite file in a folder that is not there (it is
// not created: a mistyped path must not start a site somewhere).
func checkTarget(dsn string, src source) error {
	if err := checkDSN(dsn, src.flag); err != nil {
		return err
	}
	if postgres.IsDSN(dsn) {
		return nil
	}
	return newFileFolder(dsn, src)
}

// openTarget opens (creating and migrating a new one, as serve does) the
// database to fill and checks that it is empty. cleanup closes it and,
// unless the fill succeeded, removes a SQLite file that was created here,
// so a failure leaves nothing behind.
func openTarget(ctx context.Context, dsn string, env Env, schema int, src source) (*store.DB, func(ok bool), error) {
	if err := checkTarget(dsn, src); err != nil {
		return nil, nil, err
	}
	created := false
	if !postgres.IsDSN(dsn) {
		if _, err := os.Stat(dsn); errors.Is(err, os.ErrNotExist) {
			created = true
		}
	}
	cfg := config.Config{DB: dsn}
	db, err := createStore(ctx, &cfg, env, false)
	if err != nil {
		if created {
			removeSQLite(dsn)
		}
		return nil, nil, err
	}
	cleanup := func(ok bool) {
		db.Close()
		if created && !ok {
			removeSQLite(dsn)
		}
	}
	fail := func(err error) (*store.DB, func(bool), error) {
		cleanup(false)
		return nil, nil, err
	}
	if _, latest, err := db.SchemaVersion(ctx); err != nil {
		return fail(err)
	} else if latest != schema {
		return fail(news.Errorf(news.EINVALID, "the source is at schema version %d, %s at %d", schema, redact(dsn), latest))
	}
	empty, held, err := db.IsEmpty(ctx)
	if err != nil {
		return fail(err)
	}
	if !empty {
		return fail(news.Errorf(news.ECONFLICT, "%s is not empty (it has %s); nothing was written; name a new, empty database", redact(dsn), held))
	}
	return db, cleanup, nil
}

func removeSQLite(path string) {
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		os.Remove(path + suffix)
	}
}

// sameDatabase tells whether two DSNs obviously name one database.
func sameDatabase(a, b string) bool {
	if postgres.IsDSN(a) || postgres.IsDSN(b) {
		return a == b
	}
	fa, errA := filepath.Abs(a)
	fb, errB := filepath.Abs(b)
	if errA != nil || errB != nil {
		return a == b
	}
	if fa == fb {
		return true
	}
	sa, errA := os.Stat(fa)
	sb, errB := os.Stat(fb)
	return errA == nil && errB == nil && os.SameFile(sa, sb)
}

// checkCounts compares the target's rows per table with what should be
// there; a difference is a failure (exit 1), not bad input.
func checkCounts(ctx context.Context, db *store.DB, want map[string]int64, source string) error {
	got, err := db.Counts(ctx)
	if err != nil {
		return err
	}
	var diff []string
	for _, t := range store.Tables {
		if got[t.Name] != want[t.Name] {
			diff = append(diff, fmt.Sprintf("%s: %d in %s, %d in the target", t.Name, want[t.Name], source, got[t.Name]))
		}
	}
	if len(diff) > 0 {
		return fmt.Errorf("row counts differ: %s", strings.Join(diff, "; "))
	}
	return nil
}

func total(counts map[string]int64) int64 {
	var n int64
	for _, c := range counts {
		n += c
	}
	return n
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
