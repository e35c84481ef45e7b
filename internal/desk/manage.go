package desk

import (
	"net/http"
	"slices"
	"strings"

	"tamizdat/internal/news"
)

type categoriesContent struct {
	Editions []editionCategories
	Form     news.Category
}

type editionCategories struct {
	Edition    news.Edition
	Categories []news.Category
}

func (d *Desk) categories(w http.ResponseWriter, r *http.Request, q *req) error {
	return d.renderCategories(w, r, q, 0, news.Category{Edition: r.URL.Query().Get("edition")}, nil)
}

func (d *Desk) renderCategories(w http.ResponseWriter, r *http.Request, q *req, status int, form news.Category, problem error) error {
	eds, err := d.store.Editions(r.Context())
	if err != nil {
		return err
	}
	c := categoriesContent{Form: form}
	for _, e := range eds {
		cats, err := d.store.Categories(r.Context(), e.Code)
		if err != nil {
			return err
		}
		c.Editions = append(c.Editions, editionCategories{e, cats})
	}
	return d.render(w, r, q, status, "categories", "Categories and menus", c, problem)
}

func (d *Desk) createCategory(w http.ResponseWriter, r *http.Request, q *req) error {
	c := news.Category{Edition: r.PostFormValue("edition"), Slug: strings.ToLower(strings.TrimSpace(r.PostFormValue("slug"))), Name: r.PostFormValue("name")}
	if err := d.editor.CreateCategory(r.Context(), q.user, &c); err != nil {
		return d.renderCategories(w, r, q, 0, c, err)
	}
	return done(w, r, "/desk/categories/#"+c.Edition, "created")
}

func (d *Desk) renameCategory(w http.ResponseWriter, r *http.Request, q *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := d.store.RenameCategory(r.Context(), id, r.PostFormValue("name")); err != nil {
		return d.renderCategories(w, r, q, 0, news.Category{}, err)
	}
	return done(w, r, "/desk/categories/", "saved")
}

func (d *Desk) moveCategory(w http.ResponseWriter, r *http.Request, q *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	delta := 1
	if r.PostFormValue("direction") == "up" {
		delta = -1
	}
	if err := d.store.MoveCategory(r.Context(), id, delta); err != nil {
		return err
	}
	return done(w, r, "/desk/categories/", "saved")
}

func (d *Desk) deleteCategory(w http.ResponseWriter, r *http.Request, q *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := d.store.DeleteCategory(r.Context(), id); err != nil {
		return err
	}
	return done(w, r, "/desk/categories/", "deleted")
}

// editionComments sets an edition's comment policy, which its articles
// follow unless they set their own.
func (d *Desk) editionComments(w http.ResponseWriter, r *http.Request, q *req) error {
	code := r.PathValue("code")
	if err := d.store.SetEditionCommentPolicy(r.Context(), code, news.CommentPolicy(r.PostFormValue("comment_policy"))); err != nil {
		if news.ErrorCode(err) == news.EINVALID {
			return d.renderCategories(w, r, q, 0, news.Category{}, err)
		}
		return err
	}
	return done(w, r, "/desk/categories/#"+code, "saved")
}

// PageSlugs are the static pages the site serves in every edition.
var PageSlugs = []string{"about", "privacy"}

type pagesContent struct {
	Rows []pageRow
}

type pageRow struct {
	Edition news.Edition
	Slug    string
	Page    *news.Page // nil while not written
}

func (d *Desk) pagesList(w http.ResponseWriter, r *http.Request, q *req) error {
	eds, err := d.store.Editions(r.Context())
	if err != nil {
		return err
	}
	pages, err := d.store.Pages(r.Context())
	if err != nil {
		return err
	}
	var c pagesContent
	for _, e := range eds {
		for _, slug := range PageSlugs {
			row := pageRow{Edition: e, Slug: slug}
			for _, p := range pages {
				if p.Edition == e.Code && p.Slug == slug {
					row.Page = p
				}
			}
			c.Rows = append(c.Rows, row)
		}
	}
	return d.render(w, r, q, 0, "pages", "Pages", c, nil)
}

func (d *Desk) pageArgs(r *http.Request) (string, string, error) {
	lang, slug := r.PathValue("lang"), r.PathValue("slug")
	eds, err := d.store.Editions(r.Context())
	if err != nil {
		return "", "", err
	}
	if !slices.ContainsFunc(eds, func(e news.Edition) bool { return e.Code == lang }) || !slices.Contains(PageSlugs, slug) {
		return "", "", news.Errorf(news.ENOTFOUND, "there is no such page")
	}
	return lang, slug, nil
}

func (d *Desk) pageForm(w http.ResponseWriter, r *http.Request, q *req) error {
	lang, slug, err := d.pageArgs(r)
	if err != nil {
		return err
	}
	p, err := d.store.Page(r.Context(), lang, slug)
	if news.ErrorCode(err) == news.ENOTFOUND {
		p, err = &news.Page{Edition: lang, Slug: slug}, nil
	}
	if err != nil {
		return err
	}
	return d.render(w, r, q, 0, "page", "Page "+lang+"/"+slug, p, nil)
}

func (d *Desk) savePage(w http.ResponseWriter, r *http.Request, q *req) error {
	lang, slug, err := d.pageArgs(r)
	if err != nil {
		return err
	}
	p := &news.Page{Edition: lang, Slug: slug, Title: r.PostFormValue("title"), Body: normalizeNewlines(r.PostFormValue("body"))}
	if err := d.store.PutPage(r.Context(), p); err != nil {
		return d.render(w, r, q, 0, "page", "Page "+lang+"/"+slug, p, err)
	}
	return done(w, r, "/desk/pages/", "saved")
}

type settingsContent struct {
	Fields []settingField
}

type settingField struct {
	Key, Label, Help, Value string
	Long                    bool // a textarea
	Options                 []string
	Error                   string
}

func (d *Desk) settingFields(q *req, eds []news.Edition) []settingField {
	s := q.settings
	fields := []settingField{
		{Key: "site_name", Label: "Site name"},
		{Key: "time_zone", Label: "Newsroom time zone", Help: "An IANA name such as Europe/Warsaw. Dates on the site and the desk's schedule use it."},
		{Key: "default_edition", Label: "Default edition", Help: "The edition readers get at /."},
		{Key: "primary_url", Label: "Primary address", Help: "Such as https://example.org. Once set, the site answers only on it, the mirrors and the onion address."},
		{Key: "mirror_urls", Label: "Mirrors", Help: "Addresses separated by commas."},
		{Key: "onion_url", Label: "Onion address", Help: "An address ending in .onion."},
		{Key: "desk_url", Label: "Desk address", Help: "Optional, such as https://desk.example.org. Once set, the desk answers only on it (and you sign in there)."},
		{Key: "support_methods", Label: "Ways to support", Long: true, Help: `A JSON array of {"kind","label","value"}.`},
		{Key: "social_accounts", Label: "Social accounts", Long: true, Help: `A JSON array of {"network","url"}.`},
		{Key: "require_2fa", Label: "Two-factor sign-in required for", Options: []string{news.TwoFactorStaff, news.TwoFactorEveryone},
			Help: "admins_editors: admins and editors; everyone: every desk user."},
		{Key: "comment_policy", Label: "Comments", Options: []string{"open", "premoderated", "closed"},
			Help: "open: published at once, moderated after; premoderated: held until approved. Editions and articles may set their own."},
		{Key: "comments_close_after_days", Label: "Close comments after (days)", Help: "0: never."},
		{Key: "premoderation_hours", Label: "Premoderation hours", Help: "When no moderator is on duty, in the newsroom's time zone, such as: Mon-Fri 22:00-07:00, Sat-Sun"},
		{Key: "comment_rules", Label: "Comment rules", Long: true, Help: "One per line: “hold: word or phrase”, “reject: word”, or a /regular expression/. Look-alike Latin and Cyrillic letters count as the same."},
		{Key: "comment_max_links", Label: "Links per comment"},
		{Key: "comment_limit_per_hour", Label: "Comments per reader per hour", Help: "Readers are told apart by a keyed hash of their address (see address_key_days)."},
		{Key: "comment_limit_per_article_minute", Label: "Comments per article per minute"},
		{Key: "comment_similarity", Label: "Near-duplicate threshold", Help: "0.3 to 1: how alike two comments' words must be for the second to wait for a moderator."},
		{Key: "onion_comment_policy", Label: "Comments through the onion service", Options: []string{"inherit", "open", "premoderated", "closed"},
			Help: "All onion readers share the Tor daemon's address, so address limits do not apply there."},
		{Key: "onion_comment_limit_per_article_minute", Label: "Onion comments per article per minute"},
		{Key: "address_key_days", Label: "Days an address hash can be linked", Help: "1 to 30. The keys that hash readers' addresses are destroyed after this many days, and with them every ban and mark resting on them. The privacy page says so."},
	}
	for _, e := range eds {
		fields = append(fields, settingField{Key: "access." + e.Code, Label: "Access page (" + e.Name + ")", Long: true,
			Help: "Markdown shown above the list of mirrors on /" + e.Code + "/access/."})
	}
	for i := range fields {
		fields[i].Value = s.Get(fields[i].Key)
	}
	return fields
}

func (d *Desk) settingsForm(w http.ResponseWriter, r *http.Request, q *req) error {
	eds, err := d.store.Editions(r.Context())
	if err != nil {
		return err
	}
	return d.render(w, r, q, 0, "settings", "Settings", settingsContent{d.settingFields(q, eds)}, nil)
}

// saveSettings stores every changed key; each is validated on its own, and
// a key that fails keeps the typed value on the form with its message.
func (d *Desk) saveSettings(w http.ResponseWriter, r *http.Request, q *req) error {
	eds, err := d.store.Editions(r.Context())
	if err != nil {
		return err
	}
	fields := d.settingFields(q, eds)
	failed := false
	for i, f := range fields {
		v, ok := r.PostForm[f.Key]
		if !ok || strings.TrimSpace(normalizeNewlines(v[0])) == strings.TrimSpace(f.Value) {
			continue
		}
		fields[i].Value = normalizeNewlines(v[0])
		if err := d.store.SetSetting(r.Context(), f.Key, fields[i].Value); err != nil {
			if news.ErrorCode(err) == news.EINTERNAL || news.ErrorCode(err) == news.EUNAVAILABLE {
				return err
			}
			fields[i].Error, failed = news.ErrorMessage(err), true
		}
	}
	if failed {
		return d.render(w, r, q, http.StatusUnprocessableEntity, "settings", "Settings", settingsContent{fields},
			news.Errorf(news.EINVALID, "Some settings were not saved; see the messages below."))
	}
	return done(w, r, "/desk/settings/", "saved")
}
