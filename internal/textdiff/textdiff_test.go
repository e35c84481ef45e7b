package textdiff

import (
	"fmt"
	"strings"
	"testing"
)

// show writes lines as a unified diff body with line numbers:
// " 1 1 a", "-2 . b", "+. 2 c".
func show(lines []Line) string {
	var sb strings.Builder
	num := func(n int) string {
		if n == 0 {
			return "."
		}
		return fmt.Sprint(n)
	}
	for _, l := range lines {
		sign := map[Op]string{Equal: " ", Insert: "+", Delete: "-"}[l.Op]
		fmt.Fprintf(&sb, "%s%s %s %s\n", sign, num(l.Old), num(l.New), l.Text)
	}
	return sb.String()
}

// side joins the lines of one side back into its (normalised) text.
func side(lines []Line, skip Op) string {
	var sb strings.Builder
	for _, l := range lines {
		if l.Op != skip {
			sb.WriteString(l.Text)
			sb.WriteByte('\n')
		}
	}
	return sb.String()
}

func TestLines(t *testing.T) {
	for _, tc := range []struct {
		name, a, b, want string
	}{
		{"identical", "a\nb\nc\n", "a\nb\nc\n", " 1 1 a\n 2 2 b\n 3 3 c\n"},
		{"both empty", "", "", ""},
		{"from empty", "", "a\nb\n", "+. 1 a\n+. 2 b\n"},
		{"to empty", "a\nb\n", "", "-1 . a\n-2 . b\n"},
		{"insert at start", "b\nc\n", "a\nb\nc\n", "+. 1 a\n 1 2 b\n 2 3 c\n"},
		{"insert in the middle", "a\nc\n", "a\nb\nc\n", " 1 1 a\n+. 2 b\n 2 3 c\n"},
		{"insert at end", "a\nb\n", "a\nb\nc\n", " 1 1 a\n 2 2 b\n+. 3 c\n"},
		{"delete", "a\nb\nc\n", "a\nc\n", " 1 1 a\n-2 . b\n 3 2 c\n"},
		{"replace", "a\nb\nc\n", "a\nB\nc\n", " 1 1 a\n-2 . b\n+. 2 B\n 3 3 c\n"},
		{"replace two with three", "a\nb\nc\nd\n", "a\nx\ny\nz\nd\n", " 1 1 a\n-2 . b\n-3 . c\n+. 2 x\n+. 3 y\n+. 4 z\n 4 5 d\n"},
		{"CRLF against LF", "a\r\nb\r\nc\r\n", "a\nb\nc\n", " 1 1 a\n 2 2 b\n 3 3 c\n"},
		{"CRLF with a change", "a\r\nb\r\nc", "a\nB\nc\n", " 1 1 a\n-2 . b\n+. 2 B\n 3 3 c\n"},
		{"no trailing newline, same text", "a\nb", "a\nb\n", " 1 1 a\n 2 2 b\n"},
		{"no trailing newline, last line changed", "a\nb", "a\nc", " 1 1 a\n-2 . b\n+. 2 c\n"},
		{"no trailing newline, line added", "a", "a\nb", " 1 1 a\n+. 2 b\n"},
		{"blank lines", "a\n\nb\n", "a\nb\n", " 1 1 a\n-2 . \n 3 2 b\n"},
		{"a blank line at the end counts", "a\n", "a\n\n", " 1 1 a\n+. 2 \n"},
		{"Cyrillic", "Москва\nСобытия дня\nКонец\n", "Москва\nСобытия недели\nКонец\n",
			" 1 1 Москва\n-2 . События дня\n+. 2 События недели\n 3 3 Конец\n"},
		{"repeated lines", "x\nx\nx\n", "x\nx\n", " 1 1 x\n 2 2 x\n-3 . x\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lines := Lines(tc.a, tc.b)
			if got := show(lines); got != tc.want {
				t.Errorf("Lines(%q, %q):\n%s\nwant:\n%s", tc.a, tc.b, got, tc.want)
			}
			if Changed(lines) != (strings.ContainsAny(tc.want, "+-")) {
				t.Errorf("Changed = %v", Changed(lines))
			}
		})
	}
}

func TestLargeBody(t *testing.T) {
	var a strings.Builder
	for i := 1; a.Len() < 200_000; i++ {
		fmt.Fprintf(&a, "Абзац %d: the quick brown fox jumps over the lazy dog, снова и снова.\n", i)
	}
	old := a.String()
	n := strings.Count(old, "\n")
	target := n / 2
	oldLine := fmt.Sprintf("Абзац %d: the quick brown fox jumps over the lazy dog, снова и снова.", target)
	newLine := fmt.Sprintf("Абзац %d: the quick red fox jumps over the lazy dog, снова и снова.", target)
	changed := strings.Replace(old, oldLine+"\n", newLine+"\n", 1)
	if changed == old {
		t.Fatal("the test did not change a line")
	}

	lines := Lines(old, changed)
	if len(lines) != n+1 {
		t.Fatalf("%d lines, want %d (%d equal, one deleted, one inserted)", len(lines), n+1, n-1)
	}
	hunks := Hunks(lines, 3)
	if len(hunks) != 1 {
		t.Fatalf("%d hunks, want 1", len(hunks))
	}
	h := hunks[0]
	if h.Skipped != target-1-3 || len(h.Lines) != 8 {
		t.Fatalf("hunk skips %d and holds %d lines, want %d and 8", h.Skipped, len(h.Lines), target-4)
	}
	for i, l := range h.Lines {
		switch {
		case i < 3 || i > 4:
			if l.Op != Equal {
				t.Errorf("context line %d is %v", i, l.Op)
			}
		case i == 3:
			if l.Op != Delete || l.Text != oldLine || l.Old != target || l.New != 0 {
				t.Errorf("line 3 is %+v, want the deleted line %d", l, target)
			}
		case i == 4:
			if l.Op != Insert || l.Text != newLine || l.New != target || l.Old != 0 {
				t.Errorf("line 4 is %+v, want the inserted line %d", l, target)
			}
		}
	}
	if first := h.Lines[0]; first.Old != target-3 || first.New != target-3 {
		t.Errorf("the hunk starts at %d/%d, want %d", first.Old, first.New, target-3)
	}
	if side(lines, Insert) != old || side(lines, Delete) != changed {
		t.Error("the lines do not give back the texts")
	}
	o, nw := Words(oldLine, newLine)
	if changedText(o) != "brown" || changedText(nw) != "red" {
		t.Errorf("Words marks %q → %q, want brown → red", changedText(o), changedText(nw))
	}
}

func changedText(s []Span) string {
	var parts []string
	for _, sp := range s {
		if sp.Changed {
			parts = append(parts, sp.Text)
		}
	}
	return strings.Join(parts, "|")
}

// numbered makes a text of lines "1".."n".
func numbered(n int) string {
	var sb strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&sb, "%d\n", i)
	}
	return sb.String()
}

func TestHunks(t *testing.T) {
	a := numbered(30)
	// Change lines 5, 12 and 14 and delete 28.
	b := strings.NewReplacer("\n5\n", "\nfive\n", "\n12\n", "\ntwelve\n", "\n14\n", "\nfourteen\n", "\n28\n", "\n").Replace(a)
	lines := Lines(a, b)

	type want struct {
		skipped, n  int
		first, last string
	}
	check := func(context int, ws []want) {
		t.Helper()
		hs := Hunks(lines, context)
		if len(hs) != len(ws) {
			for _, h := range hs {
				t.Logf("skipped %d:\n%s", h.Skipped, show(h.Lines))
			}
			t.Fatalf("context %d: %d hunks, want %d", context, len(hs), len(ws))
		}
		total := 0
		for i, h := range hs {
			w := ws[i]
			if h.Skipped != w.skipped || len(h.Lines) != w.n || h.Lines[0].Text != w.first || h.Lines[len(h.Lines)-1].Text != w.last {
				t.Errorf("context %d, hunk %d: skipped %d, %d lines %q…%q; want %d, %d, %q…%q", context, i,
					h.Skipped, len(h.Lines), h.Lines[0].Text, h.Lines[len(h.Lines)-1].Text, w.skipped, w.n, w.first, w.last)
			}
			total += h.Skipped + len(h.Lines)
		}
		if total > len(lines) {
			t.Errorf("context %d: hunks cover %d lines of %d", context, total, len(lines))
		}
	}
	// Lines: 1-4 =, -5 +five, 6-11 =, -12 +twelve, 13 =, -14 +fourteen, 15-27 =, -28, 29-30 =.
	check(0, []want{{4, 2, "5", "five"}, {6, 2, "12", "twelve"}, {1, 2, "14", "fourteen"}, {13, 1, "28", "28"}})
	check(2, []want{{2, 6, "3", "7"}, {2, 9, "10", "16"}, {9, 5, "26", "30"}})
	// Context 3: the gap 6–11 (6 lines) is at most 2×3, so the first two hunks merge.
	check(3, []want{{1, 19, "2", "17"}, {7, 6, "25", "30"}})
	check(100, []want{{0, len(lines), "1", "30"}})
	check(-1, []want{{4, 2, "5", "five"}, {6, 2, "12", "twelve"}, {1, 2, "14", "fourteen"}, {13, 1, "28", "28"}})

	if hs := Hunks(Lines(a, a), 3); hs != nil {
		t.Errorf("no changes gave %d hunks", len(hs))
	}
	if hs := Hunks(nil, 3); hs != nil {
		t.Errorf("no lines gave %d hunks", len(hs))
	}
	// A change at the very start and end: nothing skipped before the first.
	hs := Hunks(Lines("a\nb\nc\n", "A\nb\nC\n"), 0)
	if len(hs) != 2 || hs[0].Skipped != 0 || hs[1].Skipped != 1 {
		t.Errorf("edge hunks: %+v", hs)
	}
}

func TestWords(t *testing.T) {
	for _, tc := range []struct {
		a, b, old, new string
	}{
		{"The quick brown fox", "The quick red fox", "brown", "red"},
		{"Пришёл новый день", "Пришёл старый день", "новый", "старый"},
		{"cat sat", "cut sat", "cat", "cut"},
		{"one two three", "one two three four", "", " four"},
		{"one two three", "two three", "one ", ""},
		{"same line", "same line", "", ""},
		{"Hello, world.", "Hello, world!", ".", "!"},
		{"the big old red car", "the small new blue car", "big old red", "small new blue"},
	} {
		old, nw := Words(tc.a, tc.b)
		if got := changedText(old); got != tc.old {
			t.Errorf("Words(%q, %q): old marks %q, want %q", tc.a, tc.b, got, tc.old)
		}
		if got := changedText(nw); got != tc.new {
			t.Errorf("Words(%q, %q): new marks %q, want %q", tc.a, tc.b, got, tc.new)
		}
		if joined(old) != tc.a || joined(nw) != tc.b {
			t.Errorf("Words(%q, %q): spans give %q and %q", tc.a, tc.b, joined(old), joined(nw))
		}
	}
	if o, n := Words("", ""); o != nil || n != nil {
		t.Errorf("Words of empty strings: %v, %v", o, n)
	}
}

func joined(s []Span) string {
	var sb strings.Builder
	for _, sp := range s {
		sb.WriteString(sp.Text)
	}
	return sb.String()
}

// crlf is normalise's reading of line ends, for the fuzz target.
func crlf(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if s != "" && !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	return s
}

func FuzzLines(f *testing.F) {
	f.Add("a\nb\nc\n", "a\nc\nd\n")
	f.Add("", "x")
	f.Add("a\r\nb", "a\nb\n")
	f.Add("Москва\nдень\n", "Москва\nночь")
	f.Add("x\nx\nx\ny\n", "y\nx\nx\n")
	f.Add("\n\n\n", "\n")
	f.Add("a\r\r\nb\xff\n", "a\r\n\xffb")
	f.Fuzz(func(t *testing.T, a, b string) {
		lines := Lines(a, b)
		if got := side(lines, Insert); got != crlf(a) {
			t.Fatalf("Equal+Delete give %q, want %q", got, crlf(a))
		}
		if got := side(lines, Delete); got != crlf(b) {
			t.Fatalf("Equal+Insert give %q, want %q", got, crlf(b))
		}
		oldN, newN := 0, 0
		for i, l := range lines {
			if strings.Contains(l.Text, "\n") {
				t.Fatalf("line %d holds a newline", i)
			}
			wantOld, wantNew := 0, 0
			if l.Op != Insert {
				oldN++
				wantOld = oldN
			}
			if l.Op != Delete {
				newN++
				wantNew = newN
			}
			if l.Old != wantOld || l.New != wantNew {
				t.Fatalf("line %d %+v: numbers want %d/%d", i, l, wantOld, wantNew)
			}
			if l.Op == Insert && i+1 < len(lines) && lines[i+1].Op == Delete {
				t.Fatalf("line %d: an Insert before a Delete", i)
			}
		}
		if Changed(lines) != (crlf(a) != crlf(b)) {
			t.Fatalf("Changed = %v", Changed(lines))
		}
		// Hunks cover every change once, in order, without overlap.
		for _, ctx := range []int{0, 1, 3} {
			pos, changes := 0, 0
			for _, h := range Hunks(lines, ctx) {
				if h.Skipped < 0 || len(h.Lines) == 0 {
					t.Fatalf("context %d: bad hunk %+v", ctx, h)
				}
				for k := pos; k < pos+h.Skipped; k++ {
					if lines[k].Op != Equal {
						t.Fatalf("context %d: a skipped line is changed", ctx)
					}
				}
				pos += h.Skipped
				if pos+len(h.Lines) > len(lines) || &lines[pos] != &h.Lines[0] {
					t.Fatalf("context %d: hunk not where the skipped lines end", ctx)
				}
				for _, l := range h.Lines {
					if l.Op != Equal {
						changes++
					}
				}
				pos += len(h.Lines)
			}
			for k := pos; k < len(lines); k++ {
				if lines[k].Op != Equal {
					t.Fatalf("context %d: a change after the last hunk", ctx)
				}
			}
			want := 0
			for _, l := range lines {
				if l.Op != Equal {
					want++
				}
			}
			if changes != want {
				t.Fatalf("context %d: hunks hold %d changes, want %d", ctx, changes, want)
			}
		}
		// Words gives both texts back when it is applied to a pair of lines.
		la, _, _ := strings.Cut(a, "\n")
		lb, _, _ := strings.Cut(b, "\n")
		o, n := Words(la, lb)
		if joined(o) != la || joined(n) != lb {
			t.Fatalf("Words(%q, %q) gives %q, %q", la, lb, joined(o), joined(n))
		}
		for _, sp := range append(o, n...) {
			if sp.Text == "" {
				t.Fatalf("Words(%q, %q): an empty span", la, lb)
			}
		}
	})
}
