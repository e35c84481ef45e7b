package api

import (
	"net/http"
	"strconv"
	"time"

	"tamizdat/internal/news"
	"tamizdat/internal/store"
	"tamizdat/internal/web"
)

type commentJSON struct {
	ID         int64  `json:"id"`
	ArticleID  int64  `json:"article_id"`
	ParentID   *int64 `json:"parent_id"`
	Name       string `json:"name"`
	Text       string `json:"text"`
	Status     string `json:"status"`
	CreatedAt  string `json:"created_at"`
	HeldReason string `json:"held_reason,omitempty"`
	Reports    int    `json:"reports"`
	Article    string `json:"article_title"`
}

func commentOut(c *store.QueuedComment) commentJSON {
	out := commentJSON{ID: c.ID, ArticleID: c.ArticleID, Name: c.Name, Text: c.Body, Status: string(c.Status),
		CreatedAt: c.CreatedAt.UTC().Format(time.RFC3339), HeldReason: c.HeldReason, Reports: c.Reports, Article: c.ArticleTitle}
	if c.ParentID != 0 {
		p := c.ParentID
		out.ParentID = &p
	}
	return out
}

// moderator authenticates a token whose user keeps the comments.
func (a *API) moderator(r *http.Request) (*news.User, error) {
	u, err := a.actor(r, false)
	if err != nil {
		return nil, err
	}
	if !u.Role.CanModerate() {
		return nil, news.Errorf(news.EFORBIDDEN, "only moderators, editors and admins moderate comments")
	}
	return u, nil
}

// listComments is the moderation queue: ?status=pending (the default),
// published, rejected, spam or reported; ?article=ID; ?page=N.
func (a *API) listComments(w http.ResponseWriter, r *http.Request) {
	if _, err := a.moderator(r); err != nil {
		fail(w, r, err)
		return
	}
	v := r.URL.Query()
	q := store.CommentQuery{Limit: PerPage}
	switch st := v.Get("status"); st {
	case "", "pending":
		q.Status = news.CommentPending
	case "reported":
		q.Reported = true
	case "published", "rejected", "spam":
		q.Status = news.CommentStatus(st)
	default:
		fail(w, r, &badRequest{"status must be pending, reported, published, rejected or spam"})
		return
	}
	if s := v.Get("article"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			fail(w, r, &badRequest{"article must be an article id"})
			return
		}
		q.ArticleID = id
	}
	page := 1
	if s := v.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 100000 {
			fail(w, r, &badRequest{"page must be a whole number from 1"})
			return
		}
		page = n
	}
	q.Offset = (page - 1) * PerPage
	list, total, err := a.store.CommentQueue(r.Context(), q)
	if err != nil {
		fail(w, r, err)
		return
	}
	items := make([]commentJSON, len(list))
	for i, c := range list {
		items[i] = commentOut(c)
	}
	web.JSON(w, r, http.StatusOK, map[string]any{"items": items, "total": total, "page": page, "per_page": PerPage})
}

// moderateComment approves, rejects or marks one comment as spam.
func (a *API) moderateComment(status news.CommentStatus) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u, err := a.moderator(r)
		if err != nil {
			fail(w, r, err)
			return
		}
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil || id <= 0 {
			fail(w, r, news.Errorf(news.ENOTFOUND, "no such comment"))
			return
		}
		if _, err := a.store.ModerateComments(store.WithActor(r.Context(), u.ID), []int64{id}, status); err != nil {
			if news.ErrorCode(err) == news.ENOTFOUND {
				err = news.Errorf(news.ENOTFOUND, "no such comment")
			}
			fail(w, r, err)
			return
		}
		c, err := a.store.Comment(r.Context(), id)
		if err != nil {
			fail(w, r, err)
			return
		}
		web.JSON(w, r, http.StatusOK, commentOut(&store.QueuedComment{Comment: *c}))
	}
}
