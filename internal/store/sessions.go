package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"time"

	"tamizdat/internal/news"
)

// Session lifetimes. A desk left open overnight asks for the password again
// in the morning; a stolen cookie is worth a working day at most.
const (
	SessionIdle     = 12 * time.Hour
	SessionLifetime = 7 * 24 * time.Hour
	// A half-done sign-in (password right, second factor to come) lasts
	// long enough to find the phone, no longer.
	SessionSecondStep = 10 * time.Minute
	// seen_at is written at most this often, so that reading desk pages
	// does not turn into a write per click.
	sessionTouch = time.Minute
)

// CreateSession stores a new session of user by its token's hash.
func (s *DB) CreateSession(ctx context.Context, userID int64, hash []byte, stage, agent string) (*news.Session, error) {
	now := s.now()
	sess := &news.Session{UserID: userID, Stage: stage, CreatedAt: now, SeenAt: now, Agent: agent, ExpiresAt: now.Add(SessionIdle)}
	if stage != news.StageFull {
		sess.ExpiresAt = now.Add(SessionSecondStep)
	}
	err := s.tx(ctx, func(c conn) error {
		id, err := c.insert(ctx, `INSERT INTO sessions (user_id, token_hash, stage, created_at, seen_at, expires_at, agent)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, userID, hash, stage, now.UnixMicro(), now.UnixMicro(), sess.ExpiresAt.UnixMicro(), agent)
		sess.ID = id
		if err != nil || stage != news.StageFull {
			return err
		}
		return s.recordAudit(ctx, c, userID, AuditSignIn, strconv.FormatInt(id, 10), agent)
	})
	return sess, err
}

// CompleteSession moves a session past the second factor under a new
// token hash: the token a browser held before the second factor never opens
// the desk.
func (s *DB) CompleteSession(ctx context.Context, id int64, newHash []byte, detail string) error {
	now := s.now()
	return s.tx(ctx, func(c conn) error {
		var userID int64
		var agent string
		err := c.queryRow(ctx, `SELECT user_id, agent FROM sessions WHERE id = ? AND stage = 'password' AND expires_at > ?`, id, now.UnixMicro()).Scan(&userID, &agent)
		if err != nil {
			return news.Errorf(news.EUNAUTHORIZED, "the sign-in took too long; start again")
		}
		if _, err := c.exec(ctx, `UPDATE sessions SET token_hash = ?, stage = 'full', seen_at = ?, expires_at = ? WHERE id = ?`,
			newHash, now.UnixMicro(), now.Add(SessionIdle).UnixMicro(), id); err != nil {
			return err
		}
		if detail != "" {
			agent += "; " + detail
		}
		return s.recordAudit(ctx, c, userID, AuditSignIn, strconv.FormatInt(id, 10), agent)
	})
}

// SessionByHash returns the live session of the token hash and its active
// user. A disabled user, an expired or ended session: EUNAUTHORIZED, the
// same for all, checked on every request, so that ending one takes effect
// at the next click on every node.
func (s *DB) SessionByHash(ctx context.Context, hash []byte) (*news.Session, *news.User, error) {
	now := s.now()
	var sess news.Session
	var created, seen, expires int64
	row := s.read().queryRow(ctx, `SELECT s.id, s.stage, s.created_at, s.seen_at, s.expires_at, s.agent, `+userColumns+`
		FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = ? AND s.expires_at > ? AND u.active = 1`, hash, now.UnixMicro())
	u, err := scanUser(scanPrefixes{row, []any{&sess.ID, &sess.Stage, &created, &seen, &expires, &sess.Agent}})
	if err == sql.ErrNoRows {
		return nil, nil, news.Errorf(news.EUNAUTHORIZED, "you are signed out; sign in again")
	} else if err != nil {
		return nil, nil, s.mapErr(err)
	}
	sess.UserID = u.ID
	sess.CreatedAt, sess.SeenAt, sess.ExpiresAt = time.UnixMicro(created).UTC(), time.UnixMicro(seen).UTC(), time.UnixMicro(expires).UTC()
	if sess.Stage == news.StageFull && now.Sub(sess.SeenAt) > sessionTouch {
		exp := now.Add(SessionIdle)
		if end := sess.CreatedAt.Add(SessionLifetime); end.Before(exp) {
			exp = end
		}
		if _, err := s.read().exec(ctx, `UPDATE sessions SET seen_at = ?, expires_at = ? WHERE id = ?`, now.UnixMicro(), exp.UnixMicro(), sess.ID); err != nil {
			return nil, nil, err
		}
		sess.SeenAt, sess.ExpiresAt = now, exp
	}
	return &sess, u, nil
}

// Sessions lists a user's live sessions, the most recently used first.
func (s *DB) Sessions(ctx context.Context, userID int64) ([]news.Session, error) {
	rows, err := s.read().query(ctx, `SELECT id, user_id, stage, created_at, seen_at, expires_at, agent FROM sessions
		WHERE user_id = ? AND expires_at > ? AND stage = 'full' ORDER BY seen_at DESC, id DESC`, userID, s.now().UnixMicro())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []news.Session
	for rows.Next() {
		var x news.Session
		var created, seen, expires int64
		if err := rows.Scan(&x.ID, &x.UserID, &x.Stage, &created, &seen, &expires, &x.Agent); err != nil {
			return nil, err
		}
		x.CreatedAt, x.SeenAt, x.ExpiresAt = time.UnixMicro(created).UTC(), time.UnixMicro(seen).UTC(), time.UnixMicro(expires).UTC()
		list = append(list, x)
	}
	return list, rows.Err()
}

// EndSession signs one session of user out.
func (s *DB) EndSession(ctx context.Context, userID, id int64) error {
	return s.tx(ctx, func(c conn) error {
		r, err := c.exec(ctx, `DELETE FROM sessions WHERE id = ? AND user_id = ?`, id, userID)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return news.Errorf(news.ENOTFOUND, "no such session")
		}
		return s.recordAudit(ctx, c, 0, AuditSignOut, strconv.FormatInt(id, 10), "")
	})
}

// EndSessions signs every session of user out ("sign out everywhere").
func (s *DB) EndSessions(ctx context.Context, userID int64) (int, error) {
	n := 0
	err := s.tx(ctx, func(c conn) error {
		var err error
		n, err = s.endSessions(ctx, c, userID)
		if err != nil {
			return err
		}
		return s.recordAudit(ctx, c, 0, AuditSessionsEnd, "user "+strconv.FormatInt(userID, 10), strconv.Itoa(n)+" sessions ended")
	})
	return n, err
}

func (s *DB) endSessions(ctx context.Context, c conn, userID int64) (int, error) {
	r, err := c.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID)
	if err != nil {
		return 0, err
	}
	n, _ := r.RowsAffected()
	return int(n), nil
}

// PruneSessions deletes expired sessions and stale sign-in failures.
func (s *DB) PruneSessions(ctx context.Context) (int, error) {
	now := s.now()
	n := 0
	err := s.tx(ctx, func(c conn) error {
		r, err := c.exec(ctx, `DELETE FROM sessions WHERE expires_at <= ?`, now.UnixMicro())
		if err != nil {
			return err
		}
		k, _ := r.RowsAffected()
		n = int(k)
		_, err = c.exec(ctx, `DELETE FROM signin_failures WHERE forget_at < ? AND blocked_until < ?`,
			now.UnixMicro(), now.UnixMicro())
		return err
	})
	return n, err
}

// FailureMemory is how long a failure counts against a key whose throttle
// forgets nothing by itself.
const FailureMemory = 24 * time.Hour

// DayKey returns the sealed address key of a day (a day number counted
// from the Unix epoch in UTC), or nil when that day has none.
func (s *DB) DayKey(ctx context.Context, day int64) ([]byte, error) {
	var sealed []byte
	err := s.read().queryRow(ctx, `SELECT sealed FROM day_keys WHERE day = ?`, day).Scan(&sealed)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	return sealed, err
}

// PutDayKey stores a day's sealed key unless another node stored one
// first, and returns the one stored: every node then uses the same key.
func (s *DB) PutDayKey(ctx context.Context, day int64, sealed []byte) ([]byte, error) {
	var stored []byte
	err := s.tx(ctx, func(c conn) error {
		if _, err := c.exec(ctx, `INSERT INTO day_keys (day, sealed) VALUES (?, ?) ON CONFLICT (day) DO NOTHING`, day, sealed); err != nil {
			return err
		}
		return c.queryRow(ctx, `SELECT sealed FROM day_keys WHERE day = ?`, day).Scan(&stored)
	})
	return stored, err
}

// DeleteDayKeys destroys the keys of the days before day: from then on no
// hash made under them can be linked to an address.
func (s *DB) DeleteDayKeys(ctx context.Context, before int64) (int, error) {
	r, err := s.read().exec(ctx, `DELETE FROM day_keys WHERE day < ?`, before)
	if err != nil {
		return 0, err
	}
	n, _ := r.RowsAffected()
	return int(n), nil
}

// Attempt is an attempt at a secret that TakeAttempt counted: what each
// key held before it and what the attempt set, so that ReturnAttempt can
// take back exactly its own part.
type Attempt struct{ keys []takenKey }

type takenKey struct {
	key                 []byte
	prevLast, prevUntil int64
	setLast, setUntil   int64
}

// TakeAttempt counts an attempt at a secret against every key at once,
// before the secret is checked. When any key is still waiting out its
// throttle it counts nothing and returns when the wait ends instead.
// Counting first, in one transaction that holds each key's row, means
// attempts sent in parallel are counted one by one and see each other's
// counts, and an attempt cut off before its check (a deadline, a dropped
// connection) stays counted. An attempt that succeeds, or is never
// checked, is given back with ReturnAttempt.
func (s *DB) TakeAttempt(ctx context.Context, keys ...news.ThrottleKey) (*Attempt, time.Time, error) {
	now := s.now()
	keys = sortedKeys(keys)
	var blocked time.Time
	a := &Attempt{}
	errBlocked := errors.New("blocked")
	err := s.tx(ctx, func(c conn) error {
		type counter struct{ failures, last, until int64 }
		counters := make([]counter, len(keys))
		for i, k := range keys {
			// The no-op update on conflict takes the row's lock on every
			// engine, so the read below is of the latest count and no other
			// attempt changes it before this one commits.
			err := c.queryRow(ctx, `INSERT INTO signin_failures (key, failures, last_at, blocked_until, forget_at) VALUES (?, 0, ?, 0, 0)
				ON CONFLICT (key) DO UPDATE SET failures = signin_failures.failures
				RETURNING failures, last_at, blocked_until`, k.Key, now.UnixMicro()).Scan(&counters[i].failures, &counters[i].last, &counters[i].until)
			if err != nil {
				return err
			}
			if until := time.UnixMicro(counters[i].until).UTC(); until.After(now) && until.After(blocked) {
				blocked = until
			}
		}
		if !blocked.IsZero() {
			return errBlocked
		}
		for i, k := range keys {
			n := k.Throttle.Remembered(int(counters[i].failures), now.Sub(time.UnixMicro(counters[i].last))) + 1
			until, err := s.setCounter(ctx, c, k, n, now)
			if err != nil {
				return err
			}
			a.keys = append(a.keys, takenKey{key: k.Key, prevLast: counters[i].last, prevUntil: counters[i].until,
				setLast: now.UnixMicro(), setUntil: until})
		}
		return nil
	})
	if errors.Is(err, errBlocked) {
		return nil, blocked, nil
	}
	if err != nil {
		return nil, time.Time{}, err
	}
	return a, time.Time{}, nil
}

// ReturnAttempt takes back an attempt TakeAttempt counted: one failure
// less on each key, and the wait and time of the last failure it had
// before — unless another attempt has changed them since, which then
// stand.
func (s *DB) ReturnAttempt(ctx context.Context, a *Attempt) error {
	if a == nil {
		return nil
	}
	return s.tx(ctx, func(c conn) error {
		for _, k := range a.keys {
			if _, err := c.exec(ctx, `UPDATE signin_failures SET
				failures = CASE WHEN failures > 0 THEN failures - 1 ELSE 0 END,
				blocked_until = CASE WHEN blocked_until = ? THEN ? ELSE blocked_until END,
				last_at = CASE WHEN last_at = ? THEN ? ELSE last_at END
				WHERE key = ?`, k.setUntil, k.prevUntil, k.setLast, k.prevLast, k.key); err != nil {
				return err
			}
		}
		return nil
	})
}

// setCounter stores failures for k as of now, waiting what the throttle
// says, and returns until when (0: no wait).
func (s *DB) setCounter(ctx context.Context, c conn, k news.ThrottleKey, failures int, now time.Time) (int64, error) {
	var until int64
	if w := k.Throttle.Wait(failures); w > 0 {
		until = now.Add(w).UnixMicro()
	}
	forget := now.Add(time.Duration(failures) * k.Throttle.Forget)
	if k.Throttle.Forget <= 0 {
		forget = now.Add(FailureMemory)
	}
	_, err := c.exec(ctx, `UPDATE signin_failures SET failures = ?, last_at = ?, blocked_until = ?, forget_at = ? WHERE key = ?`,
		failures, now.UnixMicro(), until, max(forget.UnixMicro(), until), k.Key)
	return until, err
}

// sortedKeys orders keys so that every transaction takes their rows'
// locks in the same order and two attempts never wait on each other.
func sortedKeys(keys []news.ThrottleKey) []news.ThrottleKey {
	keys = slices.Clone(keys)
	slices.SortFunc(keys, func(a, b news.ThrottleKey) int { return bytes.Compare(a.Key, b.Key) })
	return slices.CompactFunc(keys, func(a, b news.ThrottleKey) bool { return bytes.Equal(a.Key, b.Key) })
}

// Failures is the count stored for key, as of its last attempt.
func (s *DB) Failures(ctx context.Context, key []byte) (int, error) {
	var n int
	err := s.read().queryRow(ctx, `SELECT failures FROM signin_failures WHERE key = ?`, key).Scan(&n)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	return n, err
}

// ClearSigninFailures forgets the failures counted against key.
func (s *DB) ClearSigninFailures(ctx context.Context, key []byte) error {
	_, err := s.read().exec(ctx, `DELETE FROM signin_failures WHERE key = ?`, key)
	return err
}

// FailSecondStep counts a wrong code in a half-signed-in session and ends
// the session at the limit-th; ended reports whether it did.
func (s *DB) FailSecondStep(ctx context.Context, sessionID int64, limit int) (ended bool, err error) {
	err = s.tx(ctx, func(c conn) error {
		var n int
		err := c.queryRow(ctx, `UPDATE sessions SET code_failures = code_failures + 1 WHERE id = ? AND stage = 'password'
			RETURNING code_failures`, sessionID).Scan(&n)
		if err == sql.ErrNoRows {
			ended = true
			return nil
		} else if err != nil {
			return err
		}
		if n < limit {
			return nil
		}
		ended = true
		_, err = c.exec(ctx, `DELETE FROM sessions WHERE id = ?`, sessionID)
		return err
	})
	return ended, err
}

// scanPrefixes scans leading columns before handing the rest to a scanner.
type scanPrefixes struct {
	row   row
	first []any
}

func (p scanPrefixes) Scan(dest ...any) error { return p.row.Scan(append(p.first, dest...)...) }
