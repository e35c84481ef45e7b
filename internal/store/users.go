package store

import (
	"context"
	"database/sql"
	"strconv"
	"time"

	"tamizdat/internal/news"
)

// CreateUser stores a desk user whose password is already hashed.
func (s *DB) CreateUser(ctx context.Context, u *news.User) error {
	if !u.Role.Valid() {
		return news.Errorf(news.EINVALID, "role %q is not one of admin, editor, author, moderator", u.Role)
	}
	if u.CreatedAt.IsZero() {
		u.CreatedAt = s.now()
	}
	return s.tx(ctx, func(c conn) error {
		id, err := c.insert(ctx, `INSERT INTO users (email, name, role, active, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			u.Email, u.Name, string(u.Role), boolInt(u.Active), u.PasswordHash, u.CreatedAt.UnixMicro())
		if news.ErrorCode(err) == news.ECONFLICT {
			return news.Errorf(news.ECONFLICT, "a user with e-mail %s already exists", u.Email)
		}
		u.ID = id
		return err
	})
}

const userColumns = `u.id, u.email, u.name, u.role, u.active, u.password_hash, u.created_at`

func scanUser(sc interface{ Scan(...any) error }) (*news.User, error) {
	var u news.User
	var active int
	var created sql.NullInt64
	if err := sc.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &active, &u.PasswordHash, &created); err != nil {
		return nil, err
	}
	u.Active, u.CreatedAt = active != 0, fromDB(created)
	return &u, nil
}

// UserByEmail finds a user by normalised e-mail.
func (s *DB) UserByEmail(ctx context.Context, email string) (*news.User, error) {
	u, err := scanUser(s.read().queryRow(ctx, `SELECT `+userColumns+` FROM users u WHERE u.email = ?`, email))
	if err != nil {
		return nil, notFound(s.mapErr(err), "user")
	}
	return u, nil
}

// CreateToken stores the hash of a new API token.
func (s *DB) CreateToken(ctx context.Context, userID int64, hash []byte, expires time.Time) (*news.APIToken, error) {
	t := &news.APIToken{UserID: userID, CreatedAt: s.now(), ExpiresAt: expires}
	err := s.tx(ctx, func(c conn) error {
		id, err := c.insert(ctx, `INSERT INTO api_tokens (user_id, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?)`,
			userID, hash, t.CreatedAt.UnixMicro(), expires.UnixMicro())
		if err != nil {
			return err
		}
		t.ID = id
		return s.recordAudit(ctx, c, 0, AuditTokenCreate, strconv.FormatInt(id, 10), "user "+strconv.FormatInt(userID, 10))
	})
	return t, err
}

// Tokens lists a user's API tokens, newest first, revoked and expired ones
// included, so that an operator sees what existed and when it was last used.
func (s *DB) Tokens(ctx context.Context, userID int64) ([]news.APIToken, error) {
	rows, err := s.read().query(ctx, `SELECT id, user_id, created_at, expires_at, last_used_at, revoked_at FROM api_tokens
		WHERE user_id = ? ORDER BY id DESC`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []news.APIToken
	for rows.Next() {
		var t news.APIToken
		var created, expires, used, revoked sql.NullInt64
		if err := rows.Scan(&t.ID, &t.UserID, &created, &expires, &used, &revoked); err != nil {
			return nil, err
		}
		t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.RevokedAt = fromDB(created), fromDB(expires), fromDB(used), fromDB(revoked)
		list = append(list, t)
	}
	return list, rows.Err()
}

// RevokeToken ends one API token at once.
func (s *DB) RevokeToken(ctx context.Context, id int64) error {
	return s.tx(ctx, func(c conn) error {
		r, err := c.exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, s.now().UnixMicro(), id)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return news.Errorf(news.ENOTFOUND, "no active API token %d", id)
		}
		return s.recordAudit(ctx, c, 0, AuditTokenRevoke, strconv.FormatInt(id, 10), "")
	})
}

// DisableUser closes an account at once: the user can no longer sign in or
// use the API, and every token is revoked in the same transaction, so that
// a stolen credential stops working at the next request on every node. It
// returns how many tokens it revoked.
func (s *DB) DisableUser(ctx context.Context, email string) (int, error) {
	revoked := 0
	err := s.tx(ctx, func(c conn) error {
		var id int64
		if err := c.queryRow(ctx, `SELECT id FROM users WHERE email = ?`, email).Scan(&id); err != nil {
			return notFound(err, "user "+email)
		}
		now := s.now().UnixMicro()
		if _, err := c.exec(ctx, `UPDATE users SET active = 0 WHERE id = ?`, id); err != nil {
			return err
		}
		r, err := c.exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`, now, id)
		if err != nil {
			return err
		}
		n, _ := r.RowsAffected()
		revoked = int(n)
		return s.recordAudit(ctx, c, 0, AuditUserDisable, email, strconv.Itoa(revoked)+" API tokens revoked")
	})
	return revoked, err
}

// UserByTokenHash returns the active user owning an unexpired, unrevoked
// token and records its use.
func (s *DB) UserByTokenHash(ctx context.Context, hash []byte) (*news.User, error) {
	now := s.now().UnixMicro()
	var u *news.User
	err := s.tx(ctx, func(c conn) error {
		var tokenID int64
		row := c.queryRow(ctx, `SELECT t.id, `+userColumns+` FROM api_tokens t JOIN users u ON u.id = t.user_id
			WHERE t.token_hash = ? AND t.revoked_at IS NULL AND t.expires_at > ? AND u.active = 1`, hash, now)
		var err error
		u, err = scanUser(scanPrefix{row, &tokenID})
		if err == sql.ErrNoRows {
			return news.Errorf(news.EUNAUTHORIZED, "the API token is unknown, expired or revoked")
		} else if err != nil {
			return s.mapErr(err)
		}
		_, err = c.exec(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, now, tokenID)
		return err
	})
	return u, err
}

// scanPrefix scans one leading column before handing the rest to a scanner.
type scanPrefix struct {
	row   row
	first *int64
}

func (p scanPrefix) Scan(dest ...any) error { return p.row.Scan(append([]any{p.first}, dest...)...) }
