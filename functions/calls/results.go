package main

import (
	"context"
	"net/http"

	"espaceosc/shared/calls"
	"espaceosc/shared/httpapi"
)

// addResults serves the published results of a call: the selected
// associations (names, acronyms, cities, regions; nothing personal), 404
// until the results are published.
func addResults(rt *httpapi.Router, ev *calls.Evaluations) *httpapi.Router {
	rt.Handle("GET /api/calls/{id}/results", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		lang, err := r.QueryLang()
		if err != nil {
			return httpapi.Response{}, err
		}
		v, err := ev.PublicResults(ctx, r.Path("id"), lang)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.Response{Status: http.StatusOK, Body: v, Headers: map[string]string{"Cache-Control": "public, max-age=300"}}, nil
	})
	return rt
}
