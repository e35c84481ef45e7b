package news

import (
	"net/mail"
	"strings"
	"time"
)

// Role decides what a desk user may do.
type Role string

const (
	RoleAdmin     Role = "admin"
	RoleEditor    Role = "editor"
	RoleAuthor    Role = "author"
	RoleModerator Role = "moderator"
)

func (r Role) Valid() bool {
	return r == RoleAdmin || r == RoleEditor || r == RoleAuthor || r == RoleModerator
}

// CanPublish: admins and editors publish; authors submit for review.
func (r Role) CanPublish() bool { return r == RoleAdmin || r == RoleEditor }

// CanWrite: everyone but moderators writes articles.
func (r Role) CanWrite() bool { return r == RoleAdmin || r == RoleEditor || r == RoleAuthor }

// CanManageCategories: editors and admins shape the menu.
func (r Role) CanManageCategories() bool { return r == RoleAdmin || r == RoleEditor }

// User is a desk account.
type User struct {
	ID           int64
	Email        string
	Name         string
	Role         Role
	Active       bool
	PasswordHash string
	CreatedAt    time.Time
	TOTPSecret   string // "" until an authenticator app is enrolled
}

// Has2FA reports whether the user signs in with a second factor.
func (u *User) Has2FA() bool { return u.TOTPSecret != "" }

// CanModerate: moderators, editors and admins keep the comments.
func (r Role) CanModerate() bool { return r == RoleAdmin || r == RoleEditor || r == RoleModerator }

// CanAdminister: only admins manage users, settings and read the audit log.
func (r Role) CanAdminister() bool { return r == RoleAdmin }

// Session stages: a session whose password was right but whose second
// factor is still to come (or to be enrolled) opens nothing but that step.
const (
	StagePassword = "password"
	StageFull     = "full"
)

// Session is one signed-in browser of a desk user; only its token's hash is
// stored.
type Session struct {
	ID        int64
	UserID    int64
	Stage     string
	CreatedAt time.Time
	SeenAt    time.Time
	ExpiresAt time.Time
	Agent     string // a coarse label of the browser, never an address
}

// Validate checks a desk user's own rules: a role, an e-mail and a name
// of one line, the name with a visible character.
func (u *User) Validate() error {
	if !u.Role.Valid() {
		return Errorf(EINVALID, "role %q is not one of admin, editor, author, moderator", u.Role)
	}
	if err := CheckLine("e-mail", u.Email); err != nil {
		return err
	}
	return CheckUserName(u.Name)
}

// CheckUserName checks a desk user's display name, which the desk shows
// beside every save: one line, and with a visible character unless it is
// empty (the surfaces that create users fill it from the e-mail), so that
// no account passes for nameless.
func CheckUserName(name string) error {
	if name == "" {
		return nil
	}
	return checkVisible("name", name)
}

// NormalizeEmail lowercases and checks an e-mail address.
func NormalizeEmail(s string) (string, error) {
	if err := CheckLine("e-mail", s); err != nil {
		return "", err
	}
	s = strings.ToLower(strings.TrimSpace(s))
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || len(s) > 254 {
		return "", Errorf(EINVALID, "%q is not an e-mail address", s)
	}
	return s, nil
}

// APIToken is a bearer token of a user; only its hash is stored.
type APIToken struct {
	ID         int64
	UserID     int64
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastUsedAt time.Time // zero when never used
	RevokedAt  time.Time // zero while not revoked
}

// Active reports whether the token still opens the API at now.
func (t *APIToken) Active(now time.Time) bool { return t.RevokedAt.IsZero() && now.Before(t.ExpiresAt) }
