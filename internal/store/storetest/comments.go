package storetest

import (
	"bytes"
	"fmt"
	"sync"
	"testing"
	"time"

	"tamizdat/internal/news"
	"tamizdat/internal/store"
)

// postTogether sends n comments at once, the i-th on article(i), and
// returns how many were taken and how many refused by each message key.
func postTogether(t *testing.T, db *store.DB, n int, article func(i int) int64, fp []byte, limits *store.CommentLimits) (int, map[string]int) {
	t.Helper()
	start := make(chan struct{})
	var mu sync.Mutex
	taken, refused := 0, map[string]int{}
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			cm := &news.Comment{ArticleID: article(i), Body: fmt.Sprintf("Comment %d sent with the others", i), Status: news.CommentPublished}
			err := db.PostComment(ctx(), cm, &store.CommentMeta{Fingerprint: fp, FPDay: T0.Unix() / 86400}, limits)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				taken++
			case news.ErrorCode(err) == news.ETOOMANY:
				refused[news.ErrorMessage(err)]++
			default:
				t.Errorf("comment %d: %v", i, err)
			}
		})
	}
	close(start)
	wg.Wait()
	return taken, refused
}

func publishedOn(t *testing.T, db *store.DB, ids ...int64) int {
	t.Helper()
	n := 0
	for _, id := range ids {
		list, err := db.Comments(ctx(), id, news.CommentPublished)
		if err != nil {
			t.Fatal(err)
		}
		n += len(list)
	}
	return n
}

// testCommentLimitsTogether: comments sent at the same moment pass the
// limits no more often than comments sent one after another. The count
// and the insert are one step, on every engine.
func testCommentLimitsTogether(t *testing.T, db *store.DB, _ *Clock) {
	const n = 24
	one := MustArticle(t, db, "en", "Flooded", T0.Add(-time.Hour))
	sender := bytes.Repeat([]byte{0xa1}, 32)
	yesterday := bytes.Repeat([]byte{0x5e}, 32)
	limits := &store.CommentLimits{Fingerprints: [][]byte{sender, yesterday}, PerHour: 6, PerMinute: 1000}
	taken, refused := postTogether(t, db, n, func(int) int64 { return one.ID }, sender, limits)
	if taken != 6 || refused["rate_fingerprint"] != n-6 || publishedOn(t, db, one.ID) != 6 {
		t.Errorf("one sender, %d at once, 6 an hour: %d taken, refused %v, %d stored", n, taken, refused, publishedOn(t, db, one.ID))
	}

	// The sender's limit holds across articles.
	var four []int64
	for i := range 4 {
		four = append(four, MustArticle(t, db, "en", fmt.Sprintf("Spread %d", i), T0.Add(-time.Hour)).ID)
	}
	other := bytes.Repeat([]byte{0xb2}, 32)
	limits = &store.CommentLimits{Fingerprints: [][]byte{other}, PerHour: 6, PerMinute: 1000}
	taken, refused = postTogether(t, db, n, func(i int) int64 { return four[i%4] }, other, limits)
	if taken != 6 || refused["rate_fingerprint"] != n-6 || publishedOn(t, db, four...) != 6 {
		t.Errorf("one sender on four articles: %d taken, refused %v, %d stored", taken, refused, publishedOn(t, db, four...))
	}

	// On the onion service only the article's limit applies.
	busy := MustArticle(t, db, "en", "Busy", T0.Add(-time.Hour))
	limits = &store.CommentLimits{PerHour: 1, PerMinute: 5}
	taken, refused = postTogether(t, db, n, func(int) int64 { return busy.ID }, nil, limits)
	if taken != 5 || refused["rate_article"] != n-5 || publishedOn(t, db, busy.ID) != 5 {
		t.Errorf("%d onion comments at once, 5 a minute: %d taken, refused %v, %d stored", n, taken, refused, publishedOn(t, db, busy.ID))
	}

	// One at a time the same limits hold, and a minute later the article
	// takes comments again.
	if err := db.CheckCommentLimits(ctx(), one.ID, &store.CommentLimits{Fingerprints: [][]byte{sender}, PerHour: 6, PerMinute: 1000}); news.ErrorMessage(err) != "rate_fingerprint" {
		t.Errorf("CheckCommentLimits over the hourly limit: %v", err)
	}
	if err := db.CheckCommentLimits(ctx(), one.ID, &store.CommentLimits{Fingerprints: [][]byte{other}, PerHour: 7, PerMinute: 1000}); err != nil {
		t.Errorf("CheckCommentLimits within the limit: %v", err)
	}
}

// testReportsOncePerReader: a reader's reports of a comment count once;
// different readers count each; moderating clears the count but not who
// reported; the readers' fingerprints go with their day's key.
func testReportsOncePerReader(t *testing.T, db *store.DB, clock *Clock) {
	a := MustArticle(t, db, "en", "Reported", T0.Add(-time.Hour))
	cm := &news.Comment{ArticleID: a.ID, Body: "A comment some dislike", Status: news.CommentPublished}
	if err := db.CreateComment(ctx(), cm); err != nil {
		t.Fatal(err)
	}
	reports := func() int {
		t.Helper()
		got, err := db.Comment(ctx(), cm.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.Reports
	}
	today := T0.Unix() / 86400
	reader := func(b byte) []byte { return bytes.Repeat([]byte{b}, 32) }
	for range 50 {
		if err := db.ReportComment(ctx(), cm.ID, [][]byte{reader(1)}, today); err != nil {
			t.Fatal(err)
		}
	}
	if n := reports(); n != 1 {
		t.Errorf("50 reports of one reader count %d, want 1", n)
	}
	// Sent at the same moment, too.
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if err := db.ReportComment(ctx(), cm.ID, [][]byte{reader(2)}, today); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	db.ReportComment(ctx(), cm.ID, [][]byte{reader(3)}, today)
	if n := reports(); n != 3 {
		t.Errorf("reports of 3 readers count %d, want 3", n)
	}
	// The same reader the next day, under a new key: the earlier
	// fingerprint is among those asked, so it still counts once.
	if err := db.ReportComment(ctx(), cm.ID, [][]byte{reader(4), reader(1)}, today+1); err != nil {
		t.Fatal(err)
	}
	if n := reports(); n != 3 {
		t.Errorf("a reader's report on the next day counted again: %d", n)
	}
	q, _, _ := db.CommentQueue(ctx(), store.CommentQuery{Reported: true})
	if len(q) != 1 || q[0].Reports != 3 {
		t.Errorf("the reported queue: %d comments", len(q))
	}
	// A moderator's decision clears the count; those who reported it
	// cannot bring it back.
	if _, err := db.ModerateComments(ctx(), []int64{cm.ID}, news.CommentPublished); err != nil {
		t.Fatal(err)
	}
	db.ReportComment(ctx(), cm.ID, [][]byte{reader(1)}, today)
	if n := reports(); n != 0 {
		t.Errorf("after approval a reader who had reported counts again: %d", n)
	}
	db.ReportComment(ctx(), cm.ID, [][]byte{reader(5)}, today)
	if n := reports(); n != 1 {
		t.Errorf("after approval a new reader's report: %d", n)
	}
	wantCode(t, db.ReportComment(ctx(), 999999, [][]byte{reader(1)}, today), news.ENOTFOUND, "report of a missing comment")
	held := &news.Comment{ArticleID: a.ID, Body: "Waiting", Status: news.CommentPending}
	db.CreateComment(ctx(), held)
	wantCode(t, db.ReportComment(ctx(), held.ID, [][]byte{reader(1)}, today), news.ENOTFOUND, "report of a held comment")

	// When today's key is destroyed, the fingerprints made under it go.
	clock.Set(T0.Add(48 * time.Hour))
	if _, err := db.ForgetFingerprints(ctx(), today+1); err != nil {
		t.Fatal(err)
	}
	for _, b := range []byte{1, 2, 3, 5} {
		if err := db.ReportComment(ctx(), cm.ID, [][]byte{reader(b)}, today+2); err != nil {
			t.Fatal(err)
		}
	}
	// Only reader 4's row (made under the next day's key) is left.
	if n := reports(); n != 1+4 {
		t.Errorf("after the key is destroyed: %d reports, want the 4 forgotten readers counted afresh and 1 from before", n)
	}
	if err := db.ReportComment(ctx(), cm.ID, [][]byte{reader(4)}, today+2); err != nil || reports() != 5 {
		t.Errorf("reader 4, whose key is still kept, counted again: %d, %v", reports(), err)
	}
}
