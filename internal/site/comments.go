package site

import (
	"context"
	"net/http"
	"net/netip"
	"strconv"
	"time"

	"tamizdat/internal/moderation"
	"tamizdat/internal/news"
	"tamizdat/internal/web"
)

// Comments is the comment intake (moderation.Intake).
type Comments interface {
	Token(articleID int64, at time.Time) string
	Submit(ctx context.Context, set news.Settings, sub moderation.Submission) (*moderation.Outcome, error)
	Report(ctx context.Context, id int64, addr netip.Addr, onion bool) error
}

// SetComments lets readers post comments through c; without it the form
// has no token and every post is answered that comments are closed.
func (s *Site) SetComments(c Comments) { s.comments = c }

// onion reports whether the request came through the site's onion service
// (it arrived on the onion listener, whatever host it names): there every
// reader arrives from the Tor daemon's address.
func onion(r *http.Request) bool { return web.ReachFrom(r.Context()).Onion }

// postComment takes a comment from the article page's form. A comment that
// was taken sends the reader back to the article (POST, then GET) with a
// notice saying whether it is live or waits for a moderator; a refused one
// answers with the page, the reader's text still in the form and the
// reason above it.
func (s *Site) postComment(w http.ResponseWriter, r *http.Request) {
	rq, a, err := s.loadArticle(r)
	if err != nil {
		s.fail(w, r, rq, err)
		return
	}
	if a.Path(rq.page.Site.Location) != r.URL.Path {
		s.fail(w, r, rq, news.Errorf(news.ENOTFOUND, "no such article"))
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, rq, news.Errorf(news.EINVALID, "the form could not be read"))
		return
	}
	f := r.PostForm
	form := commentForm{Name: f.Get("name"), Body: f.Get("text")}
	form.Parent, _ = strconv.ParseInt(f.Get("parent"), 10, 64)
	if s.comments == nil {
		form.Error = "comment_error_closed"
		s.answerArticle(w, rq, a, form, http.StatusForbidden)
		return
	}
	set := rq.page.Site
	out, err := s.comments.Submit(r.Context(), set, moderation.Submission{
		ArticleID: a.ID, ParentID: form.Parent, Name: form.Name, Body: form.Body,
		Token: f.Get("token"), Honeypot: f.Get("website"),
		Addr: web.ClientAddrFrom(r.Context()), Onion: onion(r),
	})
	if err != nil {
		code := news.ErrorCode(err)
		if code == news.EINTERNAL || code == news.EUNAVAILABLE {
			s.fail(w, r, rq, err)
			return
		}
		form.Error = "comment_error_" + news.ErrorMessage(err)
		s.answerArticle(w, rq, a, form, web.StatusOf(err))
		return
	}
	to := a.Path(set.Location) + "?comment=" + string(out.Status)
	if out.Status == news.CommentPublished && out.Comment != nil {
		to += "#c" + strconv.FormatInt(out.Comment.ID, 10)
	} else {
		to += "#comments"
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// answerArticle writes the article page with a refused comment still in
// the form: an answer to one reader, kept by no cache.
func (s *Site) answerArticle(w http.ResponseWriter, rq *request, a *news.Article, form commentForm, status int) {
	p, err := s.renderArticle(rq, a, form, "", status)
	if err != nil {
		s.fail(w, rq.r, rq, err)
		return
	}
	web.WritePage(w, rq.r, p)
}

// reportComment takes a reader's report and sends the reader back with
// thanks, also when the same reader reported the comment before (it then
// does not count again).
func (s *Site) reportComment(w http.ResponseWriter, r *http.Request) {
	rq, err := s.begin(r, r.PathValue("lang"))
	if err != nil {
		s.fail(w, r, rq, err)
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.fail(w, r, rq, news.Errorf(news.ENOTFOUND, "no such comment"))
		return
	}
	cm, err := s.store.Comment(r.Context(), id)
	if err != nil {
		s.fail(w, r, rq, err)
		return
	}
	a, err := s.store.Article(r.Context(), cm.ArticleID)
	if err != nil || !a.VisibleAt(s.store.Now()) {
		s.fail(w, r, rq, news.Errorf(news.ENOTFOUND, "no such comment"))
		return
	}
	if s.comments == nil {
		s.fail(w, r, rq, news.Errorf(news.ENOTFOUND, "no such comment"))
		return
	}
	if err := s.comments.Report(r.Context(), id, web.ClientAddrFrom(r.Context()), onion(r)); err != nil {
		s.fail(w, r, rq, err)
		return
	}
	http.Redirect(w, r, a.Path(rq.page.Site.Location)+"?comment=reported#c"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}
