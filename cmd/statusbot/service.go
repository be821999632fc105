package main

import (
	"context"
	"net/http"
)

// service is one platform adapter as the wiring sees it. Adapters satisfy it
// with small methods of their own; cmd owns the interface.
type service interface {
	// Name is the platform, e.g. "discord".
	Name() string
	// Run serves until ctx is done, then finishes in-flight replies and closes
	// its connections. It returns nil on a clean shutdown.
	Run(ctx context.Context) error
	// Ready reports whether the service is connected and answering.
	Ready() bool
}

// route is an HTTP endpoint an adapter mounts on the bot's HTTP server.
type route struct {
	pattern string // e.g. "POST /discord/interactions"
	handler http.Handler
}
