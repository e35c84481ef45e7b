package moderation

import (
	"slices"
	"testing"
)

func TestFold(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"plain Russian", "Привет", "привет"},
		{"Latin p and e in a Russian word", "пpивeт", "привет"},
		{"Latin capitals in a Russian word", "ПPИBET", "привет"}, // P, B, E, T are Latin
		{"Cyrillic е in an English word", "hеllo", "hello"},
		{"Cyrillic capitals in an English word", "НЕLLO", "hello"},
		{"lower-case н looks like no Latin letter", "нello", "нello"},
		{"Cyrillic с in casino", "сasino", "casino"},
		{"all look-alikes, more Cyrillic", "cос", "сос"},
		{"a tie goes to Cyrillic", "cо", "со"},
		{"a tie goes to the text's script", "SEND IT TО ME", "send it to me"},         // Cyrillic О
		{"a tie goes to the text's script, Cyrillic", "ИДИ TО ДОМОЙ", "иди то домой"}, // Latin T
		{"words decide each for itself", "Купите сasino пpивeт", "купите casino привет"},
		{"full-width letters", "ＣＡＳＩＮＯ", "casino"},
		{"ligature", "ﬁne", "fine"},
		{"zero-width space and joiner inside a word", "ca\u200bsi\u200dno", "casino"},
		{"zero-width non-joiner and word joiner", "ка\u200cзи\u2060но", "казино"},
		{"bidi override", "\u202eonisac\u202c", "onisac"},
		{"bidi isolates and marks", "\u2066ca\u200esino\u2069", "casino"},
		{"soft hyphen", "ca\u00adsino", "casino"},
		{"variation selector", "❤\ufe0f", "❤"},
		{"Hangul filler of invisible names", "\u3164", ""},
		{"control characters", "ca\x00s\x07ino", "casino"},
		{"invalid UTF-8", "cas\xffino", "casino"},
		{"Belarusian ў", "Ўсход", "ўсход"},
		{"ў as у and a combining breve", "у\u0306сход", "ўсход"},
		{"ў as Latin y and a combining breve", "праy\u0306да", "праўда"},
		{"ў in a Łacinka word", "praўda", "praŭda"},
		{"Belarusian with a Latin i", "беларусi", "беларусі"},
		{"Ukrainian ї with a Latin ï", "Україïна", "україїна"},
		{"Belarusian і in an English word", "lіke", "like"},
		{"ё is е", "ЁЛКА ещё", "елка еще"},
		{"Latin ë in a Russian word", "ëлка", "елка"},
		{"ё with a doubled diaeresis", "ё\u0308лка", "елка"},
		{"ё with a diaeresis after another mark", "ё\u0316\u0308лка", "е\u0316лка"},
		{"case", "CaSiNo KaZiNo", "casino kazino"},
		{"German ß stays", "Straße", "straße"},
		{"Lithuanian letters stay", "Ačiū, Lietuva", "ačiū, lietuva"},
		{"white space", "  Hello \n\t\u00a0 World\u3000! ", "hello world !"},
		{"apostrophes", "сям’я сямʼя сям`я", "сям'я сям'я сям'я"},
		{"0 and 1 between Latin letters", "v1agra cas1no g00gle", "viagra casino google"},
		{"0 between Cyrillic letters, 1 kept", "к0т к1т", "кот к1т"},
		{"numbers stay", "win10 1st covid19 2024 h1n1", "win10 1st covid19 2024 hin1"},
		{"1 is i, not l", "he11o", "heiio"},
		{"Greek stays", "ΑΘΗΝΑ", "αθηνα"},
		{"Macedonian dze in an English word", "ѕpam", "spam"},
		{"NFKC of ŉ", "ŉ", "'n"},
	} {
		got := Fold(tc.in)
		if got != tc.want {
			t.Errorf("%s: Fold(%q) = %q, want %q", tc.name, tc.in, got, tc.want)
		}
		if again := Fold(got); again != got {
			t.Errorf("%s: Fold(%q) = %q, folded again %q", tc.name, tc.in, got, again)
		}
	}
}

func TestWords(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"!!! ...", nil},
		{"hello, world!", []string{"hello", "world"}},
		{"сям'я і ўсё", []string{"сям", "я", "і", "ўсё"}},
		{"e-mail 2024г.", []string{"e", "mail", "2024г"}},
		{"d\u0301ž", []string{"d\u0301ž"}}, // marks belong to their word
	} {
		if got := Words(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("Words(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestDuplicateKey(t *testing.T) {
	same := [][]string{
		{"Hello, world!!", "hello world", "hеllo   wоrld", "HELLO—WORLD", "¡Hello\u200b world!"},
		{"Слава Украине!", "слава украине", "Cлава Украинe", "СЛАВА,УКРАИНЕ..."},
		{"Жыве Беларусь!", "жыве беларусь", "Жыве Беларусь 🙂"},
		{"ещё", "еще"},
	}
	for _, group := range same {
		for _, s := range group[1:] {
			if DuplicateKey(s) != DuplicateKey(group[0]) {
				t.Errorf("DuplicateKey(%q) = %q, DuplicateKey(%q) = %q", s, DuplicateKey(s), group[0], DuplicateKey(group[0]))
			}
		}
	}
	for _, pair := range [][2]string{
		{"hello world", "hello word"},
		{"2024", "2025"},
		{"привет", "привед"},
		{"у", "ў"},
		{"и", "й"},
	} {
		if DuplicateKey(pair[0]) == DuplicateKey(pair[1]) {
			t.Errorf("%q and %q share the key %q", pair[0], pair[1], DuplicateKey(pair[0]))
		}
	}
	if got := DuplicateKey("Hello, world!!"); got != "helloworld" {
		t.Errorf("key %q", got)
	}
	if got := DuplicateKey("!!! 🙂 ..."); got != "" {
		t.Errorf("a text without words has the key %q", got)
	}
}
