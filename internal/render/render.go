// Package render turns author and reader text into HTML that is safe to put
// on a page.
//
// Article Markdown goes through goldmark and then, always, through a
// bluemonday allowlist: goldmark alone is not a sanitizer, and the second
// pass means a mistake in either stage still cannot put script, styles or
// third-party resources on a page. Readers' comments never go through
// Markdown at all (see CommentText).
package render

import (
	"bytes"
	"html/template"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// md and policy are built once: both are safe for concurrent use after
// construction, and building them costs far more than a typical render.
var (
	md     = newMarkdown()
	policy = newPolicy()
)

func newMarkdown() goldmark.Markdown {
	return goldmark.New(
		// Only tables and strikethrough from GFM: autolinking of bare text
		// and task lists are not part of the house style.
		goldmark.WithExtensions(extension.Table, extension.Strikethrough),
		goldmark.WithParserOptions(
			parser.WithASTTransformers(util.Prioritized(articleTransformer{}, 100)),
		),
		// html.WithUnsafe is deliberately absent: raw HTML in the source
		// is rendered as an omitted-HTML comment, which the sanitizer
		// then removes.
		goldmark.WithRendererOptions(
			renderer.WithNodeRenderers(
				util.Prioritized(interviewRenderer{}, 100),
				util.Prioritized(linkCardRenderer{}, 100),
			),
		),
	)
}

// Options are what an article says about how its body is to be read.
type Options struct {
	// Interview marks the article as an interview: hyphen lists and
	// paragraphs opened with any dash are turns of speech. Without it no
	// block is: "- apples" stays a list, and a paragraph opened with an em
	// dash stays a paragraph, since Russian and Belarusian reporting opens
	// ordinary direct speech that way ("— Мы не уйдём, — сказал он.").
	Interview bool
}

func (o Options) turns() turnRule {
	if o.Interview {
		return turnsAnyDash
	}
	return turnsNone
}

// Version names what Article produces. Rendered bodies are stored with it
// (an article is rendered when saved, not when viewed); raise it with any
// change to the output of Article, and the bodies stored by an older
// version are rendered again in the background.
const Version = 1

// Article renders an article's Markdown body to sanitized HTML, with turns
// of speech as o says (see interview.go) and link cards (see linkcard.go).
func Article(src string, o Options) template.HTML {
	return guarded(src, o.turns())
}

// Markdown renders the Markdown of a static page or a setting to
// sanitized HTML: link cards, but no turns of speech, which belong to
// articles. A card has no words of its own, so Markdown needs no language.
func Markdown(src string) template.HTML {
	return guarded(src, turnsNone)
}

func guarded(src string, turns turnRule) (out template.HTML) {
	defer func() {
		// A parser bug must not take a page (or a publishing worker)
		// down; the reader then sees the text unformatted but intact.
		if recover() != nil {
			out = CommentText(src)
		}
	}()
	return template.HTML(renderMarkdown(src, turns))
}

// renderMarkdown is Article and Markdown without the panic guard, so that
// the fuzz target still sees any panic.
func renderMarkdown(src string, turns turnRule) string {
	source := prepareSource(src)
	var buf bytes.Buffer
	buf.Grow(len(source) + len(source)/4)
	// Convert can only fail when the writer fails, and a bytes.Buffer
	// does not.
	_ = md.Convert(source, &buf, parser.WithContext(turnContext(turns)))
	return string(policy.SanitizeBytes(buf.Bytes()))
}
