package linksdb_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/ddbtest"
	"espaceosc/shared/ddbstore/linksdb"
	"espaceosc/shared/i18n"
	"espaceosc/shared/links"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func mustCode(t *testing.T, err error, want apperr.Code) {
	t.Helper()
	if got := apperr.CodeOf(err); got != want {
		t.Fatalf("error code = %q (%v), want %q", got, err, want)
	}
	if e, ok := apperr.As(err); ok && e.Key != "" {
		t.Fatalf("the store chose the message key %q (the domain does)", e.Key)
	}
}

func TestLinks(t *testing.T) {
	ddbtest.Each(t, func(t *testing.T, c ddbtest.Client, table string) {
		ctx := context.Background()
		st := linksdb.New(ddbstore.New(c, table))
		t0 := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
		mk := func(id string, order int, fr, ar string) links.Link {
			return links.Link{ID: id, URL: "https://www." + id + ".ma", Title: i18n.Text{FR: fr, AR: ar},
				Description: i18n.Text{FR: "Description " + fr}, Order: order, CreatedAt: t0, UpdatedAt: t0}
		}
		for _, l := range []links.Link{
			mk("chikaya", 20, "Chikaya", "شكاية"),
			mk("eparticipation", 10, "ePartcipation", "المشاركة الإلكترونية"),
			mk("cndp", 20, "CNDP", ""),
		} {
			if err := st.CreateLink(ctx, l); err != nil {
				t.Fatalf("CreateLink %s: %v", l.ID, err)
			}
		}
		mustCode(t, st.CreateLink(ctx, mk("cndp", 1, "x", "")), apperr.Conflict)

		list := func() []links.Link {
			t.Helper()
			ls, err := st.ListLinks(ctx)
			if err != nil {
				t.Fatalf("ListLinks: %v", err)
			}
			links.Sort(ls, i18n.FR)
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
			t.Fatalf("ListLinks = %q, want %q", got, want)
		}
		if got := list()[1]; got != mk("chikaya", 20, "Chikaya", "شكاية") {
			t.Fatalf("stored link = %+v", got)
		}

		upd := mk("cndp", 5, "Commission nationale", "اللجنة الوطنية")
		upd.CreatedAt, upd.UpdatedAt = time.Time{}, t0.Add(time.Hour)
		got, err := st.UpdateLink(ctx, upd)
		if err != nil {
			t.Fatalf("UpdateLink: %v", err)
		}
		if got.Title.AR != "اللجنة الوطنية" || got.Order != 5 || !got.CreatedAt.Equal(t0) || !got.UpdatedAt.Equal(t0.Add(time.Hour)) {
			t.Fatalf("UpdateLink = %+v", got)
		}
		if got, want := ids(list()), "cndp,eparticipation,chikaya"; got != want {
			t.Fatalf("ListLinks after update = %q, want %q", got, want)
		}
		_, err = st.UpdateLink(ctx, mk("absent", 1, "x", ""))
		mustCode(t, err, apperr.NotFound)

		if err := st.DeleteLink(ctx, "chikaya"); err != nil {
			t.Fatalf("DeleteLink: %v", err)
		}
		mustCode(t, st.DeleteLink(ctx, "chikaya"), apperr.NotFound)
		if got, want := ids(list()), "cndp,eparticipation"; got != want {
			t.Fatalf("ListLinks after delete = %q, want %q", got, want)
		}
	})
}

// TestLinksStoredBefore: a link written by the former store (instants to
// the millisecond) is read as it was.
func TestLinksStoredBefore(t *testing.T) {
	ddbtest.Each(t, func(t *testing.T, c ddbtest.Client, table string) {
		ctx := context.Background()
		s := func(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
		_, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table), Item: map[string]types.AttributeValue{
			"PK": s("LINKS"), "SK": s("LINK#idarati"), "id": s("idarati"), "url": s("https://www.idarati.ma"),
			"titleFr": s("Idarati"), "order": &types.AttributeValueMemberN{Value: "40"},
			"createdAt": s("2026-11-01T08:00:00.250Z"), "updatedAt": s("2026-11-01T08:00:00.250Z"),
		}})
		if err != nil {
			t.Fatal(err)
		}
		ls, err := linksdb.New(ddbstore.New(c, table)).ListLinks(ctx)
		if err != nil {
			t.Fatal(err)
		}
		at := time.Date(2026, 11, 1, 8, 0, 0, 250e6, time.UTC)
		if len(ls) != 1 || ls[0].ID != "idarati" || ls[0].Title.In(i18n.AR) != "Idarati" || ls[0].Order != 40 || !ls[0].CreatedAt.Equal(at) {
			t.Fatalf("ListLinks = %+v", ls)
		}
	})
}
