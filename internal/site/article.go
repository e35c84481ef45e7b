package site

import (
	"net/http"
	"strconv"

	"tamizdat/internal/moderation"
	"tamizdat/internal/news"
	"tamizdat/internal/render"
	"tamizdat/internal/web"
)

type articleContent struct {
	A            *news.Article
	Categories   []news.Category
	Translations []*news.Article
	Comments     []*commentNode
	Closed       bool
	Form         commentForm
	Notice       string // key of the message after posting or reporting
	MaxLinks     int
	// A busy article's comments come a page at a time, so that its page
	// stays light: which page, the numbers shown of how many (zero when
	// one page holds them all), and the links to the pages around it.
	CommentPage          int
	Shown                [3]int
	EarlierURL, LaterURL string
}

// CommentsPerPage is how many comments an article page shows at once.
const CommentsPerPage = 100

// commentForm is the state of the comment form: empty on a page anyone may
// get from a cache, filled again only on the answer to a refused post.
type commentForm struct {
	Name, Body string
	Parent     int64
	Token      string
	Error      string // a key "comment_error_…"
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

func (s *Site) article(r *http.Request) (*web.Page, error) {
	rq, a, err := s.loadArticle(r)
	if err != nil {
		return s.answer(r, rq, err)
	}
	if path := a.Path(rq.page.Site.Location); path != r.URL.Path {
		// The date in the URL is not the article's (a typo, or the time zone
		// changed): the id is what counts.
		return redirect(path), nil
	}
	form := commentForm{}
	if p, err := strconv.ParseInt(r.URL.Query().Get("reply"), 10, 64); err == nil && p > 0 {
		form.Parent = p
	}
	notice := ""
	switch n := r.URL.Query().Get("comment"); n {
	case "published", "pending", "reported":
		notice = "comment_" + n
	}
	return s.renderArticle(rq, a, form, notice, http.StatusOK)
}

// loadArticle finds the article of the path that readers may see.
func (s *Site) loadArticle(r *http.Request) (*request, *news.Article, error) {
	rq, err := s.begin(r, r.PathValue("lang"))
	if err != nil {
		return rq, nil, err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return rq, nil, news.Errorf(news.ENOTFOUND, "no such article")
	}
	// The page is the article's even when it is not (or no longer) shown:
	// its publication must drop a cached not-found.
	rq.keys = append(rq.keys, articleKey(id), commentsKey(id))
	a, err := s.store.Article(r.Context(), id)
	if err != nil {
		return rq, nil, err
	}
	if a.Status == news.StatusUnpublished {
		return rq, nil, news.Errorf(news.EGONE, "withdrawn")
	}
	// Drafts, stories in review and scheduled ones do not exist for readers.
	if !a.VisibleAt(s.store.Now()) {
		return rq, nil, news.Errorf(news.ENOTFOUND, "no such article")
	}
	return rq, a, nil
}

// renderArticle renders the article page with the comment form in the
// given state.
func (s *Site) renderArticle(rq *request, a *news.Article, form commentForm, notice string, status int) (*web.Page, error) {
	r, ctx := rq.r, rq.r.Context()
	loc := rq.page.Site.Location
	var err error
	c := articleContent{A: a, Form: form, Notice: notice, MaxLinks: rq.page.Site.Comments.MaxLinks, CommentPage: 1}
	if v := r.URL.Query().Get("comments"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100000 {
			return nil, news.Errorf(news.EINVALID, "comments must be a page number")
		}
		c.CommentPage = n
	}
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
		return nil, err
	}
	rq.shows(c.Translations)
	comments, total, err := s.store.PublishedComments(ctx, a.ID, (c.CommentPage-1)*CommentsPerPage, CommentsPerPage)
	if err != nil {
		return nil, err
	}
	if c.CommentPage > 1 && len(comments) == 0 {
		return nil, news.Errorf(news.ENOTFOUND, "no such page of comments")
	}
	c.Comments = thread(comments)
	if total > CommentsPerPage {
		c.Shown = [3]int{(c.CommentPage-1)*CommentsPerPage + 1, (c.CommentPage-1)*CommentsPerPage + len(comments), total}
		path := a.Path(loc)
		if c.CommentPage > 1 {
			c.EarlierURL = path + "#comments"
			if c.CommentPage > 2 {
				c.EarlierURL = path + "?comments=" + strconv.Itoa(c.CommentPage-1) + "#comments"
			}
		}
		if c.CommentPage*CommentsPerPage < total {
			c.LaterURL = path + "?comments=" + strconv.Itoa(c.CommentPage+1) + "#comments"
		}
	}
	var edition news.Edition
	for _, e := range rq.editions {
		if e.Code == a.Edition {
			edition = e
		}
	}
	c.Closed = moderation.Policy(rq.page.Site, edition, a, onion(r), s.store.Now()) == news.PolicyClosed
	if s.comments != nil {
		// The token depends on the article and the time only: a page kept
		// by a cache carries a token that works for every reader.
		c.Form.Token = s.comments.Token(a.ID, s.store.Now())
	}
	p := rq.page
	p.Title = a.Title
	p.Description = a.Lead
	if p.Description == "" {
		p.Description = render.ArticleExcerpt(a.Body, 200, render.Options{Interview: a.Interview})
	}
	p.Canonical = canonical(p.Site, a.Path(loc))
	if len(c.Translations) > 0 {
		p.Alternates = append(p.Alternates, Alternate{Lang: a.Edition, URL: p.Canonical})
	}
	for _, t := range c.Translations {
		p.Alternates = append(p.Alternates, Alternate{Lang: t.Edition, URL: canonical(p.Site, t.Path(loc))})
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
	page, err := s.render(rq, "article", status)
	if err != nil {
		return nil, err
	}
	page.Modified = a.PublishedAt
	if a.UpdatedAt.After(a.PublishedAt) {
		page.Modified = a.UpdatedAt
	}
	if form.Error != "" || notice != "" || form.Parent != 0 {
		// Answers for one reader are not for a cache, nor is the form
		// replying to a comment, which any number could ask for.
		page.Header.Set("Cache-Control", "no-store")
	}
	return page, nil
}
