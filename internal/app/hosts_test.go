package app_test

import (
	"database/sql"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"tamizdat/internal/keyring"
	"tamizdat/internal/moderation"
	"tamizdat/internal/news"

	_ "modernc.org/sqlite"
	"tamizdat/internal/testkit"
)

// hostSite is a running site on SQLite with an admin's API token and one
// published article.
type hostSite struct {
	*server
	data, token string
	article     int64
	path        string // the article's path
}

// newHostSite starts the site with settings (key, value, ...) made before
// it starts and the serve flags args.
func newHostSite(t *testing.T, settings []string, args ...string) *hostSite {
	t.Helper()
	data := t.TempDir()
	if code, _, errs := run(t, "", "migrate", "--data", data); code != 0 {
		t.Fatal(errs)
	}
	for i := 0; i+1 < len(settings); i += 2 {
		if code, _, errs := run(t, "", "settings", "set", settings[i], settings[i+1], "--data", data); code != 0 {
			t.Fatal(errs)
		}
	}
	if code, _, errs := run(t, "a desk admin's long passphrase here\n", "user", "add", "--email", "boss@example.org", "--role", "admin", "--data", data); code != 0 {
		t.Fatal(errs)
	}
	code, out, errs := run(t, "", "token", "create", "--email", "boss@example.org", "--data", data)
	if code != 0 {
		t.Fatal(errs)
	}
	h := &hostSite{server: startServer(t, append([]string{"--data", data}, args...)...), data: data, token: strings.TrimSpace(out)}
	res, body := h.api(t, "POST", "/api/v1/articles", primaryOf(settings), `{"edition":"en","title":"A story on hosts","status":"published","published_at":"2026-01-05T10:00:00Z"}`)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("creating an article: %d %s", res.StatusCode, body)
	}
	var a struct {
		ID  int64  `json:"id"`
		URL string `json:"url"`
	}
	json.Unmarshal(body, &a)
	h.article, h.path = a.ID, strings.TrimPrefix(a.URL, "https://"+primaryOf(settings))
	return h
}

func primaryOf(settings []string) string {
	for i := 0; i+1 < len(settings); i += 2 {
		if settings[i] == "primary_url" {
			return strings.TrimPrefix(settings[i+1], "https://")
		}
	}
	return ""
}

func (h *hostSite) api(t *testing.T, method, path, host, body string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, "http://"+h.addr+path, strings.NewReader(body))
	if host != "" {
		req.Host = host
	}
	req.Header.Set("Authorization", "Bearer "+h.token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, b
}

// set changes a setting from the command line, as an operator would while
// the site serves, and waits until the server follows.
func (h *hostSite) set(t *testing.T, key, value string, until func() bool) {
	t.Helper()
	if code, _, errs := run(t, "", "settings", "set", key, value, "--data", h.data); code != 0 {
		t.Fatalf("settings set %s: %s", key, errs)
	}
	testkit.WaitFor(t, "the server to follow the setting "+key, until)
}

func status(t *testing.T, addr, path, host string) int {
	t.Helper()
	req, _ := http.NewRequest("GET", "http://"+addr+path, nil)
	req.Host = host
	res, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// Until primary_url is set no answer carries the host a request named; once
// it is set, every surface answers only the site's hosts, and the desk only
// its own when it has one.
func TestEverySurfaceHoldsToTheSiteHosts(t *testing.T) {
	h := newHostSite(t, nil)
	if strings.Contains(h.path, "://") {
		t.Errorf("before primary_url the API's url is %q, want a path", h.path)
	}
	_, page := h.get(t, h.path, "Host", "evil.example")
	if strings.Contains(string(page), "evil.example") {
		t.Error("before primary_url a page carries the Host it was asked for")
	}
	_, body := h.api(t, "GET", "/api/v1/articles/"+strconv.FormatInt(h.article, 10), "evil.example", "")
	if strings.Contains(string(body), "evil.example") {
		t.Errorf("before primary_url the API answer carries the Host: %s", body)
	}

	h.set(t, "primary_url", "https://news.example.org", func() bool { return status(t, h.addr, "/robots.txt", "evil.example") == 421 })
	surfaces := []string{"/", "/en/", h.path, "/api/v1/articles", "/api/v1/articles/" + strconv.FormatInt(h.article, 10),
		"/desk/signin", "/desk/", "/media/1/320", "/robots.txt", "/no/such/page"}
	for _, p := range surfaces {
		if got := status(t, h.addr, p, "evil.example"); got != http.StatusMisdirectedRequest {
			t.Errorf("Host evil.example %s: %d, want 421", p, got)
		}
		if got := status(t, h.addr, p, "news.example.org"); got == http.StatusMisdirectedRequest {
			t.Errorf("Host news.example.org %s: 421", p)
		}
	}
	if got := status(t, h.addr, "/healthz", "10.0.0.7:8080"); got != http.StatusOK {
		t.Errorf("/healthz by address: %d; load balancers probe it so", got)
	}
	_, body = h.api(t, "GET", "/api/v1/articles/"+strconv.FormatInt(h.article, 10), "news.example.org", "")
	if !strings.Contains(string(body), `"url":"https://news.example.org/en/news/`) {
		t.Errorf("the API's url is not on the primary domain: %s", body)
	}

	// With a desk host of its own, the desk answers only there.
	h.set(t, "desk_url", "https://desk.example.org", func() bool { return status(t, h.addr, "/desk/signin", "news.example.org") == 421 })
	if got := status(t, h.addr, "/desk/signin", "desk.example.org"); got != http.StatusOK {
		t.Errorf("the desk on its own host: %d", got)
	}
	if got := status(t, h.addr, "/en/", "news.example.org"); got != http.StatusOK {
		t.Errorf("the reader site on the primary with a desk host set: %d", got)
	}

	if code, _, errs := run(t, "", "settings", "set", "primary_url", "https://evil.example@news.example.org", "--data", h.data); code != 2 || !strings.Contains(errs, "user name") {
		t.Errorf("primary_url with user info: %d %q", code, errs)
	}
}

var onionLine = regexp.MustCompile(`onion service listener on http://(\S+)/`)

// The onion service is recognised by the listener a request arrives on:
// a reader refused on the public listener gains nothing by naming the
// onion host there, while a comment through the onion listener follows the
// onion's policy and carries no fingerprint.
func TestOnionRequestsAreKnownByTheirListener(t *testing.T) {
	const onionHost = "abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion"
	h := newHostSite(t, []string{"primary_url", "https://news.example.org", "onion_url", "http://" + onionHost, "comment_limit_per_hour", "1"},
		"--onion-addr", "127.0.0.1:0")
	m := onionLine.FindStringSubmatch(h.stdout.String())
	if m == nil {
		t.Fatalf("serve did not print its onion listener: %s", h.stdout)
	}
	onionAddr := m[1]

	keys, err := keyring.New(nil, []byte(testEnv("TAMIZDAT_SECRET")), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	intake := &moderation.Intake{TokenKey: keys.Derive("comment form token")}
	post := func(addr, host, text string) (int, string) {
		t.Helper()
		form := url.Values{"text": {text}, "token": {intake.Token(h.article, time.Now().Add(-time.Minute))}}
		req, _ := http.NewRequest("POST", "http://"+addr+h.path, strings.NewReader(form.Encode()))
		req.Host = host
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode, res.Header.Get("Location")
	}
	if code, loc := post(h.addr, "news.example.org", "The first comment from this reader"); code != http.StatusSeeOther || !strings.Contains(loc, "comment=published") {
		t.Fatalf("the first comment: %d %q", code, loc)
	}
	if code, _ := post(h.addr, "news.example.org", "A second comment within the hour"); code != http.StatusTooManyRequests {
		t.Fatalf("over the hourly limit: %d, want 429", code)
	}
	for i := range 4 {
		if code, loc := post(h.addr, onionHost, "Posing as an onion reader, try "+strconv.Itoa(i)); code != http.StatusTooManyRequests {
			t.Errorf("the onion host named on the public listener, try %d: %d %q, want the clearnet 429", i, code, loc)
		}
	}
	code, loc := post(onionAddr, onionHost, "A reader who came through Tor")
	if code != http.StatusSeeOther || !strings.Contains(loc, "comment=pending") {
		t.Errorf("a comment through the onion listener: %d %q, want held by the onion's default policy", code, loc)
	}

	// Read straight from the file: what is stored, not what the store shows.
	db, err := sql.Open("sqlite", filepath.Join(h.data, "tamizdat.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT body, status, fingerprint FROM comments WHERE article_id = ?`, h.article)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var body, st string
		var fp []byte
		if err := rows.Scan(&body, &st, &fp); err != nil {
			t.Fatal(err)
		}
		n++
		if onion := st == string(news.CommentPending); onion != (fp == nil) {
			t.Errorf("comment %q (%s) has fingerprint %x: clearnet comments carry one, onion comments none", body, st, fp)
		}
	}
	if n != 2 {
		t.Errorf("%d comments stored, want the first and the onion one", n)
	}
}
