package ddbstore_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/ddbtest"
	"espaceosc/shared/links"
)

func TestLinks(t *testing.T) {
	ddbtest.Each(t, func(t *testing.T, c ddbtest.Client, table string) {
		ctx := context.Background()
		st := ddbstore.New(c, table).Links()
		t0 := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
		mk := func(id string, order int, fr, ar string) links.Link {
			return links.Link{ID: id, URL: "https://www." + id + ".ma", Title: links.Text{FR: fr, AR: ar},
				Description: links.Text{FR: "Description " + fr}, Order: order, CreatedAt: t0, UpdatedAt: t0}
		}
		for _, l := range []links.Link{
			mk("chikaya", 20, "Chikaya", "شكاية"),
			mk("eparticipation", 10, "ePartcipation", "المشاركة الإلكترونية"),
			mk("cndp", 20, "CNDP", ""),
		} {
			if err := st.Create(ctx, l); err != nil {
				t.Fatalf("Create %s: %v", l.ID, err)
			}
		}
		if got := apperr.CodeOf(st.Create(ctx, mk("cndp", 1, "x", ""))); got != apperr.Conflict {
			t.Fatalf("duplicate Create code = %q, want conflict", got)
		}

		list := func() []links.Link {
			t.Helper()
			ls, err := st.List(ctx)
			if err != nil {
				t.Fatalf("List: %v", err)
			}
			links.Sort(ls, "fr")
			return ls
		}
		ids := func(ls []links.Link) string {
			var s []string
			for _, l := range ls {
				s = append(s, l.ID)
			}
			return strings.Join(s, ",")
		}
		if got, want := ids(list()), "eparticipation,chikaya,cndp"; got != want {
			t.Fatalf("List = %q, want %q", got, want)
		}

		upd := mk("cndp", 5, "Commission nationale", "اللجنة الوطنية")
		upd.CreatedAt, upd.UpdatedAt = time.Time{}, t0.Add(time.Hour)
		got, err := st.Update(ctx, upd)
		if err != nil {
			t.Fatalf("Update: %v", err)
		}
		if got.Title.AR != "اللجنة الوطنية" || got.Order != 5 || !got.CreatedAt.Equal(t0) || !got.UpdatedAt.Equal(t0.Add(time.Hour)) {
			t.Fatalf("Update = %+v", got)
		}
		if got, want := ids(list()), "cndp,eparticipation,chikaya"; got != want {
			t.Fatalf("List after update = %q, want %q", got, want)
		}
		if _, err := st.Update(ctx, mk("absent", 1, "x", "")); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("Update missing: %v, want not_found", err)
		}

		if err := st.Delete(ctx, "chikaya"); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		if got := apperr.CodeOf(st.Delete(ctx, "chikaya")); got != apperr.NotFound {
			t.Fatalf("second Delete code = %q, want not_found", got)
		}
		if got, want := ids(list()), "cndp,eparticipation"; got != want {
			t.Fatalf("List after delete = %q, want %q", got, want)
		}
	})
}
