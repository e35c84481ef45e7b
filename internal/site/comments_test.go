package site_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"tamizdat/internal/keyring"
	"tamizdat/internal/moderation"
	"tamizdat/internal/news"
	"tamizdat/internal/site"
	"tamizdat/internal/store"
	"tamizdat/internal/store/storetest"
	"tamizdat/internal/views"
	"tamizdat/internal/web"
)

// commentSite is the fixture's site with the comment intake behind the
// client-address middleware, as the app builds it.
func commentSite(t *testing.T) (*fixture, *news.Article) {
	f := newFixture(t)
	keys, err := keyring.New(f.db, []byte("a site test node secret, thirty-two bytes+"), f.clock.Now, 0)
	if err != nil {
		t.Fatal(err)
	}
	v, _ := views.New()
	mux := http.NewServeMux()
	st := site.New(f.db, v, slog.New(slog.NewTextHandler(io.Discard, nil)))
	st.SetComments(&moderation.Intake{Store: f.db, Keys: keys, TokenKey: keys.Derive("comment form token")})
	st.Routes(mux)
	mux.Handle("/", st.NotFound(mux))
	f.srv = web.ClientAddr(nil, web.Hosts(st.Settings, mux))
	a := &news.Article{Edition: "en", Title: "A story to discuss", Status: news.StatusPublished, PublishedAt: f.clock.Now().Add(-time.Hour)}
	if err := f.db.CreateArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	return f, a
}

func (f *fixture) post(host, path string, form url.Values) (*http.Response, string) {
	f.t.Helper()
	req := httptest.NewRequest("POST", "http://"+host+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	f.srv.ServeHTTP(rec, req)
	res := rec.Result()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// postOnion posts as a reader of the onion service, arriving on its
// listener.
func (f *fixture) postOnion(path string, form url.Values) (*http.Response, string) {
	f.t.Helper()
	req := httptest.NewRequest("POST", "http://abcdefghijklmnop.onion"+path, strings.NewReader(form.Encode()))
	req = req.WithContext(web.OnionConnContext(req.Context(), nil))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	f.srv.ServeHTTP(rec, req)
	res := rec.Result()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

var tokenRE = regexp.MustCompile(`name="token" value="([^"]+)"`)

func token(t *testing.T, page string) string {
	t.Helper()
	m := tokenRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the article page has no comment form token")
	}
	return m[1]
}

// A reader posts from the plain form and lands back on the article with a
// notice; a refused post shows the reason with the text kept; the form is
// the same for every reader, so a cached page works.
func TestCommentForm(t *testing.T) {
	f, a := commentSite(t)
	path := a.Path(time.UTC)
	_, page := f.get(path)
	_, other := f.get(path)
	if token(t, page) != token(t, other) || !strings.Contains(page, `name="website"`) {
		t.Fatal("the form differs between two readers or has no honeypot")
	}
	tok := token(t, page)
	form := url.Values{"name": {"Ala"}, "text": {"I saw it happen, https://example.org/photo"}, "token": {tok}}
	res, body := f.post("example.org", path, form)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "too soon after the page opened") || !strings.Contains(body, "I saw it happen") {
		t.Errorf("a post at once: %d; the reason and the text must be on the page", res.StatusCode)
	}
	f.clock.Set(f.clock.Now().Add(10 * time.Second))
	res, _ = f.post("example.org", path, form)
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !regexp.MustCompile(`\?comment=published#c\d+$`).MatchString(loc) {
		t.Fatalf("a post: %d %q", res.StatusCode, loc)
	}
	res, body = f.get(strings.Split(loc, "#")[0])
	if !strings.Contains(body, "Your comment is published.") || res.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("the notice page: %q, Cache-Control %q", body[:0], res.Header.Get("Cache-Control"))
	}
	if !strings.Contains(body, `rel="nofollow ugc noopener"`) || !strings.Contains(body, ">Ala<") {
		t.Error("the comment is not shown with its name and a nofollow ugc link")
	}
	cid := regexp.MustCompile(`#c(\d+)$`).FindStringSubmatch(loc)[1]
	// A reply.
	_, page = f.get(path + "?reply=" + cid)
	if !strings.Contains(page, `name="parent" value="`+cid+`"`) {
		t.Error("the reply link does not fill the parent")
	}
	f.clock.Set(f.clock.Now().Add(time.Minute))
	res, _ = f.post("example.org", path, url.Values{"text": {"A reply to Ala"}, "token": {token(t, page)}, "parent": {cid}})
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("a reply: %d", res.StatusCode)
	}
	// Premoderated: it waits, and the reader is told so.
	f.set("comment_policy", "premoderated")
	f.clock.Set(f.clock.Now().Add(time.Minute))
	res, _ = f.post("example.org", path, url.Values{"text": {"Held for a moderator"}, "token": {tok}})
	if loc := res.Header.Get("Location"); !strings.HasSuffix(loc, "?comment=pending#comments") {
		t.Errorf("a premoderated post went to %q", loc)
	}
	_, body = f.get(path + "?comment=pending")
	if !strings.Contains(body, "will appear once a moderator has checked it") || strings.Contains(body, "Held for a moderator") {
		t.Error("the pending notice is missing or the held comment is shown")
	}
	// The count on the page counts published comments only.
	if got := regexp.MustCompile(`<span class="count">(\d+)</span>`).FindStringSubmatch(body); got == nil || got[1] != "2" {
		t.Errorf("the count says %v, want 2", got)
	}
	// A report puts the comment in the queue.
	res, _ = f.post("example.org", "/en/comments/"+cid+"/report", nil)
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "comment=reported") {
		t.Errorf("report: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	q, _, _ := f.db.CommentQueue(ctx, store.CommentQuery{Reported: true})
	if len(q) != 1 || q[0].Reports != 1 {
		t.Errorf("reported queue: %d", len(q))
	}
	// Through the onion service (its own listener) comments wait for a
	// moderator by default.
	f.set("comment_policy", "open")
	f.clock.Set(f.clock.Now().Add(time.Minute))
	res, _ = f.postOnion(path, url.Values{"text": {"From the onion service"}, "token": {tok}})
	if loc := res.Header.Get("Location"); !strings.HasSuffix(loc, "?comment=pending#comments") {
		t.Errorf("an onion post went to %q", loc)
	}
	// On the public listener, naming an onion host makes no onion request.
	f.clock.Set(f.clock.Now().Add(time.Minute))
	res, _ = f.post("abcdefghijklmnop.onion", path, url.Values{"text": {"Claims to come through Tor"}, "token": {tok}})
	if loc := res.Header.Get("Location"); !strings.Contains(loc, "?comment=published#c") {
		t.Errorf("a clearnet post naming the onion host went to %q, want published as on clearnet", loc)
	}
	// A closed article shows no form and refuses posts.
	a.CommentPolicy = news.PolicyClosed
	if err := f.db.UpdateArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	_, body = f.get(path)
	if strings.Contains(body, `id="comment-form"`) || !strings.Contains(body, "Comments are closed.") {
		t.Error("a closed article shows the form")
	}
	res, _ = f.post("example.org", path, url.Values{"text": {"Too late"}, "token": {tok}})
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("a post to a closed article: %d", res.StatusCode)
	}
}

// The privacy page says how long address keys live, in the reader's
// language and plural.
func TestPrivacyPageSaysHowLong(t *testing.T) {
	f := newFixture(t)
	if _, body := f.get("/en/privacy/"); !strings.Contains(body, "for 7 days, a keyed hash") {
		t.Error("the English privacy page does not say 7 days")
	}
	f.set("address_key_days", "3")
	if _, body := f.get("/ru/privacy/"); !strings.Contains(body, "храним 3 дня хеш") || !strings.Contains(body, "через 3 дня") {
		t.Error("the Russian privacy page does not say 3 дня")
	}
	if err := f.db.SetSetting(ctx, "address_key_days", "45"); news.ErrorCode(err) != news.EINVALID {
		t.Errorf("45 days: %v", err)
	}
}

// A reader who reports a comment many times is thanked each time and
// counted once; other readers count each. All onion readers share the Tor
// daemon's address, so together they count once a day.
func TestReportsCountOncePerReader(t *testing.T) {
	f, a := commentSite(t)
	cm := &news.Comment{ArticleID: a.ID, Body: "A comment someone dislikes", Status: news.CommentPublished}
	if err := f.db.CreateComment(ctx, cm); err != nil {
		t.Fatal(err)
	}
	path := "/en/comments/" + strconv.FormatInt(cm.ID, 10) + "/report"
	report := func(host, addr string) {
		t.Helper()
		req := httptest.NewRequest("POST", "http://"+host+path, nil)
		if strings.HasSuffix(host, ".onion") {
			// Onion readers arrive on the onion service's listener.
			req = req.WithContext(web.OnionConnContext(req.Context(), nil))
		}
		req.RemoteAddr = addr + ":40000"
		rec := httptest.NewRecorder()
		f.srv.ServeHTTP(rec, req)
		if loc := rec.Header().Get("Location"); rec.Code != http.StatusSeeOther || !strings.Contains(loc, "?comment=reported#c") {
			t.Fatalf("a report from %s: %d %q", addr, rec.Code, loc)
		}
	}
	reports := func() int {
		t.Helper()
		got, err := f.db.Comment(ctx, cm.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.Reports
	}
	for range 50 {
		report("example.org", "203.0.113.9")
	}
	if n := reports(); n != 1 {
		t.Errorf("50 reports from one reader count %d, want 1", n)
	}
	report("example.org", "198.51.100.1")
	report("example.org", "2001:db8:1:2::7")
	report("example.org", "2001:db8:1:2::8") // the same /64: the same subscriber
	if n := reports(); n != 3 {
		t.Errorf("reports from 3 readers count %d, want 3", n)
	}
	for range 5 {
		report("abcdefghijklmnop.onion", "127.0.0.1")
	}
	if n := reports(); n != 4 {
		t.Errorf("five onion reports count %d, want 1", n-3)
	}
	f.clock.Set(f.clock.Now().Add(24 * time.Hour))
	report("abcdefghijklmnop.onion", "127.0.0.1")
	report("example.org", "203.0.113.9")
	if n := reports(); n != 5 {
		t.Errorf("the next day an onion report counts once more and a reader's repeated one not at all: %d, want 5", n)
	}
}

// TestLongThreadsComeAPageAtATime: an article with hundreds of comments
// shows them a page at a time, oldest first, with links between the pages
// and the article's full count on every page.
func TestLongThreadsComeAPageAtATime(t *testing.T) {
	f := newFixture(t)
	a := f.article(&news.Article{Edition: "en", Title: "A busy story", Body: "Text.", Status: news.StatusPublished,
		PublishedAt: storetest.T0.Add(-48 * time.Hour)})
	const n = 2*site.CommentsPerPage + 37
	for i := range n {
		cm := news.Comment{ArticleID: a.ID, Name: "Reader", Body: fmt.Sprintf("Comment number %d", i),
			Status: news.CommentPublished, CreatedAt: storetest.T0.Add(-47*time.Hour + time.Duration(i)*time.Minute)}
		if err := f.db.CreateComment(ctx, &cm); err != nil {
			t.Fatal(err)
		}
	}
	held := news.Comment{ArticleID: a.ID, Body: "Held back", Status: news.CommentPending, CreatedAt: storetest.T0}
	if err := f.db.CreateComment(ctx, &held); err != nil {
		t.Fatal(err)
	}
	for page, want := range map[int][2]int{1: {0, site.CommentsPerPage}, 2: {site.CommentsPerPage, 2 * site.CommentsPerPage}, 3: {2 * site.CommentsPerPage, n}} {
		p := path(a)
		if page > 1 {
			p += fmt.Sprintf("?comments=%d", page)
		}
		doc := f.doc(p, 200)
		texts := doc.Find(".comment .text").Map(func(_ int, s *goquery.Selection) string { return strings.TrimSpace(s.Text()) })
		if len(texts) != want[1]-want[0] || texts[0] != fmt.Sprintf("Comment number %d", want[0]) ||
			texts[len(texts)-1] != fmt.Sprintf("Comment number %d", want[1]-1) {
			t.Errorf("page %d shows %d comments, from %q to %q", page, len(texts), texts[0], texts[len(texts)-1])
		}
		if got := doc.Find("#comments-h .count").Text(); got != fmt.Sprint(n) {
			t.Errorf("page %d counts %q comments, want %d", page, got, n)
		}
		shown := doc.Find("nav.comment-pages p").Text()
		if wantShown := fmt.Sprintf("Comments %d–%d of %d", want[0]+1, want[1], n); shown != wantShown {
			t.Errorf("page %d says %q, want %q", page, shown, wantShown)
		}
		earlier, _ := doc.Find(`nav.comment-pages a[rel=prev]`).Attr("href")
		later, _ := doc.Find(`nav.comment-pages a[rel=next]`).Attr("href")
		wantEarlier := map[int]string{1: "", 2: path(a) + "#comments", 3: path(a) + "?comments=2#comments"}[page]
		wantLater := map[int]string{1: path(a) + "?comments=2#comments", 2: path(a) + "?comments=3#comments", 3: ""}[page]
		if earlier != wantEarlier || later != wantLater {
			t.Errorf("page %d links to %q and %q, want %q and %q", page, earlier, later, wantEarlier, wantLater)
		}
		if strings.Contains(doc.Text(), "Held back") {
			t.Errorf("page %d shows a held comment", page)
		}
	}
	f.doc(path(a)+"?comments=4", 404)
	f.doc(path(a)+"?comments=0", 400)
	// A thread that fits one page has no page links.
	quiet := f.article(&news.Article{Edition: "en", Title: "A quiet story", Body: "Text.", Status: news.StatusPublished,
		PublishedAt: storetest.T0.Add(-time.Hour)})
	if doc := f.doc(path(quiet), 200); doc.Find("nav.comment-pages").Length() != 0 {
		t.Errorf("a story without comments has comment pages")
	}
}
