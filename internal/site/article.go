package site

import (
	"net/http"
	"strconv"

	"tamizdat/internal/news"
	"tamizdat/internal/render"
)

type articleContent struct {
	A            *news.Article
	Categories   []news.Category
	Translations []*news.Article
	Comments     []*commentNode
	Closed       bool
}

// commentNode is a comment with its replies, for the threaded list.
type commentNode struct {
	news.Comment
	Replies []*commentNode
}

// thread arranges comments (oldest first) into trees. A reply whose parent
// is not shown (held or rejected) is shown at the top level rather than lost.
func thread(list []news.Comment) []*commentNode {
	nodes := make(map[int64]*commentNode, len(list))
	var roots []*commentNode
	for _, c := range list {
		nodes[c.ID] = &commentNode{Comment: c}
	}
	for _, c := range list {
		n := nodes[c.ID]
		if p, ok := nodes[c.ParentID]; ok && c.ParentID != 0 {
			p.Replies = append(p.Replies, n)
		} else {
			roots = append(roots, n)
		}
	}
	return roots
}

func (s *Site) article(w http.ResponseWriter, r *http.Request) {
	rq, err := s.begin(w, r, r.PathValue("lang"))
	if err != nil {
		s.fail(w, r, rq, err)
		return
	}
	ctx := r.Context()
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.fail(w, r, rq, news.Errorf(news.ENOTFOUND, "no such article"))
		return
	}
	a, err := s.store.Article(ctx, id)
	if err != nil {
		s.fail(w, r, rq, err)
		return
	}
	if a.Status == news.StatusUnpublished {
		s.fail(w, r, rq, news.Errorf(news.EGONE, "withdrawn"))
		return
	}
	// Drafts, stories in review and scheduled ones do not exist for readers.
	if !a.VisibleAt(s.store.Now()) {
		s.fail(w, r, rq, news.Errorf(news.ENOTFOUND, "no such article"))
		return
	}
	loc := rq.page.Site.Location
	if path := a.Path(loc); path != r.URL.Path {
		// The date in the URL is not the article's (a typo, or the time zone
		// changed): the id is what counts.
		http.Redirect(w, r, path, http.StatusMovedPermanently)
		return
	}
	c := articleContent{A: a}
	for _, slug := range a.Categories {
		for _, cat := range rq.page.Categories {
			if cat.Slug == slug {
				c.Categories = append(c.Categories, cat)
			}
		}
	}
	if len(c.Categories) > 0 {
		rq.page.ActiveCategory = c.Categories[0].Slug
	}
	if c.Translations, err = s.store.Translations(ctx, a); err != nil {
		s.fail(w, r, rq, err)
		return
	}
	comments, err := s.store.Comments(ctx, a.ID, news.CommentPublished)
	if err != nil {
		s.fail(w, r, rq, err)
		return
	}
	c.Comments = thread(comments)
	c.Closed = a.CommentPolicy == news.PolicyClosed
	p := rq.page
	p.Title = a.Title
	p.Description = a.Lead
	if p.Description == "" {
		p.Description = render.Excerpt(a.Body, 200)
	}
	p.Canonical = canonical(r, p.Site, a.Path(loc))
	if len(c.Translations) > 0 {
		p.Alternates = append(p.Alternates, Alternate{Lang: a.Edition, URL: p.Canonical})
	}
	for _, t := range c.Translations {
		p.Alternates = append(p.Alternates, Alternate{Lang: t.Edition, URL: canonical(r, p.Site, t.Path(loc))})
		for i := range p.EditionLinks {
			if p.EditionLinks[i].Lang == t.Edition {
				p.EditionLinks[i].URL = t.Path(loc)
			}
		}
	}
	for i := range p.EditionLinks {
		if p.EditionLinks[i].Current {
			p.EditionLinks[i].URL = a.Path(loc)
		}
	}
	p.Content = c
	s.render(rq, "article", http.StatusOK)
}
