package moderation

import (
	"testing"

	"tamizdat/internal/news"
)

func mustRules(t *testing.T, text string) *Rules {
	t.Helper()
	parsed, err := news.ParseCommentRules(text)
	if err != nil {
		t.Fatal(err)
	}
	rules, err := CompileRules(parsed)
	if err != nil {
		t.Fatal(err)
	}
	return rules
}

func TestRulesMatch(t *testing.T) {
	rules := mustRules(t, `# the desk's rules
hold: casino
hold: ass
reject: buy cheap pills
hold: сделай ставку
reject: /bet\d+\.(com|net)/
hold: /(^|\PL)ставк[аи]($|\PL)/
reject: casino royale
hold: ЁЛКА
hold: сям'я
`)
	for _, tc := range []struct {
		text string
		want news.RuleAction
		line int
	}{
		{"A perfectly fine comment.", "", 0},
		{"Best casino in town", news.RuleHold, 2},
		{"Best CASINO in town", news.RuleHold, 2},
		{"Best сasino in town", news.RuleHold, 2},       // Cyrillic с
		{"Best ca\u200bsino in town", news.RuleHold, 2}, // zero-width space
		{"Best ｃａｓｉｎｏ in town", news.RuleHold, 2},       // full width
		{"casinos are not casino", news.RuleHold, 2},    // the second word
		{"casinos everywhere", "", 0},                   // whole words only
		{"a class act", "", 0},                          // "ass" is not in "class"
		{"what an ass!", news.RuleHold, 3},              // but is a word of its own
		{"Buy cheap pills now", news.RuleReject, 4},     // a phrase
		{"buy, cheap... PILLS", news.RuleReject, 4},     // punctuation between its words
		{"buy cheap, effective pills", "", 0},           // not in a row
		{"Сделай ставку сегодня", news.RuleHold, 5},     // Cyrillic phrase
		{"Cдeлaй cтaвку", news.RuleHold, 5},             // with Latin look-alikes
		{"Go to bet365.com", news.RuleReject, 6},        // a regexp
		{"Go to BET365.COM", news.RuleReject, 6},        // case-insensitive
		{"ставки на спорт", news.RuleHold, 7},           // a Cyrillic whole-word regexp
		{"заставка", "", 0},                             // not a whole word
		{"casino royale tonight", news.RuleReject, 8},   // reject beats an earlier hold
		{"casino, buy cheap pills", news.RuleReject, 4}, // the first reject decides
		{"ass at the casino", news.RuleHold, 2},         // the first hold decides
		{"ёлка и елка", news.RuleHold, 9},               // ё is е
		{"наша сям’я", news.RuleHold, 10},               // apostrophes fold alike
		{"Name\nand a body about the casino", news.RuleHold, 2},
	} {
		action, rule := rules.Match(tc.text)
		if action != tc.want {
			t.Errorf("Match(%q) = %q, want %q", tc.text, action, tc.want)
			continue
		}
		switch {
		case tc.want == "" && rule != nil:
			t.Errorf("Match(%q): rule %+v without an action", tc.text, rule)
		case tc.want != "" && (rule == nil || rule.Line != tc.line || rule.Action != action):
			t.Errorf("Match(%q): rule %+v, want the one on line %d", tc.text, rule, tc.line)
		}
	}

	var none *Rules
	if action, rule := none.Match("casino"); action != "" || rule != nil {
		t.Error("nil rules match")
	}
	if action, _ := mustRules(t, "").Match("casino"); action != "" {
		t.Error("no rules match")
	}
}

func TestCompileRulesErrors(t *testing.T) {
	for _, r := range []news.CommentRule{
		{Action: news.RuleHold, Pattern: "(", Regexp: true, Line: 3},
		{Action: news.RuleHold, Pattern: "!!!", Line: 3},
		{Action: "block", Pattern: "casino", Line: 3},
	} {
		if _, err := CompileRules([]news.CommentRule{r}); news.ErrorCode(err) != news.EINVALID {
			t.Errorf("CompileRules(%+v): %v", r, err)
		}
	}
}
