package site

import (
	"html/template"
	"net/http"

	"tamizdat/internal/i18n"
	"tamizdat/internal/news"
	"tamizdat/internal/render"
	"tamizdat/internal/web"
)

type textContent struct {
	Heading string
	Intro   string
	HTML    template.HTML
	Methods []news.SupportMethod
	Mirrors []string
	Onion   string
}

func (s *Site) textPage(r *http.Request, fill func(rq *request) (textContent, error)) (*web.Page, error) {
	rq, err := s.begin(r, r.PathValue("lang"))
	if err != nil {
		return nil, err
	}
	c, err := fill(rq)
	if err != nil {
		return nil, err
	}
	rq.page.Title = c.Heading
	rq.page.Content = c
	return s.render(rq, "text", http.StatusOK)
}

// support lists the ways to fund the newsroom, from the settings.
func (s *Site) support(r *http.Request) (*web.Page, error) {
	return s.textPage(r, func(rq *request) (textContent, error) {
		lang := rq.page.Lang
		return textContent{Heading: i18n.T(lang, "support_title"), Intro: i18n.T(lang, "support_intro"),
			Methods: rq.page.Site.SupportMethods}, nil
	})
}

// access is "open sesame": how to reach the site when it is blocked — the
// edition's own words, then every mirror and the onion address.
func (s *Site) access(r *http.Request) (*web.Page, error) {
	return s.textPage(r, func(rq *request) (textContent, error) {
		lang, set := rq.page.Lang, rq.page.Site
		c := textContent{Heading: i18n.T(lang, "access_title"), HTML: render.Markdown(set.Access[lang]), Onion: set.OnionURL}
		if set.PrimaryURL != "" {
			c.Mirrors = append(c.Mirrors, set.PrimaryURL)
		}
		c.Mirrors = append(c.Mirrors, set.MirrorURLs...)
		return c, nil
	})
}

// staticPage shows the edition's page of slug, or the built-in text when
// the newsroom has not written one.
func (s *Site) staticPage(r *http.Request, slug string) (*web.Page, error) {
	return s.textPage(r, func(rq *request) (textContent, error) {
		lang := rq.page.Lang
		rq.keys = append(rq.keys, "page:"+lang+"/"+slug)
		p, err := s.store.Page(r.Context(), lang, slug)
		switch {
		case err == nil:
			return textContent{Heading: p.Title, HTML: render.Markdown(p.Body)}, nil
		case news.ErrorCode(err) == news.ENOTFOUND:
			var args []any
			if slug == "privacy" {
				// The page says how long the address keys live.
				args = append(args, i18n.N(lang, "days", rq.page.Site.KeyDays))
			}
			return textContent{Heading: i18n.T(lang, slug+"_title"), HTML: render.Markdown(i18n.T(lang, slug+"_default", args...))}, nil
		}
		return textContent{}, err
	})
}

func (s *Site) about(r *http.Request) (*web.Page, error)   { return s.staticPage(r, "about") }
func (s *Site) privacy(r *http.Request) (*web.Page, error) { return s.staticPage(r, "privacy") }
