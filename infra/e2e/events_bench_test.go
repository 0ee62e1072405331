package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
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

// BenchmarkEventsSurge is acceptance 2 (and 4 for SES): through a local
// cloud of its own, 1,000 concurrent registrations with distinct emails on
// an event of 100 seats and a waitlist of 1,000 give exactly 100 confirmed
// and 900 waitlisted at positions 1..900, 1,000 emails (one each), no 5xx;
// then 10 cancellations promote exactly the first 10 waitlisted. In
// "ses-down" SES fails during a smaller surge (300 on 30 seats) and the
// outbox sweeper delivers every email once afterwards. One surge takes seconds, so the benchmark
// runs once per sub-benchmark at the default -benchtime.
func BenchmarkEventsSurge(b *testing.B) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	bc, err := cloud.Start(ctx, cloud.Config{Addr: "127.0.0.1:0", DataDir: b.TempDir(), NoSchedules: true})
	if err != nil {
		b.Fatalf("start local cloud: %v", err)
	}
	defer bc.Close()
	admin, err := bc.Token("admin", "")
	if err != nil {
		b.Fatal(err)
	}
	c := &benchClient{base: bc.URL(), http: &http.Client{Timeout: 10 * time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 1000, MaxConnsPerHost: 0}}}
	for _, mode := range []string{"ses-up", "ses-down"} {
		b.Run(mode, func(b *testing.B) {
			for n := range b.N {
				runSurge(b, bc, c, admin, fmt.Sprintf("surge-%s-%d-%d", mode, n, time.Now().UnixNano()%1e6), mode == "ses-down")
			}
		})
	}
}

func runSurge(b *testing.B, bc *cloud.Cloud, c *benchClient, admin, id string, sesDown bool) {
	people, seats, waitlist, cancels := 1000, 100, 1000, 10
	if sesDown {
		// Every delivery fails (and the SDK retries it): a smaller surge.
		people, seats, waitlist, cancels = 300, 30, 300, 5
	}
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
		for range 10 {
			if _, err := bc.RunSchedule(context.Background(), "OutboxSweep"); err != nil {
				b.Fatal(err)
			}
			if countMail(bc, id) >= people {
				break
			}
		}
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
