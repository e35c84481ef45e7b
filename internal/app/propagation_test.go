package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"tamizdat/internal/store"
	"tamizdat/internal/store/postgres"
	"tamizdat/internal/store/postgres/pgtest"
	"tamizdat/internal/testkit"
)

// waitFor polls path on s until its body contains want, and returns how
// long that took; it fails the test at its deadline.
func waitFor(t *testing.T, s *server, path, want string) time.Duration {
	t.Helper()
	start, deadline := time.Now(), testkit.Deadline(t)
	for {
		res, err := http.Get("http://" + s.addr + path)
		if err == nil {
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if strings.Contains(string(b), want) {
				return time.Since(start)
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s on %s does not show %q after %v", path, s.addr, want, time.Since(start))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// A setting changed by the CLI, another process, reaches a running SQLite
// server although it caches the settings.
func TestSettingFromCLIReachesRunningServer(t *testing.T) {
	data := t.TempDir()
	s := startServer(t, "--data", data, "--demo")
	waitFor(t, s, "/en/", "Dalny Bereg") // fills the cache
	if code, _, errs := run(t, "", "settings", "set", "site_name", "Renamed Weekly", "--data", data); code != 0 {
		t.Fatal(errs)
	}
	d := waitFor(t, s, "/en/", ">Renamed Weekly</a>")
	t.Logf("the new site name showed after %v", d)
}

// Changes made through one node reach the others on one PostgreSQL, also
// after the listening connection of a node was cut and came back.
func TestChangesReachEveryNode(t *testing.T) {
	dsn := pgtest.FreshDSN(t)
	n1 := startServer(t, "--db", dsn, "--data", t.TempDir(), "--demo")
	token := regexp.MustCompile(`tzd_\S+`).FindString(n1.stdout.String())
	n2 := startServer(t, "--db", dsn, "--data", t.TempDir(), "--demo")
	u, _ := url.Parse(dsn)
	proxy := newCutter(t, u.Host)
	u.Host = proxy.addr
	n3 := startServer(t, "--db", u.String(), "--data", t.TempDir())
	for _, n := range []*server{n2, n3} {
		waitFor(t, n, "/en/", "Dalny Bereg")
	}
	// A category added through node 1's API appears in the menus of 2 and 3.
	req, _ := http.NewRequest("POST", "http://"+n1.addr+"/api/v1/categories", strings.NewReader(`{"edition":"en","slug":"science","name":"Science"}`))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != 201 {
		t.Fatalf("creating a category: %v %v", res, err)
	}
	for _, n := range []*server{n2, n3} {
		d := waitFor(t, n, "/en/", `href="/en/science/"`)
		t.Logf("the new category reached %s after %v", n.addr, d)
	}
	// Node 3 loses its connections (the listener's too) while node 1
	// changes a setting; once the link is back it catches up.
	proxy.cut()
	if code, _, errs := run(t, "", "settings", "set", "site_name", "Changed While Cut", "--db", dsn); code != 0 {
		t.Fatal(errs)
	}
	waitFor(t, n2, "/en/", ">Changed While Cut</a>")
	proxy.mend()
	d := waitFor(t, n3, "/en/", ">Changed While Cut</a>")
	t.Logf("node 3 caught up %v after its link came back", d)
}

// Two nodes started at once with --demo on one database seed it once.
func TestTwoDemoNodesSeedOnce(t *testing.T) {
	dsn := pgtest.FreshDSN(t)
	ch := make(chan *server, 2)
	for range 2 {
		go func() { ch <- startServerNoFatal(t, "--db", dsn, "--data", t.TempDir(), "--demo") }()
	}
	a, b := <-ch, <-ch
	if a == nil || b == nil {
		t.Fatal("a node did not start")
	}
	seeded := 0
	for _, s := range []*server{a, b} {
		if strings.Contains(s.stdout.String(), "demo content added") {
			seeded++
		}
	}
	if seeded != 1 {
		t.Errorf("%d nodes seeded the demo content, want 1:\n%s\n%s", seeded, a.stdout, b.stdout)
	}
	res, err := http.Get("http://" + a.addr + "/api/v1/articles?edition=en")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if m := regexp.MustCompile(`"total":(\d+)`).FindSubmatch(body); m == nil || string(m[1]) != "48" {
		t.Errorf("visible en articles after two seeding nodes: %s", m)
	}
}

// A scheduled article goes live on every node at its time, and the go-live
// job, run by all three nodes, records it once.
func TestScheduledArticleGoesLiveOnceAcrossNodes(t *testing.T) {
	dsn := pgtest.FreshDSN(t)
	n1 := startServer(t, "--db", dsn, "--data", t.TempDir(), "--demo")
	token := regexp.MustCompile(`tzd_\S+`).FindString(n1.stdout.String())
	n2 := startServer(t, "--db", dsn, "--data", t.TempDir())
	n3 := startServer(t, "--db", dsn, "--data", t.TempDir())
	at := time.Now().Add(6 * time.Second).UTC().Truncate(time.Second) // at least 5 s: time to check it is hidden before
	body := `{"edition":"en","title":"Scheduled across nodes","status":"published","published_at":"` + at.Format(time.RFC3339) + `"}`
	req, _ := http.NewRequest("POST", "http://"+n1.addr+"/api/v1/articles", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != 201 {
		t.Fatalf("scheduling: %v %v", res, err)
	}
	var created struct {
		ID  int64
		URL string
	}
	json.NewDecoder(res.Body).Decode(&created)
	res.Body.Close()
	u, _ := url.Parse(created.URL)
	if r, _ := http.Get("http://" + n2.addr + u.Path); r.StatusCode != 404 {
		t.Errorf("before its time the article answers %d on node 2", r.StatusCode)
	}
	for _, n := range []*server{n2, n3} {
		waitFor(t, n, u.Path, "Scheduled across nodes")
	}
	db, err := postgres.Open(context.Background(), dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// Every node runs the job each second; give all three a few turns.
	deadline := time.Now().Add(5 * time.Second)
	for {
		events, err := db.AuditEvents(context.Background(), 1000)
		if err != nil {
			t.Fatal(err)
		}
		count := 0
		for _, e := range events {
			if e.Action == store.AuditArticleLive && e.Ref == fmt.Sprint(created.ID) {
				count++
			}
		}
		if count > 1 {
			t.Fatalf("%d go-live events for one article", count)
		}
		if count == 1 && time.Now().After(deadline) {
			break
		}
		if time.Now().After(deadline.Add(10 * time.Second)) {
			t.Fatalf("no go-live event for article %d", created.ID)
		}
		time.Sleep(250 * time.Millisecond)
	}
}
