package moderation_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"tamizdat/internal/keyring"
	"tamizdat/internal/moderation"
	"tamizdat/internal/news"
	"tamizdat/internal/store"
	"tamizdat/internal/store/storetest"
)

func ctx() context.Context { return context.Background() }

type env struct {
	t       *testing.T
	db      *store.DB
	clock   *storetest.Clock
	keys    *keyring.Keyring
	in      *moderation.Intake
	set     news.Settings
	article *news.Article
}

func onEngines(t *testing.T, f func(t *testing.T, e *env)) {
	for _, eng := range storetest.Engines {
		t.Run(eng.Name, func(t *testing.T) {
			clock := storetest.NewClock(storetest.T0)
			db, _ := eng.Open(t, clock.Now)
			if _, err := db.Migrate(ctx()); err != nil {
				t.Fatal(err)
			}
			keys, err := keyring.New(db, []byte("a test node secret of thirty-two bytes or more"), clock.Now, 0)
			if err != nil {
				t.Fatal(err)
			}
			e := &env{t: t, db: db, clock: clock, keys: keys, set: news.DefaultSettings(),
				in: &moderation.Intake{Store: db, Keys: keys, TokenKey: keys.Derive("comment form token")}}
			e.article = e.newArticle("First story", news.PolicyInherit)
			f(t, e)
		})
	}
}

func (e *env) newArticle(title string, p news.CommentPolicy) *news.Article {
	a := &news.Article{Edition: "en", Title: title, Status: news.StatusPublished, PublishedAt: e.clock.Now().Add(-time.Hour), CommentPolicy: p}
	if err := e.db.CreateArticle(ctx(), a); err != nil {
		e.t.Fatal(err)
	}
	return a
}

var reader = netip.MustParseAddr("203.0.113.5")

// post sends a comment as from addr, with a form loaded a minute earlier.
func (e *env) post(a *news.Article, addr netip.Addr, body string, mod ...func(*moderation.Submission)) (*moderation.Outcome, error) {
	e.t.Helper()
	sub := moderation.Submission{ArticleID: a.ID, Body: body, Addr: addr, Token: e.in.Token(a.ID, e.clock.Now().Add(-time.Minute))}
	for _, m := range mod {
		m(&sub)
	}
	return e.in.Submit(ctx(), e.set, sub)
}

func wantStatus(t *testing.T, out *moderation.Outcome, err error, want news.CommentStatus, what string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: refused: %v", what, err)
	}
	if out.Status != want {
		t.Errorf("%s: %s, want %s", what, out.Status, want)
	}
}

func wantRefusal(t *testing.T, err error, key, what string) {
	t.Helper()
	if err == nil || news.ErrorMessage(err) != key {
		t.Errorf("%s: %v, want the refusal %q", what, err, key)
	}
}

// Policies: the article's, else the edition's, else the site's; closing
// after days; premoderation hours; the onion's own policy.
func TestPolicies(t *testing.T) {
	onEngines(t, func(t *testing.T, e *env) {
		out, err := e.post(e.article, reader, "An open article takes comments at once.")
		wantStatus(t, out, err, news.CommentPublished, "open site")
		e.set.Comments.Policy = news.PolicyPremoderated
		out, err = e.post(e.article, netip.MustParseAddr("203.0.113.6"), "A premoderated site holds them.")
		wantStatus(t, out, err, news.CommentPending, "premoderated site")
		open := e.newArticle("Open article", news.PolicyOpen)
		out, err = e.post(open, netip.MustParseAddr("203.0.113.7"), "The article's own policy wins over the site's.")
		wantStatus(t, out, err, news.CommentPublished, "open article on a premoderated site")
		e.set.Comments.Policy = news.PolicyOpen
		if err := e.db.SetEditionCommentPolicy(ctx(), "en", news.PolicyPremoderated); err != nil {
			t.Fatal(err)
		}
		out, err = e.post(e.article, netip.MustParseAddr("203.0.113.10"), "The edition's policy holds it on an open site.")
		wantStatus(t, out, err, news.CommentPending, "premoderated edition")
		e.db.SetEditionCommentPolicy(ctx(), "en", news.PolicyInherit)
		e.set.Comments.Policy = news.PolicyPremoderated
		closed := e.newArticle("Closed article", news.PolicyClosed)
		_, err = e.post(closed, reader, "Nobody may comment here.")
		wantRefusal(t, err, "closed", "closed article")

		e.set = news.DefaultSettings()
		e.set.Comments.CloseDays = 2
		e.clock.Set(e.clock.Now().Add(49 * time.Hour))
		_, err = e.post(e.article, netip.MustParseAddr("203.0.113.8"), "Too late for this one.")
		wantRefusal(t, err, "closed", "after the closing days")

		e.set = news.DefaultSettings()
		loc, _ := time.LoadLocation("Europe/Vilnius")
		e.set.Location = loc
		sched, err := news.ParsePremodSchedule("daily 00:00-24:00")
		if err != nil {
			t.Fatal(err)
		}
		e.set.Comments.PremodHours = sched
		out, err = e.post(open, netip.MustParseAddr("203.0.113.9"), "Held during the premoderation hours.")
		wantStatus(t, out, err, news.CommentPending, "premoderation hours")

		e.set = news.DefaultSettings()
		out, err = e.post(open, netip.MustParseAddr("127.0.0.1"), "Through the onion service.", func(s *moderation.Submission) { s.Onion = true })
		wantStatus(t, out, err, news.CommentPending, "onion (premoderated by default)")
		if out.Comment != nil {
			if c, _, _ := e.db.CommentQueue(ctx(), store.CommentQuery{Status: news.CommentPending}); len(c) == 0 {
				t.Error("the onion comment is not in the queue")
			}
		}
	})
}

// Counts show published comments only, the same on lists and the page;
// replies belong to their article.
func TestCountsAndReplies(t *testing.T) {
	onEngines(t, func(t *testing.T, e *env) {
		first, err := e.post(e.article, reader, "A first comment, published.")
		wantStatus(t, first, err, news.CommentPublished, "first")
		out, err := e.post(e.article, netip.MustParseAddr("203.0.113.20"), "A reply to it.", func(s *moderation.Submission) { s.ParentID = first.Comment.ID })
		wantStatus(t, out, err, news.CommentPublished, "reply")
		// Posting refreshes only what shows the comment: the change log
		// names its article, nothing site-wide.
		changes, err := e.db.ChangesAfter(ctx(), 0)
		if err != nil {
			t.Fatal(err)
		}
		if last := changes[len(changes)-1]; last.Kind != store.ChangeComment || last.Ref != strconv.FormatInt(e.article.ID, 10) {
			t.Errorf("a comment logged the change %+v", last)
		}
		e.set.Comments.Policy = news.PolicyPremoderated
		e.post(e.article, netip.MustParseAddr("203.0.113.21"), "Held, not counted.")
		a, _ := e.db.Article(ctx(), e.article.ID)
		list, _, _ := e.db.Articles(ctx(), store.ArticleQuery{Visible: true})
		if a.CommentCount != 2 || len(list) != 1 || list[0].CommentCount != 2 {
			t.Errorf("counts: article %d, list %d; want 2 and 2", a.CommentCount, list[0].CommentCount)
		}
		other := e.newArticle("Other", news.PolicyOpen)
		_, err = e.post(other, netip.MustParseAddr("203.0.113.22"), "A reply to a comment of another article.", func(s *moderation.Submission) { s.ParentID = first.Comment.ID })
		wantRefusal(t, err, "no_parent", "reply across articles")
	})
}

// The form's token: tampered, too fresh, too old, another article's.
func TestFormToken(t *testing.T) {
	onEngines(t, func(t *testing.T, e *env) {
		now := e.clock.Now()
		for name, tok := range map[string]string{
			"tampered":        strings.Replace(e.in.Token(e.article.ID, now.Add(-time.Minute)), "A", "B", 1) + "x",
			"empty":           "",
			"another article": e.in.Token(e.article.ID+1, now.Add(-time.Minute)),
			"too old":         e.in.Token(e.article.ID, now.Add(-moderation.MaxAge-time.Minute)),
		} {
			_, err := e.post(e.article, reader, "Hello there", func(s *moderation.Submission) { s.Token = tok })
			wantRefusal(t, err, "form_expired", name)
		}
		_, err := e.post(e.article, reader, "Hello there", func(s *moderation.Submission) { s.Token = e.in.Token(e.article.ID, now.Add(-time.Second)) })
		wantRefusal(t, err, "too_fast", "a second after loading")
		// A bot filling the hidden field is told it waits, and nothing is kept.
		out, err := e.post(e.article, reader, "Buy now", func(s *moderation.Submission) { s.Honeypot = "http://spam.example" })
		wantStatus(t, out, err, news.CommentPending, "honeypot")
		if out.Comment != nil {
			t.Error("the honeypot comment was stored")
		}
	})
}

// Limits: per fingerprint and hour, per article and minute, on links.
func TestRateLimits(t *testing.T) {
	onEngines(t, func(t *testing.T, e *env) {
		e.set.Comments.PerHour = 3
		for i := range 3 {
			out, err := e.post(e.article, reader, "Comment number "+strconv.Itoa(i)+" with its own words "+strings.Repeat("x", i))
			wantStatus(t, out, err, news.CommentPublished, "within the limit")
			e.clock.Set(e.clock.Now().Add(2 * time.Minute))
		}
		_, err := e.post(e.article, reader, "One too many from this address")
		wantRefusal(t, err, "rate_fingerprint", "over the hourly limit")
		if out, err := e.post(e.article, netip.MustParseAddr("198.51.100.1"), "Another reader is not limited"); err != nil || out.Status != news.CommentPublished {
			t.Errorf("another address: %v", err)
		}
		e.clock.Set(e.clock.Now().Add(time.Hour))
		if _, err := e.post(e.article, reader, "An hour later it works again"); err != nil {
			t.Errorf("an hour later: %v", err)
		}
		e.set.Comments.PerMinute = 2
		e.clock.Set(e.clock.Now().Add(time.Hour))
		e.post(e.article, netip.MustParseAddr("198.51.100.2"), "First this minute")
		e.post(e.article, netip.MustParseAddr("198.51.100.3"), "Second this minute")
		_, err = e.post(e.article, netip.MustParseAddr("198.51.100.4"), "Third this minute")
		wantRefusal(t, err, "rate_article", "per article and minute")
		// On the onion service every reader shares one address: only the
		// article limit, which is its own, applies.
		e.clock.Set(e.clock.Now().Add(time.Hour))
		e.set.Comments.OnionPolicy = news.PolicyInherit
		e.set.Comments.OnionPerMinute = 1
		tor := netip.MustParseAddr("127.0.0.1")
		onion := func(s *moderation.Submission) { s.Onion = true }
		if _, err := e.post(e.article, tor, "An onion reader", onion); err != nil {
			t.Fatal(err)
		}
		_, err = e.post(e.article, tor, "Another onion reader", onion)
		wantRefusal(t, err, "rate_article", "onion article limit")
		e.clock.Set(e.clock.Now().Add(2 * time.Minute))
		e.set.Comments.MaxLinks = 1
		_, err = e.post(e.article, netip.MustParseAddr("198.51.100.9"), "see https://a.example and https://b.example")
		wantRefusal(t, err, "too_many_links", "links")
	})
}

// Comments sent together from one address pass the hourly limit no more
// often than comments sent one by one: the intake counts and stores in
// one step.
func TestRateLimitHoldsForCommentsSentTogether(t *testing.T) {
	onEngines(t, func(t *testing.T, e *env) {
		e.set.Comments.PerHour = 6
		const n = 24
		start := make(chan struct{})
		var mu sync.Mutex
		var taken, limited int
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				<-start
				sub := moderation.Submission{ArticleID: e.article.ID, Addr: reader, Token: e.in.Token(e.article.ID, e.clock.Now().Add(-time.Minute)),
					Body: "Sent with the others, number " + strconv.Itoa(i) + strings.Repeat(" and so on", i)}
				_, err := e.in.Submit(ctx(), e.set, sub)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					taken++
				case news.ErrorMessage(err) == "rate_fingerprint":
					limited++
				default:
					t.Errorf("comment %d: %v", i, err)
				}
			})
		}
		close(start)
		wg.Wait()
		stored, _, err := e.db.CommentQueue(ctx(), store.CommentQuery{ArticleID: e.article.ID})
		if err != nil || taken != 6 || limited != n-6 || len(stored) != 6 {
			t.Errorf("%d at once with 6 an hour: %d taken, %d refused, %d stored (%v)", n, taken, limited, len(stored), err)
		}
	})
}

// Rules hold or reject, also when look-alike letters disguise a word.
func TestRules(t *testing.T) {
	onEngines(t, func(t *testing.T, e *env) {
		rules, err := news.ParseCommentRules("hold: casino\nreject: /buy\\s+followers/")
		if err != nil {
			t.Fatal(err)
		}
		e.set.Comments.Rules = rules
		out, err := e.post(e.article, reader, "Best сasino in town") // Cyrillic с
		wantStatus(t, out, err, news.CommentPending, "a held word in disguise")
		if out.Comment != nil && !strings.Contains(out.Comment.HeldReason, "rule") {
			t.Errorf("held reason %q", out.Comment.HeldReason)
		}
		_, err = e.post(e.article, netip.MustParseAddr("198.51.100.30"), "Buy   FOLLOWERS cheap")
		wantRefusal(t, err, "rejected_rule", "a rejected pattern")
		out, err = e.post(e.article, netip.MustParseAddr("198.51.100.31"), "A classic occasion")
		wantStatus(t, out, err, news.CommentPublished, "an innocent text")
	})
}

// Duplicates across articles: the same text after folding, and a text
// above the similarity threshold, wait for a moderator.
func TestDuplicates(t *testing.T) {
	onEngines(t, func(t *testing.T, e *env) {
		text := "The government has lied to you again about the prices of bread and milk, share this everywhere before they delete it"
		out, err := e.post(e.article, reader, text)
		wantStatus(t, out, err, news.CommentPublished, "the original")
		other := e.newArticle("Second story", news.PolicyOpen)
		same := strings.ToUpper(strings.ReplaceAll(text, "o", "о")) + "!!!" // Cyrillic о, shouting
		out, err = e.post(other, netip.MustParseAddr("198.51.100.40"), same)
		wantStatus(t, out, err, news.CommentPending, "the same text folded")
		if out.Comment != nil && !strings.Contains(out.Comment.HeldReason, "same text") {
			t.Errorf("held reason %q", out.Comment.HeldReason)
		}
		near := strings.Replace(text, "again", "once more", 1)
		third := e.newArticle("Third story", news.PolicyOpen)
		out, err = e.post(third, netip.MustParseAddr("198.51.100.41"), near)
		wantStatus(t, out, err, news.CommentPending, "a near duplicate")
		if out.Comment != nil && !strings.Contains(out.Comment.HeldReason, "like comment") {
			t.Errorf("held reason %q", out.Comment.HeldReason)
		}
		out, err = e.post(third, netip.MustParseAddr("198.51.100.42"), "A different thought entirely about the bridge and the river in spring, nothing like the others")
		wantStatus(t, out, err, news.CommentPublished, "a different text")
	})
}

// A fingerprint whose comments were rejected is premoderated, and a ban
// refuses it; both end with the day keys, which rotate daily and are
// destroyed after the retention period.
func TestRejectedBeforeAndBansEndWithTheirKey(t *testing.T) {
	onEngines(t, func(t *testing.T, e *env) {
		out, err := e.post(e.article, reader, "Something rude")
		wantStatus(t, out, err, news.CommentPublished, "first")
		if _, err := e.db.ModerateComments(ctx(), []int64{out.Comment.ID}, news.CommentRejected); err != nil {
			t.Fatal(err)
		}
		e.clock.Set(e.clock.Now().Add(25 * time.Hour)) // another day, another key
		out2, err := e.post(e.article, reader, "Something else entirely")
		wantStatus(t, out2, err, news.CommentPending, "rejected before, a day later")
		if _, err := e.db.BanCommenter(ctx(), out2.Comment.ID, e.clock.Now().Add(30*24*time.Hour), e.keys.Retention(), "test"); err != nil {
			t.Fatal(err)
		}
		_, err = e.post(e.article, reader, "Trying again while banned")
		wantRefusal(t, err, "banned", "banned")
		if _, err := e.post(e.article, netip.MustParseAddr("198.51.100.50"), "Someone else is not banned"); err != nil {
			t.Errorf("another reader: %v", err)
		}
		// Past the retention period the keys are destroyed, the hashes
		// erased, and the ban and the record end with them.
		e.clock.Set(e.clock.Now().Add(time.Duration(e.keys.Retention()+1) * 24 * time.Hour))
		if _, err := e.keys.Prune(ctx()); err != nil {
			t.Fatal(err)
		}
		if _, err := e.db.ForgetFingerprints(ctx(), e.keys.OldestDay()); err != nil {
			t.Fatal(err)
		}
		out3, err := e.post(e.article, reader, "A week later nothing links me to before")
		wantStatus(t, out3, err, news.CommentPublished, "after the keys are destroyed")
		q, _, _ := e.db.CommentQueue(ctx(), store.CommentQuery{Status: news.CommentPending})
		for _, c := range q {
			if c.Banned {
				t.Error("a ban outlived its key")
			}
		}
	})
}

// Text that no field may hold is refused on both engines before anything
// is stored (PostgreSQL cannot hold NUL; SQLite would keep it), and so is
// a name or a text of invisible characters only; real text in every
// script is taken.
func TestBadTextIsRefused(t *testing.T) {
	onEngines(t, func(t *testing.T, e *env) {
		for i, c := range []struct{ name, body, key string }{
			{"", "a\x00b", "bad_text"},
			{"Ал\x00есь", "Добры тэкст", "bad_text"},
			{"", "broken \xff byte", "bad_text"},
			{"", "\x1b]0;title\x07", "bad_text"},
			{"\u200b\u3164", "Імя з адных нябачных знакаў", "bad_text"},
			{"", "\u200b\u200d\u2060 \u2800", "empty"},
		} {
			addr := netip.AddrFrom4([4]byte{203, 0, 113, byte(100 + i)})
			_, err := e.post(e.article, addr, c.body, func(s *moderation.Submission) { s.Name = c.name })
			wantRefusal(t, err, c.key, fmt.Sprintf("name %q, text %q", c.name, c.body))
		}
		for _, st := range []news.CommentStatus{news.CommentPublished, news.CommentPending} {
			if list, err := e.db.Comments(ctx(), e.article.ID, st); err != nil || len(list) != 0 {
				t.Fatalf("refused comments were stored as %s: %d, %v", st, len(list), err)
			}
		}
		out, err := e.post(e.article, reader, "Дзякуй! Ўсё так 👩\u200d💻 «цытата» — עברית\r\nі другі радок", func(s *moderation.Submission) { s.Name = "Алесь Ў." })
		wantStatus(t, out, err, news.CommentPublished, "real text")
		if out.Comment.Body != "Дзякуй! Ўсё так 👩\u200d💻 «цытата» — עברית\nі другі радок" {
			t.Errorf("stored body %q", out.Comment.Body)
		}
	})
}

// The observer is told what became of each submission, in words from a
// fixed list (a metric's label): the outcome, or the reason of a refusal.
func TestObserveNamesEachOutcome(t *testing.T) {
	onEngines(t, func(t *testing.T, e *env) {
		var got []string
		e.in.Observe = func(o string) { got = append(got, o) }
		e.set.Comments.PerHour = 2
		e.post(e.article, reader, "A reader's first comment.")
		e.post(e.article, reader, "Sent by a bot that fills every field.", func(s *moderation.Submission) { s.Honeypot = "x" })
		e.post(e.article, reader, "Sent a second after the page came.", func(s *moderation.Submission) { s.Token = e.in.Token(e.article.ID, e.clock.Now()) })
		e.post(e.article, reader, "A reader's second comment.")
		e.post(e.article, reader, "A reader's third comment, over the limit.")
		e.set.Comments.Policy = news.PolicyPremoderated
		e.post(e.article, netip.MustParseAddr("203.0.113.77"), "Held for a moderator.")
		e.post(e.newArticle("Closed story", news.PolicyClosed), reader, "Nobody may comment here.")
		e.post(&news.Article{ID: 424242}, reader, "On an article that is not there.")
		want := []string{"published", "honeypot", "refused_too_fast", "published", "refused_rate_fingerprint", "pending", "refused_closed", "refused_not_found"}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("observed %v\nwant     %v", got, want)
		}
		for _, o := range got {
			if !slices.Contains(moderation.Outcomes, o) {
				t.Errorf("%q is not in Outcomes %v", o, moderation.Outcomes)
			}
		}
	})
}

func TestOutcomeOfOtherErrors(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
	}{
		{errors.New("disk I/O error"), "error"},
		{news.Errorf(news.EUNAVAILABLE, "the database did not answer in time; try again"), "error"},
		{news.Errorf(news.EINVALID, "a message no refusal has"), "refused_other"},
		{news.Errorf(news.ETOOMANY, "rate_article"), "refused_rate_article"},
	} {
		if got := moderation.OutcomeOf(nil, c.err); got != c.want {
			t.Errorf("OutcomeOf(%v) = %q, want %q", c.err, got, c.want)
		}
	}
}
