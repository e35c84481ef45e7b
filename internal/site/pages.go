package site

import (
	"html/template"
	"net/http"

	"tamizdat/internal/i18n"
	"tamizdat/internal/news"
	"tamizdat/internal/render"
)

type textContent struct {
	Heading string
	Intro   string
	HTML    template.HTML
	Methods []news.SupportMethod
	Mirrors []string
	Onion   string
}

func (s *Site) textPage(w http.ResponseWriter, r *http.Request, fill func(rq *request) (textContent, error)) {
	rq, err := s.begin(w, r, r.PathValue("lang"))
	if err != nil {
		s.fail(w, r, rq, err)
		return
	}
	c, err := fill(rq)
	if err != nil {
		s.fail(w, r, rq, err)
		return
	}
	rq.page.Title = c.Heading
	rq.page.Content = c
	s.render(rq, "text", http.StatusOK)
}

// support lists the ways to fund the newsroom, from the settings.
func (s *Site) support(w http.ResponseWriter, r *http.Request) {
	s.textPage(w, r, func(rq *request) (textContent, error) {
		lang := rq.page.Lang
		return textContent{Heading: i18n.T(lang, "support_title"), Intro: i18n.T(lang, "support_intro"),
			Methods: rq.page.Site.SupportMethods}, nil
	})
}

// access is "open sesame": how to reach the site when it is blocked — the
// edition's own words, then every mirror and the onion address.
func (s *Site) access(w http.ResponseWriter, r *http.Request) {
	s.textPage(w, r, func(rq *request) (textContent, error) {
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
func (s *Site) staticPage(w http.ResponseWriter, r *http.Request, slug string) {
	s.textPage(w, r, func(rq *request) (textContent, error) {
		lang := rq.page.Lang
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

func (s *Site) about(w http.ResponseWriter, r *http.Request)   { s.staticPage(w, r, "about") }
func (s *Site) privacy(w http.ResponseWriter, r *http.Request) { s.staticPage(w, r, "privacy") }
