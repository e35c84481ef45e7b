package news

import (
	"strings"
	"time"
	"unicode/utf8"
)

// CommentStatus is where a comment is in moderation.
type CommentStatus string

const (
	CommentPending   CommentStatus = "pending"
	CommentPublished CommentStatus = "published"
	CommentRejected  CommentStatus = "rejected"
	CommentSpam      CommentStatus = "spam"
)

func (s CommentStatus) Valid() bool {
	return s == CommentPending || s == CommentPublished || s == CommentRejected || s == CommentSpam
}

// Comment is a reader's comment. It carries no e-mail and no client address,
// in any form: readers can be prosecuted for what they write.
type Comment struct {
	ID        int64
	ArticleID int64
	ParentID  int64 // 0 for a top-level comment
	Name      string
	Body      string // plain text
	Status    CommentStatus
	CreatedAt time.Time

	// For moderators: why it waits, how often readers reported it.
	HeldReason  string
	Reports     int
	ModeratedAt time.Time
}

// Limits of a comment.
const (
	MaxCommentRunes = 3000
	MaxCommentName  = 80
)

// Normalize trims a comment as the form sent it: CR LF line ends become
// LF, the text loses surrounding space, the name every run of space.
func (c *Comment) Normalize() {
	c.Body = strings.TrimSpace(strings.ReplaceAll(c.Body, "\r\n", "\n"))
	c.Name = strings.Join(strings.Fields(c.Name), " ")
}

// Check applies the rules of a comment's name and text: the one rule of
// text (CheckText, the name on one line), a text with a visible character,
// a name with one if there is a name at all (a name of invisible
// characters pretends to be no name), and the limits. It returns the
// reason as a word the intake turns into the reader's language
// ("bad_text", "empty", "too_long"), and the error in full for other
// callers; "" and nil when the comment may be taken.
func (c *Comment) Check() (string, error) {
	if err := CheckLine("name", c.Name); err != nil {
		return "bad_text", err
	}
	if err := CheckText("text", c.Body); err != nil {
		return "bad_text", err
	}
	if c.Name != "" && !HasVisible(c.Name) {
		return "bad_text", Errorf(EINVALID, "name has no visible character; leave it empty to post without a name")
	}
	if !HasVisible(c.Body) {
		return "empty", Errorf(EINVALID, "a comment needs text")
	}
	if utf8.RuneCountInString(c.Body) > MaxCommentRunes || utf8.RuneCountInString(c.Name) > MaxCommentName {
		return "too_long", Errorf(EINVALID, "the comment or the name is too long: at most %d characters of text and %d of name", MaxCommentRunes, MaxCommentName)
	}
	return "", nil
}

// Validate is Check for callers that need only the error.
func (c *Comment) Validate() error {
	_, err := c.Check()
	return err
}
