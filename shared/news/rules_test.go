package news

import (
	"testing"
	"time"
)

func TestPublishedDate(t *testing.T) {
	now := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	planned := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	back := time.Date(2024, 9, 27, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name          string
		carried, want time.Time
		asked         time.Time
	}{
		{"now", time.Time{}, now, time.Time{}},
		{"the draft's date", planned, planned, time.Time{}},
		{"backdated", planned, back, back},
		{"asked, no date carried", time.Time{}, back, back},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it := Item{Slug: "abc", Status: StatusDraft, PublishedAt: tt.carried, Version: 3}
			got := it.published(tt.asked, now)
			if got.Status != StatusPublished || !got.PublishedAt.Equal(tt.want) || !got.UpdatedAt.Equal(now) || got.Version != 4 {
				t.Errorf("published = %+v, want published at %s, updated now, version 4", got, tt.want)
			}
			back := got.unpublished(now.Add(time.Minute))
			if back.Status != StatusDraft || !back.PublishedAt.Equal(tt.want) || back.Version != 5 {
				t.Errorf("unpublished = %+v, want a draft keeping its date", back)
			}
		})
	}
}

func TestEdited(t *testing.T) {
	now := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	created := now.Add(-time.Hour)
	date := time.Date(2024, 9, 27, 9, 0, 0, 0, time.UTC)
	it := Item{Slug: "abc", Lang: "fr", Title: "T", Summary: "S", Body: "B", Status: StatusPublished, PublishedAt: date, CreatedAt: created, Version: 1}
	got := it.edited(content{title: "T2", body: "B2"}, now)
	if got.Lang != "fr" || got.Title != "T2" || got.Summary != "" || got.Body != "B2" || !got.PublishedAt.Equal(date) ||
		got.Status != StatusPublished || !got.CreatedAt.Equal(created) || !got.UpdatedAt.Equal(now) || got.Version != 2 {
		t.Errorf("edited = %+v", got)
	}
	got = it.edited(content{lang: "ar", title: "T", body: "B", publishedAt: now}, now)
	if got.Lang != "ar" || !got.PublishedAt.Equal(now) {
		t.Errorf("edited with a language and a date = %+v", got)
	}
}
