package app

import (
	"bytes"
	"context"
	"fmt"
	"image/jpeg"
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
	pictures, err := demoImages(ctx, db)
	if err != nil {
		return err
	}
	ids := map[string]int64{}
	comments := 0
	for i, da := range c.Articles {
		a := da.Article
		// Top stories and every fourth story carry a picture.
		if a.Top || i%4 == 0 {
			a.Image = &news.Image{ID: pictures[i%len(pictures)], Caption: demoCaption[a.Edition], Credit: "Dalny Bereg"}
		}
		if da.TranslationOf != "" {
			a.TranslationOf = ids[da.TranslationOf]
		}
		if err := db.CreateArticle(ctx, &a); err != nil {
			return fmt.Errorf("article %s: %w", da.Key, err)
		}
		ids[da.Key] = a.ID
		commentIDs := map[string]int64{}
		for _, dc := range da.Comments {
			cm := news.Comment{ArticleID: a.ID, ParentID: commentIDs[dc.ParentKey], Name: dc.Name, Body: dc.Body,
				Status: dc.Status, CreatedAt: dc.CreatedAt}
			if err := db.CreateComment(ctx, &cm); err != nil {
				return fmt.Errorf("comment %s on %s: %w", dc.Key, da.Key, err)
			}
			commentIDs[dc.Key] = cm.ID
			comments++
		}
	}
	fmt.Fprintf(env.Stdout, "tamizdat: demo content added: %d articles, %d comments, %d categories, %d images in 3 editions (%s)\n",
		len(c.Articles), comments, len(c.Categories), len(pictures), time.Since(start).Round(time.Millisecond))
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
