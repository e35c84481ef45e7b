// Package news is the domain of tamizdat: the words the rest of the code uses
// (site, edition, category, article, comment, user) and the rules that hold for
// them whatever stores or serves them. It imports nothing internal, no net/http
// and no database/sql, so every other package can depend on it.
package news

import (
	"errors"
	"fmt"
)

// Error codes. Each maps to one HTTP status and one CLI exit status in the
// layers that present errors; the domain only says what went wrong.
const (
	EINVALID      = "invalid"      // the caller sent something that breaks a rule
	ENOTFOUND     = "not_found"    // no such thing (or not visible to this caller)
	ECONFLICT     = "conflict"     // clashes with what is already stored
	EGONE         = "gone"         // existed, was withdrawn on purpose
	EUNAUTHORIZED = "unauthorized" // who are you?
	EFORBIDDEN    = "forbidden"    // we know who you are; not allowed
	ETOOLARGE     = "too_large"    // over a size limit
	ETOOMANY      = "too_many"     // over a rate limit: try again later
	EUNAVAILABLE  = "unavailable"  // a dependency (the database) is away
	EINTERNAL     = "internal"     // our fault; the message is never shown
)

// Error is the one error type that crosses package boundaries with a message
// that is safe to show to whoever caused it.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with the code and a formatted, user-safe message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other error and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the safe message of err; internal errors are hidden
// behind a generic message because their text may carry paths or SQL.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// RootCause is the innermost error err wraps: the words of the system call
// or driver ("connection refused", "permission denied") that a message
// for a person names after its own.
func RootCause(err error) error {
	for {
		u := errors.Unwrap(err)
		if u == nil {
			return err
		}
		err = u
	}
}
