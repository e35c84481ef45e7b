package news

import "time"

// Throttle is how failed attempts at a secret slow the next attempt: a few
// are free, then each failure doubles the wait up to a cap, and failures
// are forgotten one at a time during quiet periods. Forgetting one at a
// time (rather than everything after a quiet spell) means that whoever
// waits out the longest wait gains one attempt, not a fresh allowance.
type Throttle struct {
	Free   int           // failures in a row that cost no wait
	First  time.Duration // the wait after the first failure past Free
	Max    time.Duration // the longest wait
	Forget time.Duration // one failure is forgotten per Forget without a new one
}

// Wait is how long the next attempt must wait after failures.
func (t Throttle) Wait(failures int) time.Duration {
	if failures < t.Free || failures <= 0 {
		return 0
	}
	n := failures - t.Free
	if n > 40 {
		return t.Max
	}
	return min(t.First<<n, t.Max)
}

// Remembered is how many of failures still count after quiet without a
// new one.
func (t Throttle) Remembered(failures int, quiet time.Duration) int {
	if t.Forget <= 0 || quiet <= 0 {
		return failures
	}
	return max(0, failures-int(quiet/t.Forget))
}

// ThrottleKey is one counter an attempt is counted against (an account, a
// keyed hash of a client address), with the throttle that applies to it.
type ThrottleKey struct {
	Key      []byte
	Throttle Throttle
}
