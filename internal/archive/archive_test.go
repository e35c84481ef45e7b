package archive_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"tamizdat/internal/archive"
	"tamizdat/internal/signing"
	"tamizdat/internal/store"
)

const schema = 7

var want = archive.Want{SchemaVersion: schema, Tables: store.Tables}

// fixture is a small site shaped like store.Tables: a few rows per table,
// with NULLs, bytes and text that JSON must escape.
func fixture() map[string][][]any {
	texts := []string{"plain", "Кірыліца і «лапкі»", "<b>&amp;</b> \"quoted\"\nnew line\ttab \\ back", "", "emoji 🗞️ \u2028 sep"}
	data := map[string][][]any{}
	for _, t := range store.Tables {
		n := 3
		if t.Name == "images" {
			n = 0 // an empty table is a table too
		}
		for r := range n {
			row := make([]any, len(t.Columns))
			for i, c := range t.Columns {
				switch {
				case c.Null && r == 1:
					row[i] = nil
				case c.Kind == store.KindInt:
					row[i] = int64(r+1)*int64(1_700_000_000_000_000) + int64(i)
					if c.Name == "id" {
						row[i] = int64(r + 1)
					}
				case c.Kind == store.KindText:
					row[i] = texts[(r+i)%len(texts)]
				case c.Kind == store.KindBytes:
					row[i] = []byte{0, 1, 2, 0xfe, 0xff, byte(r)}
				}
			}
			data[t.Name] = append(data[t.Name], row)
		}
	}
	return data
}

func dumpOf(data map[string][][]any) func(store.TableFunc) error {
	return func(fn store.TableFunc) error {
		for _, t := range store.Tables {
			rows := data[t.Name]
			seq := func(yield func([]any, error) bool) {
				for _, r := range rows {
					if !yield(r, nil) {
						return
					}
				}
			}
			if err := fn(t, int64(len(rows)), seq); err != nil {
				return err
			}
		}
		return nil
	}
}

func build(t testing.TB, data map[string][][]any) []byte {
	t.Helper()
	var buf bytes.Buffer
	info := archive.Info{SchemaVersion: schema, Engine: "test", CreatedAt: time.Date(2026, 2, 2, 13, 47, 0, 0, time.UTC)}
	if _, err := archive.Write(&buf, t.TempDir(), info, dumpOf(data)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// readAll reads an archive and collects its rows.
func readAll(b []byte) (*archive.Manifest, map[string][][]any, error) {
	got := map[string][][]any{}
	m, err := archive.Read(bytes.NewReader(b), want, func(t store.Table, count int64, rows store.Rows) error {
		got[t.Name] = [][]any{}
		for row, err := range rows {
			if err != nil {
				return err
			}
			got[t.Name] = append(got[t.Name], row)
		}
		return nil
	})
	return m, got, err
}

func TestRoundTrip(t *testing.T) {
	data := fixture()
	b := build(t, data)
	m, got, err := readAll(b)
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range store.Tables {
		w := data[tb.Name]
		if w == nil {
			w = [][]any{}
		}
		if !reflect.DeepEqual(got[tb.Name], w) {
			t.Errorf("%s: read back\n%v\nwant\n%v", tb.Name, got[tb.Name], w)
		}
	}
	if m.SchemaVersion != schema || m.Engine != "test" || len(m.Tables) != len(store.Tables) || m.TotalRows() != int64(3*(len(store.Tables)-1)) {
		t.Errorf("manifest %+v", m)
	}
	// A check alone reads it all and accepts it.
	if _, err := archive.Read(bytes.NewReader(b), want, nil); err != nil {
		t.Fatal(err)
	}
	// Text is readable in the file: not escaped for HTML.
	files := unpack(t, b)
	if files[0].name != archive.ManifestName {
		t.Errorf("first entry %s", files[0].name)
	}
	if !bytes.Contains(find(files, "settings.jsonl"), []byte(`"<b>&amp;</b> \"quoted\"\nnew line\ttab \\ back"`)) {
		t.Errorf("settings.jsonl:\n%s", find(files, "settings.jsonl"))
	}
	if !bytes.Contains(find(files, "api_tokens.jsonl"), []byte(`"AAEC/v8A"`)) {
		t.Errorf("bytes are not base64 in api_tokens.jsonl:\n%s", find(files, "api_tokens.jsonl"))
	}
}

func TestAConsumerThatStopsEarlyStillGetsTheRestChecked(t *testing.T) {
	files := unpack(t, build(t, fixture()))
	corrupt(files, "comments.jsonl", func(b []byte) []byte { return bytes.Replace(b, []byte("\n"), []byte("\nx"), 2) })
	_, err := archive.Read(bytes.NewReader(pack(t, files)), want, func(t store.Table, _ int64, rows store.Rows) error {
		for range rows {
			break
		}
		return nil
	})
	if err == nil || !strings.Contains(err.Error(), "comments.jsonl") {
		t.Fatalf("err = %v", err)
	}
}

type file struct {
	name string
	data []byte
}

func unpack(t testing.TB, b []byte) []file {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	var files []file
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return files
		}
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(tr)
		files = append(files, file{h.Name, data})
	}
}

func pack(t testing.TB, files []file) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, f := range files {
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: f.name, Size: int64(len(f.data)), Mode: 0o644}); err != nil {
			t.Fatal(err)
		}
		tw.Write(f.data)
	}
	tw.Close()
	zw.Close()
	return buf.Bytes()
}

func find(files []file, name string) []byte {
	for _, f := range files {
		if f.name == name {
			return f.data
		}
	}
	return nil
}

func corrupt(files []file, name string, change func([]byte) []byte) {
	for i := range files {
		if files[i].name == name {
			files[i].data = change(bytes.Clone(files[i].data))
		}
	}
}

// editManifest changes the manifest, keeping it well-formed JSON.
func editManifest(t testing.TB, files []file, change func(m *archive.Manifest)) {
	var m archive.Manifest
	if err := json.Unmarshal(files[0].data, &m); err != nil {
		t.Fatal(err)
	}
	change(&m)
	files[0].data, _ = json.Marshal(m)
}

// index is the position of a table in store.Tables (and the manifest).
func index(name string) int {
	for i, t := range store.Tables {
		if t.Name == name {
			return i
		}
	}
	panic(name)
}

// belongs is the error for finding something else where the i-th file of
// the archive (the manifest is 0) should be.
func belongs(i int) string { return "where " + store.Tables[i-1].Name + ".jsonl belongs" }

func sum(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

func TestDamagedArchivesAreRefused(t *testing.T) {
	good := build(t, fixture())
	type damage struct {
		name string
		mk   func() []byte
		want string // words the error must hold
	}
	var cases []damage
	for _, at := range []int{0, 1, 9, 20, len(good) / 4, len(good) / 2, len(good) - 9, len(good) - 4, len(good) - 1} {
		cases = append(cases, damage{fmt.Sprintf("truncated at %d", at), func() []byte { return good[:at] }, ""})
	}
	edit := func(change func(files []file)) func() []byte {
		return func() []byte {
			files := unpack(t, good)
			change(files)
			return pack(t, files)
		}
	}
	cases = append(cases,
		damage{"a byte flipped in the compressed stream", func() []byte {
			b := bytes.Clone(good)
			b[len(b)/2] ^= 0x40
			return b
		}, "damaged"},
		damage{"a byte flipped inside a table file", edit(func(files []file) {
			corrupt(files, "articles.jsonl", func(b []byte) []byte { b[len(b)/2] ^= 0x01; return b })
		}), "articles.jsonl"},
		damage{"a line altered, checksum not recomputed", edit(func(files []file) {
			corrupt(files, "settings.jsonl", func(b []byte) []byte { return bytes.Replace(b, []byte("plain"), []byte("PLAIN"), 1) })
		}), "settings.jsonl does not match its checksum"},
		damage{"a line removed", edit(func(files []file) {
			corrupt(files, "pages.jsonl", func(b []byte) []byte { _, after, _ := bytes.Cut(b, []byte("\n")); return after })
		}), "pages.jsonl"},
		damage{"a manifest that lies about counts", edit(func(files []file) {
			editManifest(t, files, func(m *archive.Manifest) { m.Tables[index("articles")].Rows++ })
		}), "manifest says articles.jsonl has 4 rows, the file has 3"},
		damage{"a line changed and its checksum recomputed, but not valid", edit(func(files []file) {
			corrupt(files, "comments.jsonl", func(b []byte) []byte { return bytes.Replace(b, []byte("[1,"), []byte(`["1",`), 1) })
			editManifest(t, files, func(m *archive.Manifest) { m.Tables[index("comments")].SHA256 = sum(find(files, "comments.jsonl")) })
		}), "comments.jsonl line 1: id: not an integer"},
		damage{"an extra file in the middle", func() []byte {
			files := unpack(t, good)
			return pack(t, append(files[:3:3], append([]file{{"extra.jsonl", []byte("[1]\n")}}, files[3:]...)...))
		}, `"extra.jsonl" ` + belongs(3)},
		damage{"an extra file at the end", func() []byte {
			return pack(t, append(unpack(t, good), file{"notes.txt", []byte("hello")}))
		}, `"notes.txt", which its manifest does not list`},
		damage{"a missing file", func() []byte {
			files := unpack(t, good)
			return pack(t, append(files[:3:3], files[4:]...))
		}, belongs(3)},
		damage{"the last file missing", func() []byte {
			files := unpack(t, good)
			return pack(t, files[:len(files)-1])
		}, store.Tables[len(store.Tables)-1].Name + ".jsonl is missing"},
		damage{"a file twice", func() []byte {
			files := unpack(t, good)
			return pack(t, append(files[:4:4], files[3:]...))
		}, belongs(4)},
		damage{"files out of order", func() []byte {
			files := unpack(t, good)
			files[1], files[2] = files[2], files[1]
			return pack(t, files)
		}, belongs(1)},
		damage{"no manifest", func() []byte { return pack(t, unpack(t, good)[1:]) }, "not a tamizdat archive"},
		damage{"manifest not first", func() []byte {
			files := unpack(t, good)
			files[0], files[1] = files[1], files[0]
			return pack(t, files)
		}, "not a tamizdat archive"},
		damage{"a manifest of another format", edit(func(files []file) {
			editManifest(t, files, func(m *archive.Manifest) { m.Format = "other" })
		}), "not a tamizdat archive"},
		damage{"a newer format version", edit(func(files []file) {
			editManifest(t, files, func(m *archive.Manifest) { m.FormatVersion = archive.FormatVersion + 1 })
		}), fmt.Sprintf("format version %d", archive.FormatVersion+1)},
		damage{"another schema version", edit(func(files []file) {
			editManifest(t, files, func(m *archive.Manifest) { m.SchemaVersion = schema + 1 })
		}), "schema version 8"},
		damage{"a column renamed", edit(func(files []file) {
			editManifest(t, files, func(m *archive.Manifest) { m.Tables[index("categories")].Columns[1].Name = "lang" })
		}), "other columns"},
		damage{"a manifest that is not JSON", edit(func(files []file) { files[0].data = []byte("{") }), "not a manifest"},
		damage{"a manifest with unknown fields", edit(func(files []file) {
			files[0].data = bytes.Replace(files[0].data, []byte(`"format"`), []byte(`"colour":"red","format"`), 1)
		}), "not a manifest"},
		damage{"not gzip at all", func() []byte { return []byte("PK\x03\x04 this is a zip, or something") }, "not gzip"},
		damage{"empty file", func() []byte { return nil }, "empty"},
		damage{"gzip of something else", func() []byte {
			var buf bytes.Buffer
			zw := gzip.NewWriter(&buf)
			zw.Write(bytes.Repeat([]byte("not a tar "), 100))
			zw.Close()
			return buf.Bytes()
		}, ""},
		damage{"data after the end", func() []byte {
			b := bytes.Clone(good)
			var buf bytes.Buffer
			zw := gzip.NewWriter(&buf)
			zw.Write([]byte("trailing"))
			zw.Close()
			return append(b, buf.Bytes()...)
		}, "after its end"},
		damage{"garbage after the gzip stream", func() []byte { return append(bytes.Clone(good), "garbage"...) }, "damaged"},
	)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := c.mk()
			for _, fn := range []store.TableFunc{nil, func(t store.Table, _ int64, rows store.Rows) error {
				for _, err := range rows {
					if err != nil {
						return err
					}
				}
				return nil
			}} {
				_, err := archive.Read(bytes.NewReader(b), want, fn)
				var ae *archive.Error
				if !errors.As(err, &ae) {
					t.Fatalf("err = %v (%T), want an *archive.Error", err, err)
				}
				if !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
					t.Errorf("err = %q, want one line with %q", err, c.want)
				}
			}
		})
	}
}

func TestAnErrorFromTheConsumerComesBackAsItIs(t *testing.T) {
	sentinel := errors.New("disk full")
	_, err := archive.Read(bytes.NewReader(build(t, fixture())), want, func(t store.Table, _ int64, rows store.Rows) error {
		if t.Name == "articles" {
			return sentinel
		}
		return nil
	})
	if err != sentinel {
		t.Fatalf("err = %v", err)
	}
}

func TestWriteRefusesRowsThatDoNotFitTheirColumns(t *testing.T) {
	data := fixture()
	data["users"][0][0] = "not an id"
	var buf bytes.Buffer
	_, err := archive.Write(&buf, t.TempDir(), archive.Info{SchemaVersion: schema}, dumpOf(data))
	if err == nil {
		t.Fatal("Write accepted a text id")
	}
	data = fixture()
	data["settings"][0][1] = "bad \xff utf-8"
	if _, err := archive.Write(&buf, t.TempDir(), archive.Info{SchemaVersion: schema}, dumpOf(data)); err == nil {
		t.Fatal("Write accepted invalid UTF-8")
	}
}

// FuzzRead: whatever the bytes, Read returns an error or a verified
// archive, never panics; what it accepts, written again, reads the same.
func FuzzRead(f *testing.F) {
	good := build(f, fixture())
	f.Add(good)
	f.Add(signedBuild(f, fixture(), fuzzKey))
	f.Add(good[:len(good)/2])
	f.Add(build(f, map[string][][]any{}))
	f.Add([]byte("not an archive"))
	f.Add([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) { checkRead(t, b) })
}

// FuzzReadTar fuzzes what is inside the gzip stream, where the fuzzer can
// reach the manifest and the lines without first defeating gzip's CRC.
func FuzzReadTar(f *testing.F) {
	good := build(f, fixture())
	zr, _ := gzip.NewReader(bytes.NewReader(good))
	inner, _ := io.ReadAll(zr)
	f.Add(inner)
	f.Add(inner[:len(inner)/3])
	zr, _ = gzip.NewReader(bytes.NewReader(signedBuild(f, fixture(), fuzzKey)))
	signed, _ := io.ReadAll(zr)
	f.Add(signed)
	f.Fuzz(func(t *testing.T, b []byte) {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(b)
		zw.Close()
		checkRead(t, buf.Bytes())
	})
}

// fuzzKey signs the fuzzers' seeds, so that they reach the check of a
// signature that may or may not match.
var fuzzKey = func() *signing.PrivateKey {
	k, err := signing.Generate()
	if err != nil {
		panic(err)
	}
	return k
}()

func checkRead(t *testing.T, b []byte) {
	// With the key, whatever is accepted was signed by it, and is accepted
	// without the key too.
	if m, err := archive.Read(bytes.NewReader(b), withKey(fuzzKey), nil); err == nil {
		if m.SignedBy != fuzzKey.Public().Fingerprint() {
			t.Fatalf("accepted with the key, signed by %q", m.SignedBy)
		}
		if _, err := archive.Read(bytes.NewReader(b), want, nil); err != nil {
			t.Fatalf("accepted with the key, refused without: %v", err)
		}
	} else if strings.Contains(err.Error(), "\n") {
		t.Fatalf("error of several lines: %q", err)
	}
	m, rows, err := readAll(b)
	if err != nil {
		var ae *archive.Error
		if !errors.As(err, &ae) {
			t.Fatalf("not an *archive.Error: %v (%T)", err, err)
		}
		if strings.Contains(err.Error(), "\n") {
			t.Fatalf("error of several lines: %q", err)
		}
		return
	}
	if _, err := archive.Read(bytes.NewReader(b), want, nil); err != nil {
		t.Fatalf("accepted with a consumer, refused without: %v", err)
	}
	for _, tf := range m.Tables {
		if int64(len(rows[tf.Name])) != tf.Rows {
			t.Fatalf("%s: %d rows, manifest %d", tf.Name, len(rows[tf.Name]), tf.Rows)
		}
	}
	again := build(t, rows)
	_, rows2, err := readAll(again)
	if err != nil {
		t.Fatalf("rewritten archive refused: %v", err)
	}
	if !reflect.DeepEqual(rows, rows2) {
		t.Fatal("rewritten archive reads differently")
	}
}

func signedBuild(t testing.TB, data map[string][][]any, key *signing.PrivateKey) []byte {
	t.Helper()
	var buf bytes.Buffer
	info := archive.Info{SchemaVersion: schema, Engine: "test", CreatedAt: time.Date(2026, 2, 2, 13, 47, 0, 0, time.UTC), Key: key}
	m, err := archive.Write(&buf, t.TempDir(), info, dumpOf(data))
	if err != nil {
		t.Fatal(err)
	}
	if m.SignedBy != key.Public().Fingerprint() {
		t.Fatalf("Write's manifest SignedBy %q", m.SignedBy)
	}
	return buf.Bytes()
}

func newKey(t testing.TB) *signing.PrivateKey {
	k, err := signing.Generate()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func withKey(k *signing.PrivateKey) archive.Want {
	w := want
	w.Key = k.Public()
	return w
}

func TestSignedArchives(t *testing.T) {
	key := newKey(t)
	data := fixture()
	good := signedBuild(t, data, key)
	files := unpack(t, good)
	if files[1].name != archive.SignatureName || !bytes.HasPrefix(files[1].data, []byte("-----BEGIN TAMIZDAT SIGNATURE-----")) {
		t.Fatalf("second entry %s: %q", files[1].name, files[1].data)
	}
	// With the key: accepted, rows and all.
	got := map[string]int{}
	m, err := archive.Read(bytes.NewReader(good), withKey(key), func(t store.Table, _ int64, rows store.Rows) error {
		for _, err := range rows {
			if err != nil {
				return err
			}
			got[t.Name]++
		}
		return nil
	})
	if err != nil || m.SignedBy != key.Public().Fingerprint() || got["articles"] != len(data["articles"]) {
		t.Fatalf("signed archive read with its key: %v, signed by %q, %d articles", err, m.SignedBy, got["articles"])
	}
	// Without a key: read, and said to be signed (unchecked).
	if m, err := archive.Read(bytes.NewReader(good), want, nil); err != nil || m.SignedBy != key.Public().Fingerprint() {
		t.Fatalf("signed archive read without a key: %v %+v", err, m)
	}
	// An unsigned archive says so.
	if m, err := archive.Read(bytes.NewReader(build(t, data)), want, nil); err != nil || m.SignedBy != "" {
		t.Fatalf("unsigned archive: %v %q", err, m.SignedBy)
	}
}

// usersTurnedAdmin is the attack: an author made admin in users.jsonl, the
// file's SHA-256 recomputed in the manifest, the archive packed again.
func usersTurnedAdmin(t testing.TB, files []file) {
	t.Helper()
	before := string(find(files, "users.jsonl"))
	corrupt(files, "users.jsonl", func(b []byte) []byte { return bytes.Replace(b, []byte("plain"), []byte("admin"), 1) })
	if string(find(files, "users.jsonl")) == before {
		t.Fatal("the attack changed nothing")
	}
	editManifest(t, files, func(m *archive.Manifest) { m.Tables[index("users")].SHA256 = sum(find(files, "users.jsonl")) })
}

func TestSignedArchivesThatAreRefused(t *testing.T) {
	key := newKey(t)
	good := signedBuild(t, fixture(), key)
	edit := func(change func(files []file) []file) []byte {
		files := unpack(t, good)
		return pack(t, change(files))
	}
	withoutSignature := func(files []file) []file { return append(files[:1:1], files[2:]...) }
	cases := []struct {
		name  string
		b     []byte
		key   *signing.PrivateKey
		words string
	}{
		{"unsigned", build(t, fixture()), key, "the archive is not signed"},
		{"another key", good, newKey(t), "signed by another key (fingerprint " + key.Public().Fingerprint()},
		{"a table altered, its checksum recomputed, the signature kept", edit(func(files []file) []file {
			usersTurnedAdmin(t, files)
			return files
		}), key, "the signature does not match"},
		{"a table altered, its checksum recomputed, the signature removed", edit(func(files []file) []file {
			usersTurnedAdmin(t, files)
			return withoutSignature(files)
		}), key, "the archive is not signed"},
		{"the manifest reformatted", edit(func(files []file) []file {
			files[0].data = bytes.ReplaceAll(files[0].data, []byte("\n  "), []byte("\n "))
			return files
		}), key, "the signature does not match"},
		{"signed by the attacker's key", edit(func(files []file) []file {
			usersTurnedAdmin(t, files)
			files[1].data = newKey(t).Sign(archive.SignaturePurpose, files[0].data).Marshal()
			return files
		}), key, "signed by another key"},
		{"the attacker's signature under the right fingerprint", edit(func(files []file) []file {
			usersTurnedAdmin(t, files)
			forged := newKey(t).Sign(archive.SignaturePurpose, files[0].data)
			forged.Key = key.Public().Fingerprint()
			files[1].data = forged.Marshal()
			return files
		}), key, "the signature does not match"},
		{"a signature made for something else", edit(func(files []file) []file {
			files[1].data = key.Sign("static-export", files[0].data).Marshal()
			return files
		}), key, "not for a backup-manifest"},
		{"the signature moved to the end", edit(func(files []file) []file {
			return append(withoutSignature(files), files[1])
		}), key, "the archive is not signed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			called := false
			_, err := archive.Read(bytes.NewReader(c.b), withKey(c.key), func(store.Table, int64, store.Rows) error {
				called = true
				return nil
			})
			var ae *archive.Error
			if !errors.As(err, &ae) || !strings.Contains(err.Error(), c.words) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("err = %v, want one line with %q", err, c.words)
			}
			if called {
				t.Error("rows were handed on before the signature was refused")
			}
		})
	}
	// Without a key, a damaged signature block is still damage.
	for name, sig := range map[string][]byte{
		"garbage":         []byte("not a signature"),
		"for another use": key.Sign("static-export", []byte("x")).Marshal(),
	} {
		files := unpack(t, good)
		files[1].data = sig
		if _, err := archive.Read(bytes.NewReader(pack(t, files)), want, nil); err == nil || !strings.Contains(err.Error(), "damaged") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

// Archives of format version 1, from before signatures, still restore; a
// signature in one is not where a table belongs.
func TestFormatVersion1(t *testing.T) {
	files := unpack(t, build(t, fixture()))
	editManifest(t, files, func(m *archive.Manifest) { m.FormatVersion = 1 })
	if _, _, err := readAll(pack(t, files)); err != nil {
		t.Fatalf("version 1: %v", err)
	}
	signed := unpack(t, signedBuild(t, fixture(), newKey(t)))
	editManifest(t, signed, func(m *archive.Manifest) { m.FormatVersion = 1 })
	if _, _, err := readAll(pack(t, signed)); err == nil || !strings.Contains(err.Error(), `"manifest.sig" where`) {
		t.Fatalf("version 1 with a signature: %v", err)
	}
}
