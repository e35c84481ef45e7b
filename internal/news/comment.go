package news

import "time"

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
