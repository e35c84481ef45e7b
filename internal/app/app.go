// Package app is the composition root: it reads the configuration, opens
// the store, builds the services and handlers, and runs the subcommands.
// Only this package knows every other one; e2e tests boot its Main.
package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // the newsroom's time zone must not depend on the server's files

	"tamizdat/internal/config"
	"tamizdat/internal/news"
	"tamizdat/internal/render"
	"tamizdat/internal/store"
	"tamizdat/internal/store/postgres"
	"tamizdat/internal/store/sqlite"
)

// Env is what Main gets from the process: arguments aside, the streams, the
// environment and the clock. Tests fill it; cmd/tamizdat passes the real ones.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string // nil: os.LookupEnv
	Now            func() time.Time    // nil: time.Now
	// Ready, when set, is told the address serve listens on.
	Ready func(addr string)
}

func (e Env) getenv(key string) string {
	if e.Getenv == nil {
		return os.Getenv(key)
	}
	return e.Getenv(key)
}

// Exit statuses.
const (
	ExitOK       = 0
	ExitFailure  = 1 // something broke that the user did not cause
	ExitBadInput = 2 // bad flags, values or files: the message says what to fix
)

// usageError is a mistake in how the command was called.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

const usage = `tamizdat — a news site for newsrooms that publish under pressure

Usage:
  tamizdat serve [--addr 127.0.0.1:8080] [--data DIR] [--db DSN] [--demo] [--migrate]
                 [--trusted-proxies CIDRS] [--secret-file FILE] [--onion-addr ADDR]
                 [--metrics-addr ADDR]
  tamizdat migrate [--data DIR] [--db DSN]
  tamizdat demo --articles N [--seed S] [--data DIR] [--db DSN]
        (creates a demo site with N generated articles over twenty years, for
        measuring; refuses a site that has articles)
  tamizdat user add --email E --role admin|editor|author|moderator [--name N]
        (the password is read from standard input, or generated and printed once)
  tamizdat user disable --email E   (ends every session and API token of the user at once)
  tamizdat user reset-2fa --email E (removes the user's second factor; they enrol again)
  tamizdat token create --email E [--days 90]
  tamizdat token list --email E
  tamizdat token revoke --id N
  tamizdat settings get [KEY]
  tamizdat settings set KEY VALUE
  tamizdat copy --from DSN --to DSN
        (moves a whole site between databases and engines; the target must be empty)
  tamizdat backup FILE [--sign KEYFILE] [--data DIR] [--db DSN]
        (a checked .tar.gz of the whole site, consistent while it is serving;
        --sign signs it with the private key of keygen)
  tamizdat restore FILE [--key KEYFILE.pub] [--data DIR] [--db DSN]
        (into an empty database only; the archive is checked before anything is written;
        --key refuses an archive that this key pair did not sign, or that was altered)
  tamizdat keygen KEYFILE
        (writes a new Ed25519 signing key to KEYFILE, mode 0600, and its public key to
        KEYFILE.pub; never overwrites a key)

Every flag of serve also has an environment variable: TAMIZDAT_ADDR, TAMIZDAT_DATA,
TAMIZDAT_DB, TAMIZDAT_DEMO, TAMIZDAT_MIGRATE, TAMIZDAT_TRUSTED_PROXIES, TAMIZDAT_ONION_ADDR.
DSN is a SQLite file path or postgres://user@host:port/db. Only serve, migrate and demo
create a site (and the data folder DIR, not the folder of a --db path); the other commands
refuse a missing one. Flags may stand before or after the positional arguments. Exit
status: 0 on success, 2 on bad input, 1 on other failures.
`

// Main runs one tamizdat command and returns its exit status.
func Main(ctx context.Context, args []string, env Env) int {
	if env.Stdin == nil {
		env.Stdin = strings.NewReader("")
	}
	if env.Now == nil {
		env.Now = time.Now
	}
	err := run(ctx, args, env)
	if err == nil {
		return ExitOK
	}
	if errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	fmt.Fprintln(env.Stderr, "tamizdat: "+oneLine(errorText(err)))
	var ue *usageError
	if errors.As(err, &ue) {
		return ExitBadInput
	}
	switch news.ErrorCode(err) {
	case news.EINVALID, news.ENOTFOUND, news.ECONFLICT, news.ETOOLARGE, news.EFORBIDDEN:
		return ExitBadInput
	}
	return ExitFailure
}

func errorText(err error) string {
	var ne *news.Error
	if errors.As(err, &ne) {
		return ne.Message
	}
	return err.Error()
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func run(ctx context.Context, args []string, env Env) error {
	if len(args) == 0 {
		return usagef("no command given; run tamizdat --help")
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "-h", "--help", "help":
		fmt.Fprint(env.Stdout, usage)
		return nil
	case "serve":
		return cmdServe(ctx, rest, env)
	case "migrate":
		return cmdMigrate(ctx, rest, env)
	case "demo":
		return cmdDemo(ctx, rest, env)
	case "user":
		return cmdUser(ctx, rest, env)
	case "token":
		return cmdToken(ctx, rest, env)
	case "settings":
		return cmdSettings(ctx, rest, env)
	case "copy":
		return cmdCopy(ctx, rest, env)
	case "backup":
		return cmdBackup(ctx, rest, env)
	case "restore":
		return cmdRestore(ctx, rest, env)
	case "keygen":
		return cmdKeygen(ctx, rest, env)
	}
	return usagef("unknown command %q; run tamizdat --help", cmd)
}

// parse parses flags that may stand before or after positional arguments
// and returns the positional ones. Environment variables fill flags not given.
func parse(fs *flag.FlagSet, args []string, env Env) ([]string, error) {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fs.SetOutput(env.Stdout)
				fmt.Fprintf(env.Stdout, "Usage of tamizdat %s:\n", fs.Name())
				fs.PrintDefaults()
				return nil, err
			}
			msg := err.Error()
			if name, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
				msg = "unknown flag " + name
			}
			return nil, usagef("%s %s; run tamizdat %s --help", fs.Name(), msg, fs.Name())
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
	if err := config.ApplyEnv(fs, env.Getenv); err != nil {
		return nil, usagef("%v", err)
	}
	return positional, nil
}

// openStore opens the site of every command but serve and migrate: it must
// be there already. A missing SQLite file, or a database without tamizdat's
// tables, is refused with the place looked at and the flag that fixes it,
// and nothing is created: a command run in the wrong folder must not start
// an empty site there and answer from it. An older schema is refused unless
// migrate is true: an operator decides when a schema changes.
func openStore(ctx context.Context, cfg *config.Config, env Env, migrate bool) (*store.DB, error) {
	return openSite(ctx, cfg, env, migrate, false)
}

// createStore is openStore for serve and migrate, which may start a site:
// a new database is created and migrated. For SQLite, the data folder
// (--data) is created if its parent exists; a folder named in --db must
// exist.
func createStore(ctx context.Context, cfg *config.Config, env Env, migrate bool) (*store.DB, error) {
	return openSite(ctx, cfg, env, migrate, true)
}

func openSite(ctx context.Context, cfg *config.Config, env Env, migrate, create bool) (*store.DB, error) {
	src := sourceOf(cfg)
	var db *store.DB
	var err error
	if create {
		db, err = createEngine(ctx, cfg.DSN(), env, src)
	} else {
		db, err = openEngine(ctx, cfg.DSN(), env, src)
	}
	if err != nil {
		return nil, err
	}
	dsn := redact(cfg.DSN())
	cur, latest, err := db.SchemaVersion(ctx)
	// A node starting beside one that is migrating the database sees a
	// version in between for a moment: wait for it rather than refuse.
	for wait := 0; err == nil && cur > 0 && cur < latest && !migrate && wait < 20; wait++ {
		time.Sleep(250 * time.Millisecond)
		cur, latest, err = db.SchemaVersion(ctx)
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("reading the schema version of %s: %w", dsn, err)
	}
	switch {
	case cur == 0 && !create:
		db.Close()
		return nil, noSite(cfg.DSN(), src)
	case cur > latest:
		db.Close()
		return nil, news.Errorf(news.EINVALID, "the database schema (version %d) is newer than this binary's (%d); run a newer tamizdat", cur, latest)
	case cur < latest && (cur == 0 || migrate):
		if _, err := db.Migrate(ctx); err != nil {
			db.Close()
			return nil, err
		}
	case cur < latest:
		db.Close()
		return nil, news.Errorf(news.EINVALID, "the database schema is at version %d, this binary needs %d; back it up with the tamizdat version that runs it, then run tamizdat migrate (or serve --migrate)", cur, latest)
	}
	db.SetRenderer(bodyRenderer)
	return db, nil
}

// bodyRenderer is how every command's saves render an article's body.
var bodyRenderer = store.Renderer{Version: render.Version, Render: func(body string, interview bool) string {
	return string(render.Article(body, render.Options{Interview: interview}))
}}

// renderStale renders, in the background and a batch at a time, the
// bodies a migration, a restore or a new renderer left without their
// HTML; until an article's turn its page renders it on view.
func renderStale(ctx context.Context, db *store.DB, log *slog.Logger) {
	var after int64
	total := 0
	start := time.Now()
	for {
		last, done, err := db.RenderStale(ctx, after, 200)
		if err != nil {
			if ctx.Err() == nil {
				log.Error("rendering stored bodies", "error", err)
			}
			return
		}
		total += done
		if last == 0 {
			break
		}
		after = last
	}
	if total > 0 {
		log.Info("rendered article bodies", "articles", total, "seconds", time.Since(start).Seconds())
	}
}

// source is where a command was told its database is, for messages that
// name the flag to fix.
type source struct {
	flag string // the flag naming the database: --db, --from or --to
	data string // the --data folder, when the database is its default one
}

func sourceOf(cfg *config.Config) source {
	if cfg.DB == "" {
		return source{flag: "--db", data: cfg.DataDir}
	}
	return source{flag: "--db"}
}

func (s source) looked() string {
	if s.data != "" {
		return "the database of --data " + s.data
	}
	return s.flag
}

// noSite is the refusal of a command that needs a site where there is
// none.
func noSite(dsn string, src source) error {
	if src.flag != "--db" {
		return news.Errorf(news.EINVALID, "no site at %s (looked for %s); point %s at an existing site", redact(dsn), src.looked(), src.flag)
	}
	return news.Errorf(news.EINVALID, "no site at %s (looked for %s); run tamizdat serve or tamizdat migrate first, or point --data/--db at the site", redact(dsn), src.looked())
}

// urlScheme matches the start of anything that reads as a URL.
var urlScheme = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:`)

// checkDSN refuses a database that is neither a postgres:// URL nor a
// plain file path: mysql://…, sqlite://… or file:… would otherwise be
// taken for the name of a new SQLite file.
func checkDSN(dsn, flagName string) error {
	if postgres.IsDSN(dsn) {
		return nil
	}
	if dsn == "" || urlScheme.MatchString(dsn) {
		return news.Errorf(news.EINVALID, "%s %q is neither a SQLite file path nor a PostgreSQL URL; give a path such as data/tamizdat.db or a URL such as postgres://user@host:5432/db", flagName, redact(dsn))
	}
	return nil
}

// openEngine opens an existing database, PostgreSQL for a postgres:// URL
// and SQLite for a file path; it creates nothing.
func openEngine(ctx context.Context, dsn string, env Env, src source) (*store.DB, error) {
	if err := checkDSN(dsn, src.flag); err != nil {
		return nil, err
	}
	if postgres.IsDSN(dsn) {
		return postgres.Open(ctx, dsn, env.Now)
	}
	// An empty file is no site either, and opening it would write WAL
	// mode into it.
	if st, err := os.Stat(dsn); errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) || (err == nil && st.Mode().IsRegular() && st.Size() == 0) {
		return nil, noSite(dsn, src)
	}
	if err := checkWritable(filepath.Dir(dsn)); err != nil {
		return nil, err
	}
	db, err := sqlite.OpenExisting(ctx, dsn, env.Now)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, noSite(dsn, src)
	}
	return db, err
}

// createEngine opens a database, creating a SQLite file (mode 0600) when
// it is missing. Its folder must exist, except the data folder of the
// default path, which is created (one level, mode 0700) so that a first
// `serve` in a new checkout just works; a mistyped path deeper down is
// refused rather than made.
func createEngine(ctx context.Context, dsn string, env Env, src source) (*store.DB, error) {
	if err := checkDSN(dsn, src.flag); err != nil {
		return nil, err
	}
	if postgres.IsDSN(dsn) {
		return postgres.Open(ctx, dsn, env.Now)
	}
	dir := filepath.Dir(dsn)
	if src.data != "" {
		if err := makeDataDir(dir); err != nil {
			return nil, err
		}
	} else if err := newFileFolder(dsn, src); err != nil {
		return nil, err
	}
	if err := checkWritable(dir); err != nil {
		return nil, err
	}
	return sqlite.Open(ctx, dsn, env.Now)
}

// makeDataDir creates the data folder if it is missing, but not its
// parent.
func makeDataDir(dir string) error {
	err := os.Mkdir(dir, 0o700)
	switch {
	case err == nil || errors.Is(err, fs.ErrExist):
		return nil
	case errors.Is(err, fs.ErrNotExist):
		return news.Errorf(news.EINVALID, "cannot create the data folder %s: the folder %s does not exist; create it first or choose another --data", dir, filepath.Dir(dir))
	}
	return news.Errorf(news.EINVALID, "cannot create the data folder %s: %v; choose another with --data", dir, news.RootCause(err))
}

// newFileFolder refuses a new SQLite file whose folder is not there.
func newFileFolder(path string, src source) error {
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	switch {
	case err != nil && src.data != "":
		return news.Errorf(news.EINVALID, "the data folder %s does not exist; create it first, or point --data or --db elsewhere", dir)
	case err != nil:
		return news.Errorf(news.EINVALID, "the folder %s of %s %s does not exist; create it first, or give %s a path in an existing folder", dir, src.flag, path, src.flag)
	case !st.IsDir():
		return news.Errorf(news.EINVALID, "%s, the folder of %s, is not a folder; choose another path", dir, path)
	}
	return nil
}

// checkWritable makes sure a file can be created in dir (SQLite makes its
// -wal and -shm files there), so an unwritable data folder is reported as
// such and not as a database error.
func checkWritable(dir string) error {
	f, err := os.CreateTemp(dir, ".write-check-*")
	if err != nil {
		return news.Errorf(news.EINVALID, "the data folder %s is not writable: %v; fix its permissions or choose another with --data", dir, news.RootCause(err))
	}
	f.Close()
	os.Remove(f.Name())
	return nil
}

// redact hides a password in a database URL before it is printed.
func redact(dsn string) string {
	if i := strings.Index(dsn, "@"); i > 0 {
		if j := strings.Index(dsn, "://"); j > 0 && j < i {
			user := dsn[j+3 : i]
			if u, _, ok := strings.Cut(user, ":"); ok {
				return dsn[:j+3] + u + ":***" + dsn[i:]
			}
		}
	}
	return dsn
}

func newLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}
