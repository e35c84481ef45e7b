package news

import (
	"math/bits"
	"strings"
	"testing"
	"time"
)

// heldMinutes counts the held minutes of the week.
func (p *PremodSchedule) heldMinutes() int {
	n := 0
	for _, w := range p.minutes {
		n += bits.OnesCount64(w)
	}
	return n
}

func TestParseCommentRules(t *testing.T) {
	text := "# spam\n" +
		"hold: casino\r\n" +
		"\n" +
		"   # indented comment\n" +
		"REJECT:   buy   cheap\tpills  \n" +
		"hold: /сделай\\s+ставку/\n" +
		"Hold:/a:b+/\n" +
		"reject: /x/y/\n" +
		"hold: #hashtag\n" +
		"hold: сям'я\n"
	got, err := ParseCommentRules(text)
	if err != nil {
		t.Fatal(err)
	}
	want := []CommentRule{
		{Action: RuleHold, Pattern: "casino", Line: 2},
		{Action: RuleReject, Pattern: "buy cheap pills", Line: 5},
		{Action: RuleHold, Pattern: `сделай\s+ставку`, Regexp: true, Line: 6},
		{Action: RuleHold, Pattern: "a:b+", Regexp: true, Line: 7},
		{Action: RuleReject, Pattern: "x/y", Regexp: true, Line: 8},
		{Action: RuleHold, Pattern: "#hashtag", Line: 9},
		{Action: RuleHold, Pattern: "сям'я", Line: 10},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d rules %+v, want %d", len(got), got, len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("rule %d = %+v, want %+v", i, got[i], want[i])
		}
	}

	for _, empty := range []string{"", "\n\n", "# only a comment\n  #another", " \t \r\n"} {
		if rules, err := ParseCommentRules(empty); err != nil || len(rules) != 0 {
			t.Errorf("ParseCommentRules(%q) = %v, %v; want no rules", empty, rules, err)
		}
	}
}

func TestParseCommentRulesErrors(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"casino", "line 1: write"},
		{"hold casino", "line 1: write"},
		{"# fine\nblock: casino", `line 2: unknown action "block"`},
		{": casino", `line 1: unknown action ""`},
		{"hold:", "line 1: no word or phrase"},
		{"hold:   ", "line 1: no word or phrase"},
		{"hold: !!!", "line 1: \"!!!\" has no letters or digits"},
		{"hold: /", "no letters or digits"},
		{"hold: \u3164", "no letters or digits"}, // the Hangul filler of invisible names
		{"hold: ʼ", "no letters or digits"},      // folds to an apostrophe
		{"hold: //", "line 1: the regexp // is empty"},
		{"hold: /(unclosed/", "line 1: the regexp does not compile: "},
		{"hold: /a**/", "does not compile"},
		{"hold: /(?P<x/", "does not compile"},
		{"hold: /x*/", "matches empty text"},
		{"hold: /^/", "matches empty text"},
		{"hold: /a|/", "matches empty text"},
		{"hold: " + strings.Repeat("я", 201), "longer than 200 characters"},
		{"hold: /" + strings.Repeat("a", 201) + "/", "longer than 200 characters"},
		{"hold: caf\xe9", "line 1: not valid UTF-8"},
		{"hold: ca\x00sino", "line 1: contains a control character"},
		{"hold: ca\u0085sino", "control character"},
	} {
		_, err := ParseCommentRules(tc.text)
		if ErrorCode(err) != EINVALID {
			t.Errorf("ParseCommentRules(%q): error %v, want EINVALID", tc.text, err)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseCommentRules(%q): error %q does not say %q", tc.text, err, tc.want)
		}
	}
	// 200 characters is allowed, in runes, not bytes.
	if _, err := ParseCommentRules("hold: " + strings.Repeat("я", 200)); err != nil {
		t.Error(err)
	}
}

func TestParseCommentRulesLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString("# rules\n")
	for i := range MaxCommentRules {
		b.WriteString("hold: word" + strings.Repeat("x", i%50) + "\n")
	}
	rules, err := ParseCommentRules(b.String())
	if err != nil || len(rules) != MaxCommentRules {
		t.Fatalf("%d rules: %d, %v", MaxCommentRules, len(rules), err)
	}
	if rules[MaxCommentRules-1].Line != MaxCommentRules+1 {
		t.Errorf("last rule on line %d", rules[MaxCommentRules-1].Line)
	}
	b.WriteString("# comments do not count\n\nreject: one more\n")
	_, err = ParseCommentRules(b.String())
	if ErrorCode(err) != EINVALID || !strings.Contains(err.Error(), "line 504: more than 500 rules") {
		t.Fatalf("501 rules: %v", err)
	}
}

func TestCommentRuleString(t *testing.T) {
	rules, err := ParseCommentRules("reject:   buy  cheap \nhold: /(?i)a b\\/c/\nhold: /a")
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, r := range rules {
		lines = append(lines, r.String())
	}
	want := "reject: buy cheap\nhold: /(?i)a b\\/c/\nhold: /a"
	if got := strings.Join(lines, "\n"); got != want {
		t.Fatalf("canonical rules:\n%s\nwant\n%s", got, want)
	}
	again, err := ParseCommentRules(want)
	if err != nil {
		t.Fatal(err)
	}
	for i := range rules {
		if again[i] != rules[i] {
			t.Errorf("%+v re-parses as %+v", rules[i], again[i])
		}
	}
}

// FuzzParseCommentRules: any text is rules or an EINVALID error; the rules'
// canonical lines parse back to the same rules.
func FuzzParseCommentRules(f *testing.F) {
	for _, seed := range []string{
		"hold: casino\nreject: buy cheap pills", "# c\n\nhold: /x+y/", "hold: /x*/", "reject:/(/",
		"hold: сделай ставку\r\nreject: /\\pL+/", "hold", ":", "hold: /", "hold: //", "hold: / a/",
		"Hold:\t/a\tb/", "reject: ʼ", "hold: \u3164x", "hold: ½",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		rules, err := ParseCommentRules(text)
		if err != nil {
			if ErrorCode(err) != EINVALID {
				t.Fatalf("error %v has code %q", err, ErrorCode(err))
			}
			return
		}
		if len(rules) > MaxCommentRules {
			t.Fatalf("%d rules", len(rules))
		}
		lines := make([]string, len(rules))
		for i, r := range rules {
			lines[i] = r.String()
		}
		again, err := ParseCommentRules(strings.Join(lines, "\n"))
		if err != nil {
			t.Fatalf("canonical %q does not parse: %v", lines, err)
		}
		if len(again) != len(rules) {
			t.Fatalf("canonical %q: %d rules, want %d", lines, len(again), len(rules))
		}
		for i := range rules {
			want := rules[i]
			want.Line = i + 1
			if again[i] != want {
				t.Fatalf("rule %+v re-parses as %+v", want, again[i])
			}
		}
	})
}

func TestParsePremodSchedule(t *testing.T) {
	for _, tc := range []struct {
		in, canonical string
		held          int // minutes of the week
	}{
		{"", "", 0},
		{" , ;", "", 0},
		{"Mon-Fri 22:00-07:00, Sat-Sun", "Mon-Fri 22:00-07:00, Sat-Sun", 4*9*60 + 2*60 + 2*24*60},
		{"mon-fri 22:00-07:00; sat-sun", "Mon-Fri 22:00-07:00, Sat-Sun", 4*9*60 + 2*60 + 2*24*60},
		{"Sat-Sun, Mon-Fri 22:00-07:00", "Mon-Fri 22:00-07:00, Sat-Sun", 4*9*60 + 2*60 + 2*24*60},
		{"Monday–Friday 22:00 - 7:00,Saturday-Sunday", "Mon-Fri 22:00-07:00, Sat-Sun", 4*9*60 + 2*60 + 2*24*60},
		{"Mon-Fri 22:00-07:00", "Mon-Fri 22:00-07:00", 5 * 9 * 60},
		{"daily 22:00-07:00, Sat-Sun", "daily 22:00-07:00, Sat-Sun", 2*24*60 + 5*(7+2)*60},                                                    // the weekend whole, each night into a weekday
		{"Mon-Fri 22:00-07:00, Sat-Sun 20:00-09:00", "Mon-Fri 22:00-07:00, Sat-Sun 20:00-09:00", (9+2)*60 + 4*(7+2)*60 + (7+4)*60 + (9+4)*60}, // Mon to Sun
		{"Sat-Sun, Fri 18:00-09:00", "Fri 18:00-24:00, Sat-Sun", 6*60 + 2*24*60},
		{"daily 23:00-08:00", "daily 23:00-08:00", 7 * 9 * 60},
		{"DAILY", "daily", 7 * 24 * 60},
		{"Mon-Sun", "daily", 7 * 24 * 60},
		{"Tue-Mon", "daily", 7 * 24 * 60},
		{"Sun 00:00-24:00", "Sun", 24 * 60},
		{"Sun 00:00-00:00x", "", -1}, // error, below
		{"sun 22:00-00:00", "Sun 22:00-24:00", 120},
		{"Fri-Mon", "Fri-Mon", 4 * 24 * 60},
		{"Sat 22:00-07:00", "Sat 22:00-07:00", 9 * 60},
		{"Sun 22:00-07:00", "Sun 22:00-07:00", 9 * 60},
		{"Mon 09:00-10:00, Mon 09:30-12:00", "Mon 09:00-12:00", 180},
		{"Mon 09:00-10:00, Mon 11:00-12:00", "Mon 09:00-10:00, Mon 11:00-12:00", 120},
		{"Mon 22:00-07:00, Tue 06:00-23:00", "Mon 22:00-24:00, Tue 00:00-23:00", 2*60 + 23*60},
		{"Mon 22:00-07:00, Tue", "Mon 22:00-24:00, Tue", 2*60 + 24*60},
		{"Mon 22:00-07:00, Tue, Wed 00:00-03:00", "Mon 22:00-24:00, Tue, Wed 00:00-03:00", 2*60 + 24*60 + 3*60},
		{"daily 01:00-02:00, daily 03:00-04:00", "daily 01:00-02:00, daily 03:00-04:00", 7 * 120},
		{"Mon 00:00-00:01", "Mon 00:00-00:01", 1},
		{"Sun 23:59-00:01", "Sun 23:59-00:01", 2},
	} {
		p, err := ParsePremodSchedule(tc.in)
		if tc.held < 0 {
			if err == nil {
				t.Errorf("ParsePremodSchedule(%q) accepted", tc.in)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParsePremodSchedule(%q): %v", tc.in, err)
			continue
		}
		if got := p.String(); got != tc.canonical {
			t.Errorf("ParsePremodSchedule(%q).String() = %q, want %q", tc.in, got, tc.canonical)
		}
		if got := p.heldMinutes(); got != tc.held {
			t.Errorf("%q holds %d minutes a week, want %d", tc.in, got, tc.held)
		}
		again, err := ParsePremodSchedule(p.String())
		if err != nil || again != p {
			t.Errorf("%q: canonical %q does not parse back to the same schedule: %v", tc.in, p.String(), err)
		}
	}
}

func TestParsePremodScheduleErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Mon-Fir 22:00-07:00", `"Mon-Fir 22:00-07:00": unknown day "fir"`},
		{"Sat-Sun, weekends", `"weekends": unknown day`},
		{"22:00-07:00", `"22:00-07:00": name the days first`},
		{"Mon 22:00", `"Mon 22:00": write the hours as HH:MM-HH:MM`},
		{"Mon 22-07", `"22" is not a time`},
		{"Mon 22:00-7", `"7" is not a time`},
		{"Mon 25:00-07:00", `"25:00" is not a time of day`},
		{"Mon 10:60-11:00", `is not a time of day`},
		{"Mon 24:00-07:00", "24:00 can only end a span"},
		{"Mon 24:30-07:00", "is not a time of day"},
		{"Mon 07:00-07:00", "starts and ends at the same time"},
		{"Mon 00:00-00:00", "starts and ends at the same time"},
		{"Mon 07:00-08:00-09:00", "is not a time"},
		{"Mon Wed", `unknown day "mon wed"`},
		{"Mon-", `unknown day ""`},
		{"daily-Fri", `unknown day "daily"`},
		{"Mon \xff", "not valid UTF-8"},
		{"Mon 07:00-+8:00", "is not a time"},
	} {
		_, err := ParsePremodSchedule(tc.in)
		if ErrorCode(err) != EINVALID {
			t.Errorf("ParsePremodSchedule(%q): %v, want EINVALID", tc.in, err)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParsePremodSchedule(%q): %q does not say %q", tc.in, err, tc.want)
		}
	}
}

func TestPremodScheduleContains(t *testing.T) {
	p, err := ParsePremodSchedule("Mon-Fri 22:00-07:00, Sat-Sun")
	if err != nil {
		t.Fatal(err)
	}
	// 2025-06-02 is a Monday.
	at := func(day, hour, minute int) time.Time { return time.Date(2025, 6, day, hour, minute, 0, 0, time.UTC) }
	for _, tc := range []struct {
		name string
		t    time.Time
		want bool
	}{
		{"Mon 00:00, Sun night is not listed", at(2, 0, 0), false},
		{"Mon 06:59, not listed either", at(2, 6, 59), false},
		{"Mon 21:59", at(2, 21, 59), false},
		{"Mon 22:00", at(2, 22, 0), true},
		{"Tue 03:00", at(3, 3, 0), true},
		{"Tue 06:59:59", at(3, 6, 59).Add(59 * time.Second), true},
		{"Tue 07:00", at(3, 7, 0), false},
		{"Wed noon", at(4, 12, 0), false},
		{"Fri 21:59", at(6, 21, 59), false},
		{"Fri 23:00", at(6, 23, 0), true},
		{"Sat 06:59", at(7, 6, 59), true},
		{"Sat 07:00, the weekend", at(7, 7, 0), true},
		{"Sun noon", at(8, 12, 0), true},
		{"Sun 23:59", at(8, 23, 59), true},
		{"next Mon 00:00", at(9, 0, 0), false},
	} {
		if got := p.Contains(tc.t); got != tc.want {
			t.Errorf("%s (%s): Contains = %v, want %v", tc.name, tc.t.Format("Mon 15:04:05"), got, tc.want)
		}
	}

	weeknights, _ := ParsePremodSchedule("Mon-Fri 22:00-07:00")
	for _, tc := range []struct {
		t    time.Time
		want bool
	}{
		{at(6, 23, 0), true},  // Fri 23:00
		{at(7, 6, 59), true},  // Sat 06:59: Friday's night
		{at(7, 7, 0), false},  // Sat 07:00
		{at(7, 22, 0), false}, // Sat night is not listed
		{at(9, 3, 0), false},  // nor Sunday's, into Monday
	} {
		if got := weeknights.Contains(tc.t); got != tc.want {
			t.Errorf("Mon-Fri 22:00-07:00 at %s: %v, want %v", tc.t.Format("Mon 15:04"), got, tc.want)
		}
	}

	sundayNight, _ := ParsePremodSchedule("Sun 22:00-07:00")
	if !sundayNight.Contains(at(9, 6, 0)) || sundayNight.Contains(at(2, 12, 0)) || !sundayNight.Contains(at(8, 23, 0)) {
		t.Error("a span from Sunday night must wrap to Monday morning")
	}

	var never PremodSchedule
	if never.Contains(at(2, 3, 0)) || never.String() != "" {
		t.Error("the zero schedule holds something")
	}
}

func TestPremodScheduleDST(t *testing.T) {
	vilnius, err := time.LoadLocation("Europe/Vilnius")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	nights, err := ParsePremodSchedule("Sat 22:00-07:00")
	if err != nil {
		t.Fatal(err)
	}
	early, err := ParsePremodSchedule("Sun 03:00-04:00")
	if err != nil {
		t.Fatal(err)
	}
	// heldOn counts the real minutes held from 22:00 UTC on Saturday for a day.
	heldOn := func(p PremodSchedule, saturday time.Time) int {
		n := 0
		for m := range 24 * 60 {
			if p.Contains(saturday.Add(time.Duration(m) * time.Minute).In(vilnius)) {
				n++
			}
		}
		return n
	}

	// 2025-03-30: at 01:00 UTC clocks go from 03:00 to 04:00. The schedule
	// is in wall time: Saturday's night still ends at 07:00 on the clock, 8
	// real hours after it began, and 03:00-04:00 does not happen at all.
	start := time.Date(2025, 3, 29, 22, 0, 0, 0, vilnius)
	if !nights.Contains(start) || !nights.Contains(start.Add(8*time.Hour-time.Minute)) {
		t.Error("spring: the night is not held to 06:59")
	}
	if end := start.Add(8 * time.Hour); end.Hour() != 7 || nights.Contains(end) {
		t.Errorf("spring: %s is held", end)
	}
	if n := heldOn(nights, time.Date(2025, 3, 29, 20, 0, 0, 0, time.UTC)); n != 8*60 {
		t.Errorf("spring: the night holds %d real minutes, want 480", n)
	}
	if n := heldOn(early, time.Date(2025, 3, 29, 20, 0, 0, 0, time.UTC)); n != 0 {
		t.Errorf("spring: the skipped hour holds %d minutes", n)
	}

	// 2025-10-26: at 01:00 UTC clocks go from 04:00 back to 03:00. The night
	// is 10 real hours, and the hour from 03:00 happens, and is held, twice.
	start = time.Date(2025, 10, 25, 22, 0, 0, 0, vilnius)
	if !nights.Contains(start.Add(10*time.Hour - time.Minute)) {
		t.Errorf("autumn: %s is not held", start.Add(10*time.Hour-time.Minute))
	}
	if end := start.Add(10 * time.Hour); end.Hour() != 7 || nights.Contains(end) {
		t.Errorf("autumn: %s is held", end)
	}
	if n := heldOn(nights, time.Date(2025, 10, 25, 19, 0, 0, 0, time.UTC)); n != 10*60 {
		t.Errorf("autumn: the night holds %d real minutes, want 600", n)
	}
	if n := heldOn(early, time.Date(2025, 10, 25, 19, 0, 0, 0, time.UTC)); n != 2*60 {
		t.Errorf("autumn: the repeated hour holds %d real minutes, want 120", n)
	}
}

// FuzzParsePremodSchedule: any text is a schedule or an EINVALID error; a
// schedule's canonical form parses back to the same schedule and prints the
// same.
func FuzzParsePremodSchedule(f *testing.F) {
	for _, seed := range []string{
		"", "Mon-Fri 22:00-07:00, Sat-Sun", "daily 23:00-08:00", "Sun 00:00-24:00", "Fri-Mon",
		"Mon 22:00-07:00, Tue 06:00-23:00", "Mon 22:00-07:00, Tue", "sat 22:00-00:00; sun 1:00-2:00",
		"Mon 24:00-01:00", "Tue 7:00-7:00", "Wed 10:00-11", "Thursday–Saturday 23:59-00:01",
		"daily 00:00-00:01, daily 00:02-00:03, Mon", "Sat-Sun 21:00-09:00, Mon-Fri 22:00-07:00",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePremodSchedule(s)
		if err != nil {
			if ErrorCode(err) != EINVALID {
				t.Fatalf("error %v has code %q", err, ErrorCode(err))
			}
			return
		}
		canonical := p.String()
		again, err := ParsePremodSchedule(canonical)
		if err != nil {
			t.Fatalf("canonical %q of %q does not parse: %v", canonical, s, err)
		}
		if again != p {
			t.Fatalf("canonical %q of %q is another schedule (%d minutes, want %d)", canonical, s, again.heldMinutes(), p.heldMinutes())
		}
		if again.String() != canonical {
			t.Fatalf("canonical %q prints as %q", canonical, again.String())
		}
	})
}
