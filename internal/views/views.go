// Package views holds the embedded HTML templates of the reader site and the
// functions they may call. Every template is parsed once at boot, so a
// broken template stops the start instead of a reader's page.
package views

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"time"

	"tamizdat/internal/assets"
	"tamizdat/internal/i18n"
	"tamizdat/internal/images"
	"tamizdat/internal/news"
	"tamizdat/internal/render"
)

//go:embed templates/*.html
var files embed.FS

// Pages are the page templates, each rendered inside the layout.
var Pages = []string{"home", "list", "article", "text", "error"}

// Views renders named pages.
type Views struct {
	pages map[string]*template.Template
}

// Funcs are the functions templates may call.
var Funcs = template.FuncMap{
	"t":             i18n.T,
	"n":             i18n.N,
	"datetime":      i18n.DateTime,
	"datetimeShort": func(lang string, t time.Time) string { return i18n.Date(lang, t) + ", " + i18n.Time(t) },
	"date":          i18n.Date,
	"shortdt":       i18n.ShortDateTime,
	"iso":           func(t time.Time) string { return t.Format(time.RFC3339) },
	"md":            render.Markdown,
	"articleBody":   articleBody,
	"comment":       render.CommentText,
	"asset":         assets.URL,
	"editionName":   i18n.EditionName,
	"tagkey":        news.TagKey,
	"list":          func(v ...any) []any { return v },
	"srcset":        func(img *news.Image) string { return images.SrcSet(img.ID, img.Width) },
	"imgsrc":        func(img *news.Image, w int) string { return images.URL(img.ID, w) },
}

// articleBody is an article's text as the article asks to be read: as it
// was rendered when saved, or rendered now when the store has no copy
// from this renderer yet.
func articleBody(a *news.Article) template.HTML {
	if a.HTML != "" {
		return template.HTML(a.HTML) // made by render.Article, sanitized
	}
	return render.Article(a.Body, render.Options{Interview: a.Interview})
}

// New parses every template.
func New() (*Views, error) {
	base, err := template.New("").Funcs(Funcs).ParseFS(files, "templates/layout.html")
	if err != nil {
		return nil, err
	}
	v := &Views{pages: map[string]*template.Template{}}
	for _, name := range Pages {
		t, err := template.Must(base.Clone()).ParseFS(files, "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", name, err)
		}
		v.pages[name] = t
	}
	return v, nil
}

// Render writes page name with data, rendering into a buffer first so that a
// failing template never sends half a page.
func (v *Views) Render(w io.Writer, name string, data any) error {
	t, ok := v.pages[name]
	if !ok {
		return fmt.Errorf("no page template %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		return err
	}
	_, err := buf.WriteTo(w)
	return err
}

// Fragments are the parts of the layout a site may render once and hand
// back as the page's Chrome (its Top, Links, Nav and Footer).
var Fragments = []string{"chrome-top", "chrome-links", "chrome-nav", "chrome-footer"}

// Fragment renders one of Fragments with the page's data.
func (v *Views) Fragment(name string, data any) (template.HTML, error) {
	var buf bytes.Buffer
	if err := v.pages["home"].ExecuteTemplate(&buf, name, data); err != nil {
		return "", err
	}
	return template.HTML(buf.String()), nil // escaped by html/template as it ran
}
