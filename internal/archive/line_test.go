package archive

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"testing"
	"unicode/utf8"

	"tamizdat/internal/store"
)

// lineTable has a column of every kind, nullable or not.
var lineTable = store.Table{Name: "t", Columns: []store.Column{
	{Name: "i", Kind: store.KindInt}, {Name: "s", Kind: store.KindText}, {Name: "b", Kind: store.KindBytes},
	{Name: "ni", Kind: store.KindInt, Null: true}, {Name: "ns", Kind: store.KindText, Null: true},
}}

// referenceRow decodes a line with encoding/json: slow, but the meaning of
// JSON the fast parser must match.
func referenceRow(t store.Table, line []byte) ([]any, error) {
	if !utf8.Valid(line) {
		return nil, errors.New("not valid UTF-8")
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(line, &raw); err != nil {
		return nil, err
	}
	if len(raw) != len(t.Columns) {
		return nil, errors.New("count")
	}
	row := make([]any, len(raw))
	for i, col := range t.Columns {
		r := raw[i]
		if string(r) == "null" {
			if !col.Null {
				return nil, errors.New("null")
			}
			continue
		}
		switch col.Kind {
		case store.KindInt:
			n, err := strconv.ParseInt(string(r), 10, 64)
			if err != nil {
				return nil, err
			}
			row[i] = n
		default:
			if r[0] != '"' {
				return nil, errors.New("not a string")
			}
			var s string
			if err := json.Unmarshal(r, &s); err != nil {
				return nil, err
			}
			row[i] = s
			if col.Kind == store.KindBytes {
				b, err := base64.StdEncoding.Strict().DecodeString(s)
				if err != nil {
					return nil, err
				}
				row[i] = b
			}
		}
	}
	return row, nil
}

func TestDecodeRow(t *testing.T) {
	good := map[string][]any{
		`[1,"a","AQI=",null,null]`:                          {int64(1), "a", []byte{1, 2}, nil, nil},
		` [ -0 , "" , "" , 9223372036854775807 , "x" ] `:    {int64(0), "", []byte{}, int64(9223372036854775807), "x"},
		`[-9223372036854775808,"\"\\\/\b\f\n\r\t","",0,""]`: {int64(-9223372036854775808), "\"\\/\b\f\n\r\t", []byte{}, int64(0), ""},
		`[1,"\u0041\u00e9\u20ac\ud83d\uddde","",null,"й"]`:  {int64(1), "Aé€🗞", []byte{}, nil, "й"},
		`[1,"\ud83d","",null,"\udddex\ud83dy"]`:             {int64(1), "\uFFFD", []byte{}, nil, "\uFFFDx\uFFFDy"},
		`[1,"\ud83d\u0041","",null,"<&>"]`:                  {int64(1), "\uFFFDA", []byte{}, nil, "<&>"},
	}
	for line, want := range good {
		got, err := decodeRow(lineTable, []byte(line))
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %#v, %v; want %#v", line, got, err, want)
		}
	}
	for _, line := range []string{
		``, `[`, `[]`, `[1]`, `[1,"a","",null,null,1]`, `[1,"a","",null,null]x`, `[1,"a","",null,null],`,
		`[01,"a","",null,null]`, `[1.0,"a","",null,null]`, `[1e3,"a","",null,null]`, `[9223372036854775808,"a","",null,null]`,
		`[-,"a","",null,null]`, `[null,"a","",null,null]`, `[1,null,"",null,null]`, `[1,"a","!",null,null]`,
		`[1,"a","AQ",null,null]`, `[1,"a\x",""` + `,null,null]`, `[1,"a` + "\t" + `","",null,null]`, `[1,"a","",nul,null]`,
		`[1,"a","",true,null]`, `[1,"a","",null,{}]`, `[1,"a","",null,"b]`, `[1,"\u12","",null,null]`, `[1,,"",null,null]`,
		"[1,\"\xff\",\"\",null,null]", `[1 2,"a","",null,null]`,
	} {
		if got, err := decodeRow(lineTable, []byte(line)); err == nil {
			t.Errorf("%s accepted: %#v", line, got)
		}
	}
}

// FuzzDecodeRow: the fast parser accepts exactly what encoding/json does,
// with the same values.
func FuzzDecodeRow(f *testing.F) {
	for _, s := range []string{`[1,"a","AQI=",null,null]`, `[-5,"\u00e9\ud83d\uddde\n","",7,"x"]`, `[0,"","",null,"\ud800"]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		got, err := decodeRow(lineTable, line)
		want, refErr := referenceRow(lineTable, line)
		if (err == nil) != (refErr == nil) {
			t.Fatalf("%q: parser says %v, encoding/json says %v", line, err, refErr)
		}
		if err == nil && !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: parser %#v, encoding/json %#v", line, got, want)
		}
	})
}
