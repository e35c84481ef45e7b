package desk

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"tamizdat/internal/auth"
	"tamizdat/internal/news"
	"tamizdat/internal/store"
)

type usersContent struct {
	Users    []*news.User
	Form     news.User
	Password string // shown once after creating a user
	Created  *news.User
	Roles    []news.Role
}

var roles = []news.Role{news.RoleAdmin, news.RoleEditor, news.RoleAuthor, news.RoleModerator}

func (d *Desk) users(w http.ResponseWriter, r *http.Request, q *req) error {
	return d.renderUsers(w, r, q, 0, usersContent{Form: news.User{Role: news.RoleAuthor}}, nil)
}

func (d *Desk) renderUsers(w http.ResponseWriter, r *http.Request, q *req, status int, c usersContent, problem error) error {
	var err error
	if c.Users, err = d.store.Users(r.Context()); err != nil {
		return err
	}
	c.Roles = roles
	return d.render(w, r, q, status, "users", "Users", c, problem)
}

// createUser adds a desk user with a generated password, shown once to the
// admin to hand over in person or over a safe channel; the user changes it
// in the account page.
func (d *Desk) createUser(w http.ResponseWriter, r *http.Request, q *req) error {
	c := usersContent{Form: news.User{Email: r.PostFormValue("email"), Name: strings.TrimSpace(r.PostFormValue("name")), Role: news.Role(r.PostFormValue("role"))}}
	email, err := news.NormalizeEmail(c.Form.Email)
	if err != nil {
		return d.renderUsers(w, r, q, 0, c, err)
	}
	if c.Form.Name == "" {
		c.Form.Name = email
	}
	password := auth.GeneratePassword()
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	u := &news.User{Email: email, Name: c.Form.Name, Role: c.Form.Role, Active: true, PasswordHash: hash}
	if err := d.store.CreateUser(r.Context(), u); err != nil {
		return d.renderUsers(w, r, q, 0, c, err)
	}
	return d.renderUsers(w, r, q, http.StatusCreated, usersContent{Form: news.User{Role: news.RoleAuthor}, Password: password, Created: u}, nil)
}

type userContent struct {
	U        *news.User
	Sessions []news.Session
	Tokens   []news.APIToken
	Roles    []news.Role
	Now      time.Time
	Loc      *time.Location
	Self     bool
}

func (d *Desk) userPage(w http.ResponseWriter, r *http.Request, q *req, status int, problem error) error {
	ctx := r.Context()
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	u, err := d.store.UserByID(ctx, id)
	if err != nil {
		return err
	}
	c := userContent{U: u, Roles: roles, Now: d.store.Now(), Loc: q.settings.Location, Self: u.ID == q.user.ID}
	if c.Sessions, err = d.store.Sessions(ctx, id); err != nil {
		return err
	}
	if c.Tokens, err = d.store.Tokens(ctx, id); err != nil {
		return err
	}
	return d.render(w, r, q, status, "user", u.Name, c, problem)
}

func (d *Desk) user(w http.ResponseWriter, r *http.Request, q *req) error {
	return d.userPage(w, r, q, 0, nil)
}

func (d *Desk) updateUser(w http.ResponseWriter, r *http.Request, q *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	name := strings.TrimSpace(r.PostFormValue("name"))
	if name == "" || len([]rune(name)) > 100 {
		return d.userPage(w, r, q, http.StatusUnprocessableEntity, news.Errorf(news.EINVALID, "the name must be 1 to 100 characters"))
	}
	if err := d.store.UpdateUser(r.Context(), id, name, news.Role(r.PostFormValue("role"))); err != nil {
		return d.userPage(w, r, q, 0, err)
	}
	return done(w, r, "/desk/users/"+strconv.FormatInt(id, 10)+"/", "saved")
}

// disableUser is the bad-day button: the account stops working at once,
// with every session and API token, on every node.
func (d *Desk) disableUser(w http.ResponseWriter, r *http.Request, q *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := d.store.CanDisable(r.Context(), id); err != nil {
		return d.userPage(w, r, q, 0, err)
	}
	u, err := d.store.UserByID(r.Context(), id)
	if err != nil {
		return err
	}
	if _, err := d.store.DisableUser(r.Context(), u.Email); err != nil {
		return err
	}
	if id == q.user.ID {
		clearCookie(w)
		http.Redirect(w, r, "/desk/signin", http.StatusSeeOther)
		return nil
	}
	return done(w, r, "/desk/users/"+strconv.FormatInt(id, 10)+"/", "disabled")
}

func (d *Desk) enableUser(w http.ResponseWriter, r *http.Request, q *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := d.store.EnableUser(r.Context(), id); err != nil {
		return err
	}
	return done(w, r, "/desk/users/"+strconv.FormatInt(id, 10)+"/", "enabled")
}

func (d *Desk) resetUser2FA(w http.ResponseWriter, r *http.Request, q *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	u, err := d.store.UserByID(r.Context(), id)
	if err != nil {
		return err
	}
	if err := d.store.ResetTOTP(r.Context(), u.Email); err != nil {
		return err
	}
	return done(w, r, "/desk/users/"+strconv.FormatInt(id, 10)+"/", "reset2fa")
}

func (d *Desk) endUserSessions(w http.ResponseWriter, r *http.Request, q *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := d.store.EndSessions(r.Context(), id); err != nil {
		return err
	}
	return done(w, r, "/desk/users/"+strconv.FormatInt(id, 10)+"/", "endedall")
}

func (d *Desk) revokeToken(w http.ResponseWriter, r *http.Request, q *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	tid, err := pathID(r, "token")
	if err != nil {
		return err
	}
	tokens, err := d.store.Tokens(r.Context(), id)
	if err != nil {
		return err
	}
	found := false
	for _, t := range tokens {
		found = found || t.ID == tid
	}
	if !found {
		return news.Errorf(news.ENOTFOUND, "the user has no such API token")
	}
	if err := d.store.RevokeToken(r.Context(), tid); err != nil {
		return err
	}
	return done(w, r, "/desk/users/"+strconv.FormatInt(id, 10)+"/", "revoked")
}

type auditContent struct {
	Events []store.AuditEvent
	Action string
	Next   int64
	Loc    *time.Location
}

const auditPage = 100

// audit shows the audit log, newest first, filtered by action (or a prefix
// such as "article."), a page at a time.
func (d *Desk) audit(w http.ResponseWriter, r *http.Request, q *req) error {
	v := r.URL.Query()
	before, _ := strconv.ParseInt(v.Get("before"), 10, 64)
	c := auditContent{Action: strings.TrimSpace(v.Get("action")), Loc: q.settings.Location}
	var err error
	c.Events, err = d.store.AuditLog(r.Context(), store.AuditQuery{Action: c.Action, Before: before, Limit: auditPage})
	if err != nil {
		return err
	}
	if len(c.Events) == auditPage {
		c.Next = c.Events[len(c.Events)-1].ID
	}
	return d.render(w, r, q, 0, "audit", "Audit log", c, nil)
}
