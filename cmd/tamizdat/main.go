// Command tamizdat serves and manages a tamizdat news site.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"tamizdat/internal/app"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := app.Main(ctx, os.Args[1:], app.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr})
	stop()
	os.Exit(code)
}
