package desk_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"tamizdat/internal/news"
)

// The interview mark is a checkbox of the article form: it decides whether
// a hyphen list reads as turns of speech, in the preview and on the site,
// and it travels with revisions and translations.
func TestInterviewCheckbox(t *testing.T) {
	onEngines(t, func(t *testing.T, e *env) {
		ed := e.browser()
		ed.signIn(e.users[news.RoleEditor])
		if page := ed.get("/desk/articles/new"); !strings.Contains(page.body, `name="interview"`) || checked(page.body, "interview") {
			t.Fatal("the new-article form has no interview checkbox, or it starts ticked")
		}
		body := "Shopping:\n\n- apples\n- pears"
		form := url.Values{"edition": {"en"}, "title": {"Market day"}, "body": {body}, "comment_policy": {"inherit"}, "action": {"preview"}}
		if r := ed.post("/desk/articles/new", form); !strings.Contains(r.body, "<li>apples</li>") || strings.Contains(r.body, `class="interview"`) {
			t.Errorf("the preview of an article not marked as an interview does not keep its list: %s", errorText(r.body))
		}
		form.Set("interview", "1")
		if r := ed.post("/desk/articles/new", form); !strings.Contains(r.body, `<p class="turn turn-q">— apples</p>`) || strings.Contains(r.body, "<li>apples</li>") {
			t.Errorf("the preview of an interview does not show turns: %s", errorText(r.body))
		}

		form.Set("action", "publish")
		id := ed.createArticle(form)
		a, _ := e.db.Article(ctx(), id)
		if !a.Interview {
			t.Fatal("the ticked checkbox was not saved")
		}
		path := "/desk/articles/" + strconv.FormatInt(id, 10) + "/"
		edit := ed.editForm(id)
		if edit.Get("interview") != "1" {
			t.Error("the edit form does not show the saved mark")
		}
		public := e.browser().get(a.Path(time.UTC))
		if !strings.Contains(public.body, `<p class="turn turn-q">— apples</p>`) || !strings.Contains(public.body, `<p class="turn turn-a">— pears</p>`) {
			t.Errorf("readers do not see the interview's turns: %d", public.status)
		}

		// Unticking it turns the turns back into a list.
		edit.Del("interview")
		edit.Set("action", "save")
		if r := ed.post(path, edit); r.status != http.StatusSeeOther {
			t.Fatalf("save: %d %s", r.status, errorText(r.body))
		}
		if a, _ := e.db.Article(ctx(), id); a.Interview {
			t.Error("unticking the checkbox did not clear the mark")
		}
		if checked(ed.get(path).body, "interview") {
			t.Error("the edit form still shows the mark")
		}
		if public := e.browser().get(a.Path(time.UTC)); !strings.Contains(public.body, "<li>apples</li>") || strings.Contains(public.body, "turn-q") {
			t.Error("readers do not see the list once the mark is gone")
		}

		// The mark is part of what a revision restores.
		revs, _ := e.db.Revisions(ctx(), id)
		if len(revs) != 2 || revs[0].Interview || !revs[1].Interview {
			t.Fatalf("revisions: %+v", revs)
		}
		d := ed.get(path + "diff?from=" + strconv.FormatInt(revs[1].ID, 10) + "&to=" + strconv.FormatInt(revs[0].ID, 10))
		section := ""
		if i := strings.Index(d.body, `aria-label="Interview"`); i >= 0 {
			section, _, _ = strings.Cut(d.body[i:], "</section>")
		}
		if !strings.Contains(section, `<li class="del">`) || !strings.Contains(section, `<li class="ins">`) {
			t.Errorf("the diff page does not show the mark changing: %d %q", d.status, section)
		}
		now, _ := e.db.Article(ctx(), id)
		restore := path + "revisions/" + strconv.FormatInt(revs[1].ID, 10) + "/restore"
		if r := ed.post(restore, url.Values{"version": {strconv.FormatInt(now.Version, 10)}}); r.status != http.StatusSeeOther {
			t.Fatalf("restore: %d %s", r.status, errorText(r.body))
		}
		if a, _ := e.db.Article(ctx(), id); !a.Interview {
			t.Error("restoring a revision of the interview did not bring the mark back")
		}

		// A translation starts as an interview too.
		r := ed.post(path+"translate", url.Values{"edition": {"ru"}})
		m := articleURL.FindStringSubmatch(r.location)
		if r.status != http.StatusSeeOther || m == nil {
			t.Fatalf("translate: %d %q %s", r.status, r.location, errorText(r.body))
		}
		tid, _ := strconv.ParseInt(m[1], 10, 64)
		if tr, _ := e.db.Article(ctx(), tid); !tr.Interview || tr.TranslationOf != id {
			t.Errorf("the translation draft: interview %v, translation of %d", tr.Interview, tr.TranslationOf)
		}
	})
}
