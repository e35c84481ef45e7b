package app_test

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"tamizdat/internal/app"
	"tamizdat/internal/store/postgres/pgtest"
	"tamizdat/internal/store/sqlite"
)

// A disabled user's API token stops working at the next request of a
// running server, and tokens can be listed and revoked one by one.
func TestDisableUserEndsTokensAtOnce(t *testing.T) {
	data := t.TempDir()
	s := startServer(t, "--data", data)
	if code, _, errs := run(t, "a desk editor's long passphrase\n", "user", "add", "--email", "editor@example.org", "--role", "editor", "--data", data); code != 0 {
		t.Fatal(errs)
	}
	token := func() string {
		code, out, errs := run(t, "", "token", "create", "--email", "editor@example.org", "--data", data)
		if code != 0 {
			t.Fatal(errs)
		}
		return strings.TrimSpace(out)
	}
	first, second := token(), token()
	status := func(tok string) int {
		req, _ := http.NewRequest("POST", "http://"+s.addr+"/api/v1/categories", strings.NewReader(`{"edition":"en","slug":"x`+tok[len(tok)-6:]+`","name":"X"}`))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if a, b := status(first), status(second); a != 201 && a != 422 || b != 201 && b != 422 {
		t.Fatalf("fresh tokens answered %d and %d", a, b)
	}
	_, list, _ := run(t, "", "token", "list", "--email", "editor@example.org", "--data", data)
	ids := regexp.MustCompile(`id=(\d+) .* last_used=\S+ \S+ active`).FindAllStringSubmatch(list, -1)
	if len(ids) != 2 || strings.Contains(list, "last_used=never") {
		t.Fatalf("token list:\n%s", list)
	}
	// Revoke the newer one (listed first).
	if code, out, errs := run(t, "", "token", "revoke", "--id", ids[0][1], "--data", data); code != 0 || !strings.Contains(out, "revoked") {
		t.Fatalf("token revoke: %d %s %s", code, out, errs)
	}
	if got := status(second); got != 401 {
		t.Errorf("a revoked token answered %d, want 401", got)
	}
	if got := status(first); got == 401 {
		t.Error("revoking one token ended another")
	}
	code, out, errs := run(t, "", "user", "disable", "--email", "editor@example.org", "--data", data)
	if code != 0 || !strings.Contains(out, "1 API tokens revoked") {
		t.Fatalf("user disable: %d %q %q", code, out, errs)
	}
	if got := status(first); got != 401 {
		t.Errorf("the disabled user's token answered %d, want 401", got)
	}
	if code, _, errs := run(t, "", "token", "create", "--email", "editor@example.org", "--data", data); code != 2 || !strings.Contains(errs, "disabled") {
		t.Errorf("a token for a disabled user: %d %q", code, errs)
	}
	if code, _, errs := run(t, "", "user", "disable", "--email", "ghost@example.org", "--data", data); code != 2 || !strings.Contains(errs, "not found") {
		t.Errorf("disabling a missing user: %d %q", code, errs)
	}
	if code, _, errs := run(t, "", "token", "revoke", "--data", data); code != 2 || !strings.Contains(errs, "--id") {
		t.Errorf("revoke without --id: %d %q", code, errs)
	}
	if code, _, errs := run(t, "password1234\n", "user", "add", "--email", "weak@example.org", "--role", "author", "--data", data); code != 2 || !strings.Contains(errs, "too easy to guess") {
		t.Errorf("a guessable password: %d %q", code, errs)
	}
}

// user reset-2fa removes a user's second factor for an operator recovering
// a locked-out admin, and says so; an unknown e-mail is an error.
func TestResetTwoFactor(t *testing.T) {
	data := t.TempDir()
	if code, _, errs := run(t, "", "migrate", "--data", data); code != 0 {
		t.Fatal(errs)
	}
	if code, _, errs := run(t, "a desk admin's long passphrase here\n", "user", "add", "--email", "boss@example.org", "--role", "admin", "--data", data); code != 0 {
		t.Fatal(errs)
	}
	db, err := sqlite.Open(context.Background(), filepath.Join(data, "tamizdat.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	u, _ := db.UserByEmail(context.Background(), "boss@example.org")
	if err := db.SetTOTP(context.Background(), u.ID, "JBSWY3DPEHPK3PXP", 0, [][]byte{[]byte("h")}); err != nil {
		t.Fatal(err)
	}
	code, out, errs := run(t, "", "user", "reset-2fa", "--email", "boss@example.org", "--data", data)
	if code != 0 || !strings.Contains(out, "reset") {
		t.Fatalf("reset-2fa: %d %q %q", code, out, errs)
	}
	if u, _ := db.UserByEmail(context.Background(), "boss@example.org"); u.Has2FA() {
		t.Error("the second factor is still there")
	}
	if n, _ := db.RecoveryCodesLeft(context.Background(), u.ID); n != 0 {
		t.Errorf("%d recovery codes left", n)
	}
	if code, _, errs := run(t, "", "user", "reset-2fa", "--email", "nobody@example.org", "--data", data); code != 2 || !strings.Contains(errs, "not found") {
		t.Errorf("reset-2fa of an unknown user: %d %q", code, errs)
	}
}

// The node secret: created once with mode 0600 beside a single node's
// database, never inside it; a node given another secret than the site's
// refuses to start with a message that says what to do.
func TestNodeSecret(t *testing.T) {
	data := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- app.Main(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--data", data}, app.Env{
			Stdout: io.Discard, Stderr: io.Discard, Getenv: func(string) string { return "" }, Ready: func(string) { cancel() }})
	}()
	if code := <-done; code != 0 {
		t.Fatalf("serve exited with %d", code)
	}
	st, err := os.Stat(filepath.Join(data, "node.secret"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("node.secret: %v %v", err, st)
	}
	dsn := pgtest.FreshDSN(t)
	startServer(t, "--db", dsn, "--data", t.TempDir())
	code, out, errs := runEnv(t, map[string]string{"TAMIZDAT_SECRET": "another node's secret, also 32 bytes or more"},
		"serve", "--addr", "127.0.0.1:0", "--db", dsn)
	if code != 2 || !strings.Contains(errs, "same secret") {
		t.Errorf("a node with another secret: %d %q %q", code, out, errs)
	}
	if code, _, errs := runEnv(t, map[string]string{"TAMIZDAT_SECRET": "short"}, "serve", "--addr", "127.0.0.1:0", "--data", data); code != 2 || !strings.Contains(errs, "at least 32") {
		t.Errorf("a short secret: %d %q", code, errs)
	}
}

func runEnv(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb strings.Builder
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	code := app.Main(ctx, args, app.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string { return env[k] }})
	return code, out.String(), errb.String()
}
