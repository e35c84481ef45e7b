// Command mixed is the writing half of bench/run's mixed load: readers'
// comments at a steady rate, each from its own address (the server is
// started with --trusted-proxies 127.0.0.1, so X-Forwarded-For names the
// reader), and an editor publishing an article every few seconds through
// the API, while wrk reads. It prints what the writes were answered.
//
//	go run ./bench/mixed -base http://127.0.0.1:PORT -token TOKEN -articles /ru/news/…/1/,/ru/news/…/2/ -duration 10s
package main

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
)

func main() {
	base := flag.String("base", "", "the server, http://127.0.0.1:PORT")
	token := flag.String("token", "", "an API token of an editor")
	articles := flag.String("articles", "", "comma-separated article paths to comment on")
	rate := flag.Int("rate", 50, "comments a second")
	every := flag.Duration("publish", 3*time.Second, "time between two publications")
	duration := flag.Duration("duration", 10*time.Second, "how long to write")
	flag.Parse()
	if *base == "" || *token == "" || *articles == "" || *rate < 1 {
		fmt.Fprintln(os.Stderr, "mixed: -base, -token and -articles are needed, -rate at least 1")
		os.Exit(2)
	}
	paths := strings.Split(*articles, ",")
	client := &http.Client{Timeout: 15 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	// The form's token signs the article and the time it was rendered: one
	// per article serves every reader, once it is 3 seconds old.
	tokenRE := regexp.MustCompile(`name="token" value="([^"]+)"`)
	tokens := make([]string, len(paths))
	for i, p := range paths {
		res, err := client.Get(*base + p)
		if err != nil {
			fail(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		m := tokenRE.FindSubmatch(b)
		if m == nil {
			fail(fmt.Errorf("%s has no comment form", p))
		}
		tokens[i] = string(m[1])
	}
	time.Sleep(3500 * time.Millisecond) // the form's minimum age, a fixed rule of the intake

	var mu sync.Mutex
	answers := map[string]int{}
	count := func(what string) { mu.Lock(); answers[what]++; mu.Unlock() }
	var wg sync.WaitGroup
	stop := time.Now().Add(*duration)

	wg.Go(func() { // the editor
		for n := 0; time.Now().Before(stop); n++ {
			body := fmt.Sprintf(`{"edition":"ru","title":"Срочно: сообщение номер %d","body":"Текст сообщения.","status":"published"}`, n)
			req, _ := http.NewRequest("POST", *base+"/api/v1/articles", strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+*token)
			req.Header.Set("Content-Type", "application/json")
			res, err := client.Do(req)
			if err != nil {
				count("publish error")
			} else {
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				count(fmt.Sprintf("publish %d", res.StatusCode))
			}
			time.Sleep(*every)
		}
	})
	tick := time.NewTicker(time.Second / time.Duration(*rate))
	defer tick.Stop()
	for n := 0; time.Now().Before(stop); n++ {
		<-tick.C
		wg.Go(func() {
			i := n % len(paths)
			form := url.Values{"name": {fmt.Sprintf("Читатель %d", n)}, "token": {tokens[i]}, "website": {""},
				"text": {fmt.Sprintf("Мнение читателя номер %d о сообщении, с подробностями %x.", n, n*2654435761)}}
			req, _ := http.NewRequest("POST", *base+paths[i], strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.%d.%d.%d", n>>16&255, n>>8&255, n&255+1))
			res, err := client.Do(req)
			if err != nil {
				count("comment error")
				return
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			count(fmt.Sprintf("comment %d", res.StatusCode))
		})
	}
	wg.Wait()
	var keys []string
	for k := range answers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Printf("%s: %d\n", k, answers[k])
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "mixed:", err)
	os.Exit(1)
}
