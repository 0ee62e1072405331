package links

import (
	"cmp"
	"slices"
	"strings"

	"espaceosc/shared/i18n"
)

// Sort orders links as people read them: by Order, then by title in lang
// (case aside), then by ID.
func Sort(ls []Link, lang i18n.Lang) {
	slices.SortStableFunc(ls, func(a, b Link) int {
		return cmp.Or(
			cmp.Compare(a.Order, b.Order),
			strings.Compare(strings.ToLower(a.Title.In(lang)), strings.ToLower(b.Title.In(lang))),
			strings.Compare(a.ID, b.ID),
		)
	})
}
