package web

import (
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"tamizdat/internal/news"
)

// CleanInput holds what a request carries to the one rule of text
// (news.CheckText) before any handler sees it: the decoded path, every
// query parameter's name and value (one line each), and, for a form sent
// as application/x-www-form-urlencoded, every field's name (one line) and
// value. A request that breaks it is answered by refuse, in the form of
// its surface, and goes no further: no handler, no database. Without this
// one check every handler would need its own, and a lookup that forgot it
// is a 500 on PostgreSQL (which cannot hold NUL or invalid UTF-8) and
// stored bytes on SQLite. Multipart forms are read only by the handlers
// that take files (the desk refuses them elsewhere), which check their
// fields with CheckForm.
func CleanInput(next http.Handler, refuse func(w http.ResponseWriter, r *http.Request, err error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := news.CheckLine("the address", r.URL.Path); err != nil {
			refuse(w, r, err)
			return
		}
		if r.URL.RawQuery != "" {
			// A malformed escape drops the pair, here as in r.URL.Query().
			query, _ := url.ParseQuery(r.URL.RawQuery)
			if err := checkValues("query parameter", query, true); err != nil {
				refuse(w, r, err)
				return
			}
		}
		if isURLEncodedForm(r) {
			err := r.ParseForm()
			// What was read is checked even when reading ended in an
			// error (a broken Content-Type parameter still yields the
			// fields), so that no handler that ignores the error sees them.
			if bad := CheckForm(r.PostForm); bad != nil {
				refuse(w, r, bad)
				return
			}
			if err != nil {
				// A form that cannot be read (over the body limit, or
				// broken) is the surface's to answer, as it always was
				// (413 with its own words for the first): its handler
				// reads the form again and meets the same error.
				r.Form, r.PostForm, r.Body = nil, nil, failedBody{err}
			}
		}
		next.ServeHTTP(w, r)
	})
}

// CheckForm holds every field of a form to news.CheckText: names to one
// line, values as they are (a textarea's CR LF line ends included).
func CheckForm(form url.Values) error { return checkValues("form field", form, false) }

func checkValues(kind string, vs url.Values, line bool) error {
	check := news.CheckText
	if line {
		check = news.CheckLine
	}
	// Nearly every request is fine: check without building a name or an
	// order first, and only for a refusal find, in name order (so that the
	// same request is always refused for the same field), the first field
	// that breaks the rule, and name it.
	bad := false
	for name, values := range vs {
		bad = bad || news.CheckLine("", name) != nil
		for _, v := range values {
			bad = bad || check("", v) != nil
		}
	}
	if !bad {
		return nil
	}
	names := make([]string, 0, len(vs))
	for name := range vs {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if err := news.CheckLine("a "+kind+" name", name); err != nil {
			return err
		}
		for _, v := range vs[name] {
			if err := check(kind+" "+strconv.Quote(name), v); err != nil {
				return err
			}
		}
	}
	return nil
}

func isURLEncodedForm(r *http.Request) bool {
	if r.Method != http.MethodPost && r.Method != http.MethodPut && r.Method != http.MethodPatch {
		return false
	}
	// Decided exactly as net/http decides to parse the body as a form: a
	// broken parameter does not stop it.
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return mt == "application/x-www-form-urlencoded"
}

// failedBody is a body whose reading fails with the error the first
// reading met.
type failedBody struct{ err error }

func (b failedBody) Read([]byte) (int, error) { return 0, b.err }
func (b failedBody) Close() error             { return nil }
