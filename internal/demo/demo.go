// Package demo composes the content that `tamizdat serve --demo` loads: the
// settings, menus, pages, articles and comments of an invented exile newsroom
// in three editions (ru, be, en), so that a newcomer sees a site that looks
// like a working news site.
//
// All the text is written for this project. Stories are written once in the
// three languages (see stories*.go); Generate places them on a timeline that
// ends at now, composes their bodies from the story's own paragraphs and from
// pools of context, quotes, lists and links (see pools.go), and adds reader
// comments. The same now and seed always give the same Content.
package demo

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"tamizdat/internal/news"
)

// Content is everything the demo loads, in the order it is to be stored.
type Content struct {
	Settings   []Setting       // applied in order with the same validation as `tamizdat settings set`
	Categories []news.Category // Edition, Slug, Name, Position (1-based per edition); ID zero
	Pages      []news.Page     // Edition, Slug ("about" and "contacts" per edition), Title, Body (Markdown)
	Articles   []Article       // in the order to insert them
}

// Setting is one `settings set KEY VALUE`.
type Setting struct{ Key, Value string }

// Article is one article with its comments.
type Article struct {
	Key           string       // unique in Content, e.g. "en-interview"
	TranslationOf string       // Key of the same story in another edition, "" if none
	Article       news.Article // ID and TranslationOf zero; everything else filled
	Comments      []Comment
}

// Comment is one reader comment on an Article.
type Comment struct {
	Key       string // unique within the article
	ParentKey string // Key of the comment this one replies to, "" if top-level
	Name      string // "" means anonymous
	Body      string // plain text; may contain an http(s) link occasionally
	Status    news.CommentStatus
	CreatedAt time.Time
}

// The editions, as indexes into L.
const (
	ru = iota
	be
	en
)

var editionCodes = [3]string{"ru", "be", "en"}

// L is one text in the languages of the three editions: ru, be, en.
type L [3]string

type role int

const (
	roleNews role = iota
	roleTop
	roleBreaking
	roleScheduled
	roleUnpublished
	roleDraft
	roleReview
)

func (r role) visible() bool { return r == roleNews || r == roleTop || r == roleBreaking }

type kind int

const (
	kindNews    kind = iota // facts, a quote, context, lists, links
	kindOpinion             // a column: the author's paragraphs and a disclaimer
	kindTalk                // a conversation retold with quotes
)

// story is one story written in the three languages.
type story struct {
	key        string
	cats       []string // category slugs, the first is primary
	tags       []string // keys of tagNames
	title      L
	lead       L
	paras      []L // the story's own paragraphs, Markdown
	list       L   // an optional block of its own (a subheading and a list)
	kind       kind
	role       role
	linked     bool   // the be and en versions are translations of the ru one
	author     *L     // a fixed byline (columns, conversations)
	source     int    // 1-based index into sources, 0 for none
	ctx        string // the contexts to draw on, when not those of the primary category
	correction L      // set on stories that were corrected after publication
	policy     news.CommentPolicy
	interview  bool // told in turns of speech, and marked as an interview
}

func (s *story) contexts() []L {
	if s.ctx != "" {
		return contexts[s.ctx]
	}
	return contexts[s.cats[0]]
}

// plan holds the choices made once per story and shared by its editions.
type plan struct {
	s       *story
	at      [3]time.Time // published; zero for drafts and articles in review
	created [3]time.Time
	updated [3]time.Time
	author  int // index into staff; -1 for the editorial byline
	expert  int // index into experts of the story's field
	quote   int // index into quotes of the story's field
	qstyle  int // 0 none, 1 inline, 2 blockquote
	context []int
	heading int // -1 none
	glist   int // -1 none; index into genericLists
	link    int // -1 none
	verb    int
}

var (
	locOnce sync.Once
	vilnius *time.Location
)

// newsroomLocation is the zone the demo's days are laid out in; it matches
// the time_zone setting.
func newsroomLocation() *time.Location {
	locOnce.Do(func() {
		loc, err := time.LoadLocation("Europe/Vilnius")
		if err != nil { // no zoneinfo on this machine: close enough for a demo
			loc = time.FixedZone("EET", 2*60*60)
		}
		vilnius = loc
	})
	return vilnius
}

// Generate composes the demo content deterministically from now (all times
// are relative to it) and seed.
func Generate(now time.Time, seed int64) Content {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x74616d697a646174))
	loc := newsroomLocation()
	c := Site(now)

	all := allStories()
	plans := make([]*plan, len(all))
	for i, s := range all {
		plans[i] = choose(rng, s)
	}
	schedule(rng, now, loc, plans)

	// Insert in the order of publication so that ids grow with time, the
	// original of a translation before it.
	order := make([]*plan, len(plans))
	copy(order, plans)
	slices.SortStableFunc(order, func(a, b *plan) int {
		return sortTime(a).Compare(sortTime(b))
	})
	for _, p := range order {
		for e := range 3 {
			a := Article{Key: editionCodes[e] + "-" + p.s.key, Article: p.article(e)}
			if p.s.linked && e != ru {
				a.TranslationOf = "ru-" + p.s.key
			}
			c.Articles = append(c.Articles, a)
		}
	}
	addComments(rng, now, c.Articles)
	return c
}

// Site is the demo's settings, categories and pages without articles: what
// every demo site starts from, whatever articles it then gets (Generate's
// or Archive's).
func Site(now time.Time) Content {
	return Content{Settings: settings(), Categories: categories(), Pages: pages(now)}
}

func sortTime(p *plan) time.Time {
	if !p.at[ru].IsZero() {
		return p.at[ru]
	}
	return p.created[ru]
}

func allStories() []*story {
	var all []*story
	for _, group := range [][]story{storiesA, storiesB, storiesS, storiesC, storiesD, storiesT, hiddenStories} {
		for i := range group {
			all = append(all, &group[i])
		}
	}
	all = append(all, &interviewStory)
	return all
}

// choose makes the seed-dependent choices of one story.
func choose(rng *rand.Rand, s *story) *plan {
	p := &plan{s: s, author: -1, heading: -1, glist: -1, link: -1}
	if rng.IntN(6) > 0 {
		p.author = rng.IntN(len(staff))
	}
	f := fieldOf[s.cats[0]]
	if f != "" {
		p.expert = pick(rng, len(expertsByField(f)))
		p.quote = pick(rng, len(quotes[f]))
		p.qstyle = rng.IntN(3)
		if p.qstyle == 0 && rng.IntN(2) == 0 {
			p.qstyle = 1
		}
	}
	p.verb = rng.IntN(len(quoteVerbs))
	if ctx := s.contexts(); len(ctx) > 0 {
		perm := rng.Perm(len(ctx))
		n := 1 + rng.IntN(2)
		if rng.IntN(4) == 0 {
			n = 0
		}
		p.context = perm[:min(n, len(perm))]
		if n > 0 && rng.IntN(3) > 0 {
			p.heading = rng.IntN(len(headings))
		}
	}
	if s.list == (L{}) && rng.IntN(3) == 0 {
		var fits []int
		for i, g := range genericLists {
			if slices.Contains(g.cats, s.cats[0]) {
				fits = append(fits, i)
			}
		}
		if len(fits) > 0 {
			p.glist = fits[rng.IntN(len(fits))]
		}
	}
	if rng.IntN(2) == 0 {
		p.link = rng.IntN(len(links))
	}
	return p
}

func pick(rng *rand.Rand, n int) int {
	if n == 0 {
		return 0
	}
	return rng.IntN(n)
}

func minutes(rng *rand.Rand, lo, hi int) time.Duration {
	return time.Duration(lo+rng.IntN(hi-lo+1)) * time.Minute
}

// schedule places the stories on the fortnight before now: several a day
// between 7:00 and 22:00 in the newsroom's zone, every day of the fortnight
// with something, the breaking story in the last two hours, the translations
// a little after their originals.
func schedule(rng *rand.Rand, now time.Time, loc *time.Location, plans []*plan) {
	exact := now
	now = now.Truncate(time.Minute)
	local := now.In(loc)
	y, m, d := local.Date()

	var regular []*plan
	for _, p := range plans {
		if p.s.role == roleNews {
			regular = append(regular, p)
		}
	}
	// Candidate slots, one per hour per day, shuffled within each day.
	days := make([][]time.Time, 14)
	for dd := range 14 {
		for h := 7; h <= 21; h++ {
			t := time.Date(y, m, d-dd, h, rng.IntN(60), 0, 0, loc)
			if t.After(now.Add(-2*time.Hour)) || !t.After(now.Add(-14*24*time.Hour+time.Hour)) {
				continue
			}
			days[dd] = append(days[dd], t)
		}
		rng.Shuffle(len(days[dd]), func(i, j int) { days[dd][i], days[dd][j] = days[dd][j], days[dd][i] })
	}
	// Take one slot from each day in turn, so days get three or four each.
	var slots []time.Time
	for len(slots) < len(regular) {
		took := false
		for _, dd := range rng.Perm(14) {
			if len(slots) == len(regular) {
				break
			}
			if len(days[dd]) > 0 {
				slots = append(slots, days[dd][0])
				days[dd] = days[dd][1:]
				took = true
			}
		}
		if !took {
			panic("demo: not enough slots in a fortnight")
		}
	}
	rng.Shuffle(len(regular), func(i, j int) { regular[i], regular[j] = regular[j], regular[i] })
	for i, p := range regular {
		p.at[ru] = slots[i]
	}

	for _, p := range plans {
		switch p.s.role {
		case roleTop:
			p.at[ru] = now.Add(-minutes(rng, 3*60+5, 8*60))
		case roleBreaking:
			p.at[ru] = now.Add(-minutes(rng, 88, 112))
		case roleScheduled:
			for e := range 3 {
				p.at[e] = exact.Add(3 * time.Hour)
				p.created[e] = now.Add(-minutes(rng, 5*60, 9*60))
			}
			continue
		case roleUnpublished:
			at := now.Add(-minutes(rng, 3*24*60, 5*24*60))
			for e := range 3 {
				p.at[e] = at.Add(minutes(rng, 5, 60))
				p.created[e] = p.at[e].Add(-minutes(rng, 30, 120))
				p.updated[e] = p.at[e].Add(minutes(rng, 60, 300))
			}
			continue
		case roleDraft, roleReview:
			back := minutes(rng, 20*60, 40*60)
			if p.s.role == roleReview {
				back = minutes(rng, 3*60, 8*60)
			}
			for e := range 3 {
				p.created[e] = now.Add(-back + minutes(rng, 0, 25))
			}
			continue
		}
		for e := be; e <= en; e++ {
			delta := minutes(rng, 5, 90)
			if p.s.role == roleBreaking {
				delta = minutes(rng, 5, 25)
			}
			p.at[e] = p.at[ru].Add(delta)
		}
		for e := range 3 {
			lead := minutes(rng, 15, 240)
			if p.s.key == interviewStory.key {
				lead = minutes(rng, 36*60, 60*60)
			}
			p.created[e] = p.at[e].Add(-lead)
			if p.s.correction != (L{}) {
				after := min(minutes(rng, 60, 8*60), now.Sub(p.at[e])/2)
				p.updated[e] = p.at[e].Add(after)
			}
		}
	}
}

// article is the edition e's version of the planned story.
func (p *plan) article(e int) news.Article {
	s := p.s
	a := news.Article{
		Edition:       editionCodes[e],
		Title:         s.title[e],
		Lead:          s.lead[e],
		Body:          p.body(e),
		Categories:    slices.Clone(s.cats),
		Byline:        p.byline(e),
		Status:        news.StatusPublished,
		PublishedAt:   p.at[e],
		CreatedAt:     p.created[e],
		UpdatedAt:     p.updated[e],
		Correction:    s.correction[e],
		CommentPolicy: s.policy,
		Top:           s.role == roleTop,
		Breaking:      s.role == roleBreaking,
		Interview:     s.interview,
	}
	if a.CommentPolicy == "" {
		a.CommentPolicy = news.PolicyInherit
	}
	for _, t := range s.tags {
		name, ok := tagNames[t]
		if !ok {
			panic("demo: unknown tag " + t)
		}
		a.Tags = append(a.Tags, name[e])
	}
	if s.source > 0 {
		a.Source = sources[s.source-1][e]
	}
	switch s.role {
	case roleUnpublished:
		a.Status = news.StatusUnpublished
	case roleDraft:
		a.Status = news.StatusDraft
	case roleReview:
		a.Status = news.StatusReview
	}
	return a
}

func (p *plan) byline(e int) string {
	switch {
	case p.s.author != nil:
		return p.s.author[e]
	case p.author < 0:
		return editorial[e]
	}
	return staff[p.author][e]
}

// Bodies stay within these bounds in every edition.
const (
	minBody = 800
	maxBody = 5000
	maxBlks = 8
)

func (p *plan) body(e int) string {
	s := p.s
	if s.key == interviewStory.key {
		return interviewBody(e)
	}
	var head []string
	var optional [][]string // units added in order while they fit
	if s.kind != kindNews {
		for _, para := range s.paras {
			head = append(head, para[e])
		}
		note := opinionNote
		if s.kind == kindTalk {
			note = talkNote
		}
		if p.link >= 0 {
			optional = append(optional, []string{linkText(p.link, s.cats[0], e)})
		}
		return assemble(head, optional, []string{note[e]}, nil)
	}

	ctx := s.contexts()
	if len(p.context) > 0 {
		unit := []string{}
		if p.heading >= 0 {
			unit = append(unit, "## "+headings[p.heading][e])
		}
		unit = append(unit, ctx[p.context[0]][e])
		optional = append(optional, unit)
		for _, i := range p.context[1:] {
			optional = append(optional, []string{ctx[i][e]})
		}
	}
	var tail []string
	if s.list != (L{}) {
		tail = append(tail, s.list[e])
	} else if p.glist >= 0 {
		optional = append(optional, []string{genericLists[p.glist].text[e]})
	}
	if p.link >= 0 {
		optional = append(optional, []string{linkText(p.link, s.cats[0], e)})
	}
	// Fillers for short bodies: the other context paragraphs of the category.
	var fillers []string
	for i := range ctx {
		if !slices.Contains(p.context, i) {
			fillers = append(fillers, ctx[i][e])
		}
	}
	if p.link < 0 { // the last resort: a pointer to more
		fillers = append(fillers, linkText(len(p.s.key)%len(links), s.cats[0], e))
	}
	for _, withQuote := range []bool{true, false} {
		head = []string{s.paras[0][e]}
		if withQuote && p.qstyle > 0 {
			head = append(head, p.quoteText(e))
		}
		for _, para := range s.paras[1:] {
			head = append(head, para[e])
		}
		if out := assemble(head, optional, tail, fillers); len(out) <= maxBody || !withQuote {
			return out
		}
	}
	panic("unreachable")
}

// assemble joins the required head and tail around as many optional units as
// fit the limits, then adds fillers while the body is too short or has too
// few blocks.
func assemble(head []string, optional [][]string, tail, fillers []string) string {
	size := func(bs []string) int {
		n := 0
		for _, b := range bs {
			n += len(b) + 2
		}
		return n
	}
	count := func(bs []string) int { // blocks as a reader sees them
		n := 0
		for _, b := range bs {
			n += 1 + strings.Count(b, "\n\n")
		}
		return n
	}
	body := append([]string{}, head...)
	for _, unit := range optional {
		if size(body)+size(unit)+size(tail) > maxBody || count(body)+count(unit)+count(tail) > maxBlks {
			continue
		}
		body = append(body, unit...)
	}
	for _, f := range fillers {
		short := size(body)+size(tail) < minBody+40 || count(body)+count(tail) < 3
		if !short || count(body)+count(tail) >= maxBlks || size(body)+size(tail)+len(f)+2 > maxBody {
			break
		}
		body = append(body, f)
	}
	body = append(body, tail...)
	return strings.Join(body, "\n\n")
}

func (p *plan) quoteText(e int) string {
	f := fieldOf[p.s.cats[0]]
	x := expertsByField(f)[p.expert]
	q := quotes[f][p.quote][e]
	if p.qstyle == 2 {
		return "> " + q + ".\n>\n> — " + x.name[e] + ", " + x.role[e]
	}
	v := quoteVerbs[p.verb][e]
	switch e {
	case en:
		return "“" + q + ",” " + v + " " + x.name[e] + ", " + x.role[e] + "."
	default:
		return "«" + q + "», — " + v + " " + x.name[e] + ", " + x.role[e] + "."
	}
}

func linkText(i int, cat string, e int) string {
	return strings.ReplaceAll(links[i][e], "{cat}", cat)
}

// addComments gives about two thirds of the visible articles of each edition
// a few comments, and the English interview its dozen.
func addComments(rng *rand.Rand, now time.Time, arts []Article) {
	for e := range 3 {
		var visible []int
		for i := range arts {
			a := &arts[i].Article
			if a.Edition == editionCodes[e] && a.VisibleAt(now) && a.CommentPolicy != news.PolicyClosed &&
				arts[i].Key != "en-"+interviewStory.key {
				visible = append(visible, i)
			}
		}
		rng.Shuffle(len(visible), func(i, j int) { visible[i], visible[j] = visible[j], visible[i] })
		n := len(visible) * 2 / 3
		for k, i := range visible[:n] {
			count := 1 + rng.IntN(9)
			forced := news.CommentStatus("")
			switch k {
			case 0:
				forced = news.CommentSpam
			case 1:
				forced = news.CommentRejected
			case 2:
				forced = news.CommentPending
			}
			if forced != "" {
				count = max(count, 3)
			}
			arts[i].Comments = comments(rng, now, e, &arts[i].Article, count, forced)
		}
	}
	for i := range arts {
		if arts[i].Key == "en-"+interviewStory.key {
			arts[i].Comments = interviewComments(rng, now, &arts[i].Article)
		}
	}
}

func comments(rng *rand.Rand, now time.Time, e int, a *news.Article, count int, forced news.CommentStatus) []Comment {
	times := commentTimes(rng, now, a.PublishedAt, count)
	pool := commentPool[e]
	top := rng.Perm(len(pool))
	premod := a.CommentPolicy == news.PolicyPremoderated
	type open struct {
		key     string
		replies []string
	}
	var threads []*open // published top-level comments that may get a reply
	var out []Comment
	forcedAt := rng.IntN(count)
	for k := range count {
		c := Comment{
			Key:       "c" + strconv.Itoa(k+1),
			Name:      commentName(rng, e),
			Status:    news.CommentPublished,
			CreatedAt: times[k],
		}
		status := forced
		if k != forcedAt {
			status = ""
			switch r := rng.IntN(40); {
			case r < 1:
				status = news.CommentSpam
			case r < 3:
				status = news.CommentRejected
			case r < 6 || premod && r < 16:
				status = news.CommentPending
			}
		}
		switch status {
		case news.CommentSpam:
			c.Name = spamNames[rng.IntN(len(spamNames))]
			c.Body = spamPool[e][rng.IntN(len(spamPool[e]))]
			c.Status = news.CommentSpam
		case news.CommentRejected:
			c.Body = rejectedPool[e][rng.IntN(len(rejectedPool[e]))]
			c.Status = news.CommentRejected
		default:
			if status == news.CommentPending {
				c.Status = news.CommentPending
			}
			var fits []*open
			for _, t := range threads {
				if len(t.replies) > 0 {
					fits = append(fits, t)
				}
			}
			if len(fits) > 0 && rng.IntN(5) < 2 {
				t := fits[rng.IntN(len(fits))]
				c.ParentKey, c.Body = t.key, t.replies[0]
				t.replies = t.replies[1:]
			} else {
				th := pool[top[0]]
				top = top[1:]
				c.Body = th.text
				if c.Status == news.CommentPublished {
					threads = append(threads, &open{c.Key, th.replies})
				}
			}
		}
		out = append(out, c)
	}
	return out
}

// commentTimes are count sorted times after published and before now, most
// within two days of publication.
func commentTimes(rng *rand.Rand, now, published time.Time, count int) []time.Time {
	window := min(now.Sub(published), 60*time.Hour)
	var ts []time.Time
	for range count {
		f := 0.02 + 0.96*rng.Float64()*rng.Float64() // most comments come early
		t := published.Add(time.Duration(f * float64(window))).Truncate(time.Second)
		if !t.After(published) {
			t = published.Add(time.Second)
		}
		ts = append(ts, t)
	}
	slices.SortFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
	return ts
}

func commentName(rng *rand.Rand, e int) string {
	if rng.IntN(4) == 0 {
		return ""
	}
	return commenters[e][rng.IntN(len(commenters[e]))]
}

// interviewComments are the English interview's twelve published comments and
// one that waits for a moderator.
func interviewComments(rng *rand.Rand, now time.Time, a *news.Article) []Comment {
	times := commentTimes(rng, now, a.PublishedAt, len(interviewThread))
	out := make([]Comment, len(interviewThread))
	for i, t := range interviewThread {
		out[i] = Comment{
			Key:       t.key,
			ParentKey: t.parent,
			Name:      t.name,
			Body:      t.body,
			Status:    t.status,
			CreatedAt: times[i],
		}
	}
	return out
}
