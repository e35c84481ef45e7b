package comments_test

import (
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	durablePosters  = 6
	durableLoad     = 16 * time.Second
	durableMinAlive = 500 * time.Millisecond
	durableMaxAlive = 2 * time.Second
)

// TestAcknowledgedCommentsSurviveSIGKILL posts comments from several
// readers at once while the server is killed with SIGKILL at random moments
// and started again on the same data and port: every comment that was
// answered 303 must be there after a last kill and restart.
func TestAcknowledgedCommentsSurviveSIGKILL(t *testing.T) {
	s := newServer(t, needBinary(t))
	needLoopbackRange(t, "127.20.0.1")
	s.run("--demo")
	token := s.demoToken()
	staff := readerClient("127.0.0.1")
	s.setting("comment_limit_per_hour", "100000")
	s.setting("comment_limit_per_article_minute", "100000")
	s.setting("comment_similarity", "1")
	changed := time.Now()
	articleID, path := newArticle(t, staff, s, token, "Durable comments "+randomHex(4))
	tok := formToken(t, readerClient("127.20.0.1"), s, path)
	time.Sleep(max(3500*time.Millisecond, time.Until(changed.Add(1500*time.Millisecond))))

	type tally struct {
		tried, errs int
		acked       []string
		other       map[int]int // answers other than 303, by status
	}
	tallies := make([]tally, durablePosters)
	end := time.Now().Add(durableLoad)
	var wg sync.WaitGroup
	for g := range tallies {
		wg.Go(func() {
			c := readerClient(fmt.Sprintf("127.20.0.%d", g+1))
			tl := &tallies[g]
			tl.other = map[int]int{}
			for n := 0; time.Now().Before(end); n++ {
				text := fmt.Sprintf("durable-%d-%d", g, n)
				status, _, err := comment{text: text, token: tok}.post(c, s, path)
				tl.tried++
				switch {
				case err != nil:
					tl.errs++ // the server is down or was killed mid-answer
					time.Sleep(20 * time.Millisecond)
				case status == http.StatusSeeOther:
					tl.acked = append(tl.acked, text)
				default:
					tl.other[status]++
					time.Sleep(20 * time.Millisecond)
				}
			}
		})
	}

	kills := 0
	for {
		alive := durableMinAlive + rand.N(durableMaxAlive-durableMinAlive)
		if time.Until(end) < alive {
			break
		}
		time.Sleep(alive)
		s.kill()
		kills++
		s.run()
	}
	wg.Wait()
	// The last answers are acknowledged too: kill once more before looking.
	s.kill()
	kills++
	s.run()

	var tried, errs int
	var acked []string
	other := map[int]int{}
	for _, tl := range tallies {
		tried, errs, acked = tried+tl.tried, errs+tl.errs, append(acked, tl.acked...)
		for st, n := range tl.other {
			other[st] += n
		}
	}
	if len(acked) == 0 {
		t.Fatalf("no post was acknowledged (%d tried, %d without an answer, others %v)\n%s", tried, errs, other, s.lastLines())
	}

	stored := map[string]string{} // text → status, as the API lists them
	for _, status := range []string{"published", "pending"} {
		for page := 1; ; page++ {
			var q queued
			api(t, staff, s, token, "GET", fmt.Sprintf("/api/v1/comments?status=%s&article=%d&page=%d", status, articleID, page), nil, http.StatusOK, &q)
			for _, it := range q.Items {
				stored[it.Text] = status
			}
			if len(q.Items) == 0 || page*20 >= q.Total {
				break
			}
		}
	}
	var missing []string
	pending := 0
	for _, text := range acked {
		switch stored[text] {
		case "":
			missing = append(missing, text)
		case "pending":
			pending++
		}
	}
	unacked := len(stored) - (len(acked) - len(missing))
	t.Logf("%v of load, %d posters: %d posts tried, %d acknowledged (%d of them held), %d without an answer, other answers %v; %d SIGKILLs; %d stored but not acknowledged; %d missing",
		durableLoad, durablePosters, tried, len(acked), pending, errs, other, kills, unacked, len(missing))
	if len(missing) > 0 {
		if err := s.terminate(30 * time.Second); err != nil {
			t.Error(err)
		}
		t.Fatalf("%d acknowledged comments are not listed after the restart, e.g. %s\nin the database file: %s",
			len(missing), strings.Join(missing[:min(10, len(missing))], ", "), lookUpInFile(s, missing[:min(10, len(missing))]))
	}
}

// lookUpInFile says, for a failure message, what the SQLite file of a
// stopped server holds for the texts.
func lookUpInFile(s *server, texts []string) string {
	db, err := sql.Open("sqlite", "file:"+filepath.Join(s.data, "tamizdat.db")+"?mode=ro")
	if err != nil {
		return err.Error()
	}
	defer db.Close()
	var out []string
	for _, text := range texts {
		var status string
		if err := db.QueryRow(`SELECT status FROM comments WHERE body = ?`, text).Scan(&status); err != nil {
			status = err.Error()
		}
		out = append(out, text+": "+status)
	}
	return strings.Join(out, "; ")
}
