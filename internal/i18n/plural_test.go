package i18n

import (
	"math"
	"strconv"
	"testing"
)

func TestN(t *testing.T) {
	tests := []struct {
		lang, key string
		n         int
		want      string
	}{
		{"ru", "comments", 0, "0 комментариев"},
		{"ru", "comments", 1, "1 комментарий"},
		{"ru", "comments", 2, "2 комментария"},
		{"ru", "comments", 4, "4 комментария"},
		{"ru", "comments", 5, "5 комментариев"},
		{"ru", "comments", 11, "11 комментариев"},
		{"ru", "comments", 12, "12 комментариев"},
		{"ru", "comments", 14, "14 комментариев"},
		{"ru", "comments", 21, "21 комментарий"},
		{"ru", "comments", 22, "22 комментария"},
		{"ru", "comments", 25, "25 комментариев"},
		{"ru", "comments", 101, "101 комментарий"},
		{"ru", "comments", 111, "111 комментариев"},
		{"ru", "comments", 112, "112 комментариев"},
		{"ru", "comments", 1004, "1004 комментария"},
		{"ru", "comments", -1, "-1 комментарий"},
		{"ru", "comments", -3, "-3 комментария"},

		{"ru", "articles", 0, "0 статей"},
		{"ru", "articles", 1, "1 статья"},
		{"ru", "articles", 2, "2 статьи"},
		{"ru", "articles", 4, "4 статьи"},
		{"ru", "articles", 5, "5 статей"},
		{"ru", "articles", 11, "11 статей"},
		{"ru", "articles", 12, "12 статей"},
		{"ru", "articles", 14, "14 статей"},
		{"ru", "articles", 21, "21 статья"},
		{"ru", "articles", 22, "22 статьи"},
		{"ru", "articles", 25, "25 статей"},
		{"ru", "articles", 101, "101 статья"},
		{"ru", "articles", 111, "111 статей"},

		{"be", "comments", 0, "0 каментароў"},
		{"be", "comments", 1, "1 каментар"},
		{"be", "comments", 2, "2 каментары"},
		{"be", "comments", 4, "4 каментары"},
		{"be", "comments", 5, "5 каментароў"},
		{"be", "comments", 11, "11 каментароў"},
		{"be", "comments", 12, "12 каментароў"},
		{"be", "comments", 14, "14 каментароў"},
		{"be", "comments", 21, "21 каментар"},
		{"be", "comments", 22, "22 каментары"},
		{"be", "comments", 25, "25 каментароў"},
		{"be", "comments", 101, "101 каментар"},
		{"be", "comments", 111, "111 каментароў"},

		{"be", "articles", 0, "0 артыкулаў"},
		{"be", "articles", 1, "1 артыкул"},
		{"be", "articles", 2, "2 артыкулы"},
		{"be", "articles", 4, "4 артыкулы"},
		{"be", "articles", 5, "5 артыкулаў"},
		{"be", "articles", 11, "11 артыкулаў"},
		{"be", "articles", 12, "12 артыкулаў"},
		{"be", "articles", 14, "14 артыкулаў"},
		{"be", "articles", 21, "21 артыкул"},
		{"be", "articles", 22, "22 артыкулы"},
		{"be", "articles", 25, "25 артыкулаў"},
		{"be", "articles", 101, "101 артыкул"},
		{"be", "articles", 111, "111 артыкулаў"},

		{"en", "comments", 0, "0 comments"},
		{"en", "comments", 1, "1 comment"},
		{"en", "comments", 2, "2 comments"},
		{"en", "comments", 12, "12 comments"},
		{"en", "comments", 21, "21 comments"},
		{"en", "comments", -1, "-1 comment"},
		{"en", "articles", 1, "1 article"},
		{"en", "articles", 11, "11 articles"},

		// An edition without a catalogue counts in English; an unknown key
		// still shows the number.
		{"uk", "comments", 3, "3 comments"},
		{"ru", "no_such_key", 3, "3 no_such_key"},
	}
	for _, tt := range tests {
		if got := N(tt.lang, tt.key, tt.n); got != tt.want {
			t.Errorf("N(%q, %q, %d) = %q, want %q", tt.lang, tt.key, tt.n, got, tt.want)
		}
	}
}

func TestNExtremes(t *testing.T) {
	// math.MinInt has no positive counterpart; it must not panic or index
	// outside the forms.
	for _, lang := range Langs {
		for _, n := range []int{math.MinInt, math.MaxInt} {
			got := N(lang, "comments", n)
			if want := strconv.Itoa(n) + " "; len(got) <= len(want) || got[:len(want)] != want {
				t.Errorf("N(%q, comments, %d) = %q", lang, n, got)
			}
		}
	}
}
