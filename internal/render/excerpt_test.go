package render

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestExcerpt(t *testing.T) {
	tests := []struct {
		name string
		src  string
		n    int
		want string
	}{
		{"short text is whole", "Привет, *мир*!", 50, "Привет, мир!"},
		{"exactly n runes is not cut", "Свобода слова", 13, "Свобода слова"},
		// 41 runes but 77 bytes: a byte count would cut far earlier.
		{"cyrillic cut at a word boundary", "Журналисты в изгнании продолжают работать", 20, "Журналисты в…"},
		{"cut right before a space keeps the word", "Один два три четыре", 9, "Один два…"},
		{"trailing comma dropped before the ellipsis", "Один, два, три", 6, "Один…"},
		{"single long word is hard cut", "Антиконституционность", 10, "Антиконст…"},
		{"n of one", "Длинный текст", 1, "…"},
		{"n of zero", "Текст", 0, ""},
		{"negative n", "Текст", -5, ""},
		{"empty source", "", 10, ""},
		{"whitespace collapsed", "а\n\n   б\tв  \n  г", 50, "а б в г"},
		{"markup removed", "# Заголовок\n\n**жирный** [ссылка](https://example.org) `код` <b>html</b>", 80,
			"Заголовок жирный ссылка код html"},
		{"code blocks and images skipped", "Текст\n\n```\nкод\n```\n\n![фото](/a.jpg)\n\nконец", 80, "Текст конец"},
		{"entities and escapes resolved", `AT&amp;T \*звезда\*`, 80, "AT&T *звезда*"},
		{"html comment skipped", "до <!-- тайна --> после", 80, "до после"},
		{"a static page has no turns", "- Вопрос?\n\n– Ответ.", 80, "Вопрос? – Ответ."},
		{"refused link keeps its text", "[жми](javascript:alert(1)) здесь", 80, "жми здесь"},
		{"table cells separated", "| а | б |\n|---|---|\n| 1 | 2 |", 80, "а б 1 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Excerpt(tt.src, tt.n)
			if got != tt.want {
				t.Errorf("Excerpt(%q, %d) = %q, want %q", tt.src, tt.n, got, tt.want)
			}
			if c := utf8.RuneCountInString(got); c > max(tt.n, 0) {
				t.Errorf("Excerpt(%q, %d) has %d runes", tt.src, tt.n, c)
			}
		})
	}
}

func TestArticleExcerpt(t *testing.T) {
	tests := []struct {
		name string
		src  string
		o    Options
		want string
	}{
		{"interview turns keep their dash", "- Вопрос?\n\n– Ответ.", Options{Interview: true}, "— Вопрос? — Ответ."},
		{"a hyphen list is no turn outside an interview", "- яблоки\n- груши", Options{}, "яблоки груши"},
		{"dashes as typed outside an interview", "- яблоки\n\n– Ответ.", Options{}, "яблоки – Ответ."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ArticleExcerpt(tt.src, 80, tt.o); got != tt.want {
				t.Errorf("ArticleExcerpt(%q, 80, %+v) = %q, want %q", tt.src, tt.o, got, tt.want)
			}
		})
	}
}

func TestExcerptLongArticle(t *testing.T) {
	src := interviewArticle()
	for _, n := range []int{1, 2, 5, 40, 160, 300} {
		got := Excerpt(src, n)
		if c := utf8.RuneCountInString(got); c > n {
			t.Errorf("Excerpt(article, %d) has %d runes: %q", n, c, got)
		}
		if n > 1 && !strings.HasSuffix(got, "…") {
			t.Errorf("Excerpt(article, %d) = %q, want it cut with an ellipsis", n, got)
		}
	}
	if got := Excerpt(src, 160); !strings.HasPrefix(got, "Интервью") {
		t.Errorf("Excerpt(article, 160) = %q, want the article's opening words", got)
	}
}
