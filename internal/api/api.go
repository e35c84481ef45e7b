// Package api is the JSON API under /api/v1/: token-authenticated writes
// through the editorial use-cases, and the public read API of published
// articles. Every error is JSON {"error": "..."} with a 4xx status for
// anything the caller can fix.
package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"tamizdat/internal/auth"
	"tamizdat/internal/news"
	"tamizdat/internal/store"
	"tamizdat/internal/web"
)

// Store is what the API reads.
type Store interface {
	Settings(ctx context.Context) (news.Settings, error)
	Editions(ctx context.Context) ([]news.Edition, error)
	Categories(ctx context.Context, edition string) ([]news.Category, error)
	Articles(ctx context.Context, q store.ArticleQuery) ([]*news.Article, int, error)
	Article(ctx context.Context, id int64) (*news.Article, error)
	UserByTokenHash(ctx context.Context, hash []byte) (*news.User, error)
	CommentQueue(ctx context.Context, q store.CommentQuery) ([]*store.QueuedComment, int, error)
	ModerateComments(ctx context.Context, ids []int64, status news.CommentStatus) (int, error)
	Comment(ctx context.Context, id int64) (*news.Comment, error)
	Now() time.Time
}

// Editor runs the writing use-cases (editorial.Service).
type Editor interface {
	Article(ctx context.Context, actor *news.User, id int64) (*news.Article, error)
	CreateArticle(ctx context.Context, actor *news.User, a *news.Article) error
	UpdateArticle(ctx context.Context, actor *news.User, id int64, change func(*news.Article) error) (*news.Article, error)
	DeleteArticle(ctx context.Context, actor *news.User, id int64) error
	CreateCategory(ctx context.Context, actor *news.User, c *news.Category) error
}

// API is the JSON surface.
type API struct {
	store  Store
	editor Editor
}

// PerPage is the size of a page of the public list.
const PerPage = 20

func New(st Store, ed Editor) *API { return &API{store: st, editor: ed} }

// Routes registers the API on mux. Each path also has a method-less route so
// that a wrong method gets a JSON 405 rather than the mux's plain text.
func (a *API) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/articles", a.listArticles)
	mux.HandleFunc("POST /api/v1/articles", a.createArticle)
	mux.HandleFunc("/api/v1/articles", methodNotAllowed("GET, POST"))
	mux.HandleFunc("GET /api/v1/articles/{id}", a.getArticle)
	mux.HandleFunc("PATCH /api/v1/articles/{id}", a.patchArticle)
	mux.HandleFunc("DELETE /api/v1/articles/{id}", a.deleteArticle)
	mux.HandleFunc("/api/v1/articles/{id}", methodNotAllowed("GET, PATCH, DELETE"))
	mux.HandleFunc("GET /api/v1/categories", a.listCategories)
	mux.HandleFunc("POST /api/v1/categories", a.createCategory)
	mux.HandleFunc("/api/v1/categories", methodNotAllowed("GET, POST"))
	mux.HandleFunc("GET /api/v1/comments", a.listComments)
	mux.HandleFunc("/api/v1/comments", methodNotAllowed("GET"))
	mux.HandleFunc("POST /api/v1/comments/{id}/approve", a.moderateComment(news.CommentPublished))
	mux.HandleFunc("POST /api/v1/comments/{id}/reject", a.moderateComment(news.CommentRejected))
	mux.HandleFunc("POST /api/v1/comments/{id}/spam", a.moderateComment(news.CommentSpam))
}

// NotFound answers a path under /api/ that no route matched. The reader
// site's patterns overlap /api/ on the mux, so the app's fallback sends such
// paths here.
func NotFound(w http.ResponseWriter, r *http.Request) {
	web.JSON(w, r, http.StatusNotFound, map[string]string{"error": "no such API endpoint; see /api/v1/articles, /api/v1/categories and /api/v1/comments"})
}

func methodNotAllowed(allow string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", allow)
		web.JSON(w, r, http.StatusMethodNotAllowed, map[string]string{"error": "method " + r.Method + " is not allowed here; use " + allow})
	}
}

// badRequest is an error in the request's form (not JSON, wrong type, an
// unknown field), as opposed to a value that breaks a rule (422).
type badRequest struct{ msg string }

func (e *badRequest) Error() string { return e.msg }

func fail(w http.ResponseWriter, r *http.Request, err error) {
	var br *badRequest
	if errors.As(err, &br) {
		web.JSON(w, r, http.StatusBadRequest, map[string]string{"error": br.msg})
		return
	}
	web.Error(w, r, err)
}

// actor authenticates the bearer token. optional: a request without an
// Authorization header is anonymous (nil, nil); a wrong token is always 401.
func (a *API) actor(r *http.Request, optional bool) (*news.User, error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		if optional {
			return nil, nil
		}
		return nil, news.Errorf(news.EUNAUTHORIZED, "this request needs an API token: send Authorization: Bearer TOKEN (create one with tamizdat token create)")
	}
	scheme, token, ok := strings.Cut(h, " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return nil, news.Errorf(news.EUNAUTHORIZED, "the Authorization header must be Bearer TOKEN")
	}
	return a.store.UserByTokenHash(r.Context(), auth.HashToken(token))
}

// BadRequest answers a request the HTTP boundary refused (web.CleanInput)
// as the API answers everything: JSON, 400.
func BadRequest(w http.ResponseWriter, r *http.Request, err error) {
	fail(w, r, &badRequest{web.Message(err)})
}

// decode reads a JSON object into v, refusing other media types, unknown
// fields, type mismatches, trailing data, and strings that break the one
// rule of text (checkJSON), whatever field they are in.
func decode(r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return &badRequest{"the body must be JSON (Content-Type: application/json)"}
		}
	}
	// The body is bounded (web.LimitBody), and the text check reads it a
	// second time.
	body, err := io.ReadAll(r.Body)
	if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
		return err
	} else if err != nil {
		return &badRequest{"the body could not be read: " + err.Error()}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		var se *json.SyntaxError
		switch {
		case errors.Is(err, io.EOF):
			return &badRequest{"the request body is empty; send a JSON object"}
		case errors.As(err, &te) && te.Field == "":
			return &badRequest{"the body must be a JSON object, not " + te.Value}
		case errors.As(err, &te):
			return &badRequest{"field " + te.Field + " must be " + jsonKind(te.Type.Kind().String())}
		case errors.As(err, &se), errors.Is(err, io.ErrUnexpectedEOF):
			return &badRequest{"the body is not valid JSON: " + err.Error()}
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			return &badRequest{"unknown field " + strings.TrimPrefix(err.Error(), "json: unknown field ")}
		}
		return &badRequest{"the body is not a valid JSON object: " + err.Error()}
	}
	if dec.More() {
		return &badRequest{"the body holds more than one JSON value"}
	}
	if err := checkJSON(body); err != nil {
		return &badRequest{news.ErrorMessage(err)}
	}
	return nil
}

func jsonKind(k string) string {
	switch k {
	case "string":
		return "a string"
	case "slice":
		return "an array"
	case "bool":
		return "true or false"
	case "struct", "map", "ptr":
		return "an object"
	}
	return "a number"
}
