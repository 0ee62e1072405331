package httpapi

import "net/http"

// Page is the body of every paginated answer: the page's items (never null)
// and the cursor of the next page, absent on the last one.
type Page[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"nextCursor,omitempty"`
}

// PageOf is a 200 answer with one page.
func PageOf[T any](items []T, next string) Response {
	if items == nil {
		items = []T{}
	}
	return JSON(http.StatusOK, Page[T]{Items: items, NextCursor: next})
}
