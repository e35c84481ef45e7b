// Package jobs runs the site's periodic work on every node. A job never
// relies on being the only runner: each one claims its work item by item in
// the database, in the same transaction as the effect, so the work is done
// exactly once across all nodes, survives a node that dies half-way, and is
// safe to run twice.
package jobs

import (
	"context"
	"log/slog"
	"time"
)

// Job is one kind of periodic work.
type Job struct {
	Name  string
	Every time.Duration
	// Run does the work that is due and says how much it did.
	Run func(ctx context.Context) (int, error)
}

// Runner runs jobs until its context ends.
type Runner struct {
	Log  *slog.Logger
	Jobs []Job
}

// Start launches one goroutine per job.
func (r *Runner) Start(ctx context.Context) {
	for _, j := range r.Jobs {
		go r.loop(ctx, j)
	}
}

func (r *Runner) loop(ctx context.Context, j Job) {
	t := time.NewTicker(j.Every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		n, err := j.Run(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			// The next tick tries again: every job picks up what is due.
			r.Log.Warn("job failed", "job", j.Name, "error", err)
		case n > 0:
			r.Log.Info("job done", "job", j.Name, "items", n)
		}
	}
}
