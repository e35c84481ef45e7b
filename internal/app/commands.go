package app

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"tamizdat/internal/auth"
	"tamizdat/internal/config"
	"tamizdat/internal/demo"
	"tamizdat/internal/news"
	"tamizdat/internal/store"
)

func cmdMigrate(ctx context.Context, args []string, env Env) error {
	cfg := config.Default()
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	cfg.BindStorage(fs)
	pos, err := parse(fs, args, env)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("migrate takes no arguments, got %q", pos[0])
	}
	db, err := createStore(ctx, &cfg, env, true)
	if err != nil {
		return err
	}
	defer db.Close()
	cur, _, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "schema at version %d\n", cur)
	return nil
}

func cmdUser(ctx context.Context, args []string, env Env) error {
	cfg := config.Default()
	fs := flag.NewFlagSet("user", flag.ContinueOnError)
	cfg.BindStorage(fs)
	email := fs.String("email", "", "the user's e-mail address")
	role := fs.String("role", "", "admin, editor, author or moderator")
	name := fs.String("name", "", "display name (default: the e-mail's local part)")
	pos, err := parse(fs, args, env)
	if err != nil {
		return err
	}
	if len(pos) != 1 || (pos[0] != "add" && pos[0] != "disable" && pos[0] != "reset-2fa") {
		return usagef("usage: tamizdat user add --email E --role ROLE [--name N] | tamizdat user disable --email E | tamizdat user reset-2fa --email E")
	}
	addr, err := news.NormalizeEmail(*email)
	if err != nil {
		return usagef("--email: %v", err)
	}
	if pos[0] == "disable" {
		return disableUser(ctx, &cfg, env, addr)
	}
	if pos[0] == "reset-2fa" {
		return resetTwoFactor(ctx, &cfg, env, addr)
	}
	if !news.Role(*role).Valid() {
		return usagef("--role %q is not one of admin, editor, author, moderator", *role)
	}
	password, generated, err := readPassword(env.Stdin)
	if err != nil {
		return err
	}
	if *name == "" {
		*name, _, _ = strings.Cut(addr, "@")
	}
	hash, err := auth.NewPasswordHash(password, addr, *name)
	if err != nil {
		return err
	}
	db, err := openStore(ctx, &cfg, env, false)
	if err != nil {
		return err
	}
	defer db.Close()
	u := &news.User{Email: addr, Name: *name, Role: news.Role(*role), Active: true, PasswordHash: hash}
	if err := db.CreateUser(ctx, u); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "user %s <%s> added as %s\n", u.Name, u.Email, u.Role)
	if generated {
		fmt.Fprintf(env.Stdout, "password (shown once): %s\n", password)
	}
	return nil
}

// disableUser closes an account at once, as on the day a colleague is
// arrested: sign-in and every API token stop working on every node.
func disableUser(ctx context.Context, cfg *config.Config, env Env, email string) error {
	db, err := openStore(ctx, cfg, env, false)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := db.DisableUser(ctx, email)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "user %s disabled; every session ended and %d API tokens revoked\n", email, n)
	return nil
}

// resetTwoFactor recovers an account whose owner lost both the phone and
// the recovery codes (an admin locked out of the desk): the second factor
// and the codes are removed and every session ends; at the next sign-in
// with the password the user enrols a new authenticator.
func resetTwoFactor(ctx context.Context, cfg *config.Config, env Env, email string) error {
	db, err := openStore(ctx, cfg, env, false)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.ResetTOTP(ctx, email); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "two-factor sign-in of %s reset; every session ended; the user sets it up again at the next sign-in\n", email)
	return nil
}

// readPassword takes the first line of standard input when it is a pipe or
// file, and generates a password when it is a terminal or empty.
func readPassword(stdin io.Reader) (string, bool, error) {
	if f, ok := stdin.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			return auth.GeneratePassword(), true, nil
		}
	}
	line, err := bufio.NewReader(io.LimitReader(stdin, 4096)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", false, fmt.Errorf("reading the password from standard input: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return auth.GeneratePassword(), true, nil
	}
	return line, false, nil
}

func cmdToken(ctx context.Context, args []string, env Env) error {
	cfg := config.Default()
	fs := flag.NewFlagSet("token", flag.ContinueOnError)
	cfg.BindStorage(fs)
	email := fs.String("email", "", "the e-mail of the user the token acts for")
	days := fs.Int("days", 90, "days until the token expires")
	id := fs.Int64("id", 0, "the token to revoke (see token list)")
	pos, err := parse(fs, args, env)
	if err != nil {
		return err
	}
	if len(pos) != 1 || (pos[0] != "create" && pos[0] != "list" && pos[0] != "revoke") {
		return usagef("usage: tamizdat token create --email E [--days 90] | token list --email E | token revoke --id N")
	}
	if pos[0] == "revoke" {
		if *id <= 0 {
			return usagef("token revoke needs --id N (see tamizdat token list --email E)")
		}
		db, err := openStore(ctx, &cfg, env, false)
		if err != nil {
			return err
		}
		defer db.Close()
		if err := db.RevokeToken(ctx, *id); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "API token %d revoked\n", *id)
		return nil
	}
	if *days < 1 || *days > 3650 {
		return usagef("--days must be between 1 and 3650")
	}
	addr, err := news.NormalizeEmail(*email)
	if err != nil {
		return usagef("--email: %v", err)
	}
	db, err := openStore(ctx, &cfg, env, false)
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := db.UserByEmail(ctx, addr)
	if err != nil {
		return news.Errorf(news.ENOTFOUND, "no user %s; add one with tamizdat user add", addr)
	}
	if pos[0] == "list" {
		tokens, err := db.Tokens(ctx, u.ID)
		if err != nil {
			return err
		}
		day := func(t time.Time) string {
			if t.IsZero() {
				return "never"
			}
			return t.UTC().Format("2006-01-02 15:04")
		}
		for _, t := range tokens {
			state := "active"
			switch {
			case !t.RevokedAt.IsZero():
				state = "revoked " + day(t.RevokedAt)
			case !t.Active(env.Now()):
				state = "expired"
			}
			fmt.Fprintf(env.Stdout, "id=%d created=%s expires=%s last_used=%s %s\n", t.ID, day(t.CreatedAt), day(t.ExpiresAt), day(t.LastUsedAt), state)
		}
		return nil
	}
	if !u.Active {
		return news.Errorf(news.EINVALID, "user %s is disabled", addr)
	}
	token, hash := auth.NewToken()
	if _, err := db.CreateToken(ctx, u.ID, hash, env.Now().Add(time.Duration(*days)*24*time.Hour)); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, token)
	return nil
}

func cmdSettings(ctx context.Context, args []string, env Env) error {
	cfg := config.Default()
	fs := flag.NewFlagSet("settings", flag.ContinueOnError)
	cfg.BindStorage(fs)
	pos, err := parse(fs, args, env)
	if err != nil {
		return err
	}
	if len(pos) == 0 || (pos[0] != "get" && pos[0] != "set") {
		return usagef("usage: tamizdat settings get [KEY] | tamizdat settings set KEY VALUE")
	}
	db, err := openStore(ctx, &cfg, env, false)
	if err != nil {
		return err
	}
	defer db.Close()
	editions, err := db.Editions(ctx)
	if err != nil {
		return err
	}
	var codes []string
	for _, e := range editions {
		codes = append(codes, e.Code)
	}
	keys := slices.Clone(news.SettingKeys)
	for _, c := range codes {
		keys = append(keys, "access."+c)
	}
	switch pos[0] {
	case "get":
		if len(pos) > 2 {
			return usagef("usage: tamizdat settings get [KEY]")
		}
		if len(pos) == 2 {
			if !news.IsSettingKey(pos[1], codes) {
				return usagef("unknown settings key %q; known keys: %s", pos[1], strings.Join(keys, ", "))
			}
			keys = pos[1:]
		}
		set, err := db.Settings(ctx)
		if err != nil {
			return err
		}
		for _, k := range keys {
			// One line per key: newlines inside a value (access texts) are
			// escaped so the output stays key=value lines.
			fmt.Fprintf(env.Stdout, "%s=%s\n", k, strings.NewReplacer(`\`, `\\`, "\n", `\n`).Replace(set.Get(k)))
		}
		return nil
	default:
		if len(pos) != 3 {
			return usagef("usage: tamizdat settings set KEY VALUE (quote a VALUE with spaces)")
		}
		if !news.IsSettingKey(pos[1], codes) {
			return usagef("unknown settings key %q; known keys: %s", pos[1], strings.Join(keys, ", "))
		}
		if err := db.SetSetting(ctx, pos[1], pos[2]); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "%s set\n", pos[1])
		return nil
	}
}

// maxDemoArticles bounds demo --articles: a million articles is a site of
// several gigabytes, beyond what any newsroom has.
const maxDemoArticles = 1_000_000

// cmdDemo creates a demo site of any size for measuring: the demo's
// settings, categories and pages, then an archive of n generated articles
// with their comments. Like serve and migrate it may create the site; it
// refuses one that already has articles, which it would only bury.
func cmdDemo(ctx context.Context, args []string, env Env) error {
	cfg := config.Default()
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	cfg.BindStorage(fs)
	n := fs.Int("articles", 0, "how many articles to generate, over twenty years (required)")
	seed := fs.Int64("seed", 1, "the same seed gives the same articles")
	pos, err := parse(fs, args, env)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("demo takes no arguments, got %q; give the size with --articles N", pos[0])
	}
	if *n < 1 || *n > maxDemoArticles {
		return usagef("demo --articles must be between 1 and %d, got %d", maxDemoArticles, *n)
	}
	db, err := createStore(ctx, &cfg, env, false)
	if err != nil {
		return err
	}
	defer db.Close()
	if have, err := db.CountArticles(ctx); err != nil {
		return err
	} else if have > 0 {
		return news.Errorf(news.EINVALID, "the site at %s already has %d articles; tamizdat demo fills only a site without articles: give it a new --data folder or an empty database", redact(cfg.DSN()), have)
	}
	if won, err := db.Claim(ctx, "demo-content"); err != nil {
		return err
	} else if !won {
		return news.Errorf(news.EINVALID, "demo content was already added to the site at %s, or is being added; give tamizdat demo a new --data folder or an empty database", redact(cfg.DSN()))
	}
	start := time.Now()
	now := env.Now()
	site := demo.Site(now)
	if err := seedSite(ctx, db, site); err != nil {
		return err
	}
	pictures, err := demoImages(ctx, db)
	if err != nil {
		return err
	}
	loading := time.Now()
	bar := newRate(env, *n, loading)
	got, err := loadArticles(ctx, db, demo.Archive(now, *n, *seed), pictures, bar.report)
	bar.end()
	if err != nil {
		return fmt.Errorf("%w (the site is left half filled: remove it before running tamizdat demo again)", err)
	}
	fmt.Fprintf(env.Stdout, "tamizdat: demo site made: %d articles and %d comments in 3 editions, %d categories, %d images, in %s (%.0f articles/s with their comments)\n",
		got.articles, got.comments, len(site.Categories), len(pictures), time.Since(start).Round(time.Second/10),
		float64(got.articles)/time.Since(loading).Seconds())
	if got.longest != nil {
		loc := newsroomZone(ctx, db)
		fmt.Fprintf(env.Stdout, "tamizdat: the longest thread: %d published comments on %s\n", got.longestComments, got.longest.Path(loc))
	}
	return demoAdmin(ctx, db, env)
}

// newsroomZone is the site's time zone, in which article paths are dated.
func newsroomZone(ctx context.Context, db *store.DB) *time.Location {
	if set, err := db.Settings(ctx); err == nil && set.Location != nil {
		return set.Location
	}
	return time.UTC
}
