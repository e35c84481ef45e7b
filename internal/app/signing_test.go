package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"tamizdat/internal/store/postgres/pgtest"
)

func keygen(t *testing.T, path string) string {
	t.Helper()
	code, out, errs := run(t, "", "keygen", path)
	if code != 0 {
		t.Fatalf("keygen %s: %d %q", path, code, errs)
	}
	fp := regexp.MustCompile(`fingerprint ([0-9a-f]{4}(-[0-9a-f]{4}){7})\n`).FindStringSubmatch(out)
	if fp == nil {
		t.Fatalf("keygen printed no fingerprint: %q", out)
	}
	return fp[1]
}

func TestKeygen(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "site.key")
	keygen(t, key)
	st, err := os.Stat(key)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("private key: %v %v", st, err)
	}
	if _, err := os.Stat(key + ".pub"); err != nil {
		t.Fatal(err)
	}
	priv, _ := os.ReadFile(key)
	pub, _ := os.ReadFile(key + ".pub")

	// Never over an existing key, whichever of the pair is there.
	code, _, errs := run(t, "", "keygen", key)
	wantRefusal(t, "keygen over a key", code, errs, key+" already exists")
	if b, _ := os.ReadFile(key); !bytes.Equal(b, priv) {
		t.Error("the private key was overwritten")
	}
	if b, _ := os.ReadFile(key + ".pub"); !bytes.Equal(b, pub) {
		t.Error("the public key was overwritten")
	}
	lone := filepath.Join(dir, "lone.key")
	os.WriteFile(lone+".pub", pub, 0o644)
	code, _, errs = run(t, "", "keygen", lone)
	wantRefusal(t, "keygen over a public key", code, errs, lone+".pub already exists")
	if _, err := os.Stat(lone); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("keygen left %s: %v", lone, err)
	}

	missing := filepath.Join(dir, "no", "such")
	for name, c := range map[string]struct {
		args  []string
		words string
	}{
		"no file":        {[]string{"keygen"}, "usage"},
		"two files":      {[]string{"keygen", "a", "b"}, "usage"},
		"into a folder":  {[]string{"keygen", dir}, "is a folder"},
		"missing folder": {[]string{"keygen", filepath.Join(missing, "site.key")}, "the folder " + missing + " does not exist"},
	} {
		code, out, errs := run(t, "", c.args...)
		wantRefusal(t, name, code, errs, c.words)
		if out != "" {
			t.Errorf("%s: stdout %q", name, out)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "no")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("keygen created a folder: %v", err)
	}
	if code, out, _ := run(t, "", "--help"); code != 0 || !strings.Contains(out, "tamizdat keygen KEYFILE") {
		t.Errorf("the usage does not list keygen: %q", out)
	}
}

// siteWithAuthor is smallSite with an author, whom the attack below makes
// an admin.
func siteWithAuthor(t *testing.T) site {
	src, _ := smallSite(t)
	if code, _, errs := run(t, "an author's long passphrase\n", "user", "add", "--email", "author@example.org", "--role", "author", "--db", src.dsn); code != 0 {
		t.Fatal(errs)
	}
	return src
}

// makeAuthorAdmin is the attack on an archive: users.jsonl edited to make
// the author an admin, its SHA-256 recomputed in the manifest, packed
// again. dropSignature also takes the signature out.
func makeAuthorAdmin(t *testing.T, archive []byte, dropSignature bool) []byte {
	t.Helper()
	return alter(t, archive, func(list []entry, m map[string]any) []entry {
		edited := false
		edit(list, "users.jsonl", func(b []byte) []byte {
			lines := bytes.SplitAfter(b, []byte("\n"))
			for i, l := range lines {
				var row []any
				// users: id, email, name, role, …
				if json.Unmarshal(l, &row) == nil && len(row) > 3 && row[1] == "author@example.org" && row[3] == "author" {
					lines[i] = bytes.Replace(l, []byte(`"author@example.org","author","author"`), []byte(`"author@example.org","author","admin"`), 1)
					edited = !bytes.Equal(lines[i], l)
				}
			}
			return bytes.Join(lines, nil)
		})
		if !edited {
			t.Fatal("the attack found no author to promote")
		}
		for _, e := range list {
			if e.name == "users.jsonl" {
				tableOf(m, "users")["sha256"] = shaHex(e.data)
			}
		}
		if dropSignature {
			list = slices.DeleteFunc(list, func(e entry) bool { return e.name == "manifest.sig" })
		}
		return list
	})
}

func roleOf(t *testing.T, s site, email string) string {
	t.Helper()
	u, err := s.open(t).UserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return string(u.Role)
}

func TestSignedBackupsCannotBeForged(t *testing.T) {
	src := siteWithAuthor(t)
	keys := t.TempDir()
	key := filepath.Join(keys, "site.key")
	fp := keygen(t, key)
	otherKey := filepath.Join(keys, "other.key")
	keygen(t, otherKey)
	dir := t.TempDir()

	signed := filepath.Join(dir, "signed.tar.gz")
	code, out, errs := run(t, "", "backup", signed, "--sign", key, "--db", src.dsn)
	if code != 0 || !strings.Contains(out, "signed by key "+fp) {
		t.Fatalf("backup --sign: %d %q %q", code, out, errs)
	}
	unsigned := filepath.Join(dir, "unsigned.tar.gz")
	if code, out, errs := run(t, "", "backup", unsigned, "--db", src.dsn); code != 0 || !strings.Contains(out, "unsigned") {
		t.Fatalf("backup: %d %q %q", code, out, errs)
	}

	// With its key, the signed archive restores, and says it was checked.
	good := newSite(t, "sqlite")
	code, out, errs = run(t, "", "restore", signed, "--key", key+".pub", "--db", good.dsn)
	if code != 0 || !strings.Contains(out, "signature by key "+fp+" checked") {
		t.Fatalf("restore --key: %d %q %q", code, out, errs)
	}
	sameRows(t, "restored with --key", good.rows(t), src.rows(t))
	// Without a key it restores too, but says that nothing was checked.
	code, out, _ = run(t, "", "restore", signed, "--db", newSite(t, "sqlite").dsn)
	if code != 0 || !strings.Contains(out, "signed by key "+fp+", but the signature was not checked") {
		t.Fatalf("restore of a signed archive without --key: %d %q", code, out)
	}

	raw, _ := os.ReadFile(signed)
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, b, 0o600)
		return p
	}
	forgedKeepingSignature := write("forged.tar.gz", makeAuthorAdmin(t, raw, false))
	forgedUnsigned := write("forged-unsigned.tar.gz", makeAuthorAdmin(t, raw, true))

	// The attack works on a restore that does not check: the author comes
	// back an admin. This is what --key is for.
	fooled := newSite(t, "sqlite")
	if code, out, errs := run(t, "", "restore", forgedUnsigned, "--db", fooled.dsn); code != 0 || !strings.Contains(out, "unsigned") {
		t.Fatalf("restore of the forgery without --key: %d %q %q", code, out, errs)
	}
	if role := roleOf(t, fooled, "author@example.org"); role != "admin" {
		t.Fatalf("the forgery did not make the author an admin (%s): the test does not test the attack", role)
	}

	cases := []struct {
		name, file, key, words string
	}{
		{"users.jsonl altered, its checksum recomputed, the signature kept", forgedKeepingSignature, key + ".pub", "the signature does not match"},
		{"users.jsonl altered, its checksum recomputed, the signature removed", forgedUnsigned, key + ".pub", "is not signed"},
		{"an unsigned archive", unsigned, key + ".pub", "is not signed"},
		{"another key", signed, otherKey + ".pub", "signed by another key (fingerprint " + fp + ")"},
		{"the private key given as --key", signed, key, "it is a private key"},
		{"a missing key file", signed, filepath.Join(keys, "none.pub"), "cannot read the key file"},
		{"the archive given as --key", signed, signed, "not a key file"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// Refused before anything is written: no SQLite file, no
			// PostgreSQL table.
			target := filepath.Join(t.TempDir(), "tamizdat.db")
			code, out, errs := run(t, "", "restore", c.file, "--key", c.key, "--db", target)
			wantRefusal(t, "sqlite", code, errs, c.words)
			if out != "" {
				t.Errorf("stdout %q", out)
			}
			if _, err := os.Stat(target); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("restore created %s: %v", target, err)
			}
			dsn := pgtest.FreshDSN(t)
			code, _, errs = run(t, "", "restore", c.file, "--key", c.key, "--db", dsn)
			wantRefusal(t, "postgres", code, errs, c.words)
			if n := pgTables(t, dsn); n != 0 {
				t.Errorf("restore made %d tables", n)
			}
		})
	}
}

func TestBackupSignRefusals(t *testing.T) {
	src, _ := smallSite(t)
	keys := t.TempDir()
	key := filepath.Join(keys, "site.key")
	keygen(t, key)
	exposed := filepath.Join(keys, "exposed.key")
	b, _ := os.ReadFile(key)
	os.WriteFile(exposed, b, 0o644)
	os.Chmod(exposed, 0o644)
	notKey := filepath.Join(keys, "notes.txt")
	os.WriteFile(notKey, []byte("the key is under the mat\n"), 0o600)
	dir := t.TempDir()
	for name, c := range map[string]struct{ key, words string }{
		"the public key":        {key + ".pub", "it is a public key"},
		"a missing key":         {filepath.Join(keys, "none"), "cannot read the key file"},
		"a key others can read": {exposed, "chmod 600"},
		"a file that is no key": {notKey, "not a key file"},
		"a database":            {src.dsn, "too large to be a key file"},
		"a folder":              {keys, "is a folder"},
	} {
		file := filepath.Join(dir, "x.tar.gz")
		code, out, errs := run(t, "", "backup", file, "--sign", c.key, "--db", src.dsn)
		wantRefusal(t, name, code, errs, c.words)
		if out != "" {
			t.Errorf("%s: stdout %q", name, out)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Errorf("%s: backup left %d files", name, len(entries))
		}
	}
}
