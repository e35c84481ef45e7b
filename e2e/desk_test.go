package e2e

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"tamizdat/internal/auth"
	"tamizdat/internal/images/imagetest"
	"tamizdat/internal/testkit"
)

// deskUser is a desk account as the test knows it.
type deskUser struct {
	email, password, secret string
	lastCode                time.Time // the time of the last code used: the next must be a later step
}

// code gives the authenticator's code for a step after the last one used:
// the desk accepts each step once.
func (u *deskUser) code(t *testing.T) string {
	at := time.Now()
	if !u.lastCode.IsZero() && at.Unix()/30 <= u.lastCode.Unix()/30 {
		at = u.lastCode.Add(30 * time.Second) // the next step; the desk allows one step of drift
	}
	u.lastCode = at
	c, err := auth.TOTPCode(u.secret, at)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

type tab struct {
	t   *testing.T
	ctx context.Context
	rec *pageRecord
}

func deskTab(t *testing.T) *tab {
	ctx, rec := newTab(t, newBrowser(t))
	return &tab{t: t, ctx: ctx, rec: rec}
}

func (b *tab) run(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, pageTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatalf("%v (at %s)", err, b.location())
	}
}

func (b *tab) open(path string) {
	b.t.Helper()
	b.run(chromedp.Navigate(baseURL + path))
}

// press clicks and waits for the page it leads to.
func (b *tab) press(sel string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, pageTimeout)
	defer cancel()
	loaded := func(page.EventLoadEventFired) bool { return true }
	if _, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, loaded, chromedp.Click(chromedp.CSS(sel)))); err != nil {
		b.t.Fatalf("pressing %s at %s: %v", sel, b.location(), err)
	}
}

func (b *tab) fill(id, value string) {
	b.t.Helper()
	// A node found while the page was still being replaced cannot take a
	// value: on a busy machine that happens even after the field was
	// ready, so the fill is tried again until it holds or the time is up.
	ctx, cancel := context.WithTimeout(b.ctx, pageTimeout)
	defer cancel()
	for {
		err := chromedp.Do(ctx, chromedp.WaitReady(chromedp.ID(id)), chromedp.SetValue(chromedp.ID(id), value))
		if err == nil {
			return
		}
		if ctx.Err() != nil {
			b.t.Fatalf("filling #%s: %v (at %s)", id, err, b.location())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (b *tab) text(sel string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, pageTimeout)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("reading %s at %s: %v", sel, b.location(), err)
	}
	return s
}

func (b *tab) html() string {
	b.t.Helper()
	s, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.documentElement.outerHTML`))
	return s
}

func (b *tab) location() string {
	s, _ := chromedp.Run(b.ctx, chromedp.Location())
	return strings.TrimPrefix(s, baseURL)
}

// signIn types the e-mail and password, then the second factor: the code
// of an enrolled authenticator, or, the first time, enrols one from the
// key the page shows and keeps the recovery codes.
func (b *tab) signIn(u *deskUser) {
	b.t.Helper()
	b.open("/desk/signin")
	b.fill("email", u.email)
	b.fill("password", u.password)
	b.press("form[action='/desk/signin'] button")
	switch loc := b.location(); {
	case strings.HasPrefix(loc, "/desk/signin/enroll"):
		if !strings.Contains(b.html(), "<svg") {
			b.t.Error("the enrolment page shows no QR code")
		}
		u.secret = b.text("#totp-secret")
		b.fill("code", u.code(b.t))
		b.press("form[action='/desk/signin/enroll'] button")
		if n := strings.Count(b.html(), "<li><code>"); n != 10 {
			b.t.Fatalf("after enrolling, %d recovery codes are shown", n)
		}
		b.press("a.button.primary")
	case strings.HasPrefix(loc, "/desk/signin/code"):
		b.fill("code", u.code(b.t))
		b.press("form[action='/desk/signin/code'] button")
	}
	if loc := b.location(); !strings.HasPrefix(loc, "/desk/") || strings.HasPrefix(loc, "/desk/signin") {
		b.t.Fatalf("signing in %s ended at %s: %s", u.email, loc, b.text("main"))
	}
}

func (b *tab) notice() string {
	b.t.Helper()
	return b.text(".notice")
}

// addUser creates a desk user in the admin's Users page and returns the
// password shown once.
func (b *tab) addUser(email, name, role string) *deskUser {
	b.t.Helper()
	b.open("/desk/users/")
	b.fill("u-email", email)
	b.fill("u-name", name)
	b.run(chromedp.SetValue(chromedp.ID("u-role"), role))
	b.press("form[action='/desk/users/'] button")
	return &deskUser{email: email, password: b.text("#new-password")}
}

var articleIDRE = regexp.MustCompile(`^/desk/articles/(\d+)/`)

// The newsroom's day in a real browser: sign-in with password and TOTP,
// users, a breaking story (timed), an article with an image and a preview,
// a scheduled story appearing by itself, a correction, an edit conflict,
// an author refused, and a disabled user's open session refused.
func TestDesk(t *testing.T) {
	if adminPassword == "" {
		t.Fatal("the server did not print the demo admin's password")
	}
	admin := &deskUser{email: "admin@demo.example", password: adminPassword}
	adm := deskTab(t)
	adm.signIn(admin) // enrols the authenticator
	adm.open("/desk/account/")
	adm.press("form[action='/desk/signout'] button")
	if !strings.HasPrefix(adm.location(), "/desk/signin") {
		t.Fatalf("signing out ended at %s", adm.location())
	}
	a11y(t, adm, "desk-signin")
	adm.signIn(admin) // password, then the code
	a11y(t, adm, "desk-articles")
	adm.open("/desk/account/")
	a11y(t, adm, "desk-account")
	adm.open("/desk/settings/")
	a11y(t, adm, "desk-settings")
	adm.open("/desk/comments/?status=published")
	a11y(t, adm, "desk-comments")

	editor := adm.addUser("editor@demo.example", "Eda Editor", "editor")
	author := adm.addUser("author@demo.example", "Aut Author", "author")
	a11y(t, adm, "desk-users")

	ed := deskTab(t)
	ed.signIn(editor)

	// A breaking story, click by click, timed from the article list.
	ed.open("/desk/articles/")
	start := time.Now()
	ed.press("a[href^='/desk/articles/new']")
	ed.run(chromedp.SetValue(chromedp.ID("edition"), "en"),
		chromedp.SendKeys(chromedp.ID("title"), "Border crossing closed without warning"),
		chromedp.SendKeys(chromedp.ID("lead"), "Queues of cars wait on both sides."),
		chromedp.SendKeys(chromedp.ID("body"), "Guards closed the crossing at noon. More follows."),
		chromedp.Click(chromedp.CSS("input[name=breaking]")))
	ed.press("button[value=publish]")
	took := time.Since(start)
	if n := ed.notice(); !strings.Contains(n, "Published") {
		t.Fatalf("publishing said %q", n)
	}
	t.Logf("an editor published a breaking story in %s (open the form, type headline, lead and text, tick the banner, publish)", took.Round(time.Millisecond))
	home := getHTML(t, "/en/")
	if !strings.Contains(home, `class="breaking"`) || !strings.Contains(home, "Border crossing closed without warning") {
		t.Error("the breaking banner is not on the English home page")
	}
	ed.rec.check(t)

	// An article with an image: upload, write, preview, publish, read.
	ed.open("/desk/images/")
	a11y(t, ed, "desk-images")
	jpg := filepath.Join(t.TempDir(), "photo.jpg")
	// A photo whose EXIF gives the camera and where it was taken.
	photo := imagetest.JPEGWithGPS(t, 1800, 1200, "TAMIZDAT-E2E-CAMERA")
	for _, gps := range imagetest.GPSBytes() {
		if !bytes.Contains(photo, gps) {
			t.Fatal("the test photo carries no GPS position")
		}
	}
	if err := os.WriteFile(jpg, photo, 0o644); err != nil {
		t.Fatal(err)
	}
	ed.run(chromedp.SetUploadFiles(chromedp.ID("file"), []string{jpg}))
	ed.fill("caption", "The square at dawn")
	ed.fill("credit", "Staff photographer")
	ed.fill("alt", "An empty square with long shadows")
	ed.press("form[action='/desk/images/'] button")
	if !strings.Contains(ed.notice(), "re-encoded") {
		t.Fatalf("upload: %s", ed.text("main"))
	}
	imageID := strings.TrimSuffix(strings.TrimPrefix(strings.Split(ed.location(), "?")[0], "/desk/images/"), "/")
	ed.open("/desk/articles/new?edition=en")
	ed.fill("title", "The square that fell silent")
	ed.fill("body", "People stayed home.\n\n- Why?\n- Because they were afraid.\n\nhttps://www.youtube.com/watch?v=demo123")
	ed.run(chromedp.Click(chromedp.ID("interview")))
	ed.run(chromedp.SetValue(chromedp.ID("image_id"), imageID))
	ed.fill("image_caption", "The square at dawn")
	ed.fill("image_credit", "Staff photographer")
	ed.press("button[value=preview]")
	if p := ed.html(); !strings.Contains(p, `id="h-preview"`) || !strings.Contains(p, `class="interview"`) || !strings.Contains(p, "link-card") {
		t.Error("the preview does not show the rendered text with its interview and link card")
	}
	ed.press("button[value=publish]")
	m := articleIDRE.FindStringSubmatch(ed.location())
	if m == nil {
		t.Fatalf("after publishing: %s", ed.location())
	}
	articleID := m[1]
	ed.press("a[href$='/" + articleID + "/'][href^='/en/news/']")
	pageHTML := ed.html()
	if !strings.Contains(pageHTML, `srcset="/media/`+imageID+`/`) || !strings.Contains(pageHTML, "The square at dawn") {
		t.Error("the public article has no srcset image with its caption")
	}
	for _, src := range regexp.MustCompile(`/media/\d+/\d+`).FindAllString(pageHTML, -1) {
		body := fetch(t, src)
		for _, leak := range append([][]byte{[]byte("Exif"), []byte("TAMIZDAT-E2E-CAMERA")}, imagetest.GPSBytes()...) {
			if bytes.Contains(body, leak) || len(body) < 100 {
				t.Errorf("%s: %d bytes, holds %q", src, len(body), leak)
			}
		}
	}
	ed.rec.check(t)
	publicPath := ed.location()

	// A correction after publication.
	ed.open("/desk/articles/" + articleID + "/")
	a11y(t, ed, "desk-article-form")
	screenshot(t, ed.ctx, "desk-article-form.png")
	ed.fill("correction", "An earlier version misnamed the square.")
	ed.press("button[value=save]")
	if !strings.Contains(getHTML(t, publicPath), "An earlier version misnamed the square.") {
		t.Error("the correction is not shown to readers")
	}

	// Scheduled a few seconds ahead: it appears by itself.
	ed.open("/desk/articles/new?edition=en")
	zone := regexp.MustCompile(`Publish at \(([^)]+)\)`).FindStringSubmatch(ed.text("label[for=publish_at]"))
	loc, err := time.LoadLocation(zone[1])
	if err != nil {
		t.Fatal(err)
	}
	at := time.Now().Add(6 * time.Second).Truncate(time.Second).In(loc)
	ed.fill("title", "Scheduled bulletin appears on its own")
	ed.fill("publish_at", at.Format("2006-01-02T15:04:05"))
	ed.press("button[value=schedule]")
	if !strings.Contains(ed.notice(), "Scheduled") {
		t.Fatalf("scheduling: %s", ed.text("main"))
	}
	if strings.Contains(getHTML(t, "/en/"), "Scheduled bulletin appears on its own") {
		t.Error("the scheduled story is on the home page before its time")
	}
	deadline := testkit.Deadline(t)
	for !strings.Contains(getHTML(t, "/en/"), "Scheduled bulletin appears on its own") {
		if time.Now().After(deadline) {
			t.Fatal("the scheduled story did not appear by the test's deadline")
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Logf("the scheduled story appeared %s after its time", time.Since(at).Round(10*time.Millisecond))

	// Two people edit one article: the second save is refused, both texts kept.
	adm.open("/desk/articles/" + articleID + "/")
	ed.open("/desk/articles/" + articleID + "/")
	ed.fill("body", "People stayed home, the editor wrote.")
	ed.press("button[value=save]")
	adm.fill("body", "People stayed home, the admin wrote.")
	adm.press("button[value=save]")
	if conflict := adm.html(); !strings.Contains(conflict, `id="h-conflict"`) || !strings.Contains(conflict, "the editor wrote") {
		t.Error("the second save did not show the other text")
	}
	if v, _ := chromedp.Run(adm.ctx, chromedp.Value(chromedp.ID("body"))); !strings.Contains(v, "the admin wrote") {
		t.Errorf("the refused text is not in the form: %q", v)
	}
	adm.rec.expect("409 (Conflict)", "HTTP 409")
	screenshot(t, adm.ctx, "desk-edit-conflict.png")

	// An author writes but cannot publish, even by forging the button.
	au := deskTab(t)
	au.signIn(author)
	au.open("/desk/articles/new?edition=en")
	if strings.Contains(au.html(), `value="publish"`) {
		t.Error("the author's form offers Publish")
	}
	au.fill("title", "An author's story")
	au.run(chromedp.SetAttributeValue(chromedp.CSS("button[value=submit]"), "value", "publish"))
	au.press("button[value=publish]")
	if msg := au.text(".error"); !strings.Contains(msg, "an editor publishes") {
		t.Errorf("an author publishing was answered %q", msg)
	}

	// The admin disables the author; the author's next click is refused.
	adm.open("/desk/users/")
	adm.press("a[href^='/desk/users/']:not([href='/desk/users/'])" + userLink(adm, author.email))
	adm.press("form[action$='/disable'] button")
	if !strings.Contains(adm.notice(), "disabled") {
		t.Fatalf("disabling: %s", adm.text("main"))
	}
	au.press("nav a[href='/desk/articles/']")
	if loc := au.location(); !strings.HasPrefix(loc, "/desk/signin") {
		t.Errorf("the disabled author's click reached %s", loc)
	}
	adm.rec.check(t)
}

// expect drops the recorded problems that are the test's own doing (a
// refusal it provoked), so that check still catches every other one.
func (r *pageRecord) expect(marks ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	kept := r.problems[:0]
	for _, p := range r.problems {
		mine := false
		for _, m := range marks {
			mine = mine || strings.Contains(p, m)
		}
		if !mine {
			kept = append(kept, p)
		}
	}
	r.problems = kept
}

// userLink narrows a selector to the Users table row of email.
func userLink(b *tab, email string) string {
	id := regexp.MustCompile(`<a href="/desk/users/(\d+)/">[^<]*</a></td><td>` + regexp.QuoteMeta(email)).FindStringSubmatch(b.html())
	if id == nil {
		b.t.Fatalf("no user %s in the list", email)
	}
	return "[href='/desk/users/" + id[1] + "/']"
}

func fetch(t *testing.T, path string) []byte {
	t.Helper()
	res, err := http.Get(baseURL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		t.Errorf("%s: %d", path, res.StatusCode)
	}
	return b
}

// a11y runs axe-core's WCAG 2.1 A and AA rules on the tab's page.
func a11y(t *testing.T, b *tab, name string) {
	t.Helper()
	src, _ := axeSource(t)
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](src+"\n;'ok'")); err != nil {
		t.Fatalf("injecting axe: %v", err)
	}
	res, err := chromedp.Run(b.ctx, chromedp.Evaluate[axeResults](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("running axe on %s: %v", name, err)
	}
	if len(res.Passes) == 0 {
		t.Fatalf("axe did not run on %s", name)
	}
	t.Logf("axe on %s (%s): %d rules passed, %d violated", name, b.location(), len(res.Passes), len(res.Violations))
	for _, r := range res.Violations {
		t.Errorf("axe violation on %s: %s", name, r)
	}
}
