package main

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"espaceosc/shared/calls"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/ddbtest"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/outbox"

	"github.com/aws/aws-lambda-go/events"
)

func TestPublicResults(t *testing.T) {
	db, table := ddbtest.Minidyn(t)
	st := ddbstore.New(db, table)
	log := httpapi.NewLogger(io.Discard)
	rt := addResults(httpapi.NewRouter(log), calls.NewEvaluations(st.Calls(), st.Evaluations(), nil, nil, log))
	ctx := context.Background()
	now := time.Date(2024, 10, 1, 9, 0, 0, 0, time.UTC)
	for id, status := range map[string]calls.Status{"copil-2024": calls.StatusResultsPublished, "gt-2024": calls.StatusEvaluating} {
		c := calls.Call{ID: id, Kind: calls.KindCopil, Status: status, Seats: 9, Title: calls.Text{FR: "Comité de pilotage", AR: "لجنة القيادة"},
			OpensAt: now.Add(-50 * 24 * time.Hour), ClosesAt: now.Add(-20 * 24 * time.Hour), CreatedAt: now, UpdatedAt: now, Version: 1}
		if err := st.Calls().CreateCall(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	email := outbox.Email{ID: "out1", To: "contact@tafra.example.ma", Subject: "s", Text: "t", HTML: "h", Lang: "ar", Kind: calls.KindOutcomeEmail, RefID: "c1", CreatedAt: now}
	sel := &calls.Selected{CallID: "copil-2024", CandidacyID: "cand0000000000000000000001", Sequence: 1, Name: "جمعية النخيل", Acronym: "JN", City: "Agadir", Region: "souss-massa"}
	if err := st.Evaluations().RecordResult(ctx, calls.Result{CallID: "copil-2024", CandidacyID: sel.CandidacyID, Outcome: calls.OutcomeSelected, At: now}, email, sel, nil); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("testdata/results.json")
	if err != nil {
		t.Fatal(err)
	}
	var base events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal(b, &base); err != nil {
		t.Fatal(err)
	}
	req := func(id, lang string) events.APIGatewayV2HTTPRequest {
		r := base
		r.PathParameters = map[string]string{"id": id}
		r.QueryStringParameters = map[string]string{"lang": lang}
		return r
	}
	cases := []struct {
		name       string
		req        events.APIGatewayV2HTTPRequest
		status     int
		has, hasnt string
	}{
		{"published, in Arabic", req("copil-2024", "ar"), 200, `"name":"جمعية النخيل","acronym":"JN","city":"Agadir","region":"souss-massa"`, "contact@"},
		{"not published yet", req("gt-2024", "fr"), 404, "pas encore publiés", "JN"},
		{"unknown call", req("nope-nope", "fr"), 404, "problem", ""},
		{"bad id", req("../x", "fr"), 404, "problem", ""},
		{"bad lang", req("copil-2024", "en"), 400, "lang", "JN"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, err := rt.Serve(ctx, c.req)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != c.status || !strings.Contains(resp.Body, c.has) || (c.hasnt != "" && strings.Contains(resp.Body, c.hasnt)) {
				t.Fatalf("status %d, want %d; body %s", resp.StatusCode, c.status, resp.Body)
			}
		})
	}
}
