package app_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"tamizdat/internal/store/postgres/pgtest"
)

// files lists what is under dir, so a test can say that a command made
// nothing.
func files(t *testing.T, dir string) []string {
	t.Helper()
	var list []string
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if path != dir {
			rel, _ := filepath.Rel(dir, path)
			list = append(list, rel)
		}
		return nil
	})
	return list
}

func wantNothingMade(t *testing.T, what, dir string) {
	t.Helper()
	if got := files(t, dir); len(got) != 0 {
		t.Errorf("%s made %q", what, got)
	}
}

// TestCommandsOtherThanServeAndMigrateNeedASite: run in a folder without
// a site, every command that reads or changes a site refuses, names the
// path it looked at and the flags that fix it, and creates nothing.
func TestCommandsOtherThanServeAndMigrateNeedASite(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	cases := [][]string{
		{"settings", "get"},
		{"settings", "get", "site_name"},
		{"settings", "set", "site_name", "X"},
		{"user", "add", "--email", "a@example.org", "--role", "editor"},
		{"user", "disable", "--email", "a@example.org"},
		{"user", "reset-2fa", "--email", "a@example.org"},
		{"token", "create", "--email", "a@example.org"},
		{"token", "list", "--email", "a@example.org"},
		{"token", "revoke", "--id", "1"},
		{"backup", "site.tar.gz"},
	}
	for _, args := range cases {
		stdin := ""
		if args[0] == "user" {
			stdin = "a long enough password for a user\n"
		}
		code, out, errs := run(t, stdin, args...)
		wantRefusal(t, strings.Join(args, " "), code, errs,
			"no site at data/tamizdat.db (looked for the database of --data data); run tamizdat serve or tamizdat migrate first, or point --data/--db at the site")
		if out != "" {
			t.Errorf("%v: stdout %q", args, out)
		}
		wantNothingMade(t, strings.Join(args, " "), dir)
	}
	// Named with --db or --data, or to copy from.
	for _, c := range []struct {
		args  []string
		words string
	}{
		{[]string{"settings", "get", "--db", "site.db"}, "no site at site.db (looked for --db)"},
		{[]string{"settings", "get", "--data", "elsewhere"}, "no site at elsewhere/tamizdat.db (looked for the database of --data elsewhere)"},
		{[]string{"settings", "get", "--db", "no/such/site.db"}, "no site at no/such/site.db"},
		{[]string{"copy", "--from", "site.db", "--to", "copy.db"}, "no site at site.db (looked for --from); point --from at an existing site"},
	} {
		code, _, errs := run(t, "", c.args...)
		wantRefusal(t, strings.Join(c.args, " "), code, errs, c.words)
		wantNothingMade(t, strings.Join(c.args, " "), dir)
	}

	// A SQLite file without tamizdat's tables (made by touch, or by the
	// tamizdat of before, in the wrong folder) is no site either, and stays
	// as it is.
	os.WriteFile("empty.db", nil, 0o600)
	code, _, errs := run(t, "", "settings", "get", "--db", "empty.db")
	wantRefusal(t, "an empty SQLite file", code, errs, "no site at empty.db")
	if st, err := os.Stat("empty.db"); err != nil || st.Size() != 0 {
		t.Errorf("empty.db changed: %v %v", st, err)
	}
	os.Remove("empty.db")

	// A PostgreSQL database without tamizdat's tables gets none.
	dsn := pgtest.FreshDSN(t)
	code, _, errs = run(t, "", "settings", "get", "--db", dsn)
	wantRefusal(t, "an empty PostgreSQL database", code, errs, "no site at postgres://")
	if n := pgTables(t, dsn); n != 0 {
		t.Errorf("settings get made %d tables", n)
	}

	// Once migrate made the site, the same commands work.
	if code, _, errs := run(t, "", "migrate"); code != 0 {
		t.Fatal(errs)
	}
	if code, out, errs := run(t, "", "settings", "get", "site_name"); code != 0 || !strings.HasPrefix(out, "site_name=") {
		t.Errorf("settings get after migrate: %d %q %q", code, out, errs)
	}
}

// TestOnlyFilePathsAndPostgresURLs: a DSN that reads as a URL of anything
// but PostgreSQL is refused by every command, and not taken for the name
// of a SQLite file.
func TestOnlyFilePathsAndPostgresURLs(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	archive := filepath.Join(t.TempDir(), "a.tar.gz")
	os.WriteFile(archive, []byte("not looked at"), 0o600)
	for _, dsn := range []string{"mysql://foo", "sqlite://site.db", "file:site.db", "postgresq://u@h/db", "postgres:/u@h/db", "POSTGRES://u@h/db"} {
		for _, args := range [][]string{
			{"migrate", "--db", dsn},
			{"serve", "--db", dsn},
			{"settings", "get", "--db", dsn},
			{"backup", "x.tar.gz", "--db", dsn},
			{"restore", archive, "--db", dsn},
			{"copy", "--from", dsn, "--to", "copy.db"},
			{"copy", "--from", "site.db", "--to", dsn},
		} {
			code, _, errs := run(t, "", args...)
			wantRefusal(t, strings.Join(args, " "), code, errs, "is neither a SQLite file path nor a PostgreSQL URL")
			if !strings.Contains(errs, dsn) {
				t.Errorf("%v: the message does not name %q: %q", args, dsn, errs)
			}
			wantNothingMade(t, strings.Join(args, " "), dir)
		}
	}
}

// TestNewDatabasesOnlyInFoldersThatExist: serve and migrate create the
// database, and the data folder of the default path when its parent
// exists, but never a folder named in --db; restore and copy --to create
// their target file only in a folder that exists.
func TestNewDatabasesOnlyInFoldersThatExist(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	src, file := smallSite(t)
	missing := filepath.Join(dir, "no", "such")
	for _, c := range []struct {
		args  []string
		words string
	}{
		{[]string{"migrate", "--db", filepath.Join(missing, "x.db")}, "the folder " + missing + " of --db " + filepath.Join(missing, "x.db") + " does not exist"},
		{[]string{"serve", "--db", filepath.Join(missing, "x.db")}, "the folder " + missing + " of --db"},
		{[]string{"migrate", "--data", missing}, "cannot create the data folder " + missing + ": the folder " + filepath.Dir(missing) + " does not exist"},
		{[]string{"serve", "--data", missing}, "cannot create the data folder " + missing},
		{[]string{"restore", file, "--db", filepath.Join(missing, "x.db")}, "the folder " + missing + " of --db"},
		{[]string{"restore", file, "--data", missing}, "the data folder " + missing + " does not exist"},
		{[]string{"restore", file}, "the data folder data does not exist"},
		{[]string{"copy", "--from", src.dsn, "--to", filepath.Join(missing, "x.db")}, "the folder " + missing + " of --to"},
	} {
		code, out, errs := run(t, "", c.args...)
		wantRefusal(t, strings.Join(c.args, " "), code, errs, c.words)
		if out != "" {
			t.Errorf("%v: stdout %q", c.args, out)
		}
		wantNothingMade(t, strings.Join(c.args, " "), dir)
	}
	// The newcomer's first run: the data folder is made.
	if code, out, errs := run(t, "", "migrate"); code != 0 || !strings.HasPrefix(out, "schema at version") {
		t.Fatalf("migrate in a new folder: %d %q %q", code, out, errs)
	}
	if got := files(t, dir); !slices.Equal(got, []string{"data", filepath.Join("data", "tamizdat.db")}) {
		t.Errorf("migrate made %q", got)
	}
	// An explicit --db in a folder that exists is made.
	if code, _, errs := run(t, "", "migrate", "--db", "explicit.db"); code != 0 {
		t.Fatalf("migrate --db explicit.db: %s", errs)
	}
	if _, err := os.Stat("explicit.db"); err != nil {
		t.Error(err)
	}
}

// TestDatabaseFilesAreTheOwnersOnly: the database (password and token
// hashes) and its -wal and -shm files, made by serve, migrate or restore,
// are mode 0600; the data folder 0700.
func TestDatabaseFilesAreTheOwnersOnly(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	root := t.TempDir()
	data := filepath.Join(root, "data")
	s := startServer(t, "--data", data)
	wantMode := func(path string, mode os.FileMode) {
		t.Helper()
		st, err := os.Stat(path)
		if err != nil {
			t.Error(err)
			return
		}
		if st.Mode().Perm() != mode {
			t.Errorf("%s: mode %04o, want %04o", path, st.Mode().Perm(), mode)
		}
	}
	// While it serves, the WAL files are there.
	wantMode(data, 0o700)
	for _, suffix := range []string{"", "-wal", "-shm"} {
		wantMode(filepath.Join(data, "tamizdat.db"+suffix), 0o600)
	}
	if code := s.stop(); code != 0 {
		t.Fatalf("serve exited %d", code)
	}
	migrated := filepath.Join(root, "migrated.db")
	if code, _, errs := run(t, "", "migrate", "--db", migrated); code != 0 {
		t.Fatal(errs)
	}
	wantMode(migrated, 0o600)
	_, file := smallSite(t)
	restored := filepath.Join(root, "restored.db")
	if code, _, errs := run(t, "", "restore", file, "--db", restored); code != 0 {
		t.Fatal(errs)
	}
	wantMode(restored, 0o600)
	copied := filepath.Join(root, "copied.db")
	if code, _, errs := run(t, "", "copy", "--from", restored, "--to", copied); code != 0 {
		t.Fatal(errs)
	}
	wantMode(copied, 0o600)
}

// TestUnreachablePostgreSQLSaysWhy: the operator learns the cause, not
// "try again shortly", and never sees the password.
func TestUnreachablePostgreSQLSaysWhy(t *testing.T) {
	dsn := pgtest.FreshDSN(t)
	noDB := strings.Replace(dsn, "/postgres?", "/no_such_site?", 1)
	if noDB == dsn {
		t.Skipf("cannot name another database in %s", dsn)
	}
	for _, c := range []struct {
		args  []string
		words string
	}{
		{[]string{"migrate", "--db", "postgres://u:secret@127.0.0.1:1/x"}, "cannot connect to PostgreSQL at 127.0.0.1:1: connection refused"},
		{[]string{"settings", "get", "--db", "postgres://u:secret@127.0.0.1:1/x"}, "connection refused"},
		{[]string{"serve", "--db", "postgres://u:secret@127.0.0.1:1/x", "--addr", "127.0.0.1:0"}, "connection refused"},
		{[]string{"migrate", "--db", noDB}, `database "no_such_site" does not exist`},
		{[]string{"migrate", "--db", strings.Replace(dsn, "postgres://postgres@", "postgres://nobody_here:secret@", 1)}, `refused user "nobody_here": authentication failed`},
	} {
		code, _, errs := run(t, "", c.args...)
		wantRefusal(t, strings.Join(c.args[:2], " "), code, errs, c.words)
		if strings.Contains(errs, "secret") || strings.Contains(errs, "try again") {
			t.Errorf("%v: %q", c.args, errs)
		}
	}
}
