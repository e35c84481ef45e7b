package desk

import (
	"net/http"
	"strconv"
	"time"

	"tamizdat/internal/news"
	"tamizdat/internal/store"
	"tamizdat/internal/textdiff"
)

type revisionsContent struct {
	A         *news.Article
	Revisions []*store.Revision
	Loc       *time.Location
}

func (d *Desk) revisions(w http.ResponseWriter, r *http.Request, q *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	a, err := d.editor.History(r.Context(), q.user, id)
	if err != nil {
		return err
	}
	revs, err := d.store.Revisions(r.Context(), id)
	if err != nil {
		return err
	}
	return d.render(w, r, q, 0, "revisions", "Revisions: "+a.Title, revisionsContent{A: a, Revisions: revs, Loc: q.settings.Location}, nil)
}

type diffContent struct {
	A      *news.Article
	From   *store.Revision
	To     *store.Revision
	Fields []fieldDiff
	Loc    *time.Location
}

// fieldDiff is the difference of one field between two revisions.
type fieldDiff struct {
	Name  string
	Hunks []hunk
	Same  bool
}

type hunk struct {
	Skipped int
	Lines   []diffLine
}

type diffLine struct {
	Op       string // "eq", "ins", "del"
	Old, New int
	Spans    []textdiff.Span // words, changed ones marked, for a replaced line
	Text     string
}

// diff shows what changed between two revisions (?from=ID&to=ID), field by
// field, lines with words marked.
func (d *Desk) diff(w http.ResponseWriter, r *http.Request, q *req) error {
	ctx := r.Context()
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	a, err := d.editor.History(ctx, q.user, id)
	if err != nil {
		return err
	}
	from, err1 := strconv.ParseInt(r.URL.Query().Get("from"), 10, 64)
	to, err2 := strconv.ParseInt(r.URL.Query().Get("to"), 10, 64)
	if err1 != nil || err2 != nil {
		return news.Errorf(news.EINVALID, "choose two revisions to compare")
	}
	c := diffContent{A: a, Loc: q.settings.Location}
	if c.From, err = d.store.Revision(ctx, id, from); err != nil {
		return err
	}
	if c.To, err = d.store.Revision(ctx, id, to); err != nil {
		return err
	}
	for _, f := range []struct{ name, a, b string }{
		{"Headline", c.From.Title, c.To.Title},
		{"Lead", c.From.Lead, c.To.Lead},
		{"Text", c.From.Body, c.To.Body},
		{"Byline", c.From.Byline, c.To.Byline},
		{"Source", c.From.Source, c.To.Source},
		{"Correction", c.From.Correction, c.To.Correction},
		{"Status", string(c.From.Status), string(c.To.Status)},
		{"Interview", yesNo(c.From.Interview), yesNo(c.To.Interview)},
	} {
		c.Fields = append(c.Fields, diffField(f.name, f.a, f.b))
	}
	return d.render(w, r, q, 0, "diff", "Changes: "+a.Title, c, nil)
}

func diffField(name, a, b string) fieldDiff {
	lines := textdiff.Lines(a, b)
	fd := fieldDiff{Name: name, Same: !textdiff.Changed(lines)}
	if fd.Same {
		return fd
	}
	for _, h := range textdiff.Hunks(lines, 2) {
		var out []diffLine
		for i := 0; i < len(h.Lines); i++ {
			l := h.Lines[i]
			dl := diffLine{Op: opName(l.Op), Old: l.Old, New: l.New, Text: l.Text}
			// A deleted line followed by an inserted one is a changed
			// line: mark the words that differ.
			if l.Op == textdiff.Delete && i+1 < len(h.Lines) && h.Lines[i+1].Op == textdiff.Insert {
				next := h.Lines[i+1]
				oldSpans, newSpans := textdiff.Words(l.Text, next.Text)
				dl.Spans = oldSpans
				out = append(out, dl, diffLine{Op: "ins", New: next.New, Text: next.Text, Spans: newSpans})
				i++
				continue
			}
			out = append(out, dl)
		}
		fd.Hunks = append(fd.Hunks, hunk{Skipped: h.Skipped, Lines: out})
	}
	return fd
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func opName(op textdiff.Op) string {
	switch op {
	case textdiff.Insert:
		return "ins"
	case textdiff.Delete:
		return "del"
	}
	return "eq"
}

// restore saves a revision's text as the article's newest version. The
// article's current version must not have moved since the page was shown,
// like any save.
func (d *Desk) restore(w http.ResponseWriter, r *http.Request, q *req) error {
	ctx := r.Context()
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	revID, err := pathID(r, "rev")
	if err != nil {
		return err
	}
	if _, err := d.editor.History(ctx, q.user, id); err != nil {
		return err
	}
	rev, err := d.store.Revision(ctx, id, revID)
	if err != nil {
		return err
	}
	base, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	_, err = d.editor.UpdateArticle(store.WithRestore(ctx, revID), q.user, id, func(a *news.Article) error {
		a.Title, a.Lead, a.Body, a.Interview = rev.Title, rev.Lead, rev.Body, rev.Interview
		a.Byline, a.Source, a.Correction = rev.Byline, rev.Source, rev.Correction
		if base != 0 {
			a.Version = base
		}
		return nil
	})
	if err != nil {
		return err
	}
	return done(w, r, "/desk/articles/"+strconv.FormatInt(id, 10)+"/", "restored")
}
