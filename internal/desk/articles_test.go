package desk_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"tamizdat/internal/news"
	"tamizdat/internal/store"
)

var articleURL = regexp.MustCompile(`^/desk/articles/(\d+)/\?done=`)

func (b *browser) createArticle(form url.Values) int64 {
	b.e.t.Helper()
	r := b.post("/desk/articles/new", form)
	m := articleURL.FindStringSubmatch(r.location)
	if r.status != http.StatusSeeOther || m == nil {
		b.e.t.Fatalf("creating an article: %d %q %s", r.status, r.location, errorText(r.body))
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

var checkboxRE = regexp.MustCompile(`<input type="checkbox"[^>]*>`)

// checked reports whether the page's checkbox called name is ticked.
func checked(body, name string) bool {
	for _, box := range checkboxRE.FindAllString(body, -1) {
		if strings.Contains(box, ` name="`+name+`"`) {
			return strings.Contains(box, " checked")
		}
	}
	return false
}

// editForm is what the article form carries when opened now.
func (b *browser) editForm(id int64) url.Values {
	b.e.t.Helper()
	page := b.get("/desk/articles/" + strconv.FormatInt(id, 10) + "/")
	if page.status != http.StatusOK {
		b.e.t.Fatalf("opening article %d: %d", id, page.status)
	}
	a, err := b.e.db.Article(ctx(), id)
	if err != nil {
		b.e.t.Fatal(err)
	}
	form := url.Values{"version": {hidden(page.body, "version")}, "title": {a.Title}, "lead": {a.Lead}, "body": {a.Body},
		"comment_policy": {string(a.CommentPolicy)}, "byline": {a.Byline}}
	if checked(page.body, "interview") {
		form.Set("interview", "1")
	}
	return form
}

// Writing, previewing, publishing, scheduling, correcting and
// unpublishing through the form, and what readers see at each step.
func TestArticleLife(t *testing.T) {
	onEngines(t, func(t *testing.T, e *env) {
		ed := e.browser()
		ed.signIn(e.users[news.RoleEditor])
		form := url.Values{"edition": {"en"}, "title": {"Bridge closed after the flood"}, "lead": {"Traffic goes round."},
			"body": {"The bridge is shut.\n\n- What happened?\n- Water rose overnight."}, "interview": {"1"}, "primary": {"politics"},
			"tags": {"flood, bridge"}, "comment_policy": {"inherit"}, "action": {"preview"}}
		r := ed.post("/desk/articles/new", form)
		if r.status != http.StatusOK || !strings.Contains(r.body, `class="interview"`) || !strings.Contains(r.body, "Water rose overnight.") {
			t.Fatalf("preview: %d %s", r.status, errorText(r.body))
		}
		if n, _ := e.db.CountArticles(ctx()); n != 0 {
			t.Fatal("a preview saved the article")
		}
		form.Set("action", "publish")
		id := ed.createArticle(form)
		a, _ := e.db.Article(ctx(), id)
		if !a.VisibleAt(e.clock.Now()) || a.AuthorID != e.users[news.RoleEditor].user.ID || a.PrimaryCategory() != "politics" || len(a.Tags) != 2 {
			t.Fatalf("published article: %+v", a)
		}
		public := e.browser().get(a.Path(time.UTC))
		if public.status != http.StatusOK || !strings.Contains(public.body, "Bridge closed after the flood") {
			t.Fatalf("readers get %d", public.status)
		}
		// A correction after publication is shown to readers.
		edit := ed.editForm(id)
		edit.Set("body", a.Body+"\n\nThe bridge reopens on Friday.")
		edit.Set("correction", "An earlier version gave the wrong day.")
		edit.Set("action", "save")
		if r := ed.post("/desk/articles/"+strconv.FormatInt(id, 10)+"/", edit); r.status != http.StatusSeeOther {
			t.Fatalf("edit: %d %s", r.status, errorText(r.body))
		}
		public = e.browser().get(a.Path(time.UTC))
		if !strings.Contains(public.body, "An earlier version gave the wrong day.") || !strings.Contains(public.body, "reopens on Friday") {
			t.Error("the correction is not on the public page")
		}
		// Scheduling: hidden until its minute.
		at := e.clock.Now().Add(90 * time.Minute)
		form = url.Values{"edition": {"en"}, "title": {"Scheduled story"}, "comment_policy": {"inherit"}, "action": {"schedule"},
			"publish_at": {at.Format("2006-01-02T15:04")}}
		sid := ed.createArticle(form)
		s, _ := e.db.Article(ctx(), sid)
		if s.VisibleAt(e.clock.Now()) || !s.VisibleAt(at.Add(time.Minute)) {
			t.Errorf("scheduled article: %s at %v", s.Status, s.PublishedAt)
		}
		form.Set("publish_at", e.clock.Now().Add(-time.Hour).Format("2006-01-02T15:04"))
		if r := ed.post("/desk/articles/new", form); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "already passed") {
			t.Errorf("scheduling in the past: %d %s", r.status, errorText(r.body))
		}
		// Unpublishing: readers get 410.
		edit = ed.editForm(id)
		edit.Set("action", "unpublish")
		if r := ed.post("/desk/articles/"+strconv.FormatInt(id, 10)+"/", edit); r.status != http.StatusSeeOther {
			t.Fatalf("unpublish: %d %s", r.status, errorText(r.body))
		}
		if r := e.browser().get(a.Path(time.UTC)); r.status != http.StatusGone {
			t.Errorf("an unpublished article answered %d", r.status)
		}
		events, _ := e.db.AuditLog(ctx(), store.AuditQuery{Action: "article."})
		var actions []string
		for _, ev := range events {
			if ev.Ref == strconv.FormatInt(id, 10) {
				actions = append(actions, ev.Action+" by "+ev.ActorEmail)
			}
		}
		want := "article.unpublish by editor@example.org,article.edit by editor@example.org,article.edit by editor@example.org,article.publish by editor@example.org,article.create by editor@example.org"
		if strings.Join(actions, ",") != want {
			t.Errorf("audit log of the article:\n%s\nwant\n%s", strings.Join(actions, ","), want)
		}
	})
}

// An author writes and submits; publishing, scheduling and curating are
// refused with the text kept on the form.
func TestAuthorCannotPublish(t *testing.T) {
	onEngines(t, func(t *testing.T, e *env) {
		au := e.browser()
		au.signIn(e.users[news.RoleAuthor])
		form := url.Values{"edition": {"en"}, "title": {"My draft"}, "body": {"Words I must not lose."}, "comment_policy": {"inherit"}, "action": {"publish"}}
		r := au.post("/desk/articles/new", form)
		if r.status != http.StatusForbidden || !strings.Contains(r.body, "Words I must not lose.") {
			t.Errorf("an author publishing: %d, text kept: %v", r.status, strings.Contains(r.body, "Words I must not lose."))
		}
		if strings.Contains(au.get("/desk/articles/new").body, `value="publish"`) {
			t.Error("the author's form offers Publish")
		}
		form.Set("action", "submit")
		id := au.createArticle(form)
		a, _ := e.db.Article(ctx(), id)
		if a.Status != news.StatusReview {
			t.Errorf("submitted article is %s", a.Status)
		}
		edit := au.editForm(id)
		edit.Set("action", "schedule")
		edit.Set("publish_at", e.clock.Now().Add(time.Hour).Format("2006-01-02T15:04"))
		if r := au.post("/desk/articles/"+strconv.FormatInt(id, 10)+"/", edit); r.status != http.StatusForbidden {
			t.Errorf("an author scheduling: %d", r.status)
		}
		edit.Set("action", "save")
		edit.Set("top", "1")
		au.post("/desk/articles/"+strconv.FormatInt(id, 10)+"/", edit)
		if a, _ := e.db.Article(ctx(), id); a.Top || a.Status != news.StatusReview {
			t.Errorf("an author curated or changed status: top=%v %s", a.Top, a.Status)
		}
	})
}

// Two people edit the same article: the second save is refused with both
// texts shown and the refused text kept as a revision; revisions compare
// and restore.
func TestEditConflictAndRevisions(t *testing.T) {
	onEngines(t, func(t *testing.T, e *env) {
		ed, adm := e.browser(), e.browser()
		ed.signIn(e.users[news.RoleEditor])
		adm.signIn(e.users[news.RoleAdmin])
		id := ed.createArticle(url.Values{"edition": {"en"}, "title": {"Budget vote"}, "body": {"Line one.\n\nLine two."},
			"comment_policy": {"inherit"}, "action": {"save"}})
		path := "/desk/articles/" + strconv.FormatInt(id, 10) + "/"
		mine, theirs := ed.editForm(id), adm.editForm(id)
		theirs.Set("body", "Line one.\n\nLine two, as the admin wrote it.")
		theirs.Set("action", "save")
		if r := adm.post(path, theirs); r.status != http.StatusSeeOther {
			t.Fatalf("first save: %d %s", r.status, errorText(r.body))
		}
		mine.Set("body", "Line one.\n\nLine two, as the editor wrote it.")
		mine.Set("action", "save")
		r := ed.post(path, mine)
		if r.status != http.StatusConflict {
			t.Fatalf("second save: %d, want 409", r.status)
		}
		for _, want := range []string{"as the admin wrote it", "as the editor wrote it", "Admin Person saved this article"} {
			if !strings.Contains(r.body, want) {
				t.Errorf("the conflict page lacks %q: %s", want, errorText(r.body))
			}
		}
		if a, _ := e.db.Article(ctx(), id); !strings.Contains(a.Body, "admin wrote") {
			t.Error("the refused save overwrote the first")
		}
		revs, _ := e.db.Revisions(ctx(), id)
		if len(revs) != 3 || revs[0].Kind != "conflict" || revs[0].ActorName != "Editor Person" {
			t.Fatalf("revisions: %+v", revs)
		}
		kept, _ := e.db.Revision(ctx(), id, revs[0].ID)
		if !strings.Contains(kept.Body, "editor wrote") {
			t.Error("the refused text is not kept")
		}
		// Saving from the conflict page is a deliberate choice and works.
		mine.Set("version", hidden(r.body, "version"))
		if r := ed.post(path, mine); r.status != http.StatusSeeOther {
			t.Fatalf("saving after the conflict: %d %s", r.status, errorText(r.body))
		}
		// Compare the first and the admin's revision.
		revs, _ = e.db.Revisions(ctx(), id)
		first, admins := revs[len(revs)-1].ID, revs[len(revs)-2].ID
		d := ed.get(path + "diff?from=" + strconv.FormatInt(first, 10) + "&to=" + strconv.FormatInt(admins, 10))
		if d.status != http.StatusOK || !strings.Contains(d.body, `<li class="del">`) || !strings.Contains(d.body, "<mark>") {
			t.Errorf("diff page: %d", d.status)
		}
		// Restore the first revision.
		a, _ := e.db.Article(ctx(), id)
		if r := ed.post(path+"revisions/"+strconv.FormatInt(first, 10)+"/restore", url.Values{"version": {strconv.FormatInt(a.Version, 10)}}); r.status != http.StatusSeeOther {
			t.Fatalf("restore: %d %s", r.status, errorText(r.body))
		}
		if a, _ := e.db.Article(ctx(), id); a.Body != "Line one.\n\nLine two." {
			t.Errorf("restored body %q", a.Body)
		}
		if revs, _ := e.db.Revisions(ctx(), id); revs[0].Kind != "restore" {
			t.Errorf("the restore's revision is %q", revs[0].Kind)
		}
	})
}

// Deleting asks for a confirmation, and only editors delete a published story.
func TestDeleteArticle(t *testing.T) {
	onEngines(t, func(t *testing.T, e *env) {
		f := e.fixtures("del")
		path := "/desk/articles/" + strconv.FormatInt(f.published, 10) + "/delete"
		ed := e.withSession(e.users[news.RoleEditor])
		if r := ed.post(path, nil); r.status != http.StatusUnprocessableEntity {
			t.Errorf("a delete without confirmation: %d", r.status)
		}
		if r := e.withSession(e.users[news.RoleAuthor]).post(path, url.Values{"confirm": {"1"}}); r.status != http.StatusForbidden {
			t.Errorf("an author deleting an editor's story: %d", r.status)
		}
		if r := ed.post(path, url.Values{"confirm": {"1"}}); r.status != http.StatusSeeOther {
			t.Fatalf("delete: %d %s", r.status, errorText(r.body))
		}
		if _, err := e.db.Article(ctx(), f.published); news.ErrorCode(err) != news.ENOTFOUND {
			t.Errorf("the article is still there: %v", err)
		}
		events, _ := e.db.AuditLog(ctx(), store.AuditQuery{Action: "article.delete"})
		if len(events) != 1 || events[0].ActorEmail != e.users[news.RoleEditor].user.Email {
			t.Errorf("audit: %+v", events)
		}
	})
}
