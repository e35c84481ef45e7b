package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"tamizdat/internal/news"
	"tamizdat/internal/testkit"
)

// TestPageCacheHitsAndPreciseInvalidation runs a demo site on each engine
// (on PostgreSQL two nodes, the edits made through one and read on the
// other) and follows the pages of one article through the cache: kept
// and answered from memory, the same entry whatever query string the
// page does not read, 304 for a copy the reader has; then an edit and a
// comment, after which, once the article's own page shows the change
// (the invalidation has reached the node), every list showing it shows
// it at once (a comment only its own page: its count on lists follows
// within the minute), while a page the change does not reach stays in the
// cache.
func TestPageCacheHitsAndPreciseInvalidation(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			src := newSite(t, engine)
			writer := startServer(t, append(storageArgs(src, t.TempDir()), "--demo")...)
			token := regexp.MustCompile(`tzd_\S+`).FindString(writer.stdout.String())
			reader := writer
			if engine == "postgres" {
				reader = startServer(t, storageArgs(src, t.TempDir())...)
			}
			api := func(method, path, body string) map[string]any {
				t.Helper()
				req, _ := http.NewRequest(method, "http://"+writer.addr+path, strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Content-Type", "application/json")
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer res.Body.Close()
				var out map[string]any
				json.NewDecoder(res.Body).Decode(&out)
				if res.StatusCode >= 300 {
					t.Fatalf("%s %s: %d %v", method, path, res.StatusCode, out)
				}
				return out
			}
			get := func(path string, hdr ...string) (*http.Response, string) {
				t.Helper()
				res, body := reader.get(t, path, hdr...)
				return res, string(body)
			}
			// The lists are in the cache before the article is published,
			// the tag's page as a not-found.
			lists := []string{"/en/", "/en/world/", "/en/tag/cachecheck/"}
			for _, l := range lists {
				get(l)
				if res, _ := get(l); !fromCache(res) {
					t.Fatalf("%s is not kept: %d %q", l, res.StatusCode, res.Header.Get("X-Cache"))
				}
			}
			pub := time.Now().Add(-time.Minute).UTC().Format(time.RFC3339)
			created := api("POST", "/api/v1/articles", fmt.Sprintf(`{"edition":"en","title":"Cached story first title","body":"Text.",
				"status":"published","published_at":%q,"categories":["world"],"tags":["cachecheck"]}`, pub))
			id, path := int64(created["id"].(float64)), created["url"].(string)
			day := path[:strings.LastIndex(strings.TrimSuffix(path, "/"), "/")+1]
			lists = append(lists, day)
			testkit.WaitFor(t, "the new article on its node", func() bool {
				res, body := get(path)
				return res.StatusCode == 200 && strings.Contains(body, "Cached story first title")
			})
			// The lists were kept: the invalidation has reached the node
			// once one of them shows the article, and it reached them all.
			testkit.WaitFor(t, "the new article on /en/world/", func() bool {
				_, body := get("/en/world/")
				return strings.Contains(body, "Cached story first title")
			})
			get(path)

			// Kept, and one entry whatever query the page does not read.
			res, first := get(path)
			if !fromCache(res) {
				t.Errorf("the second view: X-Cache %q", res.Header.Get("X-Cache"))
			}
			if res, _ := get(path, "Accept-Encoding", "gzip"); res.Header.Get("Content-Encoding") != "gzip" || res.Header.Get("Content-Length") == "" {
				t.Errorf("gzip: Content-Encoding %q, Content-Length %q", res.Header.Get("Content-Encoding"), res.Header.Get("Content-Length"))
			}
			if res, body := get(path + "?utm_source=channel&x=1"); !fromCache(res) || body != first {
				t.Errorf("a query the page does not read made another entry: X-Cache %q", res.Header.Get("X-Cache"))
			}
			if keys := res.Header.Get("Surrogate-Key"); !strings.Contains(" "+keys+" ", fmt.Sprintf(" a:%d ", id)) {
				t.Errorf("Surrogate-Key %q does not name the article", keys)
			}
			if res, _ := get(path, "If-None-Match", res.Header.Get("ETag")); res.StatusCode != http.StatusNotModified {
				t.Errorf("If-None-Match with the page's ETag: %d", res.StatusCode)
			}
			cc := res.Header.Get("Cache-Control")
			for _, want := range []string{"public", "max-age=", "stale-while-revalidate=", "stale-if-error="} {
				if !strings.Contains(cc, want) {
					t.Errorf("article page Cache-Control %q lacks %s", cc, want)
				}
			}
			if v := res.Header.Get("Vary"); v != "Accept-Encoding" {
				t.Errorf("article page Vary %q", v)
			}
			if res.Header.Get("Cache-Tag") == "" || res.Header.Get("Last-Modified") == "" {
				t.Errorf("article page lacks Cache-Tag or Last-Modified: %v", res.Header)
			}
			// What is never for a shared cache: the desk, the API's writes.
			if res, _ := get("/desk/signin"); !strings.Contains(res.Header.Get("Cache-Control"), "no-store") {
				t.Errorf("/desk/signin Cache-Control %q", res.Header.Get("Cache-Control"))
			}
			if res, _ := get("/favicon.ico"); res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/svg+xml" {
				t.Errorf("/favicon.ico: %d %q", res.StatusCode, res.Header.Get("Content-Type"))
			}
			css := regexp.MustCompile(`href="(/assets/site\.[0-9a-f]+\.css)"`).FindStringSubmatch(first)
			if css == nil {
				t.Fatal("no stylesheet link")
			}
			if res, _ := get(css[1]); res.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
				t.Errorf("%s Cache-Control %q", css[1], res.Header.Get("Cache-Control"))
			}
			if res, _ := get(path, "Accept-Encoding", "br"); res.Header.Get("Content-Encoding") != "br" {
				t.Errorf("Accept-Encoding br: Content-Encoding %q", res.Header.Get("Content-Encoding"))
			}
			for _, l := range lists {
				if _, body := get(l); !strings.Contains(body, "Cached story first title") {
					t.Errorf("%s does not show the new article", l)
				}
			}
			// A page the changes below do not reach.
			_, interview := get("/en/interview/")
			untouched := func(when string) {
				t.Helper()
				res, body := get("/en/interview/")
				// Made again only if the top bar's minute turned.
				if !fromCache(res) && clock(body) == clock(interview) {
					t.Errorf("%s dropped /en/interview/: X-Cache %q", when, res.Header.Get("X-Cache"))
				}
				interview = body
			}
			untouched("nothing")

			// An edit: once the article's page shows it, so does every list.
			api("PATCH", fmt.Sprintf("/api/v1/articles/%d", id), `{"title":"Cached story second title"}`)
			if reader == writer {
				// The node that wrote answered once its cache was in step:
				// whoever asks next, the editor first, sees the edit.
				if _, body := get(path); !strings.Contains(body, "Cached story second title") {
					t.Errorf("the node that took the edit serves the page from before it")
				}
			}
			testkit.WaitFor(t, "the edit on the article's page", func() bool {
				_, body := get(path)
				return strings.Contains(body, "Cached story second title")
			})
			for _, l := range lists {
				if _, body := get(l); strings.Contains(body, "Cached story first title") || !strings.Contains(body, "Cached story second title") {
					t.Errorf("%s is stale after the article's page changed", l)
				}
			}
			untouched("an edit elsewhere")

			// A comment, written by another process: its article's page,
			// nothing else; the lists show its count once their minute is
			// up (the clock's).
			_, world := get("/en/world/")
			db := src.open(t)
			cm := news.Comment{ArticleID: id, Name: "Reader", Body: "Seen it.", Status: news.CommentPublished, CreatedAt: time.Now()}
			if err := db.CreateComment(context.Background(), &cm); err != nil {
				t.Fatal(err)
			}
			db.Close()
			testkit.WaitFor(t, "the comment on the article's page", func() bool {
				_, body := get(path)
				return strings.Contains(body, "Seen it.")
			})
			if res, body := get("/en/world/"); !fromCache(res) && clock(body) == clock(world) {
				t.Errorf("a comment dropped /en/world/ within its minute: X-Cache %q", res.Header.Get("X-Cache"))
			}
			untouched("a comment elsewhere")

			// Withdrawn: its page is gone and no list shows it.
			api("PATCH", fmt.Sprintf("/api/v1/articles/%d", id), `{"status":"unpublished"}`)
			testkit.WaitFor(t, "the withdrawal on the article's page", func() bool {
				res, _ := get(path)
				return res.StatusCode == http.StatusGone
			})
			for _, l := range lists[:2] {
				if _, body := get(l); strings.Contains(body, "Cached story second title") {
					t.Errorf("%s still shows the withdrawn article", l)
				}
			}
		})
	}
}

// fromCache reports whether an answer came from the cache's memory, fresh
// or (while it is made again) the copy before.
func fromCache(res *http.Response) bool {
	return res.Header.Get("X-Cache") == "HIT" || res.Header.Get("X-Cache") == "STALE"
}

var clockRE = regexp.MustCompile(`<time class="clock" datetime="([^"]*)"`)

// clock is the minute a page's top bar shows.
func clock(page string) string {
	if m := clockRE.FindStringSubmatch(page); m != nil {
		return m[1]
	}
	return ""
}
