package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"espaceosc/infra/local/cloud"
)

// benchClient talks to one local cloud.
type benchClient struct {
	base string
	http *http.Client
}

func (c *benchClient) send(method, path, token string, body any) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		return 0, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// BenchmarkEventsSurge is acceptance 2 and 4 (SES): through a local cloud
// of its own, 1,000 concurrent registrations with distinct emails on an
// event of 100 seats and a waitlist of 1,000 give exactly 100 confirmed and
// 900 waitlisted at positions 1..900, 1,000 emails (one each), no 5xx; then
// 10 cancellations promote exactly the first 10 waitlisted. In "ses-down"
// SES fails during the same surge and the outbox sweeper, run until nothing
// is pending, delivers every email exactly once afterwards. "ses-up-linear"
// runs the ses-up surge on a second cloud whose events function uses the
// former retry policy (EVENTS_REGISTER_RETRY=linear), for a side-by-side
// ratio. One surge takes tens of seconds, so each sub-benchmark runs once at
// the default -benchtime.
func BenchmarkEventsSurge(b *testing.B) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	// Each surge on a cloud of its own: minidyn copies the whole table in
	// every transaction, so a surge after another would measure the table's
	// size rather than the registration.
	for _, mode := range []string{"ses-up", "ses-up-linear", "ses-down"} {
		b.Run(mode, func(b *testing.B) {
			policy := ""
			if mode == "ses-up-linear" {
				policy = "linear"
			}
			bc, err := surgeCloud(ctx, b, policy)
			if err != nil {
				b.Fatalf("start local cloud: %v", err)
			}
			defer bc.Close()
			admin, err := bc.Token("admin", "")
			if err != nil {
				b.Fatal(err)
			}
			c := &benchClient{base: bc.URL(), http: &http.Client{Timeout: 10 * time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 1000, MaxConnsPerHost: 0}}}
			for n := range b.N {
				runSurge(b, bc, c, admin, fmt.Sprintf("surge-%s-%d-%d", mode, n, time.Now().UnixNano()%1e6), mode == "ses-down")
			}
		})
	}
}

// surgeCloud starts a local cloud; with a retry policy, on a copy of the
// template whose functions get EVENTS_REGISTER_RETRY=policy.
func surgeCloud(ctx context.Context, b *testing.B, policy string) (*cloud.Cloud, error) {
	// No persistence snapshot during the surge: the local cloud rewrites its
	// whole table to disk 300 ms after writes, a fifth of its CPU in a surge
	// (profiled), which measures the emulator rather than the registration.
	cfg := cloud.Config{Addr: "127.0.0.1:0", DataDir: b.TempDir(), NoSchedules: true, SnapshotDelay: time.Hour}
	if policy != "" {
		root, err := filepath.Abs("../..")
		if err != nil {
			return nil, err
		}
		tpl, err := os.ReadFile(filepath.Join(root, "template.yaml"))
		if err != nil {
			return nil, err
		}
		const anchor = "        STAGE: !Ref Stage\n"
		if !bytes.Contains(tpl, []byte(anchor)) {
			return nil, fmt.Errorf("template.yaml: no global STAGE variable to add EVENTS_REGISTER_RETRY next to")
		}
		tpl = bytes.Replace(tpl, []byte(anchor), []byte(anchor+"        EVENTS_REGISTER_RETRY: "+policy+"\n"), 1)
		cfg.TemplatePath, cfg.SourceRoot = filepath.Join(b.TempDir(), "template.yaml"), root
		if err := os.WriteFile(cfg.TemplatePath, tpl, 0o644); err != nil {
			return nil, err
		}
	}
	return cloud.Start(ctx, cfg)
}

func runSurge(b *testing.B, bc *cloud.Cloud, c *benchClient, admin, id string, sesDown bool) {
	people, seats, waitlist, cancels := 1000, 100, 1000, 10
	status, body, err := c.send("POST", "/api/admin/events", admin, eventBody(id, seats, waitlist, 72*time.Hour))
	if err != nil || status != 201 {
		b.Fatalf("create event: %d %s %v", status, body, err)
	}
	if status, body, err = c.send("POST", "/api/admin/events/"+id+"/publish", admin, nil); err != nil || status != 200 {
		b.Fatalf("publish: %d %s %v", status, body, err)
	}
	if sesDown {
		if err := bc.SetFault("ses", "fail"); err != nil {
			b.Fatal(err)
		}
	}
	email := func(i int) string { return fmt.Sprintf("%s-%d@example.ma", id, i) }
	type result struct {
		status int
		r      receipt
	}
	results := make([]result, people)
	start := time.Now()
	var wg sync.WaitGroup
	for i := range people {
		wg.Go(func() {
			status, body, err := c.send("POST", "/api/events/"+id+"/registrations", "", registration(email(i), "fr"))
			if err != nil {
				b.Errorf("registration %d: %v", i, err)
				return
			}
			results[i].status = status
			if status == 201 {
				_ = json.Unmarshal(body, &results[i].r)
			} else {
				b.Errorf("registration %d: %d %s", i, status, body)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	if sesDown {
		_ = bc.SetFault("ses", "none")
	}
	b.ReportMetric(float64(people)/elapsed.Seconds(), "registrations/s")

	var positions []int
	confirmed, fivexx := 0, 0
	byPosition := map[int]string{}
	var confirmedIDs []string
	for _, res := range results {
		switch {
		case res.status >= 500:
			fivexx++
		case res.r.Status == "confirmed":
			confirmed++
			confirmedIDs = append(confirmedIDs, res.r.ID)
		case res.r.Status == "waitlisted":
			positions = append(positions, res.r.Position)
			byPosition[res.r.Position] = res.r.ID
		}
	}
	slices.Sort(positions)
	if fivexx != 0 || confirmed != seats || len(positions) != people-seats {
		b.Fatalf("5xx %d, confirmed %d, waitlisted %d", fivexx, confirmed, len(positions))
	}
	for i, p := range positions {
		if p != i+1 {
			b.Fatalf("waitlist positions are not 1..%d without gaps or repeats (at %d: %d)", people-seats, i, p)
		}
	}

	// Emails: one per person (after the sweeper when SES was down).
	if sesDown {
		if got := countMail(bc, id); got != 0 {
			b.Fatalf("%d emails went out while SES was failing", got)
		}
		sweepStart := time.Now()
		for sweeps := 0; ; sweeps++ {
			// A sweep handles at most 500 emails; run it until one finds nothing pending.
			out, err := bc.RunSchedule(context.Background(), "OutboxSweep")
			if err != nil {
				b.Fatal(err)
			}
			var res struct{ Pending, Sent, Failed int }
			if err := json.Unmarshal(out, &res); err != nil {
				b.Fatalf("sweep result %s: %v", out, err)
			}
			if res.Failed != 0 {
				b.Fatalf("sweep %d: %d sends failed with SES back", sweeps, res.Failed)
			}
			if res.Pending == 0 {
				break
			}
			if sweeps == 10 {
				b.Fatalf("still %d emails pending after %d sweeps", res.Pending, sweeps)
			}
		}
		b.ReportMetric(time.Since(sweepStart).Seconds(), "s/sweeps")
	}
	perAddress := map[string]int{}
	tokens := map[string]string{}
	for _, m := range bc.Mail() {
		for _, to := range m.To {
			if strings.HasPrefix(to, id+"-") {
				perAddress[to]++
				if mm := manageLinkRE.FindStringSubmatch(m.Text); mm != nil {
					tokens[mm[2]] = mm[3]
				}
			}
		}
	}
	for i := range people {
		if perAddress[email(i)] != 1 {
			b.Fatalf("%s got %d emails, want 1", email(i), perAddress[email(i)])
		}
	}

	// 10 confirmed cancel at once: exactly waitlist positions 1..10 are promoted.
	start = time.Now()
	for _, regID := range confirmedIDs[:cancels] {
		wg.Go(func() {
			status, body, err := c.send("DELETE", "/api/registrations/"+regID+"?token="+tokens[regID], "", nil)
			if err != nil || status != 200 {
				b.Errorf("cancel %s: %d %s %v", regID, status, body, err)
			}
		})
	}
	wg.Wait()
	b.ReportMetric(time.Since(start).Seconds()*1000/float64(cancels), "ms/cancellation")
	promoted := map[string]bool{}
	cursor := ""
	for {
		path := "/api/admin/events/" + id + "/registrations?status=confirmed&limit=200"
		if cursor != "" {
			path += "&cursor=" + cursor
		}
		status, body, err := c.send("GET", path, admin, nil)
		if err != nil || status != 200 {
			b.Fatalf("list: %d %v", status, err)
		}
		var page struct {
			Items []struct {
				ID       string `json:"id"`
				Position int    `json:"position"`
			} `json:"items"`
			NextCursor string `json:"nextCursor"`
		}
		_ = json.Unmarshal(body, &page)
		for _, it := range page.Items {
			if it.Position > 0 {
				promoted[it.ID] = true
			}
		}
		if page.NextCursor == "" {
			break
		}
		cursor = page.NextCursor
	}
	if len(promoted) != cancels {
		b.Fatalf("%d promoted, want %d", len(promoted), cancels)
	}
	for p := 1; p <= cancels; p++ {
		if !promoted[byPosition[p]] {
			b.Fatalf("waitlist position %d was not promoted", p)
		}
	}
}

func countMail(bc *cloud.Cloud, prefix string) int {
	n := 0
	for _, m := range bc.Mail() {
		for _, to := range m.To {
			if strings.HasPrefix(to, prefix+"-") {
				n++
			}
		}
	}
	return n
}
