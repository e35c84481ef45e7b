// Package editorial holds the use-cases of the newsroom's writers and
// editors: creating, editing, publishing, scheduling, withdrawing and
// deleting stories, and shaping the menu, with the permissions of each role
// enforced here, whatever surface (API, desk, CLI) the request came through.
package editorial

import (
	"context"
	"slices"
	"time"

	"tamizdat/internal/news"
)

// Store is what the use-cases need from storage.
type Store interface {
	Article(ctx context.Context, id int64) (*news.Article, error)
	CreateArticle(ctx context.Context, a *news.Article) error
	UpdateArticle(ctx context.Context, a *news.Article) error
	DeleteArticle(ctx context.Context, id int64) error
	CreateCategory(ctx context.Context, c *news.Category) error
	Image(ctx context.Context, id int64) (*news.MediaImage, error)
	ImagePublished(ctx context.Context, id int64) (bool, error)
	UpdateImage(ctx context.Context, img *news.MediaImage) error
}

// Service runs the use-cases against a store and a clock.
type Service struct {
	Store Store
	Now   func() time.Time
}

func forbidden(msg string) error { return news.Errorf(news.EFORBIDDEN, "%s", msg) }

// CanRead is who may read an article, through any surface: editors and
// admins read everything; authors their own articles and what readers see;
// everyone else (moderators, and readers without an account, nil) only
// what readers see.
func CanRead(actor *news.User, a *news.Article, now time.Time) bool {
	switch {
	case a.VisibleAt(now):
		return true
	case actor == nil || !actor.Role.CanWrite():
		return false
	case actor.Role.CanPublish():
		return true
	}
	return a.AuthorID == actor.ID
}

// CanReadHistory reports whether actor may read the revisions of a: what
// was cut before publication (a source's name, say) is no reader's and no
// other author's business, so editors and admins read every history, an
// author only their own articles'.
func CanReadHistory(actor *news.User, a *news.Article) bool {
	return actor != nil && (actor.Role.CanPublish() || (actor.Role.CanWrite() && a.AuthorID == actor.ID))
}

// notFound is the answer to an article the actor may not read, the same as
// to one that does not exist, so that ids do not tell that a draft exists.
func notFound(id int64) error { return news.Errorf(news.ENOTFOUND, "article %d not found", id) }

// loadReadable loads article id if actor may read it.
func (s *Service) loadReadable(ctx context.Context, actor *news.User, id int64) (*news.Article, error) {
	a, err := s.Store.Article(ctx, id)
	if news.ErrorCode(err) == news.ENOTFOUND || (err == nil && !CanRead(actor, a, s.Now())) {
		return nil, notFound(id)
	}
	return a, err
}

// Readable is CanRead at the service's now.
func (s *Service) Readable(actor *news.User, a *news.Article) bool { return CanRead(actor, a, s.Now()) }

// HistoryReadable is CanReadHistory, for surfaces that hold a Service.
func (s *Service) HistoryReadable(actor *news.User, a *news.Article) bool {
	return CanReadHistory(actor, a)
}

// Article returns article id to actor (nil: a reader without an account),
// or ENOTFOUND when it does not exist or they may not read it.
func (s *Service) Article(ctx context.Context, actor *news.User, id int64) (*news.Article, error) {
	return s.loadReadable(ctx, actor, id)
}

// History returns article id for a look at its revisions, if actor may
// read them (CanReadHistory); otherwise, as for an article they may not
// read, the answer for one that does not exist.
func (s *Service) History(ctx context.Context, actor *news.User, id int64) (*news.Article, error) {
	a, err := s.loadReadable(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if !CanReadHistory(actor, a) {
		return nil, notFound(id)
	}
	return a, nil
}

// CreateArticle saves a new article written by actor. A published article
// without a time is published now; a future time schedules it.
func (s *Service) CreateArticle(ctx context.Context, actor *news.User, a *news.Article) error {
	ctx = news.WithActor(ctx, actor.ID)
	if !actor.Role.CanWrite() {
		return forbidden("your role cannot write articles")
	}
	if !actor.Role.CanPublish() && (a.Status == news.StatusPublished || a.Status == news.StatusUnpublished || a.Top || a.Breaking) {
		return forbidden("authors save drafts and submit them for review; an editor publishes and curates the front page")
	}
	now := s.Now()
	a.ID, a.AuthorID, a.CreatedAt, a.UpdatedAt = 0, actor.ID, now, time.Time{}
	if a.Status == news.StatusPublished && a.PublishedAt.IsZero() {
		a.PublishedAt = now.Truncate(time.Second)
	}
	return s.Store.CreateArticle(ctx, a)
}

// UpdateArticle loads article id, lets change modify a copy, checks what
// actor may do, and saves it. When change fails nothing is saved. Editing a story readers have already seen
// stamps it as updated, so the correction note has a time.
func (s *Service) UpdateArticle(ctx context.Context, actor *news.User, id int64, change func(*news.Article) error) (*news.Article, error) {
	ctx = news.WithActor(ctx, actor.ID)
	if !actor.Role.CanWrite() {
		return nil, forbidden("your role cannot edit articles")
	}
	old, err := s.loadReadable(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if !actor.Role.CanPublish() && (old.AuthorID != actor.ID || old.Status == news.StatusPublished || old.Status == news.StatusUnpublished) {
		return nil, forbidden("authors edit only their own drafts; ask an editor")
	}
	a := *old
	a.Categories, a.Tags = slices.Clone(old.Categories), slices.Clone(old.Tags)
	if old.Image != nil {
		img := *old.Image
		a.Image = &img
	}
	if err := change(&a); err != nil {
		return nil, err
	}
	a.ID, a.AuthorID, a.CreatedAt, a.CommentCount = old.ID, old.AuthorID, old.CreatedAt, old.CommentCount
	if !actor.Role.CanPublish() && (a.Status == news.StatusPublished || a.Status == news.StatusUnpublished || a.Top || a.Breaking) {
		return nil, forbidden("authors save drafts and submit them for review; an editor publishes and curates the front page")
	}
	now := s.Now()
	if a.Status == news.StatusPublished && a.PublishedAt.IsZero() {
		a.PublishedAt = now.Truncate(time.Second)
	}
	if old.VisibleAt(now) && a.Status == news.StatusPublished && contentChanged(old, &a) {
		a.UpdatedAt = now.Truncate(time.Second)
	} else {
		a.UpdatedAt = old.UpdatedAt
	}
	if err := s.Store.UpdateArticle(ctx, &a); err != nil {
		return nil, err
	}
	return &a, nil
}

// contentChanged: what a reader would notice, as opposed to curation flags.
// The interview mark changes how the body reads, so it counts.
func contentChanged(old, a *news.Article) bool {
	return old.Title != a.Title || old.Lead != a.Lead || old.Body != a.Body || old.Byline != a.Byline ||
		old.Source != a.Source || old.Correction != a.Correction || old.Interview != a.Interview
}

// DeleteArticle removes an article for good; editors only (withdrawing it
// with status unpublished keeps the 410 and the record).
func (s *Service) DeleteArticle(ctx context.Context, actor *news.User, id int64) error {
	ctx = news.WithActor(ctx, actor.ID)
	if !actor.Role.CanPublish() {
		old, err := s.loadReadable(ctx, actor, id)
		if err != nil {
			return err
		}
		if !actor.Role.CanWrite() || old.AuthorID != actor.ID || old.Status == news.StatusPublished || old.Status == news.StatusUnpublished {
			return forbidden("only editors delete articles; authors may delete their own drafts")
		}
	}
	return s.Store.DeleteArticle(ctx, id)
}

// CreateCategory adds a category to an edition's menu.
func (s *Service) CreateCategory(ctx context.Context, actor *news.User, c *news.Category) error {
	ctx = news.WithActor(ctx, actor.ID)
	if !actor.Role.CanManageCategories() {
		return forbidden("only editors and admins manage categories")
	}
	return s.Store.CreateCategory(ctx, c)
}

// UpdateImage changes the words of a library image (caption, credit,
// description). Once a published article (live or scheduled) shows the
// image, readers see its words without review, so only editors change
// them; an author changes those of images they uploaded that nothing
// published shows.
func (s *Service) UpdateImage(ctx context.Context, actor *news.User, img *news.MediaImage) error {
	ctx = news.WithActor(ctx, actor.ID)
	if !actor.Role.CanWrite() {
		return forbidden("your role cannot change images")
	}
	if !actor.Role.CanPublish() {
		stored, err := s.Store.Image(ctx, img.ID)
		if err != nil {
			return err
		}
		if stored.UploadedBy != actor.ID {
			return forbidden("authors change the words of the images they uploaded; ask an editor to change this one")
		}
		used, err := s.Store.ImagePublished(ctx, img.ID)
		if err != nil {
			return err
		}
		if used {
			return forbidden("a published article shows this image, so readers see its words; ask an editor to change them")
		}
	}
	return s.Store.UpdateImage(ctx, img)
}
