package app

import (
	"bytes"
	"context"
	"fmt"
	"image/jpeg"
	"iter"
	"slices"
	"sync"
	"time"

	"tamizdat/internal/auth"
	"tamizdat/internal/demo"
	"tamizdat/internal/images"
	"tamizdat/internal/news"
	"tamizdat/internal/store"
)

// DemoAdminEmail is the desk account --demo creates.
const DemoAdminEmail = "admin@demo.example"

// seedDemo fills a database that has no articles with the demo content and
// prints, once, how to sign in. A database with articles is left alone.
func seedDemo(ctx context.Context, db *store.DB, env Env) error {
	n, err := db.CountArticles(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		fmt.Fprintf(env.Stdout, "tamizdat: --demo: the database already has %d articles; no demo content added\n", n)
		return nil
	}
	// Nodes started together with --demo on one database seed it once.
	if won, err := db.Claim(ctx, "demo-content"); err != nil {
		return err
	} else if !won {
		fmt.Fprintln(env.Stdout, "tamizdat: --demo: the demo content was already added to this database, or another node is adding it")
		return nil
	}
	start := time.Now()
	c := demo.Generate(env.Now(), 1)
	if err := seedSite(ctx, db, c); err != nil {
		return err
	}
	pictures, err := demoImages(ctx, db)
	if err != nil {
		return err
	}
	got, err := loadArticles(ctx, db, slices.Values(c.Articles), pictures, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "tamizdat: demo content added: %d articles, %d comments, %d categories, %d images in 3 editions (%s)\n",
		got.articles, got.comments, len(c.Categories), len(pictures), time.Since(start).Round(time.Millisecond))
	return demoAdmin(ctx, db, env)
}

// seedSite stores what every demo site starts from: the settings, the
// categories and the static pages of c.
func seedSite(ctx context.Context, db *store.DB, c demo.Content) error {
	for _, s := range c.Settings {
		if err := db.SetSetting(ctx, s.Key, s.Value); err != nil {
			return fmt.Errorf("setting %s: %w", s.Key, err)
		}
	}
	for i := range c.Categories {
		if err := db.CreateCategory(ctx, &c.Categories[i]); err != nil {
			return fmt.Errorf("category %s/%s: %w", c.Categories[i].Edition, c.Categories[i].Slug, err)
		}
	}
	for i := range c.Pages {
		if err := db.PutPage(ctx, &c.Pages[i]); err != nil {
			return fmt.Errorf("page %s/%s: %w", c.Pages[i].Edition, c.Pages[i].Slug, err)
		}
	}
	return nil
}

// Batches of the loader: one transaction stores this many articles, or
// comments. Large enough that commits cost little, small enough that a
// node serving the same database waits for the writer only briefly.
const (
	articleBatch = 500
	commentBatch = 5000
)

// loaded is what loadArticles stored.
type loaded struct {
	articles, comments int
	// The article with the most published comments, and how many.
	longest         *news.Article
	longestComments int
}

// loadArticles stores the articles in the order given, with their
// comments, through the store's write path in batches (store.CreateArticles,
// store.CreateComments). Top stories and every fourth article carry one of
// the pictures. progress, when not nil, is told the running totals after
// each batch.
func loadArticles(ctx context.Context, db *store.DB, articles iter.Seq[demo.Article], pictures []int64, progress func(articles, comments int)) (loaded, error) {
	var got loaded
	ids := map[string]int64{} // keys of the articles stored, for translations
	var items []demo.Article
	var batch []*news.Article
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		at := map[string]int{} // keys of this batch
		for j, it := range items {
			at[it.Key] = j
		}
		last := 0
		err := db.CreateArticles(ctx, batch, func(j int) {
			last = j
			if k := items[j].TranslationOf; k != "" {
				if o, ok := at[k]; ok && o < j {
					batch[j].TranslationOf = batch[o].ID
				} else {
					batch[j].TranslationOf = ids[k]
				}
			}
		})
		if err != nil {
			return fmt.Errorf("article %s: %w", items[last].Key, err)
		}
		var comments []*news.Comment
		var parents []*news.Comment // of each comment, nil for a top-level one
		var on []int                // the item each comment is on
		for j, it := range items {
			ids[it.Key] = batch[j].ID
			byKey := map[string]*news.Comment{}
			published := 0
			for _, dc := range it.Comments {
				cm := &news.Comment{ArticleID: batch[j].ID, Name: dc.Name, Body: dc.Body, Status: dc.Status, CreatedAt: dc.CreatedAt}
				comments, parents, on = append(comments, cm), append(parents, byKey[dc.ParentKey]), append(on, j)
				byKey[dc.Key] = cm
				if dc.Status == news.CommentPublished {
					published++
				}
			}
			if got.longest == nil || published > got.longestComments {
				got.longest, got.longestComments = batch[j], published
			}
		}
		for from := 0; from < len(comments); from += commentBatch {
			part := comments[from:min(from+commentBatch, len(comments))]
			last := 0
			err := db.CreateComments(ctx, part, func(k int) {
				last = k
				if p := parents[from+k]; p != nil {
					part[k].ParentID = p.ID
				}
			})
			if err != nil {
				return fmt.Errorf("a comment on %s: %w", items[on[from+last]].Key, err)
			}
		}
		got.articles += len(batch)
		got.comments += len(comments)
		if progress != nil {
			progress(got.articles, got.comments)
		}
		items, batch = items[:0], nil
		return nil
	}
	i := 0
	for da := range articles {
		a := da.Article
		// Top stories and every fourth story carry a picture.
		if len(pictures) > 0 && (a.Top || i%4 == 0) {
			a.Image = &news.Image{ID: pictures[i%len(pictures)], Caption: demoCaption[a.Edition], Credit: "Dalny Bereg"}
		}
		i++
		items, batch = append(items, da), append(batch, &a)
		if len(batch) == articleBatch {
			if err := flush(); err != nil {
				return got, err
			}
		}
	}
	return got, flush()
}

// demoAdmin creates the desk account of a demo site and prints, once, how
// to sign in; an existing one is left alone.
func demoAdmin(ctx context.Context, db *store.DB, env Env) error {
	if _, err := db.UserByEmail(ctx, DemoAdminEmail); err == nil {
		fmt.Fprintf(env.Stdout, "tamizdat: the demo admin %s already exists; its password was shown when it was created\n", DemoAdminEmail)
		return nil
	}
	password := auth.GeneratePassword()
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	u := &news.User{Email: DemoAdminEmail, Name: "Demo admin", Role: news.RoleAdmin, Active: true, PasswordHash: hash}
	if err := db.CreateUser(ctx, u); err != nil {
		return err
	}
	token, tokenHash := auth.NewToken()
	if _, err := db.CreateToken(ctx, u.ID, tokenHash, env.Now().AddDate(0, 0, 90)); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "tamizdat: demo admin (shown once, keep it): e-mail %s  password %s\n", DemoAdminEmail, password)
	fmt.Fprintf(env.Stdout, "tamizdat: demo API token (shown once, valid 90 days): %s\n", token)
	return nil
}

var demoCaption = map[string]string{"ru": "Иллюстрация", "be": "Ілюстрацыя", "en": "Illustration"}

// demoImages stores the demo's pictures through the upload pipeline's
// output.
func demoImages(ctx context.Context, db *store.DB) ([]int64, error) {
	done, err := demoPictures()
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(done))
	for i, p := range done {
		img := &news.MediaImage{Width: p.Width, Height: p.Height, Format: p.Format, Caption: demoCaption["en"],
			Credit: "Dalny Bereg", Alt: "An abstract illustration of coloured shapes"}
		vs := make([]store.ImageVariant, len(p.Variants))
		for j, v := range p.Variants {
			vs[j] = store.ImageVariant{Width: v.Width, Height: v.Height, Data: v.Data}
		}
		if err := db.CreateImage(ctx, img, vs); err != nil {
			return nil, err
		}
		ids[i] = img.ID
	}
	return ids, nil
}

// demoPictures draws the demo's pictures (the program makes them; nothing
// is taken from elsewhere) and runs them through the upload pipeline, as
// many at once as its slots allow, once per process: they are the same
// every time. Not tied to the first caller's context, since every later
// caller gets the same result.
var demoPictures = sync.OnceValues(func() ([]*images.Processed, error) {
	const n = 6
	drawn := make([]bytes.Buffer, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			errs[i] = jpeg.Encode(&drawn[i], images.Generate(int64(i+1), 1280, 800), &jpeg.Options{Quality: 90})
		})
	}
	wg.Wait()
	// Drawn in parallel, processed one after another: the pipeline admits
	// only so many images at once, and turns the rest away.
	done := make([]*images.Processed, n)
	for i := range n {
		if errs[i] == nil {
			done[i], errs[i] = images.Process(context.Background(), &drawn[i])
		}
		if errs[i] != nil {
			return nil, fmt.Errorf("demo image %d: %w", i+1, errs[i])
		}
	}
	return done, nil
})
