package app

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"tamizdat/internal/store"
)

// progress draws a one-line bar per table on a terminal, redrawn in place
// with \r, for copy, backup and restore. When standard error is not a
// terminal (a cron job, a log, a test) it draws nothing: the bars would be
// noise there, and the command's summary line on standard output says
// what was done.
type progress struct {
	w     io.Writer // nil: not a terminal
	verb  string
	last  time.Time
	drawn bool
}

// redraw bounds how often a bar is redrawn; a terminal is slower than a
// dump.
const redraw = 100 * time.Millisecond

func newProgress(env Env, verb string) *progress {
	p := &progress{verb: verb}
	if f, ok := env.Stderr.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.w = f
		}
	}
	return p
}

// wrap returns fn with a bar drawn as its rows go by.
func (p *progress) wrap(fn store.TableFunc) store.TableFunc {
	if p.w == nil {
		return fn
	}
	return func(t store.Table, count int64, rows store.Rows) error {
		var n int64
		p.draw(t.Name, n, count, "rows", true)
		counted := func(yield func([]any, error) bool) {
			for row, err := range rows {
				if err == nil {
					n++
					p.draw(t.Name, n, count, "rows", false)
				}
				if !yield(row, err) {
					return
				}
			}
		}
		err := fn(t, count, counted)
		p.draw(t.Name, n, count, "rows", true)
		p.end()
		return err
	}
}

// reader returns r with a bar of the bytes read out of size.
func (p *progress) reader(r io.Reader, size int64) io.Reader {
	if p.w == nil {
		return r
	}
	return &countingReader{r: r, p: p, size: size}
}

type countingReader struct {
	r    io.Reader
	p    *progress
	n    int64
	size int64
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n += int64(n)
	c.p.draw("archive", c.n, c.size, "bytes", err != nil)
	return n, err
}

func (p *progress) draw(name string, n, total int64, unit string, force bool) {
	if p.w == nil || (!force && time.Since(p.last) < redraw) {
		return
	}
	p.last = time.Now()
	const width = 30
	filled := width
	if total > 0 {
		filled = int(min(n, total) * width / total)
	}
	bar := strings.Repeat("=", filled) + strings.Repeat(" ", width-filled)
	// \x1b[K clears what a longer previous line left.
	fmt.Fprintf(p.w, "\r%s %-20s [%s] %d/%d %s\x1b[K", p.verb, name, bar, n, total, unit)
	p.drawn = true
}

// end finishes the current bar's line.
func (p *progress) end() {
	if p.drawn {
		fmt.Fprintln(p.w)
		p.drawn = false
	}
}

// rate reports the progress of tamizdat demo on standard error: articles
// stored of the total, comments, the rate and the time left. On a terminal
// it redraws one line; elsewhere (a log, the benchmark harness) it writes a
// line every rateEvery, so a long run shows it is alive without flooding.
type rate struct {
	w           io.Writer
	tty         bool
	total       int
	start, last time.Time
	drawn       bool
}

const rateEvery = 10 * time.Second

func newRate(env Env, total int, start time.Time) *rate {
	r := &rate{w: env.Stderr, total: total, start: start, last: start}
	if f, ok := env.Stderr.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			r.tty = true
		}
	}
	return r
}

func (r *rate) report(articles, comments int) {
	now := time.Now()
	if r.w == nil || now.Sub(r.last) < map[bool]time.Duration{true: redraw, false: rateEvery}[r.tty] {
		return
	}
	r.last = now
	perSec := float64(articles) / max(now.Sub(r.start).Seconds(), 1e-3)
	left := time.Duration(float64(r.total-articles) / max(perSec, 1e-3) * float64(time.Second)).Round(time.Second)
	line := fmt.Sprintf("tamizdat: demo: %d/%d articles, %d comments, %.0f articles/s, about %s left", articles, r.total, comments, perSec, left)
	if r.tty {
		fmt.Fprintf(r.w, "\r%s\x1b[K", line)
		r.drawn = true
		return
	}
	fmt.Fprintln(r.w, line)
}

// end finishes a redrawn line.
func (r *rate) end() {
	if r.drawn {
		fmt.Fprintln(r.w)
		r.drawn = false
	}
}
