package desk

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"tamizdat/internal/news"
	"tamizdat/internal/store"
)

type queueContent struct {
	Comments   []*store.QueuedComment
	Total      int
	Filter     string // pending, published, rejected, spam or reported
	ArticleID  int64
	Page, Last int
	Loc        *time.Location
}

const queuePage = 50

var queueFilters = []string{"pending", "reported", "published", "rejected", "spam"}

// comments is the moderation queue: comments waiting for a moderator
// (oldest first) or reported by readers, or any status, with the article
// each belongs to and the comment it answers.
func (d *Desk) comments(w http.ResponseWriter, r *http.Request, q *req) error {
	return d.renderQueue(w, r, q, 0, nil)
}

func (d *Desk) renderQueue(w http.ResponseWriter, r *http.Request, q *req, status int, problem error) error {
	v := r.URL.Query()
	c := queueContent{Filter: v.Get("status"), Loc: q.settings.Location}
	cq := store.CommentQuery{Limit: queuePage}
	switch c.Filter {
	case "reported":
		cq.Reported = true
	case "published", "rejected", "spam":
		cq.Status = news.CommentStatus(c.Filter)
	default:
		c.Filter, cq.Status = "pending", news.CommentPending
	}
	c.ArticleID, _ = strconv.ParseInt(v.Get("article"), 10, 64)
	cq.ArticleID = c.ArticleID
	page, _ := strconv.Atoi(v.Get("page"))
	c.Page = max(page, 1)
	cq.Offset = (c.Page - 1) * queuePage
	list, total, err := d.store.CommentQueue(r.Context(), cq)
	if err != nil {
		return err
	}
	for _, qc := range list {
		qc.ArticlePath = qc.Article.Path(q.settings.Location)
	}
	c.Comments, c.Total, c.Last = list, total, max(1, (total+queuePage-1)/queuePage)
	return d.render(w, r, q, status, "comments", "Comments", c, problem)
}

var actions = map[string]news.CommentStatus{
	"approve": news.CommentPublished, "reject": news.CommentRejected, "spam": news.CommentSpam,
}

// moderate applies one action to the ticked comments (or the one whose
// button was pressed) at once.
func (d *Desk) moderate(w http.ResponseWriter, r *http.Request, q *req) error {
	status, ok := actions[r.PostFormValue("action")]
	if !ok {
		return d.renderQueue(w, r, q, http.StatusUnprocessableEntity, news.Errorf(news.EINVALID, "choose approve, reject or spam"))
	}
	var ids []int64
	for _, s := range r.PostForm["id"] {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return d.renderQueue(w, r, q, http.StatusUnprocessableEntity, news.Errorf(news.EINVALID, "unknown comment %q", s))
		}
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return d.renderQueue(w, r, q, http.StatusUnprocessableEntity, news.Errorf(news.EINVALID, "tick the comments to %s first", r.PostFormValue("action")))
	}
	n, err := d.store.ModerateComments(r.Context(), ids, status)
	if err != nil {
		return d.renderQueue(w, r, q, 0, err)
	}
	back := "/desk/comments/?" + url.Values{"status": {r.PostFormValue("status")}}.Encode()
	if a := r.PostFormValue("article"); a != "" && a != "0" {
		back += "&article=" + url.QueryEscape(a)
	}
	notice := map[news.CommentStatus]string{news.CommentPublished: "approved", news.CommentRejected: "rejected", news.CommentSpam: "spammed"}[status]
	if n == 1 {
		notice += "1"
	}
	return done(w, r, back, notice)
}

type commentContent struct {
	C       *news.Comment
	Article *news.Article
	Path    string
	Parent  *news.Comment
	Around  []news.Comment // the article's other published comments
	Loc     *time.Location
	MaxDays int
}

// comment shows one comment in the context of its article, with the form
// to edit a passage out and to ban its sender.
func (d *Desk) comment(w http.ResponseWriter, r *http.Request, q *req) error {
	return d.renderComment(w, r, q, 0, nil)
}

func (d *Desk) renderComment(w http.ResponseWriter, r *http.Request, q *req, status int, problem error) error {
	ctx := r.Context()
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c := commentContent{Loc: q.settings.Location, MaxDays: d.keys.Retention()}
	if c.C, err = d.store.Comment(ctx, id); err != nil {
		return err
	}
	if c.Article, err = d.store.Article(ctx, c.C.ArticleID); err != nil {
		return err
	}
	c.Path = c.Article.Path(q.settings.Location)
	if c.C.ParentID != 0 {
		if c.Parent, err = d.store.Comment(ctx, c.C.ParentID); err != nil {
			return err
		}
	}
	if c.Around, err = d.store.Comments(ctx, c.Article.ID, news.CommentPublished); err != nil {
		return err
	}
	return d.render(w, r, q, status, "comment", "Comment", c, problem)
}

func (d *Desk) editComment(w http.ResponseWriter, r *http.Request, q *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := d.store.EditComment(r.Context(), id, normalizeNewlines(r.PostFormValue("text"))); err != nil {
		return d.renderComment(w, r, q, 0, err)
	}
	return done(w, r, "/desk/comments/"+strconv.FormatInt(id, 10)+"/", "saved")
}

// banCommenter bans the sender of a comment for some days, at most as long
// as the key that recognises them is kept.
func (d *Desk) banCommenter(w http.ResponseWriter, r *http.Request, q *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	days, err := strconv.Atoi(r.PostFormValue("days"))
	keep := d.keys.Retention()
	if err != nil || days < 1 || days > keep {
		return d.renderComment(w, r, q, http.StatusUnprocessableEntity, news.Errorf(news.EINVALID, "a ban lasts 1 to %d days", keep))
	}
	if _, err := d.store.BanCommenter(r.Context(), id, d.store.Now().Add(time.Duration(days)*24*time.Hour), keep, r.PostFormValue("reason")); err != nil {
		return d.renderComment(w, r, q, 0, err)
	}
	return done(w, r, "/desk/comments/"+strconv.FormatInt(id, 10)+"/", "banned")
}
