package outbox_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/ddbtest"
	"espaceosc/shared/i18n"
	"espaceosc/shared/mail"
	"espaceosc/shared/outbox"
	"espaceosc/shared/outbox/outboxtest"
)

// setup returns an outbox on minidyn whose clock (the table's too) reads
// the returned *time.Time, set to now.
func setup(t *testing.T, now time.Time) (*ddbstore.Outbox, *outboxtest.Sender, *outbox.Outbox) {
	store, sender, ob, _ := setupClock(t, now)
	return store, sender, ob
}

func setupClock(t *testing.T, now time.Time) (*ddbstore.Outbox, *outboxtest.Sender, *outbox.Outbox, *time.Time) {
	t.Helper()
	clock := now
	db, table := ddbtest.Minidyn(t)
	store := ddbstore.New(db, table).WithClock(func() time.Time { return clock }).Outbox()
	sender := &outboxtest.Sender{}
	ob := outbox.New(store, sender, templates, nil)
	ob.Now = func() time.Time { return clock }
	return store, sender, ob, &clock
}

type testData struct {
	Name string `json:"name"`
	Link string `json:"link"`
}

var templates = mail.Templates{
	"test": mail.Typed(func(d testData) mail.Message {
		return mail.Message{Lang: i18n.FR, Subject: "Bonjour " + d.Name, Blocks: []mail.Block{{Text: "Bonjour " + d.Name}, {Link: d.Link}}}
	}),
}

func email(id string, created time.Time) outbox.Email {
	return outbox.Email{ID: id, To: "a@example.org", Lang: i18n.FR, Kind: "test", Data: []byte(`{"name":"Amina","link":"https://osc.example/x"}`), RefID: "r", CreatedAt: created}
}

// While one delivery is sending an email, a sweep and another delivery of
// the same email send nothing: it is sent once.
func TestConcurrentDeliveriesSendOnce(t *testing.T) {
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	store, sender, ob := setup(t, now)
	ctx := context.Background()
	e := email("e1", now.Add(-time.Hour))
	if err := store.Put(ctx, e); err != nil {
		t.Fatal(err)
	}
	entered, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	sender.Hook = func(outbox.Message) {
		once.Do(func() {
			close(entered)
			<-release
		})
	}
	done := make(chan error)
	go func() { done <- ob.Deliver(ctx, e) }()
	<-entered

	res, err := ob.Sweep(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if res.Sent != 0 || res.Claimed != 1 {
		t.Errorf("sweep during delivery = %+v, want 1 claimed, 0 sent", res)
	}
	if err := ob.Deliver(ctx, e); !errors.Is(err, outbox.ErrClaimed) {
		t.Errorf("second Deliver: err = %v, want ErrClaimed", err)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatalf("first Deliver: %v", err)
	}
	if err := ob.Deliver(ctx, e); !errors.Is(err, outbox.ErrClaimed) {
		t.Errorf("Deliver after sent: err = %v, want ErrClaimed", err)
	}
	if res, _ := ob.Sweep(ctx, 0); res.Pending != 0 || res.Sent != 0 {
		t.Errorf("sweep after sent = %+v, want nothing", res)
	}
	if n := len(sender.Sent()); n != 1 {
		t.Errorf("sent %d times, want once", n)
	}
}

// Many sweeps at once over the same pending emails send each email once.
func TestConcurrentSweepsSendEachOnce(t *testing.T) {
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	store, sender, ob := setup(t, now)
	ctx := context.Background()
	const emails = 30
	for i := range emails {
		if err := store.Put(ctx, email(fmt.Sprintf("e%02d", i), now.Add(-time.Hour+time.Duration(i)*time.Second))); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	results := make([]outbox.SweepResult, 5)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], _ = ob.Sweep(ctx, 0)
		}()
	}
	wg.Wait()
	total := 0
	for _, r := range results {
		total += r.Sent
	}
	if total != emails {
		t.Errorf("sweeps sent %d in total, want %d (%+v)", total, emails, results)
	}
	seen := map[string]int{}
	for _, e := range sender.Sent() {
		seen[e.ID]++
	}
	if len(seen) != emails {
		t.Errorf("distinct emails sent = %d, want %d", len(seen), emails)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("%s sent %d times", id, n)
		}
	}
}

func TestSweepRetriesFailuresAndLeavesFreshEmails(t *testing.T) {
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	store, sender, ob := setup(t, now)
	ctx := context.Background()
	old, fresh := email("old", now.Add(-10*time.Minute)), email("fresh", now.Add(-10*time.Second))
	for _, e := range []outbox.Email{old, fresh} {
		if err := store.Put(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	sender.Fail(true)
	res, err := ob.Sweep(ctx, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if res.Pending != 1 || res.Failed != 1 || res.Sent != 0 {
		t.Fatalf("sweep while SES is down = %+v, want 1 pending, 1 failed", res)
	}
	// An SES outage does not count as an attempt of the email.
	if p, _, _ := store.ListPending(ctx, 10, ""); len(p) != 2 || p[0].ID != "old" || p[0].Attempts != 0 {
		t.Errorf("pending after the outage = %+v, want old with 0 counted attempts", p)
	}
	sender.Fail(false)
	res, err = ob.Sweep(ctx, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if res.Sent != 1 {
		t.Fatalf("sweep after recovery = %+v, want 1 sent", res)
	}
	sent := sender.Sent()
	if len(sent) != 1 || sent[0].ID != "old" || sent[0].Subject != "Bonjour Amina" || !strings.Contains(sent[0].Text, "https://osc.example/x") {
		t.Errorf("sent = %+v, want old rendered from its data", sent)
	}
	pending, _, _ := store.ListPending(ctx, 10, "")
	if len(pending) != 1 || pending[0].ID != "fresh" {
		t.Errorf("pending = %+v, want fresh only", pending)
	}
}

func TestSweepGivesUpAfterMaxAttempts(t *testing.T) {
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	store, sender, ob := setup(t, now)
	ctx := context.Background()
	if err := store.Put(ctx, email("e", now.Add(-time.Hour))); err != nil {
		t.Fatal(err)
	}
	// A long SES outage uses up no attempt: the email is still sent after it.
	sender.Fail(true)
	for range outbox.MaxAttempts + 5 {
		if _, err := ob.Sweep(ctx, 0); err != nil {
			t.Fatal(err)
		}
	}
	sender.Fail(false)
	if res, err := ob.Sweep(ctx, 0); err != nil || res.Sent != 1 {
		t.Fatalf("sweep after the outage = %+v, %v; want 1 sent", res, err)
	}
	if err := store.Put(ctx, email("refused", now.Add(-time.Hour))); err != nil {
		t.Fatal(err)
	}
	sender.Reject(true)
	for range outbox.MaxAttempts {
		if _, err := ob.Sweep(ctx, 0); err != nil {
			t.Fatal(err)
		}
	}
	if got := len(sender.Sent()); got != 1 {
		t.Fatalf("sent = %d, want 1 (only the email delayed by the outage)", got)
	}
	sender.Reject(false)
	res, err := ob.Sweep(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if res.GaveUp != 1 || res.Sent != 0 {
		t.Errorf("sweep after %d failures = %+v, want given up", outbox.MaxAttempts, res)
	}
}

// An email composed by a request is recorded already leased to it: its
// inline delivery sends it without a claim, and no sweep takes it while the
// lease lasts; once the lease has passed (the request died), a sweep does.
func TestComposedEmailIsLeasedToItsComposer(t *testing.T) {
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	store, sender, ob, clock := setupClock(t, now)
	ctx := context.Background()
	e, err := ob.Compose("b@example.org", i18n.AR, "test", "ref", testData{Name: "Salma", Link: "https://osc.example/y"})
	if err != nil {
		t.Fatal(err)
	}
	if !e.LeaseUntil.Equal(now.Add(outbox.DefaultLease)) || e.Kind != "test" || e.RefID != "ref" {
		t.Fatalf("composed email = %+v", e)
	}
	if err := store.Put(ctx, e); err != nil {
		t.Fatal(err)
	}
	if res, _ := ob.Sweep(ctx, 0); res.Sent != 0 || res.Claimed != 1 {
		t.Errorf("sweep during the composer's lease = %+v, want it left alone", res)
	}
	if err := ob.Deliver(ctx, e); err != nil {
		t.Fatalf("inline delivery of the leased email: %v", err)
	}
	if sent := sender.Sent(); len(sent) != 1 || sent[0].To != "b@example.org" || sent[0].Subject != "Bonjour Salma" {
		t.Fatalf("sent = %+v", sent)
	}

	// A composer that died: its lease passes, then a sweep sends the email.
	orphan, err := ob.Compose("c@example.org", i18n.FR, "test", "ref2", testData{Name: "Omar"})
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Put(ctx, orphan); err != nil {
		t.Fatal(err)
	}
	*clock = now.Add(outbox.DefaultLease + time.Second)
	if res, err := ob.Sweep(ctx, 0); err != nil || res.Sent != 1 {
		t.Fatalf("sweep after the lease = %+v, %v; want the orphan sent", res, err)
	}
}

// An email whose template is unknown or whose data does not fit it is not
// sent: its attempt counts, and it stays pending for an operator.
func TestUnrenderableEmailCountsAnAttempt(t *testing.T) {
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	store, sender, ob := setup(t, now)
	ctx := context.Background()
	bad := email("bad", now.Add(-time.Hour))
	bad.Data = []byte(`{"name": 3}`)
	if err := store.Put(ctx, bad); err != nil {
		t.Fatal(err)
	}
	if res, err := ob.Sweep(ctx, 0); err != nil || res.Failed != 1 {
		t.Fatalf("sweep = %+v, %v; want 1 failed", res, err)
	}
	if len(sender.Sent()) != 0 {
		t.Errorf("an unrenderable email was sent")
	}
	if p, _, _ := store.ListPending(ctx, 10, ""); len(p) != 1 || p[0].Attempts != 1 {
		t.Errorf("pending = %+v, want bad with 1 attempt", p)
	}
	if _, err := ob.Compose("d@example.org", i18n.FR, "unknown", "r", nil); err == nil {
		t.Errorf("composing an email of an unknown template succeeded")
	}
}
