package demo

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"tamizdat/internal/news"
)

func archiveOf(now time.Time, n int, seed int64) []Article {
	var out []Article
	for a := range Archive(now, n, seed) {
		out = append(out, a)
	}
	return out
}

func paragraphs(body string) int {
	n := 0
	for _, b := range strings.Split(body, "\n\n") {
		if !strings.HasPrefix(b, "#") {
			n++
		}
	}
	return n
}

func TestArchive(t *testing.T) {
	now := time.Date(2026, 5, 14, 13, 47, 12, 0, time.UTC)
	const n = 3000
	arts := archiveOf(now, n, 1)
	if len(arts) != n {
		t.Fatalf("%d articles, want %d", len(arts), n)
	}
	cats := map[string]bool{}
	for _, c := range Site(now).Categories {
		cats[c.Edition+"/"+c.Slug] = true
	}
	byKey := map[string]*Article{}
	perEdition := map[string]int{}
	perTag := map[string]int{}
	bodyBytes := map[string]int{}
	var top, breaking, translations, sourced, commented, hundreds, long, firstYear, lastYear int
	for i := range arts {
		ca := &arts[i]
		a := ca.Article
		if byKey[ca.Key] != nil {
			t.Fatalf("key %s twice", ca.Key)
		}
		byKey[ca.Key] = ca
		perEdition[a.Edition]++
		if i > 0 && a.PublishedAt.Before(arts[i-1].Article.PublishedAt) {
			t.Errorf("%s is published before %s, which comes first", ca.Key, arts[i-1].Key)
		}
		if !a.VisibleAt(now) {
			t.Errorf("%s is not visible at now", ca.Key)
		}
		if age := now.Sub(a.PublishedAt); age < time.Hour*24*365 {
			lastYear++
		} else if age > time.Hour*24*365*(ArchiveYears-1) {
			firstYear++
		}
		if ca.TranslationOf != "" {
			translations++
			orig := byKey[ca.TranslationOf]
			switch {
			case orig == nil:
				t.Errorf("%s translates %s, which does not come before it", ca.Key, ca.TranslationOf)
			case orig.Article.Edition == a.Edition || orig.TranslationOf != "":
				t.Errorf("%s translates %s, which is of its edition or a translation itself", ca.Key, ca.TranslationOf)
			case !a.PublishedAt.After(orig.Article.PublishedAt) || a.PublishedAt.Sub(orig.Article.PublishedAt) > 90*time.Minute:
				t.Errorf("%s is published %s after its original", ca.Key, a.PublishedAt.Sub(orig.Article.PublishedAt))
			case !slices.Equal(a.Categories, orig.Article.Categories) || len(a.Tags) != len(orig.Article.Tags) || a.Title == orig.Article.Title:
				t.Errorf("%s is not the same story as %s told in another language", ca.Key, ca.TranslationOf)
			}
		}
		norm := a
		norm.Normalize()
		if err := norm.Validate(); err != nil {
			t.Errorf("%s: %v", ca.Key, err)
		}
		if !reflect.DeepEqual(norm.Tags, a.Tags) || !reflect.DeepEqual(norm.Categories, a.Categories) {
			t.Errorf("%s: tags or categories change when normalised: %q %q", ca.Key, a.Tags, a.Categories)
		}
		if len(a.Categories) < 1 || len(a.Categories) > 2 {
			t.Errorf("%s has %d categories", ca.Key, len(a.Categories))
		}
		for _, c := range a.Categories {
			if !cats[a.Edition+"/"+c] {
				t.Errorf("%s: category %s is not one of edition %s", ca.Key, c, a.Edition)
			}
		}
		if len(a.Tags) < 2 || len(a.Tags) > 4 {
			t.Errorf("%s has %d tags", ca.Key, len(a.Tags))
		}
		for _, tag := range a.Tags {
			perTag[a.Edition+"/"+news.TagKey(tag)]++
		}
		if p := paragraphs(a.Body); p < archiveMinParas || p > archiveMaxParas {
			t.Errorf("%s: %d paragraphs", ca.Key, p)
		}
		// English paragraphs are shorter: ten of them fill less.
		if least := map[string]int{"ru": 1500, "be": 1500, "en": 900}[a.Edition]; len(a.Body) < least || len(a.Body) > archiveMaxBytes {
			t.Errorf("%s: body of %d bytes", ca.Key, len(a.Body))
		}
		bodyBytes[a.Edition] += len(a.Body)
		if strings.Contains(a.Body, "\n\n\n") || strings.HasSuffix(a.Body, "\n") {
			t.Errorf("%s: blank blocks in the body", ca.Key)
		}
		for what, text := range map[string]string{"title": a.Title, "lead": a.Lead, "body": a.Body, "byline": a.Byline, "tags": strings.Join(a.Tags, " ")} {
			checkLanguage(t, ca.Key+" "+what, a.Edition, text)
		}
		if a.Top {
			top++
		}
		if a.Breaking {
			breaking++
		}
		if a.Source != "" {
			sourced++
		}
		published := checkArchiveComments(t, now, ca)
		if len(ca.Comments) > 0 {
			commented++
		}
		if len(ca.Comments) >= 100 && published < LongThread {
			hundreds++
		}
		if published >= LongThread {
			long++
			if i < n*9/10 {
				t.Errorf("the long thread is on %s, number %d of %d: not a recent article", ca.Key, i, n)
			}
		}
	}
	newest := arts[n-1].Article.PublishedAt
	if age := now.Sub(newest); age < 2*time.Minute || age > 10*time.Minute {
		t.Errorf("the newest article is %s old, want a few minutes", age)
	}
	if oldest := arts[0].Article.PublishedAt; oldest.Before(now.AddDate(-ArchiveYears, 0, -1)) || oldest.After(now.AddDate(-ArchiveYears, 6, 0)) {
		t.Errorf("the oldest article is of %s, want about %d years before %s", oldest, ArchiveYears, now)
	}
	if lastYear < 3*firstYear || firstYear == 0 {
		t.Errorf("%d articles in the last year, %d in the first: want denser recently", lastYear, firstYear)
	}
	for _, e := range editions {
		if perEdition[e] < n/5 {
			t.Errorf("edition %s has %d of %d articles", e, perEdition[e], n)
		}
		if avg := bodyBytes[e] / max(perEdition[e], 1); avg < map[string]int{"ru": 3000, "be": 3000, "en": 1800}[e] {
			t.Errorf("edition %s: bodies of %d bytes on average", e, avg)
		}
	}
	if top < n/100 || breaking == 0 || translations < n/20 || sourced < n/20 {
		t.Errorf("%d top, %d breaking, %d translations, %d with a source", top, breaking, translations, sourced)
	}
	if commented < n*3/10 || commented > n*5/10 || hundreds == 0 || long != 1 {
		t.Errorf("%d of %d articles commented, %d with hundreds, %d long threads", commented, n, hundreds, long)
	}
	// Tag pages: some with many articles, every edition's pool used widely.
	busiest, tags := 0, map[string]int{}
	for k, c := range perTag {
		busiest = max(busiest, c)
		tags[k[:2]]++
	}
	if busiest < n/30 {
		t.Errorf("the busiest tag has %d articles", busiest)
	}
	for _, e := range editions {
		if tags[e] < 250 {
			t.Errorf("edition %s uses %d tags, want a few hundred", e, tags[e])
		}
	}
}

// checkArchiveComments checks one article's comments and returns how many
// are published.
func checkArchiveComments(t *testing.T, now time.Time, ca *Article) int {
	t.Helper()
	keys := map[string]*Comment{}
	published := 0
	for i := range ca.Comments {
		c := &ca.Comments[i]
		if keys[c.Key] != nil {
			t.Fatalf("%s: comment key %s twice", ca.Key, c.Key)
		}
		keys[c.Key] = c
		if c.ParentKey != "" {
			if p := keys[c.ParentKey]; p == nil || p.ParentKey != "" || p.Status != news.CommentPublished {
				t.Errorf("%s/%s replies to %s, which is not an earlier published top-level comment", ca.Key, c.Key, c.ParentKey)
			}
		}
		if !c.CreatedAt.After(ca.Article.PublishedAt) || c.CreatedAt.After(now) || i > 0 && c.CreatedAt.Before(ca.Comments[i-1].CreatedAt) {
			t.Errorf("%s/%s written at %s, article published %s", ca.Key, c.Key, c.CreatedAt, ca.Article.PublishedAt)
		}
		nc := news.Comment{Name: c.Name, Body: c.Body, Status: c.Status}
		if err := nc.Validate(); err != nil || !c.Status.Valid() {
			t.Errorf("%s/%s: %v (status %q)", ca.Key, c.Key, err, c.Status)
		}
		checkLanguage(t, ca.Key+"/"+c.Key, ca.Article.Edition, c.Body)
		if c.Status == news.CommentPublished {
			published++
		}
	}
	return published
}

func TestArchiveDeterministic(t *testing.T) {
	now := time.Date(2026, 5, 14, 13, 47, 12, 0, time.UTC)
	a, b := archiveOf(now, 400, 7), archiveOf(now, 400, 7)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same now, size and seed gave different archives")
	}
	c := archiveOf(now, 400, 8)
	differ := 0
	for i := range a {
		if a[i].Article.Body != c[i].Article.Body || !a[i].Article.PublishedAt.Equal(c[i].Article.PublishedAt) {
			differ++
		}
	}
	if differ < len(a)*9/10 {
		t.Errorf("only %d of %d articles differ between seeds", differ, len(a))
	}
	// Stopping early is allowed, and what was taken is the same.
	taken := 0
	for x := range Archive(now, 400, 7) {
		if !reflect.DeepEqual(x, a[taken]) {
			t.Fatalf("article %d differs when taken alone", taken)
		}
		if taken++; taken == 5 {
			break
		}
	}
	if got := archiveOf(now, 0, 7); len(got) != 0 {
		t.Errorf("an archive of 0 has %d articles", len(got))
	}
}

func TestArchiveTags(t *testing.T) {
	pool := archiveTags()
	if len(pool) < 300 {
		t.Fatalf("a pool of %d tags, want a few hundred", len(pool))
	}
	for e, lang := range editions {
		seen := map[string]bool{}
		for _, tag := range pool {
			k := news.TagKey(tag[e])
			if seen[k] || k == "" || strings.ContainsAny(tag[e], "/?#") {
				t.Errorf("tag %q (%s): repeated, empty or with / ? #", tag[e], lang)
			}
			seen[k] = true
			checkLanguage(t, "tag "+tag[en], lang, tag[e])
		}
	}
}

func BenchmarkArchive(b *testing.B) {
	now := time.Now()
	for b.Loop() {
		for range Archive(now, 1000, 1) {
		}
	}
}
