package moderation

import (
	"regexp"

	"tamizdat/internal/news"
)

// Rules are the site's comment rules, compiled once for many comments.
type Rules struct {
	rules []compiledRule
}

type compiledRule struct {
	rule  news.CommentRule
	words []string       // a word or phrase rule: its folded words
	re    *regexp.Regexp // a regexp rule
}

// CompileRules prepares rules parsed by news.ParseCommentRules for Match.
// Rules that did not come from there may fail with an EINVALID error.
func CompileRules(rules []news.CommentRule) (*Rules, error) {
	rs := &Rules{rules: make([]compiledRule, 0, len(rules))}
	for _, r := range rules {
		if r.Action != news.RuleHold && r.Action != news.RuleReject {
			return nil, news.Errorf(news.EINVALID, "comment rules, line %d: unknown action %q", r.Line, r.Action)
		}
		c := compiledRule{rule: r}
		if r.Regexp {
			re, err := news.CompileRuleRegexp(r.Pattern)
			if err != nil {
				return nil, news.Errorf(news.EINVALID, "comment rules, line %d: the regexp does not compile: %v", r.Line, err)
			}
			c.re = re
		} else if c.words = Words(Fold(r.Pattern)); len(c.words) == 0 {
			return nil, news.Errorf(news.EINVALID, "comment rules, line %d: %q has no letters or digits", r.Line, r.Pattern)
		}
		rs.rules = append(rs.rules, c)
	}
	return rs, nil
}

// Match returns the strongest action of the rules that match text, reject
// beating hold, and the first rule of that action in the newsroom's order,
// or "" and nil when none matches. A word or phrase rule matches when its
// folded words appear in a row among the words of Fold(text): "ass" does not
// match "class", and "casino" matches "сasino" with a Cyrillic с. A regexp
// rule matches anywhere in Fold(text). The rule returned belongs to r and
// must not be changed.
func (r *Rules) Match(text string) (news.RuleAction, *news.CommentRule) {
	if r == nil || len(r.rules) == 0 {
		return "", nil
	}
	folded := Fold(text)
	words := Words(folded)
	at := make(map[string][]int, len(words)) // where each word is in the text
	for i, w := range words {
		at[w] = append(at[w], i)
	}
	var hold *news.CommentRule
	for i := range r.rules {
		c := &r.rules[i]
		if c.rule.Action == news.RuleHold && hold != nil {
			continue // only a reject can still change the answer
		}
		if !c.matches(folded, words, at) {
			continue
		}
		if c.rule.Action == news.RuleReject {
			return news.RuleReject, &c.rule
		}
		hold = &c.rule
	}
	if hold != nil {
		return news.RuleHold, hold
	}
	return "", nil
}

func (c *compiledRule) matches(folded string, words []string, at map[string][]int) bool {
	if c.re != nil {
		return c.re.MatchString(folded)
	}
next:
	for _, i := range at[c.words[0]] {
		if i+len(c.words) > len(words) {
			break // positions only grow
		}
		for k, w := range c.words[1:] {
			if words[i+1+k] != w {
				continue next
			}
		}
		return true
	}
	return false
}
