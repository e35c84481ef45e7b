package storetest

import (
	"strings"
	"testing"
	"time"

	"tamizdat/internal/news"
	"tamizdat/internal/render"
	"tamizdat/internal/store"
)

func renderer(version int) store.Renderer {
	return store.Renderer{Version: version, Render: func(body string, interview bool) string {
		return string(render.Article(body, render.Options{Interview: interview}))
	}}
}

// testRenderedOnSave wants an article's body rendered when it is saved,
// rendered again in the background when it has no copy of the current
// renderer (a migration, a restore, a new renderer), and never replaced
// by the output of an older renderer.
func testRenderedOnSave(t *testing.T, db *store.DB, _ *Clock) {
	before := MustArticle(t, db, "en", "Saved before the renderer", T0.Add(-time.Hour))
	db.SetRenderer(renderer(1))
	a := &news.Article{Edition: "en", Title: "Interview", Body: "- Who?\n- Us.\n\n<script>alert(1)</script>**bold**",
		Interview: true, Status: news.StatusPublished, PublishedAt: T0.Add(-time.Minute)}
	if err := db.CreateArticle(ctx(), a); err != nil {
		t.Fatal(err)
	}
	want := string(render.Article(a.Body, render.Options{Interview: true}))
	got, err := db.Article(ctx(), a.ID)
	if err != nil || got.HTML != want || strings.Contains(got.HTML, "<script") {
		t.Fatalf("after the save: %q, %v; want %q", got.HTML, err, want)
	}
	if old, _ := db.Article(ctx(), before.ID); old.HTML != "" {
		t.Errorf("an article saved before there was a renderer has HTML %q", old.HTML)
	}
	renderAll := func() int {
		t.Helper()
		var after int64
		total := 0
		for {
			last, done, err := db.RenderStale(ctx(), after, 1)
			if err != nil {
				t.Fatal(err)
			}
			total += done
			if last == 0 {
				return total
			}
			after = last
		}
	}
	if n := renderAll(); n != 1 {
		t.Errorf("RenderStale rendered %d, want the 1 saved before the renderer", n)
	}
	if old, _ := db.Article(ctx(), before.ID); old.HTML != string(render.Article(before.Body, render.Options{})) {
		t.Errorf("after RenderStale: %q", old.HTML)
	}
	// A new renderer: the pages render on view until the background work
	// has made every body again.
	db.SetRenderer(renderer(2))
	if got, _ := db.Article(ctx(), a.ID); got.HTML != "" {
		t.Errorf("a body of renderer 1 is served as renderer 2's")
	}
	if n := renderAll(); n != 2 {
		t.Errorf("RenderStale after the upgrade rendered %d, want 2", n)
	}
	if n := renderAll(); n != 0 {
		t.Errorf("a second pass rendered %d again", n)
	}
	// A node still on renderer 1 saves a new text: the upgraded nodes do
	// not show the old text's HTML, but render the new one on view until
	// it is rendered again.
	db.SetRenderer(renderer(1))
	a.Body += "\n\nMore words."
	if err := db.UpdateArticle(ctx(), a); err != nil {
		t.Fatal(err)
	}
	db.SetRenderer(renderer(2))
	if got, _ := db.Article(ctx(), a.ID); got.HTML != "" {
		t.Errorf("after an older node's save, renderer 2 is given %q", got.HTML)
	}
	if n := renderAll(); n != 1 {
		t.Errorf("RenderStale after an older node's save rendered %d, want 1", n)
	}
	if got, _ := db.Article(ctx(), a.ID); !strings.Contains(got.HTML, "More words.") {
		t.Errorf("the new text is not rendered: %q", got.HTML)
	}
}
