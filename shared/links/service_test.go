package links_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/ddbtest"
	"espaceosc/shared/ddbstore/linksdb"
	"espaceosc/shared/i18n"
	"espaceosc/shared/links"
)

func TestService(t *testing.T) {
	ctx := context.Background()
	c, table := ddbtest.Minidyn(t)
	now := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	svc := links.NewService(links.Config{
		Store: linksdb.New(ddbstore.New(c, table)), Now: func() time.Time { return now },
		Rand: bytes.NewReader([]byte{0xca, 0xfe, 0xba, 0xbe, 0, 1, 2, 3}),
	})
	order := 5
	v, err := svc.Create(ctx, links.NewLink{URL: " https://www.cndp.ma ", Title: i18n.Text{FR: " CNDP ", AR: "اللجنة"}, Order: &order})
	if err != nil {
		t.Fatal(err)
	}
	if v.ID != "cafebabe00010203" || v.URL != "https://www.cndp.ma" || v.Title.FR != "CNDP" || v.CreatedAt != "2026-11-27T08:00:00Z" {
		t.Errorf("created = %+v", v)
	}
	if _, err := svc.Create(ctx, links.NewLink{ID: "chikaya", URL: "https://www.chikaya.ma", Title: i18n.Text{FR: "Chikaya"}}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		err  error
		code apperr.Code
		key  string
	}{
		{"id taken", func() error {
			_, err := svc.Create(ctx, links.NewLink{ID: "chikaya", URL: "https://www.chikaya.ma", Title: i18n.Text{FR: "X"}})
			return err
		}(), apperr.Conflict, "links.id_taken"},
		{"update missing", func() error {
			_, err := svc.Update(ctx, "absent", links.Input{URL: "https://e.ma", Title: i18n.Text{FR: "X"}})
			return err
		}(), apperr.NotFound, "links.not_found"},
		{"update malformed id", func() error {
			_, err := svc.Update(ctx, "Not An ID", links.Input{URL: "https://e.ma", Title: i18n.Text{FR: "X"}})
			return err
		}(), apperr.NotFound, "links.not_found"},
		{"delete missing", svc.Delete(ctx, "absent"), apperr.NotFound, "links.not_found"},
	}
	for _, tt := range tests {
		if e, ok := apperr.As(tt.err); !ok || e.Code != tt.code || e.Key != tt.key {
			t.Errorf("%s: %v, want %s %s", tt.name, tt.err, tt.code, tt.key)
		}
	}
	public, err := svc.ListPublic(ctx, i18n.AR)
	if err != nil || len(public) != 2 || public[0].ID != "chikaya" || public[1].Title != "اللجنة" || public[0].Title != "Chikaya" {
		t.Errorf("public list = %+v, %v", public, err)
	}
	admin, err := svc.List(ctx)
	if err != nil || len(admin) != 2 || admin[1].Title != (i18n.Text{FR: "CNDP", AR: "اللجنة"}) {
		t.Errorf("admin list = %+v, %v", admin, err)
	}
}
