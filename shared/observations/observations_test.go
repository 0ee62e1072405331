package observations_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/ddbtest"
	"espaceosc/shared/ddbstore/observationsdb"
	"espaceosc/shared/observations"
	"espaceosc/shared/outbox"
	"espaceosc/shared/outbox/outboxtest"
	"espaceosc/shared/secret"
)

func valid() observations.Submission {
	yes := true
	return observations.Submission{
		Topic: "integrity", Subject: "  Déclaration de patrimoine  ", Message: "Publier les déclarations en open data.",
		Name: "Salma", Email: " Salma@Example.ORG ", Lang: "fr", Consent: &yes,
	}
}

func TestSubmissionValidate(t *testing.T) {
	no := false
	cases := []struct {
		name   string
		change func(*observations.Submission)
		fields []string
	}{
		{"valid", func(*observations.Submission) {}, nil},
		{"everything wrong", func(s *observations.Submission) {
			*s = observations.Submission{Topic: "x", Subject: "a\nb", Name: "N", Email: "nope", Lang: "en", Organisation: "o\r"}
		}, []string{"topic", "subject", "message", "name", "email", "organisation", "lang", "consent"}},
		{"consent false", func(s *observations.Submission) { s.Consent = &no }, []string{"consent"}},
		{"unicode line separator in name", func(s *observations.Submission) { s.Name = "Salma\u2028Bcc" }, []string{"name"}},
		{"arabic lengths count characters", func(s *observations.Submission) { s.Subject = strings.Repeat("ب", 200) }, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := valid()
			c.change(&s)
			err := s.Validate()
			var got []string
			if e, ok := apperr.As(err); ok {
				for _, f := range e.Fields {
					got = append(got, f.Field)
				}
			} else if err != nil {
				t.Fatalf("uncoded error %v", err)
			}
			if strings.Join(got, ",") != strings.Join(c.fields, ",") {
				t.Errorf("fields = %v, want %v", got, c.fields)
			}
		})
	}
}

type env struct {
	svc    *observations.Service
	store  observationsdb.Store
	sender *outboxtest.Sender
}

func newEnv(t *testing.T, now time.Time) env {
	t.Helper()
	db, table := ddbtest.Minidyn(t)
	st := ddbstore.New(db, table)
	sender := &outboxtest.Sender{}
	svc := observations.NewService(observations.Config{
		Store: observationsdb.New(st), Mailer: outbox.New(st.Outbox(), sender, observations.Emails, nil),
		PortalOrigin: "https://osc.example/", NoticeVersion: "2026-11-01", Now: func() time.Time { return now },
	})
	return env{svc: svc, store: observationsdb.New(st), sender: sender}
}

func TestSubmitStoresConsentRetentionAndHashes(t *testing.T) {
	now := time.Date(2026, 11, 2, 9, 30, 15, 0, time.UTC)
	e := newEnv(t, now)
	ctx := context.Background()
	r, err := e.svc.Submit(ctx, valid(), "")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^OBS-2026-[0-9A-HJKMNP-TV-Z]{6}$`).MatchString(r.Reference) {
		t.Errorf("reference = %q", r.Reference)
	}
	o, err := e.store.GetObservation(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !o.Consent.Given || !o.Consent.At.Equal(now) || o.Consent.NoticeVersion != "2026-11-01" {
		t.Errorf("consent = %+v", o.Consent)
	}
	if want := now.Add(observations.Retention); !o.ExpiresAt.Equal(want) {
		t.Errorf("expiresAt = %v, want %v", o.ExpiresAt, want)
	}
	if o.Subject != "Déclaration de patrimoine" || o.Email != "Salma@Example.ORG" {
		t.Errorf("stored texts are not trimmed: %q %q", o.Subject, o.Email)
	}
	if secret.EmailHash(" salma@example.org") != secret.EmailHash(o.Email) {
		t.Errorf("EmailHash does not normalise")
	}
	token := regexp.MustCompile(`token=([A-Za-z0-9_-]+)`).FindStringSubmatch(e.sender.Sent()[0].Text)[1]
	if strings.Contains(o.TokenHash, token) || len(o.TokenHash) != 64 {
		t.Errorf("token stored in clear or hash malformed: %q", o.TokenHash)
	}
	if !o.TokenMatches(token) || o.TokenMatches(token+"x") || o.TokenMatches("") {
		t.Errorf("TokenMatches is wrong")
	}
	if !strings.Contains(e.sender.Sent()[0].Text, "https://osc.example/fr/observations/"+r.ID+"?token=") {
		t.Errorf("link does not use the portal origin: %s", e.sender.Sent()[0].Text)
	}
}

// racing makes the first update lose a race against another admin.
type racing struct {
	observationsdb.Store
	raced bool
}

func (r *racing) UpdateObservation(ctx context.Context, o observations.Observation, prev int, email *outbox.Email) error {
	if !r.raced {
		r.raced = true
		other, err := r.GetObservation(ctx, o.ID)
		if err != nil {
			return err
		}
		other.Status, other.Version = observations.InReview, other.Version+1
		if err := r.Store.UpdateObservation(ctx, other, prev, nil); err != nil {
			return err
		}
	}
	return r.Store.UpdateObservation(ctx, o, prev, email)
}

func TestUpdateRetriesALostRace(t *testing.T) {
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	db, table := ddbtest.Minidyn(t)
	st := ddbstore.New(db, table)
	sender := &outboxtest.Sender{}
	store := &racing{Store: observationsdb.New(st)}
	svc := observations.NewService(observations.Config{
		Store: store, Mailer: outbox.New(st.Outbox(), sender, observations.Emails, nil),
		PortalOrigin: "https://osc.example", NoticeVersion: "v1", Now: func() time.Time { return now },
	})
	ctx := context.Background()
	r, err := svc.Submit(ctx, valid(), "")
	if err != nil {
		t.Fatal(err)
	}
	status, text := "answered", "Réponse de l'administration."
	if _, err := svc.Update(ctx, r.ID, observations.Patch{Status: &status, Response: &text}); err != nil {
		t.Fatal(err)
	}
	o, err := store.GetObservation(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !store.raced || o.Status != observations.Answered || o.Version != 3 {
		t.Errorf("after the race: raced %v, status %s, version %d; want answered at version 3", store.raced, o.Status, o.Version)
	}
	if n := len(sender.SentOfKind(observations.KindAnswer)); n != 1 {
		t.Errorf("answer emails = %d, want 1", n)
	}
}

func TestFollowUpNotFoundIsUniform(t *testing.T) {
	e := newEnv(t, time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
	ctx := context.Background()
	r, err := e.svc.Submit(ctx, valid(), "")
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	for _, c := range []struct{ id, token string }{{r.ID, ""}, {r.ID, "wrong"}, {strings.Repeat("z", 26), "wrong"}, {"x", "y"}} {
		_, err := e.svc.FollowUp(ctx, c.id, c.token)
		if !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("FollowUp(%q, %q) = %v, want not found", c.id, c.token, err)
		}
		msgs = append(msgs, err.Error())
	}
	for _, m := range msgs[1:] {
		if m != msgs[0] {
			t.Errorf("not-found errors differ: %q vs %q", m, msgs[0])
		}
	}
}
