package moderation

import (
	"slices"
	"strings"
	"testing"
)

// The shingles are stored: their values must not change between versions.
func TestShinglesStable(t *testing.T) {
	if got := Shingles("Hello, World!"); !slices.Equal(got, []uint64{0x779a65e7023cd2e7}) { // FNV-1a 64 of "hello world"
		t.Errorf("Shingles(short) = %#x", got)
	}
	got := Shingles("a b c d a b c")
	if len(got) != 4 || !slices.IsSorted(got) { // "a b c", "b c d", "c d a", "d a b"; "a b c" once
		t.Errorf("Shingles = %#x, want 4 sorted", got)
	}
	if Shingles("") != nil || Shingles(" !!! ") != nil {
		t.Error("shingles of a text without words")
	}
	if !slices.Equal(Shingles("пpивeт всем, друзья"), Shingles("Привет всем друзья!")) {
		t.Error("shingles are not taken over folded words")
	}
}

// thirty is a comment of 30 different words.
const thirty = "Власти снова задержали журналистов независимого издания в Минске утром после обыска " +
	"в редакции силовики изъяли компьютеры телефоны документы архив и личные вещи сотрудников " +
	"родственники до сих пор ничего не знают"

func TestSimilarity(t *testing.T) {
	if n := len(Words(thirty)); n != 30 {
		t.Fatalf("the text has %d words", n)
	}
	one := strings.Replace(thirty, "компьютеры", "ноутбуки", 1)
	first := strings.Join(strings.Fields(thirty)[:15], " ")
	second := strings.Join(strings.Fields(thirty)[15:], " ")
	for _, tc := range []struct {
		name     string
		a, b     string
		min, max float64
	}{
		{"identical", thirty, thirty, 1, 1},
		{"identical but for case, look-alikes and punctuation", thirty, strings.ToUpper(strings.ReplaceAll(thirty, "о", "o")) + "!!!", 1, 1},
		{"disjoint", thirty, "Completely unrelated English words about the weather in spring", 0, 0},
		{"one word changed in thirty", thirty, one, 0.8, 0.82},
		{"paragraphs swapped", first + "\n\n" + second, second + "\n\n" + first, 0.85, 0.87},
		{"a sentence added", thirty, thirty + " Позор режиму!", 0.9, 0.95},
		{"short and equal", "Спасибо!", "спасибо", 1, 1},
		{"short and different", "Спасибо!", "Благодарю!", 0, 0},
		{"two words, one changed", "good job", "great job", 0, 0},
		{"short against long", "снова задержали", thirty, 0, 0},
		{"empty", "", "", 0, 0},
		{"empty and not", "", thirty, 0, 0},
	} {
		a, b := Shingles(tc.a), Shingles(tc.b)
		got := Similarity(a, b)
		if got < tc.min || got > tc.max {
			t.Errorf("%s: similarity %.3f, want %.2f to %.2f", tc.name, got, tc.min, tc.max)
		}
		if back := Similarity(b, a); back != got {
			t.Errorf("%s: similarity %.3f one way, %.3f the other", tc.name, got, back)
		}
	}
	// Input from storage is not trusted to be sorted.
	if got := Similarity([]uint64{3, 1, 2, 2}, []uint64{1, 2, 3}); got != 1 {
		t.Errorf("unsorted: %v", got)
	}
	if got := Similarity([]uint64{1, 2}, []uint64{2, 3}); got != 1.0/3 {
		t.Errorf("Similarity({1,2},{2,3}) = %v", got)
	}
}

func TestCountLinks(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
	}{
		{"", 0},
		{"no links here, just text.", 0},
		{"see https://example.org/a?b=c", 1},
		{"HTTP://EXAMPLE.ORG and Https://x.y", 2},
		{"www.example.org", 1},
		{"Go to WWW.example.org now", 1},
		{"https://www.example.org is one link", 1},
		{"http://a.example http://b.example\nhttp://c.example", 3},
		{"example.com and т.к. and e.g. are not links", 0},
		{"awww... so cute", 0},
		{"www. at the end of a sentence www.", 0},
		{"h t t p s : / / example.org", 1},
		{"h.t.t.p://example.org", 1},
		{"hxxp://bad.example and hxxps://bad.example", 2},
		{"HXXPS[:]//bad.example", 1},
		{"https(:)//bad.example", 1},
		{"www[.]bad.example and www(.)bad.example", 2},
		{"ｈｔｔｐｓ：／／example.org", 1},
		{"ht\u200btps://example.org", 1},
		{"httр://example.org", 1}, // Cyrillic р
		{"смотриhttps://example.org", 1},
		{"http without a colon and slashes", 0},
		{"mailto:a@example.org and ftp://example.org", 0},
	} {
		if got := CountLinks(tc.in); got != tc.want {
			t.Errorf("CountLinks(%q) = %d, want %d", tc.in, got, tc.want)
		}
	}
}
