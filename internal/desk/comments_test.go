package desk_test

import (
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"tamizdat/internal/keyring"
	"tamizdat/internal/news"
	"tamizdat/internal/store"
)

// The moderator's queue: waiting comments with their article and reason,
// bulk approve and reject, editing a passage out, banning a sender for at
// most as long as the day key lives; everything in the audit log.
func TestModerationQueue(t *testing.T) {
	onEngines(t, func(t *testing.T, e *env) {
		f := e.fixtures("q")
		fp, err := e.keys.Fingerprint(ctx(), "comment", netip.MustParseAddr("203.0.113.77"))
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, text := range []string{"First held comment", "Second held comment", "A rude comment with a phone number 555-0100"} {
			cm := &news.Comment{ArticleID: f.published, Body: text, Status: news.CommentPending, HeldReason: "premoderation"}
			meta := &store.CommentMeta{Fingerprint: fp, FPDay: keyring.Day(e.clock.Now())}
			if err := e.db.PostComment(ctx(), cm, meta, nil); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, strconv.FormatInt(cm.ID, 10))
		}
		mod := e.browser()
		mod.signIn(e.users[news.RoleModerator])
		if r := mod.get("/desk/"); r.location != "/desk/comments/" {
			t.Errorf("a moderator's desk opens at %q", r.location)
		}
		page := mod.get("/desk/comments/")
		for _, want := range []string{"First held comment", "Waiting because: premoderation", "Story q"} {
			if !strings.Contains(page.body, want) {
				t.Errorf("the queue lacks %q", want)
			}
		}
		if r := mod.post("/desk/comments/", url.Values{"id": {ids[0], ids[1]}, "action": {"approve"}, "status": {"pending"}}); r.status != http.StatusSeeOther {
			t.Fatalf("bulk approve: %d %s", r.status, errorText(r.body))
		}
		a, _ := e.db.Article(ctx(), f.published)
		if a.CommentCount != 2 {
			t.Errorf("after approving two: %d published", a.CommentCount)
		}
		if r := mod.post("/desk/comments/", url.Values{"action": {"approve"}}); r.status != http.StatusUnprocessableEntity {
			t.Errorf("approving nothing: %d", r.status)
		}
		// Edit the phone number out, then approve.
		path := "/desk/comments/" + ids[2] + "/"
		if r := mod.post(path, url.Values{"text": {"A rude comment with a phone number [removed]"}}); r.status != http.StatusSeeOther {
			t.Fatalf("edit: %d %s", r.status, errorText(r.body))
		}
		id2, _ := strconv.ParseInt(ids[2], 10, 64)
		if c, _ := e.db.Comment(ctx(), id2); strings.Contains(c.Body, "555") {
			t.Error("the passage is still there")
		}
		// Ban the sender; the ban cannot outlive the key.
		if r := mod.post(path+"ban", url.Values{"days": {"30"}}); r.status != http.StatusUnprocessableEntity {
			t.Errorf("a 30-day ban with 7-day keys: %d", r.status)
		}
		if r := mod.post(path+"ban", url.Values{"days": {"7"}, "reason": {"threats"}}); r.status != http.StatusSeeOther {
			t.Fatalf("ban: %d %s", r.status, errorText(r.body))
		}
		until, _ := e.db.BannedUntil(ctx(), [][]byte{fp})
		if until.IsZero() || until.After(e.keys.KeyEnd(keyring.Day(e.clock.Now()))) {
			t.Errorf("the ban ends %v, after its key (%v)", until, e.keys.KeyEnd(keyring.Day(e.clock.Now())))
		}
		if r := mod.post("/desk/comments/", url.Values{"id": {ids[2]}, "action": {"reject"}}); r.status != http.StatusSeeOther {
			t.Errorf("reject: %d", r.status)
		}
		events, _ := e.db.AuditLog(ctx(), store.AuditQuery{Action: "comment."})
		if len(events) != 5 || events[0].ActorEmail != e.users[news.RoleModerator].user.Email {
			t.Errorf("audit of moderation: %d events, %+v", len(events), events)
		}
		// Authors do not moderate.
		if r := e.withSession(e.users[news.RoleAuthor]).get("/desk/comments/"); r.status != http.StatusForbidden {
			t.Errorf("an author opened the queue: %d", r.status)
		}
	})
}
