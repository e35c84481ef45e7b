package store

import "context"

type actorKey struct{}

// WithActor marks ctx as acting for desk user id, so that every audit event
// and revision written under it names who did it, whatever surface (desk,
// API, CLI) the write came through. Without it the actor is the system.
func WithActor(ctx context.Context, id int64) context.Context {
	return context.WithValue(ctx, actorKey{}, id)
}

// ActorOf returns the user ctx acts for, 0 for the system.
func ActorOf(ctx context.Context) int64 {
	id, _ := ctx.Value(actorKey{}).(int64)
	return id
}

type restoreKey struct{}

// WithRestore marks the article save under ctx as restoring revision id, so
// that the revision it writes says so.
func WithRestore(ctx context.Context, id int64) context.Context {
	return context.WithValue(ctx, restoreKey{}, id)
}
