package news

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// RuleAction is what a matching comment rule does.
type RuleAction string

const (
	RuleHold   RuleAction = "hold"   // the comment waits for a moderator
	RuleReject RuleAction = "reject" // the comment is refused
)

// Limits of the comment_rules setting. Every rule is checked against every
// comment as it comes in, so their number and size bound the work a comment
// costs.
const (
	MaxCommentRules     = 500
	MaxCommentRuleRunes = 200
)

// CommentRule is one moderation rule, as the newsroom writes it, one per line
// in the comment_rules setting:
//
//	hold: word or phrase
//	reject: word
//	hold: /regexp/
//
// Lines that are blank or start with # are ignored. Words and phrases match
// whole words after folding (see moderation.Fold): case, look-alike letters of
// the other alphabet, ё/е, invisible characters and punctuation between the
// words do not matter. A /…/ pattern is a Go RE2 regexp matched,
// case-insensitively, against the folded text: write it in folded form (е,
// not ё) and remember that RE2's \b only knows ASCII letters, so whole
// Cyrillic words need (^|\PL)слово($|\PL).
type CommentRule struct {
	Action  RuleAction
	Pattern string // words separated by single spaces, or the regexp without its slashes
	Regexp  bool
	Line    int // 1-based, in the setting as written, for messages to the newsroom
}

// String is the rule's line in canonical form; it parses back to the same
// rule.
func (r CommentRule) String() string {
	if r.Regexp {
		return string(r.Action) + ": /" + r.Pattern + "/"
	}
	return string(r.Action) + ": " + r.Pattern
}

// CompileRuleRegexp compiles the pattern of a regexp rule the one way rules
// are matched, case-insensitively, so that parsing and matching cannot
// disagree about what compiles.
func CompileRuleRegexp(pattern string) (*regexp.Regexp, error) {
	return regexp.Compile("(?i)" + pattern)
}

// ParseCommentRules parses the comment_rules setting. Errors are EINVALID and
// name the line and what is wrong with it.
func ParseCommentRules(s string) ([]CommentRule, error) {
	var rules []CommentRule
	for i, line := range strings.Split(s, "\n") {
		n := i + 1
		line = strings.TrimSpace(line) // also the \r of a CRLF line end
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if !utf8.ValidString(line) {
			return nil, Errorf(EINVALID, "comment rules, line %d: not valid UTF-8 text", n)
		}
		if strings.ContainsFunc(line, isControlNotTab) {
			return nil, Errorf(EINVALID, "comment rules, line %d: contains a control character", n)
		}
		action, pattern, ok := strings.Cut(line, ":")
		if !ok {
			return nil, Errorf(EINVALID, `comment rules, line %d: write "hold: word", "reject: word" or "hold: /regexp/"`, n)
		}
		r := CommentRule{Action: RuleAction(strings.ToLower(strings.TrimSpace(action))), Line: n}
		if r.Action != RuleHold && r.Action != RuleReject {
			return nil, Errorf(EINVALID, "comment rules, line %d: unknown action %q (use hold or reject)", n, clipText(action, 20))
		}
		pattern = strings.TrimSpace(pattern)
		if len(pattern) >= 2 && pattern[0] == '/' && pattern[len(pattern)-1] == '/' {
			r.Regexp, r.Pattern = true, pattern[1:len(pattern)-1]
		} else {
			// Words match whole words, so the spaces between them carry
			// nothing but the boundary; one space is the canonical form.
			r.Pattern = strings.Join(strings.Fields(pattern), " ")
		}
		if err := r.check(); err != nil {
			return nil, err
		}
		if len(rules) == MaxCommentRules {
			return nil, Errorf(EINVALID, "comment rules, line %d: more than %d rules", n, MaxCommentRules)
		}
		rules = append(rules, r)
	}
	return rules, nil
}

func (r *CommentRule) check() error {
	n := r.Line
	if utf8.RuneCountInString(r.Pattern) > MaxCommentRuleRunes {
		return Errorf(EINVALID, "comment rules, line %d: the pattern is longer than %d characters", n, MaxCommentRuleRunes)
	}
	if !r.Regexp {
		if r.Pattern == "" {
			return Errorf(EINVALID, "comment rules, line %d: no word or phrase after %q", n, string(r.Action)+":")
		}
		if !strings.ContainsFunc(r.Pattern, isWordLetter) {
			return Errorf(EINVALID, "comment rules, line %d: %q has no letters or digits, and rules match words", n, clipText(r.Pattern, 40))
		}
		return nil
	}
	if r.Pattern == "" {
		return Errorf(EINVALID, "comment rules, line %d: the regexp // is empty", n)
	}
	re, err := CompileRuleRegexp(r.Pattern)
	if err != nil {
		// The messages of regexp/syntax are plain ("missing closing )")
		// and quote only the rule the newsroom wrote.
		return Errorf(EINVALID, "comment rules, line %d: the regexp does not compile: %v", n, err)
	}
	if re.MatchString("") {
		// /x*/ and friends match every comment, a typo that would hold or
		// reject everything without anyone noticing.
		return Errorf(EINVALID, "comment rules, line %d: the regexp /%s/ matches empty text, so it would match every comment", n, clipText(r.Pattern, 40))
	}
	return nil
}

// isWordLetter says whether r surely survives folding as part of a word, so
// that a rule accepted here never folds to nothing. It leaves out what
// folding removes or turns into punctuation: default-ignorable letters (the
// Hangul fillers of invisible names) and modifier letters (ʼ becomes an
// apostrophe). Rules made only of those are refused, which costs nothing.
func isWordLetter(r rune) bool {
	if unicode.IsNumber(r) {
		return true
	}
	return unicode.IsLetter(r) && !unicode.Is(unicode.Lm, r) && !unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r)
}

func isControlNotTab(r rune) bool { return r != '\t' && unicode.IsControl(r) }

// clip shortens s for an error message.
func clipText(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// The premoderation schedule is a set of minutes of the week, Monday 00:00
// being minute 0. A bit set makes Contains a lookup, makes two schedules
// comparable with ==, and lets String describe the set itself rather than
// echo what was typed, so that equal schedules print equally.
const (
	minutesPerDay  = 24 * 60
	minutesPerWeek = 7 * minutesPerDay
)

// PremodSchedule is when comments wait for a moderator whatever the policy
// says (nights, weekends: no one on duty), in the newsroom's time zone.
// Entries are separated by commas or semicolons:
//
//	Mon-Fri 22:00-07:00, Sat-Sun
//	daily 23:00-08:00
//	Sun 00:00-24:00
//
// Days are Mon … Sun (or Monday … Sunday, any case) or daily; a range may
// wrap round the week (Fri-Mon). Days without hours mean the whole days.
// Hours may cross midnight: 22:00-07:00 runs from 22:00 of each listed day to
// 07:00 of the next. Times are wall-clock times, so on the day clocks change
// a held night is an hour shorter or longer. The zero value is never.
type PremodSchedule struct {
	minutes [(minutesPerWeek + 63) / 64]uint64
}

var dayNames = [7]string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}

var dayByName = map[string]int{
	"mon": 0, "monday": 0, "tue": 1, "tuesday": 1, "wed": 2, "wednesday": 2,
	"thu": 3, "thursday": 3, "fri": 4, "friday": 4, "sat": 5, "saturday": 5,
	"sun": 6, "sunday": 6,
}

// ParsePremodSchedule parses the premoderation_hours setting; "" is never.
// Errors are EINVALID and quote the entry at fault.
func ParsePremodSchedule(s string) (PremodSchedule, error) {
	var p PremodSchedule
	if !utf8.ValidString(s) {
		return p, Errorf(EINVALID, "premoderation hours: not valid UTF-8 text")
	}
	for _, entry := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' }) {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue // a doubled or trailing separator
		}
		days, from, to, err := parseScheduleEntry(entry)
		if err != nil {
			return PremodSchedule{}, Errorf(EINVALID, "premoderation hours, %q: %s", clipText(entry, 40), err)
		}
		for _, d := range days {
			start := d*minutesPerDay + from
			end := d*minutesPerDay + to
			if to <= from { // across midnight, into the next day
				end += minutesPerDay
			}
			p.set(start, end)
		}
	}
	return p, nil
}

// parseScheduleEntry returns the days of one entry (0 is Monday) and its
// span in minutes of the day; to <= from means it ends on the next day. The
// error is a bare description for the caller to put after the entry.
func parseScheduleEntry(entry string) (days []int, from, to int, err error) {
	// Text pasted from documents brings en and em dashes.
	entry = strings.NewReplacer("–", "-", "—", "-").Replace(strings.ToLower(entry))
	dayPart, timePart := entry, ""
	if i := strings.IndexAny(entry, "0123456789"); i >= 0 {
		dayPart, timePart = entry[:i], entry[i:]
	}
	dayPart, timePart = strings.TrimSpace(dayPart), strings.TrimSpace(timePart)
	if days, err = parseDays(dayPart); err != nil {
		return nil, 0, 0, err
	}
	if timePart == "" {
		return days, 0, minutesPerDay, nil
	}
	a, b, ok := strings.Cut(timePart, "-")
	if !ok {
		return nil, 0, 0, fmt.Errorf("write the hours as HH:MM-HH:MM")
	}
	if from, err = parseClock(a); err != nil {
		return nil, 0, 0, err
	}
	if to, err = parseClock(b); err != nil {
		return nil, 0, 0, err
	}
	switch {
	case from == minutesPerDay:
		return nil, 0, 0, fmt.Errorf("24:00 can only end a span")
	case from == to:
		return nil, 0, 0, fmt.Errorf("the span starts and ends at the same time; for whole days leave the hours out")
	case to == 0:
		to = minutesPerDay // 22:00-00:00 ends at midnight, as 22:00-24:00 does
	}
	return days, from, to, nil
}

func parseDays(s string) ([]int, error) {
	if s == "" {
		return nil, fmt.Errorf("name the days first (Mon-Fri, Sat, daily)")
	}
	if s == "daily" {
		return []int{0, 1, 2, 3, 4, 5, 6}, nil
	}
	a, b, isRange := strings.Cut(s, "-")
	first, ok := dayByName[strings.TrimSpace(a)]
	if !ok {
		return nil, fmt.Errorf("unknown day %q (use Mon, Tue, Wed, Thu, Fri, Sat, Sun or daily)", clipText(strings.TrimSpace(a), 20))
	}
	last := first
	if isRange {
		if last, ok = dayByName[strings.TrimSpace(b)]; !ok {
			return nil, fmt.Errorf("unknown day %q (use Mon, Tue, Wed, Thu, Fri, Sat, Sun or daily)", clipText(strings.TrimSpace(b), 20))
		}
	}
	var days []int
	for d := first; ; d = (d + 1) % 7 { // Fri-Mon wraps round the week
		days = append(days, d)
		if d == last {
			return days, nil
		}
	}
}

// parseClock reads H:MM or HH:MM, 00:00 to 24:00, into minutes.
func parseClock(s string) (int, error) {
	s = strings.TrimSpace(s)
	h, m, ok := strings.Cut(s, ":")
	if !ok || len(h) < 1 || len(h) > 2 || len(m) != 2 || !allDigits(h) || !allDigits(m) {
		return 0, fmt.Errorf("%q is not a time; write HH:MM", clipText(s, 10))
	}
	hh := int(h[0] - '0')
	if len(h) == 2 {
		hh = hh*10 + int(h[1]-'0')
	}
	mm := int(m[0]-'0')*10 + int(m[1]-'0')
	if hh > 24 || mm > 59 || hh == 24 && mm != 0 {
		return 0, fmt.Errorf("%q is not a time of day (00:00 to 24:00)", s)
	}
	return hh*60 + mm, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// set adds the minutes [from, to) of the week, wrapping past Sunday night.
func (p *PremodSchedule) set(from, to int) {
	for m := from; m < to; {
		i := m % minutesPerWeek
		w, b := i/64, i%64
		n := min(64-b, to-m, minutesPerWeek-i) // to the end of the word, the span or the week
		p.minutes[w] |= (^uint64(0) >> (64 - n)) << b
		m += n
	}
}

func (p *PremodSchedule) has(m int) bool {
	m = ((m % minutesPerWeek) + minutesPerWeek) % minutesPerWeek
	return p.minutes[m/64]&(1<<(m%64)) != 0
}

// Contains reports whether comments made at t wait for a moderator. t must
// already be in the newsroom's location: the schedule is in wall-clock time.
func (p PremodSchedule) Contains(t time.Time) bool {
	day := (int(t.Weekday()) + 6) % 7 // time.Sunday is 0; the schedule starts on Monday
	return p.has(day*minutesPerDay + t.Hour()*60 + t.Minute())
}

func (p *PremodSchedule) empty() bool {
	for _, w := range p.minutes {
		if w != 0 {
			return false
		}
	}
	return true
}

func (p *PremodSchedule) wholeDay(d int) bool {
	for m := d * minutesPerDay; m < (d+1)*minutesPerDay; m++ {
		if !p.has(m) {
			return false
		}
	}
	return true
}

// premodSpan is a time range that starts on a day: [from, to) when to > from,
// else from `from` to `to` of the next day.
type premodSpan struct{ from, to int }

// covered says whether all minutes of span s, started on day d, are held.
func (p *PremodSchedule) covered(d int, s premodSpan) bool {
	end := s.to
	if end <= s.from {
		end += minutesPerDay
	}
	for m := d*minutesPerDay + s.from; m < d*minutesPerDay+end; m++ {
		if !p.has(m) {
			return false
		}
	}
	return true
}

// String is the canonical form of the schedule. It describes the set of held
// minutes, not how it was typed, so it parses back to the same schedule and
// equal schedules print alike. Days with the same hours are grouped, whole
// days apart: "Mon-Fri 22:00-07:00, Sat-Sun", "daily 22:00-07:00, Sat-Sun".
// "" is never.
func (p PremodSchedule) String() string {
	if p.empty() {
		return ""
	}
	var whole [7]bool
	for d := range whole {
		whole[d] = p.wholeDay(d)
	}
	// Each day that is not whole: its runs of held minutes within the day.
	var runs [7][]premodSpan
	for d := range runs {
		if whole[d] {
			continue
		}
		base := d * minutesPerDay
		for m := 0; m < minutesPerDay; {
			if !p.has(base + m) {
				m++
				continue
			}
			start := m
			for m < minutesPerDay && p.has(base+m) {
				m++
			}
			runs[d] = append(runs[d], premodSpan{start, m})
		}
	}
	// A run to midnight and the next day's run from midnight are one span
	// across midnight, written on the first day, when it can be said so (it
	// ends before it starts). Next to a whole day the other end is free: a
	// run into a whole day may end at any time of it, and a run from
	// midnight after a whole day may start at any time of it; those ends are
	// chosen below to match the spans of other days.
	var owned [7]bool // the day's first run belongs to the day before
	for d := range runs {
		next := (d + 1) % 7
		if n := len(runs[d]); n > 0 && runs[d][n-1].to == minutesPerDay && !whole[next] &&
			len(runs[next]) > 0 && runs[next][0].from == 0 && runs[next][0].to < runs[d][n-1].from {
			owned[next] = true
		}
	}
	days := map[premodSpan]*[7]bool{} // the days each span is written on
	add := func(d int, s premodSpan) {
		if days[s] == nil {
			days[s] = new([7]bool)
		}
		days[s][d] = true
	}
	type freeEnd struct{ day, from int } // a span into the whole day after day
	type freeStart struct{ day, to int } // a span from the whole day `day` into the next
	var ends []freeEnd
	var starts []freeStart
	for d := range runs {
		next, prev := (d+1)%7, (d+6)%7
		for i, r := range runs[d] {
			last := i == len(runs[d])-1 && r.to == minutesPerDay
			switch {
			case i == 0 && owned[d]:
				continue
			case i == 0 && r.from == 0 && whole[prev]:
				starts = append(starts, freeStart{prev, r.to})
				continue
			case last && whole[next]:
				ends = append(ends, freeEnd{d, r.from})
				continue
			case last && owned[next]:
				r.to = runs[next][0].to
			}
			add(d, r)
		}
	}
	// Free ends take the span written on the most days that fits them, to be
	// grouped with it; without one they stop or start at midnight.
	count := func(s premodSpan) int {
		n := 0
		for _, on := range days[s] {
			if on {
				n++
			}
		}
		return n
	}
	fixed := make([]premodSpan, 0, len(days))
	for s := range days {
		fixed = append(fixed, s)
	}
	slices.SortFunc(fixed, func(a, b premodSpan) int { return cmp.Or(count(b)-count(a), a.from-b.from, a.to-b.to) })
	for _, e := range ends {
		s := premodSpan{e.from, minutesPerDay}
		for _, f := range fixed {
			if f.from == e.from && (f.to < f.from || f.to == minutesPerDay) {
				s = f
				break
			}
		}
		add(e.day, s)
	}
	for _, st := range starts {
		day, s := (st.day+1)%7, premodSpan{0, st.to}
		for _, f := range fixed {
			if f.to == st.to && f.from > f.to {
				day, s = st.day, f
				break
			}
		}
		add(day, s)
	}

	type entry struct {
		key  int // where it goes: daily first, then runs round the week's end, then by first day
		kind int // whole days before hours
		span premodSpan
		text string
	}
	var entries []entry
	emit := func(on [7]bool, kind int, s premodSpan) {
		hours := ""
		if kind == 1 {
			hours = " " + clockText(s.from) + "-" + clockText(s.to)
		}
		for _, r := range dayRuns(on) {
			key, text := r[0], dayNames[r[0]]
			switch {
			case r[1]-r[0] == 6:
				key, text = -2, "daily"
			case r[1] > 6:
				key, text = -1, text+"-"+dayNames[r[1]%7]
			case r[1] > r[0]:
				text += "-" + dayNames[r[1]]
			}
			entries = append(entries, entry{key, kind, s, text + hours})
		}
	}
	emit(whole, 0, premodSpan{})
	for s, on := range days {
		emit(p.widen(*on, s), 1, s)
	}
	slices.SortFunc(entries, func(a, b entry) int {
		return cmp.Or(a.key-b.key, a.kind-b.kind, a.span.from-b.span.from, a.span.to-b.span.to, strings.Compare(a.text, b.text))
	})
	texts := make([]string, len(entries))
	for i, e := range entries {
		texts[i] = e.text
	}
	return strings.Join(texts, ", ")
}

// widen adds to the days a span must be written on some of the days where
// it may be written (it holds nothing more there) when that makes fewer
// groups of days, and "daily" when it needs one day more: "daily
// 22:00-07:00, Sat-Sun" rather than "Sun-Fri 22:00-07:00, Sat-Sun", but
// "Mon-Fri 22:00-07:00, Sat-Sun 20:00-09:00" as it is.
func (p *PremodSchedule) widen(on [7]bool, s premodSpan) [7]bool {
	var optional []int
	for d, o := range on {
		if !o && p.covered(d, s) {
			optional = append(optional, d)
		}
	}
	groups := func(try [7]bool) int {
		if daysOf(try) == 7 && daysOf(on) >= 6 {
			return 0
		}
		return len(dayRuns(try))
	}
	best, bestGroups, bestDays := on, groups(on), daysOf(on)
	for mask := 1; mask < 1<<len(optional); mask++ {
		try := on
		for i, d := range optional {
			if mask&(1<<i) != 0 {
				try[d] = true
			}
		}
		if g, n := groups(try), daysOf(try); g < bestGroups || g == bestGroups && n < bestDays {
			best, bestGroups, bestDays = try, g, n
		}
	}
	return best
}

func daysOf(on [7]bool) int {
	n := 0
	for _, o := range on {
		if o {
			n++
		}
	}
	return n
}

// dayRuns returns the runs of consecutive days, round the week, as first and
// last day; the last is past 6 for a run that wraps from Sunday to Monday.
// Every day is one run, [0, 6].
func dayRuns(on [7]bool) [][2]int {
	if daysOf(on) == 7 {
		return [][2]int{{0, 6}}
	}
	var runs [][2]int
	for d := range on {
		if !on[d] || on[(d+6)%7] {
			continue // not the first day of a run
		}
		last := d
		for on[(last+1)%7] {
			last++
		}
		runs = append(runs, [2]int{d, last})
	}
	return runs
}

func clockText(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }
