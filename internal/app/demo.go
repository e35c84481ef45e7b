package app

import (
	"context"
	"fmt"
	"time"

	"tamizdat/internal/auth"
	"tamizdat/internal/demo"
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
	ids := map[string]int64{}
	comments := 0
	for _, da := range c.Articles {
		a := da.Article
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
	fmt.Fprintf(env.Stdout, "tamizdat: demo content added: %d articles, %d comments, %d categories in 3 editions (%s)\n",
		len(c.Articles), comments, len(c.Categories), time.Since(start).Round(time.Millisecond))
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
