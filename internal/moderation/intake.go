// Package moderation takes readers' comments in and keeps the queue. The
// intake decides, for each comment, whether it goes live, waits for a
// moderator or is refused, from the site's policies and abuse checks that
// need no personal data: a honeypot field, a signed form time, limits per
// keyed fingerprint and per article, word and pattern rules over folded
// text, a limit on links, exact and near duplicates across articles, and
// bans and "rejected before" that last only as long as the day keys.
package moderation

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"

	"tamizdat/internal/news"
	"tamizdat/internal/store"
)

// Store is what the intake reads and writes.
type Store interface {
	Article(ctx context.Context, id int64) (*news.Article, error)
	Editions(ctx context.Context) ([]news.Edition, error)
	Comment(ctx context.Context, id int64) (*news.Comment, error)
	PostComment(ctx context.Context, cm *news.Comment, meta *store.CommentMeta, limits *store.CommentLimits) error
	CheckCommentLimits(ctx context.Context, articleID int64, limits *store.CommentLimits) error
	ReportComment(ctx context.Context, id int64, fps [][]byte, day int64) error
	RejectedBefore(ctx context.Context, fps [][]byte) (int, error)
	BannedUntil(ctx context.Context, fps [][]byte) (time.Time, error)
	DuplicateOf(ctx context.Context, dupKey string, since time.Time) (int64, error)
	MostSimilar(ctx context.Context, shingles []uint64, since time.Time) (store.Similar, error)
	Now() time.Time
}

// Keys hashes client addresses under the day keys (keyring.Keyring).
type Keys interface {
	Fingerprints(ctx context.Context, purpose string, addr netip.Addr) ([][]byte, error)
	Day(t time.Time) int64
}

// Intake takes comments in.
type Intake struct {
	Store    Store
	Keys     Keys
	TokenKey []byte // signs the form's time token; the same on every node
	// Observe, when set, is told what became of each submission: one of
	// Outcomes (see OutcomeOf).
	Observe func(outcome string)
}

// Submission is a comment as the form sent it, with what the server knows
// of the request: the client address (never stored) and whether it came
// through the onion service.
type Submission struct {
	ArticleID int64
	ParentID  int64
	Name      string
	Body      string
	Token     string
	Honeypot  string
	Addr      netip.Addr
	Onion     bool
}

// Outcome is what happened to a submission that was not refused.
type Outcome struct {
	Comment *news.Comment // nil when the honeypot caught it (not stored)
	Status  news.CommentStatus
}

// The form's time token. A comment sent sooner after the page was rendered
// than MinDelay was not typed by a person; a token older than MaxAge comes
// from a page kept too long (a reload fixes it). The token depends only on
// the article and the moment of rendering, never on the reader, so a page
// cached by a CDN carries a working one.
const (
	MinDelay = 3 * time.Second
	MaxAge   = 7 * 24 * time.Hour
)

// Token signs the article and the moment the form was rendered.
func (in *Intake) Token(articleID int64, at time.Time) string {
	msg := binary.BigEndian.AppendUint64(binary.BigEndian.AppendUint64(nil, uint64(articleID)), uint64(at.Unix()))
	m := hmac.New(sha256.New, in.TokenKey)
	m.Write(msg)
	return base64.RawURLEncoding.EncodeToString(append(msg[8:], m.Sum(nil)[:16]...))
}

func (in *Intake) checkToken(articleID int64, token string, now time.Time) error {
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(b) != 24 {
		return news.Errorf(news.EINVALID, "form_expired")
	}
	at := time.Unix(int64(binary.BigEndian.Uint64(b[:8])), 0)
	if !hmac.Equal([]byte(in.Token(articleID, at)), []byte(token)) {
		return news.Errorf(news.EINVALID, "form_expired")
	}
	switch age := now.Sub(at); {
	case age > MaxAge:
		return news.Errorf(news.EINVALID, "form_expired")
	case age < MinDelay:
		return news.Errorf(news.EINVALID, "too_fast")
	}
	return nil
}

// Errors of the intake carry a message key of the reader's language (i18n
// "comment_error_*"); Refusal gives the key.
const fingerprintPurpose = "comment"

// Submit runs the checks and stores the comment as published or pending,
// or refuses it with a news.Error whose message is a key for the reader's
// language: closed, form_expired, too_fast, too_long, empty, too_many_links,
// banned, rate_fingerprint, rate_article, rejected_rule, duplicate, and
// bad_text for a control character, broken UTF-8 or a name of invisible
// characters (which the HTTP surfaces refuse before, on their own).
func (in *Intake) Submit(ctx context.Context, set news.Settings, sub Submission) (*Outcome, error) {
	out, err := in.submit(ctx, set, sub)
	if in.Observe != nil {
		in.Observe(OutcomeOf(out, err))
	}
	return out, err
}

// refusals are the reasons Submit gives readers, each an outcome of its
// own: a flood of too_fast is bots, of form_expired pages kept too long,
// of rate_article a pile-on.
var refusals = []string{"closed", "form_expired", "too_fast", "too_long", "empty", "bad_text", "too_many_links",
	"no_parent", "banned", "rate_fingerprint", "rate_article", "rejected_rule", "not_found"}

// Outcomes are every value OutcomeOf gives, a small fixed set (fit for a
// metric's label): published, pending, honeypot (a bot told its comment
// waits; nothing kept), refused_REASON for each reason readers are told,
// refused_other, and error (the store failed; the reader got an error page).
var Outcomes = func() []string {
	out := []string{"published", "pending", "honeypot"}
	for _, r := range refusals {
		out = append(out, "refused_"+r)
	}
	return append(out, "refused_other", "error")
}()

// OutcomeOf names what Submit's result means, as one of Outcomes.
func OutcomeOf(out *Outcome, err error) string {
	switch {
	case err == nil && out.Comment == nil:
		return "honeypot"
	case err == nil && out.Status == news.CommentPublished:
		return "published"
	case err == nil:
		return "pending"
	}
	switch code := news.ErrorCode(err); {
	case code == news.EINTERNAL || code == news.EUNAVAILABLE:
		return "error"
	case code == news.ENOTFOUND:
		return "refused_not_found"
	}
	if msg := news.ErrorMessage(err); slices.Contains(refusals, msg) {
		return "refused_" + msg
	}
	return "refused_other"
}

func (in *Intake) submit(ctx context.Context, set news.Settings, sub Submission) (*Outcome, error) {
	now := in.Store.Now()
	a, err := in.Store.Article(ctx, sub.ArticleID)
	if err != nil {
		return nil, err
	}
	if !a.VisibleAt(now) {
		return nil, news.Errorf(news.ENOTFOUND, "not_found")
	}
	eds, err := in.Store.Editions(ctx)
	if err != nil {
		return nil, err
	}
	var edition news.Edition
	for _, e := range eds {
		if e.Code == a.Edition {
			edition = e
		}
	}
	policy := Policy(set, edition, a, sub.Onion, now)
	if policy == news.PolicyClosed {
		return nil, news.Errorf(news.EFORBIDDEN, "closed")
	}
	cm := &news.Comment{ArticleID: a.ID, ParentID: sub.ParentID, Name: sub.Name, Body: sub.Body, Status: news.CommentPublished, CreatedAt: now}
	cm.Normalize()
	if reason, _ := cm.Check(); reason != "" {
		return nil, news.Errorf(news.EINVALID, "%s", reason)
	}
	name, body := cm.Name, cm.Body
	if err := in.checkToken(a.ID, sub.Token, now); err != nil {
		return nil, err
	}
	if sub.Honeypot != "" {
		// A bot filled the field people do not see. It is told what a
		// held comment would be told, and nothing is kept.
		return &Outcome{Status: news.CommentPending}, nil
	}
	if sub.ParentID != 0 {
		p, err := in.Store.Comment(ctx, sub.ParentID)
		if err != nil || p.ArticleID != a.ID || p.Status != news.CommentPublished {
			return nil, news.Errorf(news.EINVALID, "no_parent")
		}
	}
	fps, err := in.Keys.Fingerprints(ctx, fingerprintPurpose, sub.Addr)
	if err != nil {
		return nil, err
	}
	if until, err := in.Store.BannedUntil(ctx, fps); err != nil {
		return nil, err
	} else if !until.IsZero() {
		return nil, news.Errorf(news.EFORBIDDEN, "banned")
	}
	c := set.Comments
	limits := &store.CommentLimits{Fingerprints: fps, PerHour: c.PerHour, PerMinute: c.PerMinute}
	if sub.Onion {
		// Every onion reader shares the Tor daemon's address: a limit per
		// address would silence them all together.
		limits.Fingerprints, limits.PerMinute = nil, c.OnionPerMinute
	}
	// Refused early, before the costlier checks; PostComment counts again
	// as it stores, so that comments sent together cannot all pass.
	if err := in.Store.CheckCommentLimits(ctx, a.ID, limits); err != nil {
		return nil, err
	}
	if CountLinks(body) > c.MaxLinks {
		return nil, news.Errorf(news.EINVALID, "too_many_links")
	}
	var held []string
	if len(c.Rules) > 0 {
		rules, err := CompileRules(c.Rules)
		if err != nil {
			return nil, err
		}
		action, rule := rules.Match(name + "\n" + body)
		switch action {
		case news.RuleReject:
			return nil, news.Errorf(news.EINVALID, "rejected_rule")
		case news.RuleHold:
			held = append(held, fmt.Sprintf("rule on line %d", rule.Line))
		}
	}
	meta := &store.CommentMeta{DupKey: DuplicateKey(body), Shingles: Shingles(body), FPDay: in.Keys.Day(now)}
	if len(fps) > 0 && !sub.Onion {
		meta.Fingerprint = fps[0]
	}
	since := now.Add(-7 * 24 * time.Hour)
	if len([]rune(meta.DupKey)) >= 12 { // "Thanks!" twice is not a campaign
		if id, err := in.Store.DuplicateOf(ctx, meta.DupKey, since); err != nil {
			return nil, err
		} else if id != 0 {
			held = append(held, fmt.Sprintf("same text as comment %d", id))
		}
	}
	if len(held) == 0 && len(meta.Shingles) >= 4 {
		best, err := in.Store.MostSimilar(ctx, meta.Shingles, since)
		if err != nil {
			return nil, err
		}
		if best.ID != 0 && best.Similarity >= c.Similarity {
			held = append(held, fmt.Sprintf("%.0f%% like comment %d", best.Similarity*100, best.ID))
		}
	}
	if !sub.Onion {
		if n, err := in.Store.RejectedBefore(ctx, fps); err != nil {
			return nil, err
		} else if n > 0 {
			held = append(held, "its sender had comments rejected in the last days")
		}
	}
	if policy == news.PolicyPremoderated {
		held = append([]string{"premoderation"}, held...)
	}
	if len(held) > 0 {
		cm.Status, cm.HeldReason = news.CommentPending, strings.Join(held, "; ")
	}
	if err := in.Store.PostComment(ctx, cm, meta, limits); err != nil {
		return nil, err
	}
	return &Outcome{Comment: cm, Status: cm.Status}, nil
}

// reportPurpose keeps a reader's report fingerprints apart from their
// comment fingerprints: one cannot be matched with the other.
const reportPurpose = "report"

// Report takes a reader's report of comment id, sent from addr. Each reader
// counts once per comment for as long as the keys are kept; a repeated
// report is answered like the first. On the onion service, where all
// readers share one address, only today's fingerprint is asked, so onion
// readers together count once per comment and day: enough to bring a
// comment to a moderator, too little for one person behind Tor to fill the
// queue.
func (in *Intake) Report(ctx context.Context, id int64, addr netip.Addr, onion bool) error {
	fps, err := in.Keys.Fingerprints(ctx, reportPurpose, addr)
	if err != nil {
		return err
	}
	if onion && len(fps) > 1 {
		fps = fps[:1]
	}
	return in.Store.ReportComment(ctx, id, fps, in.Keys.Day(in.Store.Now()))
}

// Policy is how comments on article a are taken now: the article's policy,
// else its edition's, else the site's; closed after the site's number of
// days; premoderated during the premoderation hours; and on the onion
// service the stricter of that and the onion's own policy.
func Policy(set news.Settings, edition news.Edition, a *news.Article, onion bool, now time.Time) news.CommentPolicy {
	p := a.CommentPolicy
	if p == news.PolicyInherit || p == "" {
		p = edition.CommentPolicy
	}
	if p == news.PolicyInherit || p == "" {
		p = set.Comments.Policy
	}
	c := set.Comments
	if c.CloseDays > 0 && !a.PublishedAt.IsZero() && now.Sub(a.PublishedAt) > time.Duration(c.CloseDays)*24*time.Hour {
		p = news.PolicyClosed
	}
	loc := set.Location
	if loc == nil {
		loc = time.UTC
	}
	if p == news.PolicyOpen && c.PremodHours.Contains(now.In(loc)) {
		p = news.PolicyPremoderated
	}
	if onion {
		p = stricter(p, c.OnionPolicy)
	}
	return p
}

func stricter(a, b news.CommentPolicy) news.CommentPolicy {
	rank := map[news.CommentPolicy]int{news.PolicyOpen: 1, news.PolicyPremoderated: 2, news.PolicyClosed: 3}
	if rank[b] > rank[a] {
		return b
	}
	return a
}
