package comments_test

import (
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const (
	benchSources  = 300 // distinct reader addresses, 127.10.x.y
	benchPosters  = 8   // concurrent comment posts
	benchReaders  = 4   // concurrent page reads
	benchArticles = 4   // comments are spread over these

	benchSlice = 250 * time.Millisecond // one op of the benchmark loop
)

// BenchmarkCommentPosting measures the comment intake of the real binary on
// SQLite, with the rate limits lifted: posts from many reader addresses,
// round-robin, while other clients read the article pages and the home page
// without pause, for -benchtime (b.Loop counts slices of that time; ns/op
// is reported per acknowledged post). Run it with, for example:
//
//	go test -run '^$' -bench CommentPosting -benchtime 20s ./comments
func BenchmarkCommentPosting(b *testing.B) {
	s := newServer(b, needBinary(b))
	needLoopbackRange(b, "127.10.0.1")
	s.run("--demo")
	token := s.demoToken()
	staff := readerClient("127.0.0.1")
	s.setting("comment_limit_per_hour", "100000")
	s.setting("comment_limit_per_article_minute", "100000")
	s.setting("comment_similarity", "1")
	changed := time.Now()

	var paths, tokens []string
	for i := range benchArticles {
		_, path := newArticle(b, staff, s, token, fmt.Sprintf("Benchmark article %d", i))
		paths = append(paths, path)
		tokens = append(tokens, formToken(b, staff, s, path))
	}
	sources := make([]*http.Client, benchSources)
	for i := range sources {
		sources[i] = readerClient(fmt.Sprintf("127.10.%d.%d", i/250, i%250+1))
	}
	time.Sleep(max(3500*time.Millisecond, time.Until(changed.Add(1500*time.Millisecond))))

	var bad, failed atomic.Int64 // answers other than 303/200; requests with no answer
	stopReads := make(chan struct{})
	readLat := make([][]time.Duration, benchReaders)
	var readers sync.WaitGroup
	readStart := time.Now()
	for r := range readLat {
		readers.Go(func() {
			c := readerClient(fmt.Sprintf("127.11.0.%d", r+1))
			pages := append(slices.Clone(paths), "/en/")
			for i := r; ; i++ {
				select {
				case <-stopReads:
					return
				default:
				}
				began := time.Now()
				res, err := c.Get(s.url(pages[i%len(pages)]))
				if err != nil {
					failed.Add(1)
					time.Sleep(10 * time.Millisecond)
					continue
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				readLat[r] = append(readLat[r], time.Since(began))
				if res.StatusCode != http.StatusOK {
					bad.Add(1)
				}
			}
		})
	}

	stopPosts := make(chan struct{})
	var next, acked atomic.Int64
	postLat := make([][]time.Duration, benchPosters)
	var posters sync.WaitGroup
	began := time.Now()
	for p := range postLat {
		posters.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(p), 42))
			for {
				select {
				case <-stopPosts:
					return
				default:
				}
				n := int(next.Add(1))
				cm := comment{text: benchText(rng, n), token: tokens[n%benchArticles]}
				sent := time.Now()
				status, _, err := cm.post(sources[n%benchSources], s, paths[n%benchArticles])
				switch {
				case err != nil:
					failed.Add(1)
					time.Sleep(10 * time.Millisecond)
				case status == http.StatusSeeOther:
					acked.Add(1)
					postLat[p] = append(postLat[p], time.Since(sent))
				default:
					bad.Add(1)
				}
			}
		})
	}

	// The load runs by itself; the benchmark's iterations are slices of
	// time, so that -benchtime bounds it however slow posting gets as the
	// comments pile up. The figures are the custom metrics.
	for b.Loop() {
		time.Sleep(benchSlice)
	}
	close(stopPosts)
	posters.Wait()
	posting := time.Since(began)
	close(stopReads)
	readers.Wait()
	reading := time.Since(readStart)

	reads := slices.Concat(readLat...)
	posts := slices.Concat(postLat...)
	if acked.Load() > 0 {
		b.ReportMetric(float64(posting.Nanoseconds())/float64(acked.Load()), "ns/op") // per acknowledged post
	}
	b.ReportMetric(float64(acked.Load())/posting.Seconds(), "posts/s")
	b.ReportMetric(float64(len(reads))/reading.Seconds(), "reads/s")
	b.ReportMetric(percentileMS(reads, 50), "read-p50-ms")
	b.ReportMetric(percentileMS(reads, 99), "read-p99-ms")
	b.ReportMetric(percentileMS(posts, 99), "post-p99-ms")
	b.ReportMetric(float64(bad.Load()), "bad-answers")
	b.ReportMetric(float64(failed.Load()), "no-answer")
	b.Logf("%d comments acknowledged in %v from %d addresses; %d page reads; %d bad answers, %d requests without an answer",
		acked.Load(), posting.Round(time.Millisecond), benchSources, len(reads), bad.Load(), failed.Load())
}

// percentileMS is the p-th percentile of the durations, in milliseconds.
func percentileMS(d []time.Duration, p int) float64 {
	if len(d) == 0 {
		return 0
	}
	slices.Sort(d)
	return float64(d[(len(d)-1)*p/100].Microseconds()) / 1000
}

// benchWords are made-up words, so that the texts look like text to the
// duplicate checks and no two comments are alike.
var benchWords = func() []string {
	var w []string
	for _, a := range strings.Fields("ka lo mi ne ru sta vo zen pri dol") {
		for _, z := range strings.Fields("ba te ri mos kin lev dar un") {
			w = append(w, a+z)
		}
	}
	return w
}()

// benchText is a comment of 20 to 40 words, numbered to be unique.
func benchText(rng *rand.Rand, n int) string {
	words := make([]string, 20+rng.IntN(21))
	for i := range words {
		words[i] = benchWords[rng.IntN(len(benchWords))]
	}
	return fmt.Sprintf("Comment %d: %s.", n, strings.Join(words, " "))
}
