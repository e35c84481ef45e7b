package desk_test

import (
	"bytes"
	"context"
	"image/jpeg"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"tamizdat/internal/desk"
	"tamizdat/internal/images"
	"tamizdat/internal/news"
	"tamizdat/internal/store"
)

// fixtures are what the role table's paths point at, made afresh for each
// role so that one role's deletions do not change another's answers.
type fixtures struct {
	draft, published int64 // the author's draft, the editor's published story
	othersDraft      int64 // a draft of another author
	revision         int64
	image            int64
	ownImage         int64 // the author's upload, which nothing published shows
	usedImage        int64 // the author's upload, which the published story shows
	category         int64
	user             int64
	token            int64
	comment          int64
}

func (e *env) fixtures(tag string) fixtures {
	t := e.t
	t.Helper()
	var f fixtures
	draft := &news.Article{Edition: "en", Title: "Draft " + tag, Status: news.StatusDraft, AuthorID: e.users[news.RoleAuthor].user.ID}
	if err := e.db.CreateArticle(ctx(), draft); err != nil {
		t.Fatal(err)
	}
	pub := &news.Article{Edition: "en", Title: "Story " + tag, Status: news.StatusPublished, PublishedAt: t0.Add(-time1h),
		AuthorID: e.users[news.RoleEditor].user.ID}
	if err := e.db.CreateArticle(ctx(), pub); err != nil {
		t.Fatal(err)
	}
	f.draft, f.published = draft.ID, pub.ID
	cm := &news.Comment{ArticleID: pub.ID, Body: "A reader's comment " + tag, Status: news.CommentPending}
	if err := e.db.CreateComment(ctx(), cm); err != nil {
		t.Fatal(err)
	}
	f.comment = cm.ID
	revs, err := e.db.Revisions(ctx(), pub.ID)
	if err != nil || len(revs) == 0 {
		t.Fatalf("revisions: %v %d", err, len(revs))
	}
	f.revision = revs[0].ID
	f.image = e.storeImage(1, 0)
	f.ownImage = e.storeImage(2, e.users[news.RoleAuthor].user.ID)
	f.usedImage = e.storeImage(3, e.users[news.RoleAuthor].user.ID)
	pub.Image = &news.Image{ID: f.usedImage}
	if err := e.db.UpdateArticle(ctx(), pub); err != nil {
		t.Fatal(err)
	}
	c := &news.Category{Edition: "en", Slug: "c-" + strings.ToLower(tag), Name: "Category " + tag}
	if err := e.db.CreateCategory(ctx(), c); err != nil {
		t.Fatal(err)
	}
	f.category = c.ID
	u := e.addUser("someone-"+strings.ToLower(tag)+"@example.org", news.RoleAuthor, false)
	f.user = u.user.ID
	others := &news.Article{Edition: "en", Title: "Draft by another author " + tag, Status: news.StatusDraft, AuthorID: u.user.ID}
	if err := e.db.CreateArticle(ctx(), others); err != nil {
		t.Fatal(err)
	}
	f.othersDraft = others.ID
	tok, err := e.db.CreateToken(ctx(), u.user.ID, []byte("hash-"+tag), t0.Add(1000*time1h))
	if err != nil {
		t.Fatal(err)
	}
	f.token = tok.ID
	return f
}

const time1h = 3600 * 1e9

// storeImage puts a generated picture through the upload pipeline, as
// uploaded by user uploader (0: no one).
func (e *env) storeImage(seed, uploader int64) int64 {
	e.t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, images.Generate(seed, 400, 300), nil); err != nil {
		e.t.Fatal(err)
	}
	p, err := images.Process(context.Background(), &buf)
	if err != nil {
		e.t.Fatal(err)
	}
	img := &news.MediaImage{Width: p.Width, Height: p.Height, Format: p.Format, Caption: "A picture", UploadedBy: uploader}
	var vs []store.ImageVariant
	for _, v := range p.Variants {
		vs = append(vs, store.ImageVariant{Width: v.Width, Height: v.Height, Data: v.Data})
	}
	if err := e.db.CreateImage(ctx(), img, vs); err != nil {
		e.t.Fatal(err)
	}
	return img.ID
}

// path fills a route pattern's wildcards with the fixtures.
func (f fixtures) path(pattern string) string {
	_, p, _ := strings.Cut(pattern, " ")
	p = strings.TrimSuffix(p, "{$}")
	id := f.draft
	switch {
	case strings.HasPrefix(p, "/desk/images/"):
		id = f.image
	case strings.HasPrefix(p, "/desk/categories/"):
		id = f.category
	case strings.HasPrefix(p, "/desk/users/"):
		id = f.user
	case strings.HasPrefix(p, "/desk/comments/"):
		id = f.comment
	case strings.HasPrefix(p, "/desk/account/sessions/"):
		id = 999999
	case strings.Contains(p, "/revisions/{rev}"), strings.HasSuffix(p, "/diff"):
		id = f.published
	}
	r := strings.NewReplacer("{id}", strconv.FormatInt(id, 10), "{rev}", strconv.FormatInt(f.revision, 10), "{code}", "en",
		"{token}", strconv.FormatInt(f.token, 10), "{lang}", "en", "{slug}", "about")
	p = r.Replace(p)
	if strings.HasSuffix(p, "/diff") {
		p += "?from=" + strconv.FormatInt(f.revision, 10) + "&to=" + strconv.FormatInt(f.revision, 10)
	}
	return p
}

func allowed(need desk.Permission, role news.Role) bool {
	switch need {
	case desk.Writer:
		return role.CanWrite()
	case desk.Publisher:
		return role.CanPublish()
	case desk.Admin:
		return role == news.RoleAdmin
	case desk.Moderator:
		return role == news.RoleAdmin || role == news.RoleEditor || role == news.RoleModerator
	}
	return true
}

// refusedRoute is what the desk says when a role may not open a route.
const refusedRoute = "cannot open this page"

// Every desk route, for every role and for a visitor without a session:
// the server refuses what the role may not do (403), lets through what it
// may, and sends a visitor to sign in.
func TestEveryRouteForEveryRole(t *testing.T) {
	onEngines(t, func(t *testing.T, e *env) {
		routes := e.desk.Routes()
		if len(routes) < 40 {
			t.Fatalf("only %d desk routes", len(routes))
		}
		for _, role := range []news.Role{news.RoleAdmin, news.RoleEditor, news.RoleAuthor, news.RoleModerator, ""} {
			f := e.fixtures(string(role) + "x")
			for _, rt := range routes {
				method, _, _ := strings.Cut(rt.Pattern, " ")
				path := f.path(rt.Pattern)
				b := e.browser()
				if role != "" {
					b = e.withSession(e.users[role])
				}
				var r reply
				if method == http.MethodGet {
					r = b.get(path)
				} else {
					r = b.post(path, url.Values{"title": {"Changed"}, "name": {"Renamed"}, "action": {"save"}})
				}
				where := string(role) + " " + method + " " + path
				switch {
				case r.status >= 500:
					t.Errorf("%s: %d %s", where, r.status, errorText(r.body))
				case rt.Need == desk.Public:
					if r.status >= 400 && r.status != http.StatusUnauthorized {
						t.Errorf("%s: a public page answered %d", where, r.status)
					}
				case role == "":
					if method == http.MethodGet && (r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/desk/signin")) {
						t.Errorf("%s without a session: %d %q, want a redirect to sign in", where, r.status, r.location)
					}
					if method != http.MethodGet && r.status != http.StatusUnauthorized {
						t.Errorf("%s without a session: %d, want 401", where, r.status)
					}
				case allowed(rt.Need, role):
					// The use-cases may still refuse an action on this
					// article (an author restoring an editor's story); the
					// route itself must let the role in.
					if strings.Contains(r.body, refusedRoute) || r.status == http.StatusUnauthorized || strings.HasPrefix(r.location, "/desk/signin?next=") {
						t.Errorf("%s (needs %s): refused with %d %q", where, rt.Need, r.status, r.location)
					}
				default:
					if r.status != http.StatusForbidden || !strings.Contains(r.body, refusedRoute) {
						t.Errorf("%s (needs %s): %d, want 403", where, rt.Need, r.status)
					}
				}
				// Another author's draft, through every route of an
				// article: for an author it is not there at all.
				if !strings.Contains(rt.Pattern, "/desk/articles/{id}/") || role == "" || !allowed(rt.Need, role) {
					continue
				}
				other := strings.Replace(path, "/desk/articles/"+strconv.FormatInt(f.draft, 10)+"/", "/desk/articles/"+strconv.FormatInt(f.othersDraft, 10)+"/", 1)
				other = strings.Replace(other, "/desk/articles/"+strconv.FormatInt(f.published, 10)+"/", "/desk/articles/"+strconv.FormatInt(f.othersDraft, 10)+"/", 1)
				if method == http.MethodGet {
					r = b.get(other)
				} else {
					r = b.post(other, url.Values{"title": {"Changed"}, "action": {"save"}, "edition": {"ru"}})
				}
				where = string(role) + " " + method + " " + other
				switch {
				case role == news.RoleAuthor:
					// Exactly what an article that does not exist answers.
					id := strconv.FormatInt(f.othersDraft, 10)
					missing := strings.Replace(other, "/desk/articles/"+id+"/", "/desk/articles/999999/", 1)
					var m reply
					if method == http.MethodGet {
						m = b.get(missing)
					} else {
						m = b.post(missing, url.Values{"title": {"Changed"}, "action": {"save"}, "edition": {"ru"}})
					}
					if r.status != m.status || strings.ReplaceAll(errorText(r.body), id, "999999") != errorText(m.body) {
						t.Errorf("%s, another author's draft: %d %q; a missing article: %d %q", where, r.status, errorText(r.body), m.status, errorText(m.body))
					}
					if method == http.MethodGet && r.status != http.StatusNotFound {
						t.Errorf("%s, another author's draft: %d, want 404", where, r.status)
					}
				case r.status >= 500, r.status == http.StatusNotFound && !strings.Contains(other, "/revisions/") && !strings.Contains(other, "/diff"):
					// Revisions of the other article are not this one's.
					t.Errorf("%s, another author's draft: %d %q", where, r.status, errorText(r.body))
				}
			}
		}
	})
}

// An author's list holds their own articles and what readers see; an
// editor's holds everything.
func TestArticleListForAnAuthor(t *testing.T) {
	onEngines(t, func(t *testing.T, e *env) {
		e.fixtures("l")
		titles := map[news.Role][]bool{news.RoleAuthor: {true, true, false}, news.RoleEditor: {true, true, true}}
		for role, want := range titles {
			page := e.withSession(e.users[role]).get("/desk/articles/")
			for i, title := range []string{"Draft l", "Story l", "Draft by another author l"} {
				if got := strings.Contains(page.body, title); got != want[i] {
					t.Errorf("the %s's list shows %q: %v, want %v", role, title, got, want[i])
				}
			}
		}
	})
}

// The words of an image readers see on a published article are an
// editor's to change; an author changes those of their own uploads that
// nothing published shows.
func TestImageWordsForEveryRole(t *testing.T) {
	onEngines(t, func(t *testing.T, e *env) {
		f := e.fixtures("i")
		form := url.Values{"caption": {"Changed caption"}, "credit": {"Someone"}, "alt": {"Changed description"}}
		tests := []struct {
			role   news.Role
			image  int64
			status int
			msg    string
		}{
			{news.RoleAuthor, f.usedImage, http.StatusForbidden, "a published article shows this image, so readers see its words; ask an editor to change them"},
			{news.RoleAuthor, f.image, http.StatusForbidden, "authors change the words of the images they uploaded; ask an editor to change this one"},
			{news.RoleAuthor, f.ownImage, http.StatusSeeOther, ""},
			{news.RoleEditor, f.usedImage, http.StatusSeeOther, ""},
			{news.RoleAdmin, f.image, http.StatusSeeOther, ""},
		}
		for _, tt := range tests {
			before, _ := e.db.Image(ctx(), tt.image)
			r := e.withSession(e.users[tt.role]).post("/desk/images/"+strconv.FormatInt(tt.image, 10)+"/", form)
			after, _ := e.db.Image(ctx(), tt.image)
			if r.status != tt.status || (tt.msg != "" && errorText(r.body) != tt.msg) {
				t.Errorf("%s changing image %d: %d %q, want %d %q", tt.role, tt.image, r.status, errorText(r.body), tt.status, tt.msg)
			}
			if changed := after.Alt == "Changed description"; changed != (tt.status == http.StatusSeeOther) || (!changed && after.Alt != before.Alt) {
				t.Errorf("%s changing image %d: description now %q", tt.role, tt.image, after.Alt)
			}
		}
		// Scheduled counts as published: readers will see it at its time.
		f2 := e.fixtures("s")
		pub, _ := e.db.Article(ctx(), f2.published)
		pub.PublishedAt = t0.Add(24 * time1h)
		if err := e.db.UpdateArticle(ctx(), pub); err != nil {
			t.Fatal(err)
		}
		if r := e.withSession(e.users[news.RoleAuthor]).post("/desk/images/"+strconv.FormatInt(f2.usedImage, 10)+"/", form); r.status != http.StatusForbidden {
			t.Errorf("an author changing the image of a scheduled story: %d", r.status)
		}
	})
}

// Every desk page an admin opens renders (templates included) on both
// engines.
func TestEveryPageRenders(t *testing.T) {
	onEngines(t, func(t *testing.T, e *env) {
		f := e.fixtures("r")
		b := e.withSession(e.users[news.RoleAdmin])
		for _, rt := range e.desk.Routes() {
			if !strings.HasPrefix(rt.Pattern, "GET ") || rt.Need < desk.SignedIn || rt.Pattern == "GET /desk/{$}" {
				continue
			}
			r := b.get(f.path(rt.Pattern))
			if r.status != http.StatusOK || !strings.Contains(r.body, "</html>") {
				t.Errorf("%s: %d %s", f.path(rt.Pattern), r.status, errorText(r.body))
			}
		}
		for _, p := range []string{"/desk/no/such/page", "/desk/articles/999999/", "/desk/articles/x/"} {
			if r := b.get(p); r.status != http.StatusNotFound || !strings.Contains(r.body, "Not Found · ") {
				t.Errorf("%s: %d %s", p, r.status, errorText(r.body))
			}
		}
	})
}

// The API checks the same roles: a table of calls and who may make them.
func TestAPIForEveryRole(t *testing.T) {
	onEngines(t, func(t *testing.T, e *env) {
		type call struct {
			name, method, path, body string
			ok                       int               // the status of an allowed call
			may                      []news.Role       // who may
			no                       map[news.Role]int // the status for others where not 403 (401 without a token)
		}
		writers := []news.Role{news.RoleAdmin, news.RoleEditor, news.RoleAuthor}
		editors := []news.Role{news.RoleAdmin, news.RoleEditor}
		moderators := []news.Role{news.RoleAdmin, news.RoleEditor, news.RoleModerator}
		asMissing := map[news.Role]int{news.RoleAuthor: 404, news.RoleModerator: 404, "": 404}
		for _, role := range []news.Role{news.RoleAdmin, news.RoleEditor, news.RoleAuthor, news.RoleModerator, ""} {
			f := e.fixtures("api" + string(role))
			calls := []call{
				{"read the public list", "GET", "/api/v1/articles", "", 200, append(writers, news.RoleModerator, ""), nil},
				{"write a draft", "POST", "/api/v1/articles", `{"edition":"en","title":"A draft"}`, 201, writers, nil},
				{"publish", "POST", "/api/v1/articles", `{"edition":"en","title":"Live","status":"published"}`, 201, editors, nil},
				{"curate", "POST", "/api/v1/articles", `{"edition":"en","title":"Top","top":true}`, 201, editors, nil},
				{"edit someone's published story", "PATCH", "/api/v1/articles/" + strconv.FormatInt(f.published, 10), `{"title":"Edited"}`, 200, editors, nil},
				{"add a category", "POST", "/api/v1/categories", `{"edition":"en","slug":"api-` + string(role) + `x","name":"X"}`, 201, editors, nil},
				{"read the comment queue", "GET", "/api/v1/comments?status=pending", "", 200, moderators, nil},
				{"approve a comment", "POST", "/api/v1/comments/" + strconv.FormatInt(f.comment, 10) + "/approve", "", 200, moderators, nil},
				{"mark a comment as spam", "POST", "/api/v1/comments/" + strconv.FormatInt(f.comment, 10) + "/spam", "", 200, moderators, nil},
				// Drafts are there only for their author and editors;
				// for anyone else exactly as missing.
				{"read one's own draft", "GET", "/api/v1/articles/" + strconv.FormatInt(f.draft, 10), "", 200, writers, asMissing},
				{"read another author's draft", "GET", "/api/v1/articles/" + strconv.FormatInt(f.othersDraft, 10), "", 200, editors, asMissing},
				{"read a published story", "GET", "/api/v1/articles/" + strconv.FormatInt(f.published, 10), "", 200, append(writers, news.RoleModerator, ""), nil},
				{"edit another author's draft", "PATCH", "/api/v1/articles/" + strconv.FormatInt(f.othersDraft, 10), `{"title":"Mine now"}`, 200, editors,
					map[news.Role]int{news.RoleAuthor: 404}},
				{"delete someone's published story", "DELETE", "/api/v1/articles/" + strconv.FormatInt(f.published, 10), "", 204, editors, nil},
			}
			var token string
			if role != "" {
				tok, hash := authToken()
				if _, err := e.db.CreateToken(ctx(), e.users[role].user.ID, hash, t0.Add(1000*time1h)); err != nil {
					t.Fatal(err)
				}
				token = tok
			}
			for _, c := range calls {
				req, _ := http.NewRequest(c.method, e.srv.URL+c.path, strings.NewReader(c.body))
				req.Header.Set("Content-Type", "application/json")
				if token != "" {
					req.Header.Set("Authorization", "Bearer "+token)
				}
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				want := http.StatusForbidden
				if role == "" {
					want = http.StatusUnauthorized
				}
				if st, ok := c.no[role]; ok {
					want = st
				}
				for _, r := range c.may {
					if r == role {
						want = c.ok
					}
				}
				if res.StatusCode != want {
					t.Errorf("%q as %q: %d, want %d", c.name, role, res.StatusCode, want)
				}
			}
		}
	})
}

// The revisions of an article hold what was cut before it was published:
// an author reads those of their own articles only, the editors all; any
// other answers as a missing article does.
func TestRevisionsAreTheirAuthorsAndEditors(t *testing.T) {
	onEngines(t, func(t *testing.T, e *env) {
		f := e.fixtures("h")
		author, editor := e.withSession(e.users[news.RoleAuthor]), e.withSession(e.users[news.RoleEditor])
		id := strconv.FormatInt(f.published, 10)
		rev := strconv.FormatInt(f.revision, 10)
		for _, p := range []string{"/desk/articles/" + id + "/revisions/", "/desk/articles/" + id + "/diff?from=" + rev + "&to=" + rev} {
			if r := author.get(p); r.status != http.StatusNotFound {
				t.Errorf("an author, %s of an editor's published story: %d, want 404", p, r.status)
			}
			if r := editor.get(p); r.status != http.StatusOK {
				t.Errorf("an editor, %s: %d", p, r.status)
			}
		}
		if r := author.post("/desk/articles/"+id+"/revisions/"+rev+"/restore", nil); r.status != http.StatusNotFound {
			t.Errorf("an author restoring a revision of an editor's story: %d, want 404", r.status)
		}
		if r := author.get("/desk/articles/" + id + "/"); r.status != http.StatusOK || strings.Contains(r.body, "/revisions/") {
			t.Errorf("an author's view of an editor's story: %d, and it links to the revisions: %v", r.status, strings.Contains(r.body, "/revisions/"))
		}
		own := strconv.FormatInt(f.draft, 10)
		if r := author.get("/desk/articles/" + own + "/revisions/"); r.status != http.StatusOK {
			t.Errorf("an author, the revisions of their own draft: %d", r.status)
		}
	})
}
