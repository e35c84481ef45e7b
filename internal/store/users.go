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
	if err := u.Validate(); err != nil {
		return err
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
		if err != nil {
			return err
		}
		return s.recordAudit(ctx, c, 0, AuditUserCreate, u.Email, string(u.Role))
	})
}

const userColumns = `u.id, u.email, u.name, u.role, u.active, u.password_hash, u.created_at, u.totp_secret`

func scanUser(sc interface{ Scan(...any) error }) (*news.User, error) {
	var u news.User
	var active int
	var created sql.NullInt64
	if err := sc.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &active, &u.PasswordHash, &created, &u.TOTPSecret); err != nil {
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
// use the API, and every session and token is ended in the same
// transaction, so that a stolen credential stops working at the next
// request on every node. It returns how many tokens it revoked.
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
		ended, err := s.endSessions(ctx, c, id)
		if err != nil {
			return err
		}
		return s.recordAudit(ctx, c, 0, AuditUserDisable, email,
			strconv.Itoa(ended)+" sessions ended, "+strconv.Itoa(revoked)+" API tokens revoked")
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

// UserByID finds a user by id.
func (s *DB) UserByID(ctx context.Context, id int64) (*news.User, error) {
	u, err := scanUser(s.read().queryRow(ctx, `SELECT `+userColumns+` FROM users u WHERE u.id = ?`, id))
	if err != nil {
		return nil, notFound(s.mapErr(err), "user")
	}
	return u, nil
}

// Users lists every desk user, by e-mail.
func (s *DB) Users(ctx context.Context) ([]*news.User, error) {
	rows, err := s.read().query(ctx, `SELECT `+userColumns+` FROM users u ORDER BY u.email`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []*news.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		list = append(list, u)
	}
	return list, rows.Err()
}

// UpdateUser changes a user's name and role. The last active admin cannot
// stop being one, so that the site always has someone who can manage it.
func (s *DB) UpdateUser(ctx context.Context, id int64, name string, role news.Role) error {
	if !role.Valid() {
		return news.Errorf(news.EINVALID, "role %q is not one of admin, editor, author, moderator", role)
	}
	if err := news.CheckUserName(name); err != nil {
		return err
	}
	return s.tx(ctx, func(c conn) error {
		u, err := scanUser(c.queryRow(ctx, `SELECT `+userColumns+` FROM users u WHERE u.id = ?`, id))
		if err != nil {
			return notFound(err, "user")
		}
		if u.Role == news.RoleAdmin && role != news.RoleAdmin {
			if err := s.checkOtherAdmin(ctx, c, id); err != nil {
				return err
			}
		}
		if _, err := c.exec(ctx, `UPDATE users SET name = ?, role = ? WHERE id = ?`, name, string(role), id); err != nil {
			return err
		}
		return s.recordAudit(ctx, c, 0, AuditUserUpdate, u.Email, "role "+string(u.Role)+" → "+string(role))
	})
}

func (s *DB) checkOtherAdmin(ctx context.Context, c conn, id int64) error {
	var n int
	if err := c.queryRow(ctx, `SELECT count(*) FROM users WHERE role = 'admin' AND active = 1 AND id <> ?`, id).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return news.Errorf(news.ECONFLICT, "this is the only active admin; make another user admin first")
	}
	return nil
}

// EnableUser opens a disabled account again; its old sessions and tokens
// stay ended.
func (s *DB) EnableUser(ctx context.Context, id int64) error {
	return s.tx(ctx, func(c conn) error {
		var email string
		if err := c.queryRow(ctx, `SELECT email FROM users WHERE id = ?`, id).Scan(&email); err != nil {
			return notFound(err, "user")
		}
		if _, err := c.exec(ctx, `UPDATE users SET active = 1 WHERE id = ?`, id); err != nil {
			return err
		}
		return s.recordAudit(ctx, c, 0, AuditUserEnable, email, "")
	})
}

// CanDisable refuses to disable the last active admin.
func (s *DB) CanDisable(ctx context.Context, id int64) error {
	u, err := s.UserByID(ctx, id)
	if err != nil {
		return err
	}
	if u.Role != news.RoleAdmin {
		return nil
	}
	return s.checkOtherAdmin(ctx, s.read(), id)
}

// SetPassword stores a new password hash and ends every session of the
// user: whoever knew the old password is out.
func (s *DB) SetPassword(ctx context.Context, id int64, hash string) error {
	return s.tx(ctx, func(c conn) error {
		if _, err := c.exec(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, hash, id); err != nil {
			return err
		}
		n, err := s.endSessions(ctx, c, id)
		if err != nil {
			return err
		}
		return s.recordAudit(ctx, c, 0, AuditPassword, "user "+strconv.FormatInt(id, 10), strconv.Itoa(n)+" sessions ended")
	})
}

// SetTOTP enrols an authenticator (secret) with a fresh set of recovery
// codes (their hashes), replacing any earlier ones, and ends every session
// of the user: a second factor changed means whoever was signed in signs in
// again. step is the time step of the code that proved the enrolment, which
// can then not be used to sign in.
func (s *DB) SetTOTP(ctx context.Context, id int64, secret string, step int64, codeHashes [][]byte) error {
	return s.tx(ctx, func(c conn) error {
		if _, err := c.exec(ctx, `UPDATE users SET totp_secret = ?, totp_step = ? WHERE id = ?`, secret, step, id); err != nil {
			return err
		}
		if _, err := c.exec(ctx, `DELETE FROM recovery_codes WHERE user_id = ?`, id); err != nil {
			return err
		}
		for _, h := range codeHashes {
			if _, err := c.exec(ctx, `INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)`, id, h); err != nil {
				return err
			}
		}
		n, err := s.endSessions(ctx, c, id)
		if err != nil {
			return err
		}
		return s.recordAudit(ctx, c, 0, AuditTwoFactorOn, "user "+strconv.FormatInt(id, 10), strconv.Itoa(n)+" sessions ended")
	})
}

// ResetTOTP removes a user's second factor and recovery codes and ends
// every session, for an operator recovering a locked-out account: the user
// signs in with the password and enrols again.
func (s *DB) ResetTOTP(ctx context.Context, email string) error {
	return s.tx(ctx, func(c conn) error {
		var id int64
		if err := c.queryRow(ctx, `SELECT id FROM users WHERE email = ?`, email).Scan(&id); err != nil {
			return notFound(err, "user "+email)
		}
		if _, err := c.exec(ctx, `UPDATE users SET totp_secret = '', totp_step = 0 WHERE id = ?`, id); err != nil {
			return err
		}
		if _, err := c.exec(ctx, `DELETE FROM recovery_codes WHERE user_id = ?`, id); err != nil {
			return err
		}
		n, err := s.endSessions(ctx, c, id)
		if err != nil {
			return err
		}
		return s.recordAudit(ctx, c, 0, AuditTwoFactorOff, email, strconv.Itoa(n)+" sessions ended")
	})
}

// UseTOTPStep accepts a code's time step once: a step at or before the
// last accepted one is a replay.
func (s *DB) UseTOTPStep(ctx context.Context, id, step int64) error {
	r, err := s.read().exec(ctx, `UPDATE users SET totp_step = ? WHERE id = ? AND totp_step < ?`, step, id, step)
	if err != nil {
		return err
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return news.Errorf(news.EUNAUTHORIZED, "that code was already used; wait for the next one")
	}
	return nil
}

// UseRecoveryCode spends one recovery code of the user.
func (s *DB) UseRecoveryCode(ctx context.Context, id int64, hash []byte) error {
	return s.tx(ctx, func(c conn) error {
		r, err := c.exec(ctx, `UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL`,
			s.now().UnixMicro(), id, hash)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return news.Errorf(news.EUNAUTHORIZED, "the code is wrong")
		}
		return s.recordAudit(ctx, c, id, AuditRecoveryUsed, "user "+strconv.FormatInt(id, 10), "")
	})
}

// RecoveryCodesLeft counts a user's unused recovery codes.
func (s *DB) RecoveryCodesLeft(ctx context.Context, id int64) (int, error) {
	var n int
	err := s.read().queryRow(ctx, `SELECT count(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL`, id).Scan(&n)
	return n, err
}

// TOTPSecrets returns the stored authenticator secret of every user who has
// one, by user id.
func (s *DB) TOTPSecrets(ctx context.Context) (map[int64]string, error) {
	rows, err := s.read().query(ctx, `SELECT id, totp_secret FROM users WHERE totp_secret <> ''`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var secret string
		if err := rows.Scan(&id, &secret); err != nil {
			return nil, err
		}
		out[id] = secret
	}
	return out, rows.Err()
}

// ReplaceTOTPSecret stores a user's authenticator secret in another form
// (sealed), unless it changed since it was read as old.
func (s *DB) ReplaceTOTPSecret(ctx context.Context, id int64, old, replacement string) error {
	_, err := s.read().exec(ctx, `UPDATE users SET totp_secret = ? WHERE id = ? AND totp_secret = ?`, replacement, id, old)
	return err
}
