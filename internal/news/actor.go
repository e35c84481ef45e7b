package news

import "context"

type actorKey struct{}

// WithActor marks ctx as acting for desk user id, so that every audit event
// and revision a write makes under it names who did it, whatever surface
// (desk, API, CLI) the write came through. Without it the actor is the
// system.
func WithActor(ctx context.Context, id int64) context.Context {
	return context.WithValue(ctx, actorKey{}, id)
}

// ActorOf returns the user ctx acts for, 0 for the system.
func ActorOf(ctx context.Context) int64 {
	id, _ := ctx.Value(actorKey{}).(int64)
	return id
}
