package main

import "context"

// seedHook fills a new data directory once, after the cloud is ready.
// TODO(seed): set to seed.Apply from espaceosc/infra/seed once that package exists:
//
//	var seedHook = seed.Apply
var seedHook func(ctx context.Context, baseURL, adminToken string) error
