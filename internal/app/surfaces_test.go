package app_test

import (
	"strings"
	"testing"
)

// TestEachSurfaceHasItsOwnHandler asks each surface for a page it does not
// have, for a page it has, twice, and with a byte no text may hold: the
// reader site answers through its page cache in its own pages, while the
// desk and the API answer in their own forms and never from the cache,
// even for paths the reader site's patterns would match (/desk/x/ has the
// shape of a category page).
func TestEachSurfaceHasItsOwnHandler(t *testing.T) {
	s := startServer(t, "--data", t.TempDir(), "--demo")
	cases := []struct {
		path, status, inBody string
		cached               bool
	}{
		{"/en/", "200", "<html", true},
		{"/en/no-such-section/", "404", "<html", true},
		{"/en/?page=%00", "400", "<html", false},
		{"/desk/", "303", "", false}, // to the sign-in page
		{"/desk/no-such-page/", "404", "There is no such page in the desk.", false},
		{"/desk/no/such/page/", "404", "There is no such page in the desk.", false},
		{"/desk/signin?x=%00", "400", "What you sent was refused", false},
		{"/api/v1/articles?edition=en", "200", `"items":[`, false},
		{"/api/v1/no-such-call", "404", `"error":"no such API endpoint`, false},
		{"/api/v1/articles?q=%00", "400", `"error"`, false},
	}
	for _, c := range cases {
		for i := range 2 {
			res, body := s.get(t, c.path)
			status := res.Status[:3]
			xc := res.Header.Get("X-Cache")
			if status != c.status || !strings.Contains(string(body), c.inBody) {
				t.Errorf("%s: %s, want %s with %q in:\n%.300s", c.path, status, c.status, c.inBody, body)
			}
			switch {
			case !c.cached && xc != "":
				t.Errorf("%s: X-Cache %q on a surface the page cache does not serve", c.path, xc)
			case c.cached && i == 1 && xc != "HIT":
				t.Errorf("%s asked again: X-Cache %q, want HIT", c.path, xc)
			}
			if cc := res.Header.Get("Cache-Control"); !c.cached && !strings.Contains(cc, "no-store") && !strings.Contains(cc, "private") {
				t.Errorf("%s: Cache-Control %q lets others keep it", c.path, cc)
			}
		}
	}
}
