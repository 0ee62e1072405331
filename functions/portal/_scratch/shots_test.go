package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
)

func TestShots(t *testing.T) {
	ctx, _ := portalBrowser(t)
	for _, p := range []struct{ path, wait, name string }{
		{"/ar/actualites", ".news-item a", "news-ar.png"},
		{"/ar/actualites/nataij-copil-2024", "article h1", "article-ar.png"},
		{"/ar/liens", ".cards .card a", "links-ar.png"},
		{"/fr/observations/nouvelle", ".notice-box .meta", "form-fr.png"},
		{"/ar/observations/nouvelle", ".notice-box .meta", "form-ar.png"},
	} {
		run(t, ctx, p.path, chromedp.Navigate(lc.URL()+p.path), chromedp.WaitVisible(p.wait))
		screenshot(t, ctx, p.name)
	}
	run(t, ctx, "errors", chromedp.Click(`form button[type="submit"]`), chromedp.WaitVisible(`[aria-invalid="true"]`))
	screenshot(t, ctx, "form-ar-errors.png")
	run(t, ctx, "admin", chromedp.Navigate(lc.URL()+"/ar/admin"), chromedp.WaitVisible(`form button.secondary`), chromedp.Click(`form button.secondary`), chromedp.WaitVisible(`#admin-panel .admin-row .title`))
	screenshot(t, ctx, "admin-ar.png")
	run(t, ctx, "admin obs", chromedp.Click(`#tab-obs`), chromedp.WaitVisible(`#admin-panel [data-field="status"]`))
	screenshot(t, ctx, "admin-obs-ar.png")
}
