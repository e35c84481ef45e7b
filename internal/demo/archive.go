package demo

import (
	"iter"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"tamizdat/internal/news"
)

// An archive is the demo newsroom with twenty years behind it: as many
// published articles as asked for, composed from the same stories, contexts,
// quotes, lists and links as the demo, for measuring the site at the size of
// a real one (tamizdat demo --articles N). Its articles are plausible pages,
// not a story told in order: a story's paragraphs come back in many articles.

// ArchiveYears is how far back an archive reaches.
const ArchiveYears = 20

// Bounds of an archive article's body, in paragraphs (a list is one, a
// subheading none) and bytes of Markdown.
const (
	archiveMinParas = 3
	archiveMaxParas = 10
	archiveMinBytes = 2000
	archiveMaxBytes = 6144
)

// LongThread is the least number of published comments on the archive's one
// long thread, the article whose page shows the most comments.
const LongThread = 2000

// Archive yields n published articles in the three editions, in the order
// of publication (oldest first, so ids grow with time, each original before
// its translations), spread over the ArchiveYears before now and denser
// towards now; the newest is a few minutes old. Each article has one or two
// categories of its edition, two to four tags from a pool of a few hundred,
// a body of 3–10 paragraphs (2–5 KB; 1–3 KB in English, whose paragraphs
// are shorter), and some are top stories, breaking news, or the same story
// in two or three editions (TranslationOf names the original's Key). About
// two in five have comments, most of them a few, some hundreds, and one
// recent article at least LongThread. The same now, n and seed always yield
// the same articles; they are composed as they are taken, so that a large
// archive never sits in memory whole.
func Archive(now time.Time, n int, seed int64) iter.Seq[Article] {
	return func(yield func(Article) bool) {
		if n <= 0 {
			return
		}
		ar := planArchive(now, n, seed)
		for _, sl := range ar.slots {
			if !yield(ar.article(sl)) {
				return
			}
		}
	}
}

// archive is the plan of an archive: when each story appears in which
// editions. What the articles say is chosen when they are composed.
type archive struct {
	now    time.Time
	seed   int64
	groups []archiveGroup // newest first
	slots  []archiveSlot  // articles in publication order
	long   int            // the group whose original has the long thread
}

// archiveGroup is one story published in one to three editions: the
// original, then its translations.
type archiveGroup struct {
	editions      []int
	at            []time.Time // publication of each edition's article
	top, breaking bool
}

type archiveSlot struct {
	g, k int // group, and index into its editions
}

// Random streams of an archive, one per purpose and item, so that what an
// article says does not depend on the order articles are composed in.
const (
	streamPlan = iota + 1
	streamStory
	streamComments
)

func stream(seed int64, purpose, item int) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed)^uint64(purpose)*0x9e3779b97f4a7c15, uint64(item)))
}

// recentDensity is how many times more articles a day appear at the newest
// end of the archive than at the oldest; the density grows linearly.
const recentDensity = 8

// rampInverse maps u in [0,1) to the age, as a fraction of the archive's
// span, below which a fraction u of the articles lie.
func rampInverse(u float64) float64 {
	r := float64(recentDensity - 1)
	return ((1 + r) - math.Sqrt((1+r)*(1+r)-2*r*u*(1+r/2))) / r
}

func planArchive(now time.Time, n int, seed int64) *archive {
	rng := stream(seed, streamPlan, 0)
	ar := &archive{now: now, seed: seed}
	for total := 0; total < n; {
		j := len(ar.groups)
		size := 1
		// The newest stories are in one edition only: their translations
		// would still be to come.
		if j >= 24 {
			switch r := rng.IntN(100); {
			case r < 6:
				size = 3
			case r < 18:
				size = 2
			}
		}
		size = min(size, n-total)
		first := ru
		switch r := rng.IntN(100); {
		case r < 30:
			first = en
		case r < 55:
			first = be
		}
		g := archiveGroup{editions: []int{first}}
		others := []int{(first + 1) % 3, (first + 2) % 3}
		rng.Shuffle(2, func(a, b int) { others[a], others[b] = others[b], others[a] })
		g.editions = append(g.editions, others[:size-1]...)
		switch r := rng.IntN(1000); {
		case r < 30:
			g.top = true
		case r < 36:
			g.breaking = true
		}
		ar.groups = append(ar.groups, g)
		total += size
	}

	span := now.Sub(now.AddDate(-ArchiveYears, 0, 0))
	minAge := 3*time.Minute + time.Duration(rng.IntN(300))*time.Second
	count := float64(len(ar.groups))
	for j := range ar.groups {
		g := &ar.groups[j]
		age := minAge
		if j > 0 {
			// One stratum of the distribution per story: the order of the
			// stories is the order of their times.
			u := (float64(j) + rng.Float64()) / count
			age += time.Duration(rampInverse(u) * float64(span-minAge))
		}
		at := now.Add(-age).Truncate(time.Second)
		g.at = []time.Time{at}
		for range g.editions[1:] {
			delta := minutes(rng, 5, 90)
			if room := now.Sub(at) / 2; delta > room {
				delta = room
			}
			g.at = append(g.at, at.Add(delta).Truncate(time.Second))
		}
		ar.slots = append(ar.slots, archiveSlot{g: j})
		for k := 1; k < len(g.editions); k++ {
			ar.slots = append(ar.slots, archiveSlot{g: j, k: k})
		}
	}
	slices.SortStableFunc(ar.slots, func(a, b archiveSlot) int {
		if c := ar.groups[a.g].at[a.k].Compare(ar.groups[b.g].at[b.k]); c != 0 {
			return c
		}
		if a.g != b.g {
			return b.g - a.g // the older story first
		}
		return a.k - b.k
	})

	// The long thread is on the newest top story but the very newest, which
	// readers have had no time to discuss.
	ar.long = min(1, len(ar.groups)-1)
	for j := 1; j < min(len(ar.groups), 200); j++ {
		if ar.groups[j].top {
			ar.long = j
			break
		}
	}
	return ar
}

// key names an edition's article of group j, numbered from the oldest story.
func (ar *archive) key(j, e int) string {
	return editionCodes[e] + "-a" + strconv.Itoa(len(ar.groups)-1-j)
}

func (ar *archive) article(sl archiveSlot) Article {
	g := &ar.groups[sl.g]
	e := g.editions[sl.k]
	ch := ar.choose(sl.g)
	at := g.at[sl.k]
	crng := stream(ar.seed, streamComments, sl.g*3+e)
	a := news.Article{
		Edition:       editionCodes[e],
		Title:         ch.s.title[e],
		Lead:          ch.s.lead[e],
		Body:          ch.body(e),
		Categories:    slices.Clone(ch.cats),
		Byline:        ch.byline(e),
		Status:        news.StatusPublished,
		PublishedAt:   at,
		CreatedAt:     at.Add(-ch.drafted),
		CommentPolicy: ch.policy,
		Top:           g.top,
		Breaking:      g.breaking,
	}
	for _, t := range ch.tags {
		a.Tags = append(a.Tags, archiveTags()[t][e])
	}
	if ch.source > 0 {
		a.Source = sources[ch.source-1][e]
	}
	if ch.corrected {
		a.Correction = ch.s.correction[e]
		a.UpdatedAt = at.Add(min(ch.correctedAfter, ar.now.Sub(at)/2)).Truncate(time.Second)
	}
	out := Article{Key: ar.key(sl.g, e), Article: a}
	if sl.k > 0 {
		out.TranslationOf = ar.key(sl.g, g.editions[0])
	}
	if a.CommentPolicy != news.PolicyClosed {
		switch {
		case sl.g == ar.long && sl.k == 0:
			out.Comments = archiveComments(crng, ar.now, e, &a, LongThread+crng.IntN(400), true)
		default:
			out.Comments = archiveComments(crng, ar.now, e, &a, commentCount(crng), false)
		}
	}
	return out
}

// commentCount: most articles none or a few, some dozens, a few hundreds.
func commentCount(rng *rand.Rand) int {
	switch r := rng.IntN(1000); {
	case r < 600:
		return 0
	case r < 980:
		f := rng.Float64()
		return 1 + int(20*f*f)
	case r < 997:
		return 21 + rng.IntN(80)
	default:
		return 100 + rng.IntN(500)
	}
}

// archiveChoice is what a story's articles share in every edition.
type archiveChoice struct {
	s              *story
	cats           []string
	tags           []int         // into archiveTags
	units          []archiveUnit // candidate blocks of the body, in order
	tail           []L           // what closes the body
	size           int           // bytes the body aims at
	author         int           // into staff; -1 the editorial byline
	source         int           // 1-based into sources, 0 none
	policy         news.CommentPolicy
	corrected      bool
	correctedAfter time.Duration
	drafted        time.Duration // how long before publication it was created
}

// archiveCategories weighs the primary categories: home news leads.
var archiveCategories = []struct {
	slug   string
	weight int
}{
	{"belarus", 20}, {"russia", 12}, {"politics", 12}, {"society", 12}, {"economy", 10},
	{"war", 10}, {"world", 10}, {"culture", 6}, {"opinions", 5}, {"interview", 3},
}

// storiesIn lists, per category slug, the stories that carry it; the
// interview, told in turns of speech, stays the demo's own.
var storiesIn = sync.OnceValue(func() map[string][]*story {
	m := map[string][]*story{}
	for _, s := range allStories() {
		if s.interview {
			continue
		}
		for _, c := range s.cats {
			m[c] = append(m[c], s)
		}
	}
	return m
})

func (ar *archive) choose(j int) *archiveChoice {
	rng := stream(ar.seed, streamStory, j)
	total := 0
	for _, c := range archiveCategories {
		total += c.weight
	}
	cat := ""
	r := rng.IntN(total)
	for _, c := range archiveCategories {
		if r -= c.weight; r < 0 {
			cat = c.slug
			break
		}
	}
	in := storiesIn()[cat]
	s := in[rng.IntN(len(in))]
	ch := &archiveChoice{s: s, cats: []string{cat}, author: -1, policy: news.PolicyInherit,
		size:    archiveMinBytes + rng.IntN(archiveMaxBytes-archiveMinBytes),
		drafted: minutes(rng, 15, 240)}
	var others []string
	for _, c := range s.cats {
		if c != cat {
			others = append(others, c)
		}
	}
	if len(others) > 0 && rng.IntN(2) == 0 {
		ch.cats = append(ch.cats, others[rng.IntN(len(others))])
	}

	// Tags: one or two of the story's own, the rest from the pool, early
	// entries of the pool far more often than late ones.
	pool := archiveTags()
	want := 2 + rng.IntN(3)
	seen := map[int]bool{}
	own := slices.Clone(s.tags)
	rng.Shuffle(len(own), func(a, b int) { own[a], own[b] = own[b], own[a] })
	for _, t := range own[:min(len(own), 1+rng.IntN(2))] {
		i := slices.Index(pool, tagNames[t])
		if i >= 0 && !seen[i] {
			seen[i] = true
			ch.tags = append(ch.tags, i)
		}
	}
	for len(ch.tags) < want {
		i := int(float64(len(pool)) * math.Pow(rng.Float64(), 2.5))
		if !seen[i] {
			seen[i] = true
			ch.tags = append(ch.tags, i)
		}
	}

	if s.author == nil && rng.IntN(6) > 0 {
		ch.author = rng.IntN(len(staff))
	}
	if s.kind == kindNews && rng.IntN(5) == 0 {
		ch.source = 1 + rng.IntN(len(sources))
	}
	switch r := rng.IntN(100); {
	case r < 1:
		ch.policy = news.PolicyClosed
	case r < 3:
		ch.policy = news.PolicyPremoderated
	}
	if s.correction != (L{}) && rng.IntN(3) == 0 {
		ch.corrected, ch.correctedAfter = true, minutes(rng, 60, 8*60)
	}
	ch.compose(rng, cat)
	return ch
}

// compose lays out the candidate blocks of the body: the story's own
// paragraphs, a quote, its list, background from the category's contexts,
// a list that fits, and paragraphs of other stories of the category as
// "what came before"; then what closes it.
func (ch *archiveChoice) compose(rng *rand.Rand, cat string) {
	s := ch.s
	one := func(l L) archiveUnit { return archiveUnit{blocks: []L{l}, after: -1} }
	ctx := archiveContexts(s, cat)
	perm := rng.Perm(len(ctx))
	if s.kind != kindNews {
		for _, p := range s.paras {
			ch.units = append(ch.units, one(p))
		}
		for _, i := range perm {
			ch.units = append(ch.units, one(ctx[i]))
		}
		note := opinionNote
		if s.kind == kindTalk {
			note = talkNote
		}
		ch.tail = []L{note}
		return
	}
	ch.units = append(ch.units, one(s.paras[0]))
	if f := fieldOf[s.cats[0]]; f != "" && rng.IntN(5) < 3 {
		q := &plan{s: s, expert: pick(rng, len(expertsByField(f))), quote: pick(rng, len(quotes[f])),
			qstyle: 1 + rng.IntN(2), verb: rng.IntN(len(quoteVerbs))}
		ch.units = append(ch.units, one(L{q.quoteText(ru), q.quoteText(be), q.quoteText(en)}))
	}
	for _, p := range s.paras[1:] {
		// "This story is being updated" belongs to the day it was written.
		if len(p[en]) > 80 {
			ch.units = append(ch.units, one(p))
		}
	}
	if s.list != (L{}) {
		ch.units = append(ch.units, one(s.list))
	}
	if len(perm) > 0 {
		first := one(ctx[perm[0]])
		if rng.IntN(3) > 0 {
			first.blocks = append([]L{headingOf(headings[rng.IntN(len(headings))])}, first.blocks...)
		}
		ch.units = append(ch.units, first)
	}
	if s.list == (L{}) && rng.IntN(3) == 0 {
		var fits []int
		for i, g := range genericLists {
			if slices.Contains(g.cats, cat) {
				fits = append(fits, i)
			}
		}
		if len(fits) > 0 {
			ch.units = append(ch.units, one(genericLists[fits[rng.IntN(len(fits))]].text))
		}
	}
	for _, i := range perm[min(1, len(perm)):] {
		ch.units = append(ch.units, one(ctx[i]))
	}
	in := storiesIn()[cat]
	before := []L{headingOf(headings[1])} // "What came before", once
	for _, k := range rng.Perm(len(in))[:min(2, len(in))] {
		o := in[k]
		if o == s || o.kind != kindNews {
			continue
		}
		lede := len(ch.units)
		ch.units = append(ch.units, archiveUnit{blocks: append(before, o.paras[0]), after: -1})
		before = nil
		for _, p := range o.paras[1:] {
			if len(p[en]) > 80 {
				ch.units = append(ch.units, archiveUnit{blocks: []L{p}, after: lede})
			}
		}
	}
	if rng.IntN(2) == 0 {
		i := rng.IntN(len(links))
		ch.tail = []L{{linkText(i, cat, ru), linkText(i, cat, be), linkText(i, cat, en)}}
	}
}

func headingOf(h L) L { return L{"## " + h[ru], "## " + h[be], "## " + h[en]} }

// archiveContexts are the background paragraphs for a story filed under
// cat: the category's own, else those of the story.
func archiveContexts(s *story, cat string) []L {
	if cat == s.cats[0] && s.ctx != "" {
		return contexts[s.ctx]
	}
	if c, ok := contexts[cat]; ok {
		return c
	}
	for _, c := range s.cats {
		if ctx, ok := contexts[c]; ok {
			return ctx
		}
	}
	return contexts["exile"]
}

// archiveUnit is blocks of a body that are kept or left out together, and
// only if the unit after (an index, or -1) was kept: a story's later
// paragraphs follow its first.
type archiveUnit struct {
	blocks []L
	after  int
}

// body is edition e's text: the candidate units in order while the body is
// short of its size or of archiveMinParas, each kept only if it fits the
// bounds, then the tail. A story's size is the same in every edition;
// where its units run out or reach archiveMaxParas (sooner in English,
// whose paragraphs are shorter) the body is shorter.
func (ch *archiveChoice) body(e int) string {
	blocks := func(ls []L) (n, size int) {
		for _, l := range ls {
			for _, b := range strings.Split(l[e], "\n\n") {
				if !strings.HasPrefix(b, "#") {
					n++
				}
			}
			size += len(l[e]) + 2
		}
		return n, size
	}
	tailN, tailSize := blocks(ch.tail)
	var out []string
	kept := make([]bool, len(ch.units))
	n, size := 0, 0
	for i, u := range ch.units {
		if n+tailN >= archiveMinParas && size+tailSize >= ch.size {
			break
		}
		un, us := blocks(u.blocks)
		if n+un+tailN > archiveMaxParas || size+us+tailSize > archiveMaxBytes || u.after >= 0 && !kept[u.after] {
			continue
		}
		for _, l := range u.blocks {
			out = append(out, l[e])
		}
		kept[i] = true
		n, size = n+un, size+us
	}
	for _, l := range ch.tail {
		out = append(out, l[e])
	}
	return strings.Join(out, "\n\n")
}

func (ch *archiveChoice) byline(e int) string {
	switch {
	case ch.s.author != nil:
		return ch.s.author[e]
	case ch.author < 0:
		return editorial[e]
	}
	return staff[ch.author][e]
}

// archiveComments are count comments on a, most published, some waiting,
// rejected or spam (none but published when moderated: a thread that long
// has been cleaned up), about a third of them replies.
func archiveComments(rng *rand.Rand, now time.Time, e int, a *news.Article, count int, moderated bool) []Comment {
	if count == 0 {
		return nil
	}
	times := commentTimes(rng, now, a.PublishedAt, count)
	pool := commentPool[e]
	premod := a.CommentPolicy == news.PolicyPremoderated
	type open struct {
		key     string
		replies []string
	}
	var threads []*open // published top-level comments with replies left
	out := make([]Comment, 0, count)
	for k := range count {
		c := Comment{Key: "c" + strconv.Itoa(k+1), Name: commentName(rng, e), Status: news.CommentPublished, CreatedAt: times[k]}
		r := rng.IntN(100)
		switch {
		case moderated:
		case r < 2:
			c.Name, c.Body, c.Status = spamNames[rng.IntN(len(spamNames))], spamPool[e][rng.IntN(len(spamPool[e]))], news.CommentSpam
		case r < 4:
			c.Body, c.Status = rejectedPool[e][rng.IntN(len(rejectedPool[e]))], news.CommentRejected
		case r < 8 || premod && r < 30:
			c.Status = news.CommentPending
		}
		if c.Body != "" {
			out = append(out, c)
			continue
		}
		if len(threads) > 0 && rng.IntN(3) == 0 {
			i := rng.IntN(len(threads))
			t := threads[i]
			c.ParentKey, c.Body = t.key, t.replies[0]
			if t.replies = t.replies[1:]; len(t.replies) == 0 {
				threads = slices.Delete(threads, i, i+1)
			}
		} else {
			th := pool[rng.IntN(len(pool))]
			c.Body = th.text
			if c.Status == news.CommentPublished && len(th.replies) > 0 {
				threads = append(threads, &open{c.Key, th.replies})
			}
		}
		out = append(out, c)
	}
	return out
}
