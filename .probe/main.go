package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/chromedp/chromedp"
)

func main() {
	alloc, cancel := chromedp.NewExecAllocator(context.Background(), chromedp.ExecPath("/usr/bin/chromium"), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU)
	defer cancel()
	ctx, c2 := chromedp.NewContext(alloc)
	defer c2()
	ctx, c3 := context.WithTimeout(ctx, 60*time.Second)
	defer c3()
	base := os.Args[1]
	steps := []chromedp.Action[chromedp.Void]{
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(base + "/fr/admin"),
		chromedp.WaitVisible(`form button.secondary`),
		chromedp.Click(`form button.secondary`),
		chromedp.WaitVisible(`#tab-calls`),
		chromedp.Click(`#tab-calls`),
		chromedp.WaitVisible(`//li[@data-call="copil-societe-civile"]//button[text()="Candidatures"]`),
		chromedp.Click(`//li[@data-call="copil-societe-civile"]//button[text()="Candidatures"]`),
		chromedp.WaitVisible(`select[name="candstatus"]`),
		chromedp.SetValue(`select[name="candstatus"]`, ""),
	}
	if err := chromedp.Do(ctx, steps...); err != nil {
		fmt.Println("err", err)
	}
	chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('select[name="candstatus"]').dispatchEvent(new Event('change'))`))
	time.Sleep(2 * time.Second)
	if err := chromedp.Do(ctx, chromedp.Click(`li[data-candidacy] button`), chromedp.WaitVisible(`.total-line`)); err != nil {
		fmt.Println("err2", err)
	}
	s, _ := chromedp.Run(ctx, chromedp.Text(`#admin-panel`))
	fmt.Println(s)
	png, _ := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	os.WriteFile("/tmp/probe.png", png, 0o644)
}
