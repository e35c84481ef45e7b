package store

import (
	"context"

	"tamizdat/internal/news"
)

// WithActor marks ctx as acting for desk user id (see news.WithActor).
func WithActor(ctx context.Context, id int64) context.Context { return news.WithActor(ctx, id) }

// ActorOf returns the user ctx acts for, 0 for the system.
func ActorOf(ctx context.Context) int64 { return news.ActorOf(ctx) }

type restoreKey struct{}

// WithRestore marks the article save under ctx as restoring revision id, so
// that the revision it writes says so.
func WithRestore(ctx context.Context, id int64) context.Context {
	return context.WithValue(ctx, restoreKey{}, id)
}
