// Package reqctx carries per-request facts (request id, client address, the
// signed-in employee) through a context, for the audit trail and the logs.
package reqctx

import (
	"context"

	"github.com/samordna/samordna"
)

type key struct{}

// Info is what the transport layer knows about the request.
type Info struct {
	RequestID string
	Client    string
	Employee  *samordna.Employee // nil until authenticated
	Lang      string
}

// With returns a context carrying info.
func With(ctx context.Context, info *Info) context.Context {
	return context.WithValue(ctx, key{}, info)
}

// From returns the request's info; never nil.
func From(ctx context.Context) *Info {
	if info, ok := ctx.Value(key{}).(*Info); ok {
		return info
	}
	return &Info{}
}

// Actor returns the audit actor for the request.
func Actor(ctx context.Context) *samordna.Actor {
	info := From(ctx)
	return &samordna.Actor{Employee: info.Employee, RequestID: info.RequestID, Client: info.Client}
}
