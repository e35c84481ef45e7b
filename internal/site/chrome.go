package site

import (
	"context"
	"html/template"
	"strconv"
	"sync"
	"time"

	"tamizdat/internal/news"
	"tamizdat/internal/store"
	"tamizdat/internal/views"
)

// chrome caches what every page shows around its content — the settings,
// the editions and each edition's menu — which change rarely but would
// otherwise cost three queries per page. The change feed drops it.
type chrome struct {
	mu       sync.Mutex
	gen      uint64 // bumped by every drop, so a load that raced one is not kept
	settings *news.Settings
	editions []news.Edition
	menus    map[string][]news.Category
	// The layout's parts rendered (Chrome), per edition, active category
	// and year.
	fragments map[fragmentKey]*Chrome
}

type fragmentKey struct {
	lang, active string
	year         int
}

// maxFragments bounds the rendered chromes: editions × (categories + 1)
// for the year, far fewer in practice.
const maxFragments = 4096

// generation is the chrome's generation now (0 without a chrome).
func (c *chrome) generation() uint64 {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// chromeOf is the Chrome of rq's page: rendered once per edition, active
// category and year while the chrome's generation lasts (a change of
// settings or categories starts the next), and rendered from the page's
// own data for a page whose data came from an earlier generation or when
// nothing is kept. A part that cannot be rendered leaves it to the layout.
func (s *Site) chromeOf(rq *request) *Chrome {
	p := rq.page
	key := fragmentKey{p.Lang, p.ActiveCategory, p.Now.Year()}
	c := s.chrome
	if c != nil {
		c.mu.Lock()
		ch, ok := c.fragments[key]
		ok = ok && c.gen == rq.gen
		c.mu.Unlock()
		if ok {
			return ch
		}
	}
	ch := &Chrome{}
	for i, part := range []*template.HTML{&ch.Top, &ch.Links, &ch.Nav, &ch.Footer} {
		html, err := s.views.Fragment(views.Fragments[i], p)
		if err != nil {
			s.log.Error("render", "fragment", views.Fragments[i], "error", err)
			return nil
		}
		*part = html
	}
	if c != nil {
		c.mu.Lock()
		if c.gen == rq.gen {
			if len(c.fragments) >= maxFragments {
				clear(c.fragments)
			}
			c.fragments[key] = ch
		}
		c.mu.Unlock()
	}
	return ch
}

// CacheChrome makes the site keep settings, editions and menus in memory
// until Invalidate says they changed. Only a process that feeds Invalidate
// from the change log may turn it on.
func (s *Site) CacheChrome() {
	s.chrome = &chrome{menus: map[string][]news.Category{}, fragments: map[fragmentKey]*Chrome{}}
}

// Invalidate drops what the changes make stale: the chrome on a change
// of settings or categories (and with it every page), and otherwise
// exactly the pages that show what changed.
func (s *Site) Invalidate(changes []store.Change) {
	if c := s.chrome; c != nil {
		for _, ch := range changes {
			if ch.Kind == store.ChangeSettings || ch.Kind == store.ChangeCategory {
				c.mu.Lock()
				c.gen++
				c.settings, c.editions, c.menus = nil, nil, map[string][]news.Category{}
				c.fragments = map[fragmentKey]*Chrome{}
				c.mu.Unlock()
				break
			}
		}
	}
	s.cache.Invalidate(s.pageKeys(context.Background(), changes)...)
}

// pageKeys names the pages the changes make out of date (see request.keys).
// An article's change reaches its page, the pages that show it (they name
// it), the lists it is on now, including the day it was published, and the
// pages of its translations, which link to it.
func (s *Site) pageKeys(ctx context.Context, changes []store.Change) []string {
	var keys []string
	for _, ch := range changes {
		switch ch.Kind {
		case store.ChangeSettings, store.ChangeCategory, store.ChangeImage:
			// Every page shows the chrome; an image's words show wherever
			// it does: rare changes, every page made again.
			return []string{settingsKey}
		case store.ChangePage:
			keys = append(keys, "page:"+ch.Ref)
		case store.ChangeList:
			keys = append(keys, listKey(ch.Ref))
		case store.ChangeComment:
			// The article's page; the counts on lists follow within the
			// minute their pages live (see request.keys).
			if id, err := strconv.ParseInt(ch.Ref, 10, 64); err == nil {
				keys = append(keys, commentsKey(id))
			}
		case store.ChangeArticle:
			id, err := strconv.ParseInt(ch.Ref, 10, 64)
			if err != nil {
				continue
			}
			keys = append(keys, articleKey(id))
			a, err := s.store.Article(ctx, id)
			if news.ErrorCode(err) == news.ENOTFOUND {
				continue // deleted: the pages that showed it name it
			} else if err != nil {
				// Which lists it is on cannot be read: everything goes,
				// rather than anything staying out of date.
				s.log.Error("invalidating pages", "article", id, "error", err)
				return []string{settingsKey}
			}
			for _, l := range store.ListsOf(a) {
				keys = append(keys, listKey(l))
			}
			if !a.PublishedAt.IsZero() {
				if set, err := s.settings(ctx); err == nil {
					keys = append(keys, dayKey(a.Edition, a.PublishedAt.In(set.Location).Format(time.DateOnly)))
				}
			}
			group, err := s.store.TranslationGroup(ctx, id)
			if err != nil {
				s.log.Error("invalidating pages", "article", id, "error", err)
				return []string{settingsKey}
			}
			for _, t := range group {
				keys = append(keys, articleKey(t.ID))
			}
		}
	}
	return keys
}

// through returns the cached value that get finds, or loads it and keeps it
// with put unless the cache was dropped while it loaded.
func through[T any](c *chrome, get func() (T, bool), put func(T), load func() (T, error)) (T, error) {
	if c == nil {
		return load()
	}
	c.mu.Lock()
	v, ok := get()
	gen := c.gen
	c.mu.Unlock()
	if ok {
		return v, nil
	}
	v, err := load()
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	if c.gen == gen {
		put(v)
	}
	c.mu.Unlock()
	return v, nil
}

// Settings are the site's settings, from the cache when it is on.
func (s *Site) Settings(ctx context.Context) (news.Settings, error) { return s.settings(ctx) }

func (s *Site) settings(ctx context.Context) (news.Settings, error) {
	c := s.chrome
	return through(c,
		func() (news.Settings, bool) {
			if c.settings == nil {
				return news.Settings{}, false
			}
			return *c.settings, true
		},
		func(v news.Settings) { c.settings = &v },
		func() (news.Settings, error) { return s.store.Settings(ctx) })
}

func (s *Site) editions(ctx context.Context) ([]news.Edition, error) {
	c := s.chrome
	return through(c,
		func() ([]news.Edition, bool) { return c.editions, c.editions != nil },
		func(v []news.Edition) { c.editions = v },
		func() ([]news.Edition, error) { return s.store.Editions(ctx) })
}

func (s *Site) menu(ctx context.Context, lang string) ([]news.Category, error) {
	c := s.chrome
	return through(c,
		func() ([]news.Category, bool) { v, ok := c.menus[lang]; return v, ok },
		func(v []news.Category) { c.menus[lang] = v },
		func() ([]news.Category, error) { return s.store.Categories(ctx, lang) })
}
