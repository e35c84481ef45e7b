package comments_test

import (
	"bytes"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"
	"tamizdat/internal/testkit"
)

// TestNoTraceOfTheReaderAddress has one reader, on a loopback address of its
// own, do everything a reader can do with comments (post, reply, report,
// have comments held, rejected, marked as spam, approved, refused for
// speed, links or rate) and then looks for that address, in every form a
// program might write it, in every file of the data folder, in the
// server's stdout and stderr, and in every cell of every table: once while
// the server still runs and once after it stopped on SIGTERM.
func TestNoTraceOfTheReaderAddress(t *testing.T) {
	s := newServer(t, needBinary(t))
	s.run("--demo")
	token := s.demoToken()
	staff := readerClient("127.0.0.1")

	ip := pickReaderAddress(t, s)
	needles := addressForms(ip)
	t.Logf("the reader comes from %s; looking for %d forms of it", ip, len(needles))
	r := &readerRun{t: t, s: s, staff: staff, token: token, reader: readerClient(ip.String()), run: randomHex(4)}
	r.comment()

	t.Run("while serving", func(t *testing.T) {
		r.searchEverything(t, needles)
	})
	if err := s.terminate(30 * time.Second); err != nil {
		t.Fatal(err)
	}
	t.Run("after SIGTERM", func(t *testing.T) {
		r.searchEverything(t, needles)
	})
}

// pickReaderAddress returns 127.83.201.47, or a neighbour when the 4 bytes
// of that address happen to stand somewhere in the data already (the demo
// content has images, so random bytes) before the reader did anything: the
// search must only find what the reader's requests could have put there.
func pickReaderAddress(t *testing.T, s *server) netip.Addr {
	t.Helper()
	for last := 47; last < 60; last++ {
		ip := netip.AddrFrom4([4]byte{127, 83, 201, byte(last)})
		needLoopbackRange(t, ip.String())
		if found := searchFiles(t, s.data, addressForms(ip)); len(found) > 0 {
			t.Logf("%s is already in the data before any request from it (%s); taking another address", ip, found[0])
			continue
		}
		return ip
	}
	t.Fatal("every candidate reader address is already in the demo data")
	return netip.Addr{}
}

type needle struct {
	what string
	b    []byte
}

// addressForms are the ways a program may keep an IPv4 address.
func addressForms(ip netip.Addr) []needle {
	v4, v16 := ip.As4(), ip.As16() // As16 of an IPv4 address is ::ffff:a.b.c.d
	lower := hex.EncodeToString(v4[:])
	return []needle{
		{"the address as text", []byte(ip.String())},
		{"its 4 bytes", v4[:]},
		{"its 4 bytes, little-endian", []byte{v4[3], v4[2], v4[1], v4[0]}},
		{"its hex", []byte(lower)},
		{"its HEX", []byte(strings.ToUpper(lower))},
		{"its IPv4-mapped IPv6 16 bytes", v16[:]},
		{"its number in decimal", []byte(strconv.FormatUint(uint64(binary.BigEndian.Uint32(v4[:])), 10))},
	}
}

// lookFor returns where each needle occurs in hay, with the bytes around.
func lookFor(where string, hay []byte, needles []needle) []string {
	var found []string
	for _, n := range needles {
		if i := bytes.Index(hay, n.b); i >= 0 {
			around := hay[max(0, i-24):min(len(hay), i+len(n.b)+24)]
			found = append(found, fmt.Sprintf("%s: %s at byte %d, among %q", where, n.what, i, around))
		}
	}
	return found
}

// searchFiles looks through every regular file under dir.
func searchFiles(t *testing.T, dir string, needles []needle) []string {
	t.Helper()
	var found []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		found = append(found, lookFor(rel, b, needles)...)
		return nil
	})
	if err != nil {
		t.Fatalf("searching %s: %v", dir, err)
	}
	return found
}

// readerRun is what one reader did, and what the search must find again.
type readerRun struct {
	t      *testing.T
	s      *server
	staff  *http.Client // the moderator's API calls come from 127.0.0.1
	reader *http.Client
	token  string
	run    string

	articleID int64
	path      string
	marker    string // the text of the first comment
	markerID  int64
}

// text is a comment of ten words that shares no three-word run with any
// other text of the test.
func (r *readerRun) text(label string) string {
	return fmt.Sprintf("%s %s %s %s %s %s %s %s %s %s", r.run, label,
		randomHex(3), randomHex(3), randomHex(3), randomHex(3), randomHex(3), randomHex(3), randomHex(3), randomHex(3))
}

// send posts a comment as the reader and fails the test unless the answer
// has the wanted status; it returns the Location of a 303.
func (r *readerRun) send(cm comment, want int) string {
	r.t.Helper()
	status, loc, err := cm.post(r.reader, r.s, r.path)
	if err != nil || status != want {
		r.t.Fatalf("posting %q answered %d (%v), want %d", cm.text, status, err, want)
	}
	return loc
}

// publish posts a comment that must go live and returns its id.
func (r *readerRun) publish(cm comment) int64 {
	r.t.Helper()
	loc := r.send(cm, http.StatusSeeOther)
	m := publishedID.FindStringSubmatch(loc)
	if m == nil {
		r.t.Fatalf("comment %q was not published: Location %q", cm.text, loc)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

// hold posts a comment that must wait for a moderator.
func (r *readerRun) hold(cm comment) {
	r.t.Helper()
	if loc := r.send(cm, http.StatusSeeOther); !strings.Contains(loc, "?comment=pending") {
		r.t.Fatalf("comment %q was not held: Location %q", cm.text, loc)
	}
}

type queued struct {
	Items []struct {
		ID   int64  `json:"id"`
		Text string `json:"text"`
	} `json:"items"`
	Total int `json:"total"`
}

func (r *readerRun) queue(status string) queued {
	r.t.Helper()
	var q queued
	api(r.t, r.staff, r.s, r.token, "GET", fmt.Sprintf("/api/v1/comments?status=%s&article=%d", status, r.articleID), nil, http.StatusOK, &q)
	return q
}

func (r *readerRun) moderate(id int64, verb string) {
	r.t.Helper()
	api(r.t, r.staff, r.s, r.token, "POST", fmt.Sprintf("/api/v1/comments/%d/%s", id, verb), nil, http.StatusOK, nil)
}

// comment is everything the reader does.
func (r *readerRun) comment() {
	t, s := r.t, r.s
	// Near duplicates wait for a moderator from 30% alike; the limits let
	// the reader post as much as the test needs, until the end.
	s.setting("comment_similarity", "0.3")
	s.setting("comment_limit_per_hour", "1000")
	s.setting("comment_limit_per_article_minute", "1000")
	changed := time.Now()
	r.articleID, r.path = newArticle(t, r.staff, s, r.token, "Comments of reader "+r.run)

	tok := formToken(t, r.reader, s, r.path)
	// The form refuses posts sooner than 3 s after the token; the settings
	// reach the running server within a second.
	time.Sleep(max(3500*time.Millisecond, time.Until(changed.Add(1500*time.Millisecond))))

	r.marker = r.text("marker")
	r.markerID = r.publish(comment{text: r.marker, name: "Reader " + r.run, token: tok})
	texts := []string{r.marker}
	ids := []int64{r.markerID}
	for i := range 5 {
		texts = append(texts, r.text(fmt.Sprintf("live%d", i)))
		ids = append(ids, r.publish(comment{text: texts[len(texts)-1], token: tok}))
	}
	reply := r.publish(comment{text: r.text("reply"), name: "Replier " + r.run, token: tok, parent: ids[0]})
	r.report(ids[1])

	// Held: near duplicates (one word of ten changed) and an exact copy.
	for _, i := range []int{2, 3} {
		words := strings.Fields(texts[i])
		for k := range 2 {
			words[len(words)-1] = fmt.Sprintf("changed%d", k)
			r.hold(comment{text: strings.Join(words, " "), token: tok})
		}
	}
	r.hold(comment{text: texts[4], token: tok})

	pending := r.queue("pending")
	if len(pending.Items) < 5 {
		t.Fatalf("%d comments wait for a moderator, want 5: %+v", len(pending.Items), pending)
	}
	r.moderate(pending.Items[0].ID, "reject")
	r.moderate(pending.Items[1].ID, "reject")
	r.moderate(pending.Items[2].ID, "spam")
	r.moderate(pending.Items[3].ID, "approve")
	r.moderate(ids[5], "reject")

	// After a rejection the same reader's comments wait for a moderator
	// (the server remembers a keyed hash of the address, for days).
	for i := range 2 {
		if loc := r.send(comment{text: r.text(fmt.Sprintf("after%d", i)), token: tok}, http.StatusSeeOther); !strings.Contains(loc, "?comment=") {
			t.Fatalf("odd Location %q", loc)
		}
	}
	// A bot that fills the hidden field is told "held", and nothing is kept.
	r.send(comment{text: r.text("honeypot"), token: tok, website: "http://bot.invalid/"}, http.StatusSeeOther)
	// Refusals: too fast after the form was rendered, too many links.
	fresh := formToken(t, r.reader, s, r.path)
	r.refused(comment{text: r.text("hasty"), token: fresh}, "too fast")
	r.refused(comment{text: r.text("links") + " https://a.invalid/ https://b.invalid/ https://c.invalid/", token: tok}, "too many links")

	// The rate limit per reader, which is where the address is used most.
	s.setting("comment_limit_per_hour", "1")
	limited := false
	for deadline := testkit.Deadline(t); !limited && time.Now().Before(deadline); {
		status, _, err := comment{text: r.text("flood"), token: tok}.post(r.reader, s, r.path)
		if err != nil {
			t.Fatal(err)
		}
		if limited = status == http.StatusTooManyRequests; !limited {
			time.Sleep(200 * time.Millisecond)
		}
	}
	if !limited {
		t.Fatal("with comment_limit_per_hour 1 the reader was never answered 429 by the test's deadline")
	}

	// Other pages and errors a reader may cause from the same address: the
	// reply form, a page that does not exist, a form that cannot be read,
	// a report of no comment, failed sign-ins to the desk (throttled by a
	// keyed hash of the address too).
	r.answer("GET", fmt.Sprintf("%s?reply=%d", r.path, ids[0]), "", http.StatusOK)
	r.answer("GET", "/en/no-such-page-"+r.run+"/", "", http.StatusNotFound)
	r.answer("POST", r.path, "text=%zz&token="+tok, http.StatusBadRequest)
	r.answer("POST", "/en/comments/999999999/report", "", http.StatusNotFound)
	r.answer("POST", "/desk/signin", "email=admin%40demo.example&password=not-the-password", http.StatusUnauthorized, http.StatusTooManyRequests)
	r.answer("POST", "/desk/signin", "email=nobody%40example.invalid&password=guess", http.StatusUnauthorized, http.StatusTooManyRequests)

	var counts []string
	for _, st := range []string{"published", "pending", "rejected", "spam"} {
		q := r.queue(st)
		counts = append(counts, fmt.Sprintf("%d %s", q.Total, st))
		if q.Total == 0 {
			t.Errorf("no comment of the reader is %s", st)
		}
	}
	t.Logf("the reader's comments: %s (reply %d; report on %d)", strings.Join(counts, ", "), reply, ids[1])
}

func (r *readerRun) report(id int64) {
	r.t.Helper()
	res, err := r.reader.PostForm(r.s.url(fmt.Sprintf("/en/comments/%d/report", id)), url.Values{})
	if err != nil {
		r.t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		r.t.Fatalf("reporting comment %d answered %d", id, res.StatusCode)
	}
}

// answer sends a request as the reader, a form body if not empty, and
// fails the test unless the status is one of want.
func (r *readerRun) answer(method, path, form string, want ...int) {
	r.t.Helper()
	req, err := http.NewRequest(method, r.s.url(path), strings.NewReader(form))
	if err != nil {
		r.t.Fatal(err)
	}
	if form != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := r.reader.Do(req)
	if err != nil {
		r.t.Fatalf("%s %s: %v", method, path, err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if !slices.Contains(want, res.StatusCode) {
		r.t.Fatalf("%s %s answered %d, want %v", method, path, res.StatusCode, want)
	}
}

func (r *readerRun) refused(cm comment, why string) {
	r.t.Helper()
	status, loc, err := cm.post(r.reader, r.s, r.path)
	if err != nil || status < 400 || status > 499 {
		r.t.Fatalf("a comment sent %s answered %d %q (%v), want a 4xx refusal", why, status, loc, err)
	}
}

// searchEverything looks for the needles in the data folder, the logs and
// the tables, and checks on the way that the search can find what is there.
func (r *readerRun) searchEverything(t *testing.T, needles []needle) {
	marker := needle{"the marker comment", []byte(r.marker)}

	files := fileNames(r.s.data) // before the dump, which adds the -wal and -shm of its own
	found := searchFiles(t, r.s.data, needles)
	if len(searchFiles(t, r.s.data, []needle{marker})) == 0 {
		t.Errorf("the search of the data folder does not find the marker comment %q: it cannot be trusted", r.marker)
	}

	var logBytes int
	var logHasArticle bool
	for _, f := range append(append([]string(nil), r.s.Outs...), r.s.Errs...) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		logBytes += len(b)
		logHasArticle = logHasArticle || bytes.Contains(b, []byte(`"path":"`+r.path+`","status":303`))
		found = append(found, lookFor("log "+filepath.Base(f), b, needles)...)
	}
	if !logHasArticle {
		t.Errorf("the server's logs (%d bytes) have no line of a comment posted to %s: the search does not read the request log", logBytes, r.path)
	}

	dump := dumpTables(t, filepath.Join(r.s.data, "tamizdat.db"), needles, r.marker)
	found = append(found, dump.found...)
	if dump.markerAt == "" {
		t.Errorf("the dump of %d tables (%d cells) does not have the marker comment %q: it cannot be trusted", dump.tables, dump.cells, r.marker)
	}
	// The server does keep a keyed hash of the address: those bytes, found
	// in the files, show that the search finds raw binary values too.
	switch {
	case dump.fingerprint == nil:
		t.Logf("the marker comment has no fingerprint column or value: raw byte search checked by the marker text only")
	case len(searchFiles(t, r.s.data, []needle{{"the marker's fingerprint", dump.fingerprint}})) == 0:
		t.Errorf("the marker comment's fingerprint %x is in the dump but not found in the files", dump.fingerprint)
	default:
		t.Logf("the marker comment's keyed fingerprint (%d bytes) is found in the files as raw bytes", len(dump.fingerprint))
	}
	t.Logf("searched the data folder (%s), %d bytes of logs and %d cells of %d tables; the marker is at %s",
		strings.Join(files, ", "), logBytes, dump.cells, dump.tables, dump.markerAt)
	for _, f := range found {
		t.Errorf("the reader's address is stored: %s", f)
	}
}

// fileNames lists the regular files under dir, with their sizes.
func fileNames(dir string) []string {
	var names []string
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return nil
		}
		if info, err := d.Info(); err == nil {
			names = append(names, fmt.Sprintf("%s %d B", filepath.Base(path), info.Size()))
		}
		return nil
	})
	return names
}

type dumpResult struct {
	tables, cells int
	found         []string
	markerAt      string // table.column of the marker text
	fingerprint   []byte // the marker comment's fingerprint, if kept
}

// dumpTables reads every column of every row of every table (the schema
// included) as bytes, read-only, and looks for the needles in each cell.
func dumpTables(t *testing.T, path string, needles []needle, marker string) dumpResult {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var names []string
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil {
		t.Fatalf("listing the tables of %s: %v", path, err)
	}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	var res dumpResult
	for _, table := range append([]string{"sqlite_master"}, names...) {
		res.tables++
		rows, err := db.Query(`SELECT * FROM "` + strings.ReplaceAll(table, `"`, `""`) + `"`)
		if err != nil {
			t.Errorf("reading table %s: %v", table, err)
			continue
		}
		cols, _ := rows.Columns()
		cells := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range cells {
			ptrs[i] = &cells[i]
		}
		for n := 0; rows.Next(); n++ {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatalf("reading table %s: %v", table, err)
			}
			markerRow := false
			for i, v := range cells {
				b := cellBytes(v)
				res.cells++
				where := fmt.Sprintf("table %s, row %d, column %s", table, n+1, cols[i])
				res.found = append(res.found, lookFor(where, b, needles)...)
				if string(b) == marker {
					res.markerAt, markerRow = table+"."+cols[i], table == "comments"
				}
			}
			if markerRow {
				for i, c := range cols {
					if b, ok := cells[i].([]byte); ok && c == "fingerprint" && len(b) >= 16 {
						res.fingerprint = bytes.Clone(b)
					}
				}
			}
		}
		if err := rows.Err(); err != nil {
			t.Errorf("reading table %s: %v", table, err)
		}
		rows.Close()
	}
	return res
}

// cellBytes is a value read from SQLite as the bytes a search looks at.
func cellBytes(v any) []byte {
	switch v := v.(type) {
	case nil:
		return nil
	case []byte:
		return v
	case string:
		return []byte(v)
	case int64:
		return strconv.AppendInt(nil, v, 10)
	case float64:
		return strconv.AppendFloat(nil, v, 'g', -1, 64)
	case time.Time:
		return []byte(v.Format(time.RFC3339Nano))
	default:
		return fmt.Append(nil, v)
	}
}
