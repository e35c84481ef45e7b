package web

import (
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

var all = Of(Identity, Gzip, Brotli)

func TestNegotiate(t *testing.T) {
	for _, c := range []struct {
		accept  []string // nil: no field
		offered Encodings
		want    Encoding
		ok      bool
	}{
		{nil, all, Identity, true},
		{[]string{""}, all, Identity, true},
		{[]string{"gzip"}, all, Gzip, true},
		{[]string{"gzip, deflate, br, zstd"}, all, Brotli, true}, // a browser's
		{[]string{"gzip, deflate, br"}, Of(Identity, Gzip), Gzip, true},
		{[]string{"br;q=0.5, gzip;q=0.8"}, all, Gzip, true},   // q-values before preference
		{[]string{"br;q=0.8, gzip;q=0.8"}, all, Brotli, true}, // equal: br
		{[]string{"gzip;q=0, identity"}, all, Identity, true}, // refused
		{[]string{"identity;q=0"}, all, Identity, false},      // nothing left
		{[]string{"identity;q=0, gzip"}, all, Gzip, true},     // identity refused, gzip taken
		{[]string{"identity;q=0, gzip"}, Of(Identity), Identity, false},
		{[]string{"*"}, all, Brotli, true},
		{[]string{"*;q=0"}, all, Identity, false},
		{[]string{"*;q=0, identity"}, all, Identity, true},
		{[]string{"*;q=0.3, gzip;q=0.5"}, all, Gzip, true}, // br from *, below gzip
		{[]string{"*, br;q=0"}, all, Gzip, true},
		{[]string{"GZIP;Q=1.0"}, all, Gzip, true}, // case
		{[]string{"x-gzip"}, all, Gzip, true},
		{[]string{" gzip ; q = 0.5 ,\tbr;q=0.4"}, all, Gzip, true}, // white space
		{[]string{"br;q=2"}, all, Identity, true},                  // bad q: entry ignored
		{[]string{"br;q=0.5x, gzip;q=0.1"}, all, Gzip, true},
		{[]string{"br;q=1.001"}, all, Identity, true},
		{[]string{"br;level=5;q=0.5"}, all, Brotli, true},   // other parameters
		{[]string{"br;q=0", "gzip"}, all, Gzip, true},       // two lines
		{[]string{"gzip;q=0, gzip;q=0.5"}, all, Gzip, true}, // listed twice: the higher
		{[]string{"compress"}, all, Identity, true},         // unknown codings
		{[]string{"identity;q=0.5, gzip;q=0.4"}, all, Identity, true},
	} {
		got, ok := Negotiate(c.accept, c.offered)
		if got != c.want || ok != c.ok {
			t.Errorf("Negotiate(%q, %b) = %v, %v; want %v, %v", c.accept, c.offered, got, ok, c.want, c.ok)
		}
	}
}

var qvalue = regexp.MustCompile(`^(0(\.[0-9]{0,3})?|1(\.0{0,3})?)$`)

// negotiateSlowly is Negotiate written the plain way, with splits, a map
// and a regular expression, for the fuzz target to compare against.
func negotiateSlowly(accept []string, offered Encodings) (Encoding, bool) {
	q := map[string]int{}
	for _, line := range accept {
		for _, elem := range strings.Split(line, ",") {
			parts := strings.Split(elem, ";")
			coding := strings.ToLower(strings.Trim(parts[0], " \t"))
			if coding == "" {
				continue
			}
			w, valid := 1000, true
			for _, p := range parts[1:] {
				name, value, _ := strings.Cut(p, "=")
				if strings.ToLower(strings.Trim(name, " \t")) != "q" {
					continue
				}
				v := strings.Trim(value, " \t")
				if !qvalue.MatchString(v) {
					valid = false
					break
				}
				f, _ := strconv.ParseFloat(strings.TrimSuffix(v, "."), 64)
				w = int(math.Round(f * 1000))
				break
			}
			if !valid {
				continue
			}
			if coding == "x-gzip" {
				coding = "gzip"
			}
			if old, seen := q[coding]; !seen || w > old {
				q[coding] = w
			}
		}
	}
	star, starSeen := q["*"]
	weight := func(name string) int {
		if w, seen := q[name]; seen {
			return w
		}
		if name == "identity" {
			if starSeen && star == 0 {
				return 0
			}
			return 1
		}
		if starSeen {
			return star
		}
		return 0
	}
	best, bestQ := Identity, 0
	for _, c := range []struct {
		e    Encoding
		name string
	}{{Brotli, "br"}, {Gzip, "gzip"}, {Identity, "identity"}} {
		if w := weight(c.name); offered.Has(c.e) && w > bestQ {
			best, bestQ = c.e, w
		}
	}
	return best, bestQ > 0
}

// FuzzAcceptEncoding compares the parser of the hit path with the plain
// one, over two field lines and every set of offered encodings.
func FuzzAcceptEncoding(f *testing.F) {
	for _, s := range []string{
		"", "gzip", "gzip, deflate, br, zstd", "br;q=0.5, gzip;q=0.8", "identity;q=0", "*;q=0, identity",
		"*, br;q=0", "GZIP;Q=1.0", "x-gzip", " gzip ; q = 0.5 ,\tbr;q=0.4", "br;q=2", "br;q=1.", "br;q=0.",
		"br;q=1.000;q=0", ";q=0", ",,,", "gzip;q=", "gzip;=", "identity;q=0.001", "br;q=0.5x", "*;q=0.3,gzip;q=0.5",
	} {
		f.Add(s, "")
	}
	f.Add("br;q=0", "gzip")
	f.Fuzz(func(t *testing.T, a, b string) {
		accept := []string{a}
		if b != "" {
			accept = append(accept, b)
		}
		for _, offered := range []Encodings{Of(Identity), Of(Identity, Gzip), Of(Identity, Brotli), all} {
			got, ok := Negotiate(accept, offered)
			want, wantOK := negotiateSlowly(accept, offered)
			if got != want || ok != wantOK {
				t.Fatalf("Negotiate(%q, %b) = %v, %v; the plain way says %v, %v", accept, offered, got, ok, want, wantOK)
			}
			if !offered.Has(got) {
				t.Fatalf("Negotiate(%q, %b) chose %v, which is not offered", accept, offered, got)
			}
		}
	})
}

func TestNegotiateAllocatesNothing(t *testing.T) {
	accept := []string{"gzip, deflate, br;q=0.9, zstd, identity;q=0.1"}
	if n := testing.AllocsPerRun(100, func() { Negotiate(accept, all) }); n != 0 {
		t.Errorf("Negotiate allocates %v times", n)
	}
}

func TestNoneMatch(t *testing.T) {
	for _, c := range []struct {
		inm  string
		want bool
	}{
		{`"abc"`, true},
		{`"abc-gz"`, true},
		{`"abc-br"`, true},
		{`W/"abc-gz"`, true},
		{`"x", "abc"`, true},
		{`"x",W/"abc-br"`, true},
		{`*`, true},
		{`"abd"`, false},
		{`"abc-zz"`, false},
		{`abc`, false},
		{`"abc`, false},
		{`"a,b", "abc"`, true}, // a comma inside a tag
		{``, false},
	} {
		if got := NoneMatch([]string{c.inm}, "abc"); got != c.want {
			t.Errorf("NoneMatch(%q) = %v, want %v", c.inm, got, c.want)
		}
	}
}

func TestNotModified(t *testing.T) {
	mod := time.Date(2026, 2, 2, 10, 30, 15, 500e6, time.UTC)
	req := func(method string, h ...string) *http.Request {
		r, _ := http.NewRequest(method, "http://example.org/", nil)
		for i := 0; i < len(h); i += 2 {
			r.Header.Set(h[i], h[i+1])
		}
		return r
	}
	at := func(t time.Time) string { return t.Format(http.TimeFormat) }
	for _, c := range []struct {
		name string
		r    *http.Request
		mod  time.Time
		want bool
	}{
		{"tag", req("GET", "If-None-Match", `"abc-gz"`), mod, true},
		{"other tag", req("GET", "If-None-Match", `"abd"`), mod, false},
		{"tag wins over date", req("GET", "If-None-Match", `"abd"`, "If-Modified-Since", at(mod)), mod, false},
		{"same second", req("GET", "If-Modified-Since", at(mod)), mod, true},
		{"later", req("HEAD", "If-Modified-Since", at(mod.Add(time.Hour))), mod, true},
		{"earlier", req("GET", "If-Modified-Since", at(mod.Add(-time.Second))), mod, false},
		{"no date known", req("GET", "If-Modified-Since", at(mod)), time.Time{}, false},
		{"bad date", req("GET", "If-Modified-Since", "yesterday"), mod, false},
		{"POST", req("POST", "If-None-Match", `"abc"`), mod, false},
		{"nothing", req("GET"), mod, false},
	} {
		if got := NotModified(c.r, "abc", c.mod); got != c.want {
			t.Errorf("%s: NotModified = %v, want %v", c.name, got, c.want)
		}
	}
}
