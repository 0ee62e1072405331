package membership

import (
	"strings"
	"testing"
	"time"

	"espaceosc/shared/apperr"
)

func key(err error) string {
	if e, ok := apperr.As(err); ok {
		return e.Key
	}
	if err != nil {
		return "uncoded: " + err.Error()
	}
	return ""
}

func TestTransitions(t *testing.T) {
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	m := func(s Status) Membership {
		return Membership{ID: "m", Status: s, Version: 4, ExpiresAt: now.Add(time.Hour)}
	}
	details := Details{
		Organisation: OrganisationInput{Name: " Tafra ", LegalForm: "association", RegistrationNumber: "12/2019", Region: "oriental", City: "Oujda"},
		Themes:       []string{"integrity"}, Contact: ContactInput{Name: "Amina", Email: "a@example.ma"}, Lang: "ar",
	}
	cases := []struct {
		name       string
		apply      func() (Membership, error)
		wantKey    string
		wantStatus Status
		check      func(t *testing.T, got Membership)
	}{
		{"confirm an unconfirmed request", func() (Membership, error) { n, _ := confirm(m(Unconfirmed), now); return n, nil }, "", Pending,
			func(t *testing.T, got Membership) {
				if !got.ConfirmedAt.Equal(now) || !got.ExpiresAt.Equal(now.Add(PendingRetention)) || got.Version != 5 {
					t.Errorf("confirmed = %+v", got)
				}
			}},
		{"confirm again changes nothing", func() (Membership, error) {
			n, changed := confirm(m(Approved), now)
			if changed {
				t.Error("changed")
			}
			return n, nil
		}, "", Approved, nil},
		{"approve", func() (Membership, error) { return decide(m(Pending), Decision{Decision: Approve}, now) }, "", Approved,
			func(t *testing.T, got Membership) {
				if !got.ExpiresAt.IsZero() || !got.DecidedAt.Equal(now) || !got.Listed() {
					t.Errorf("approved = %+v", got)
				}
			}},
		{"decline with a reason", func() (Membership, error) {
			return decide(m(Pending), Decision{Decision: Decline, Reason: " Hors champ. "}, now)
		}, "", Declined,
			func(t *testing.T, got Membership) {
				if got.Reason != "Hors champ." || !got.ExpiresAt.Equal(now.Add(DeclinedRetention)) || got.Listed() {
					t.Errorf("declined = %+v", got)
				}
			}},
		{"decide an unconfirmed request", func() (Membership, error) { return decide(m(Unconfirmed), Decision{Decision: Approve}, now) }, "membership.not_confirmed", "", nil},
		{"decide twice", func() (Membership, error) { return decide(m(Approved), Decision{Decision: Decline}, now) }, "membership.already_decided", "", nil},
		{"update a member", func() (Membership, error) { return update(m(Approved), details, now) }, "", Approved,
			func(t *testing.T, got Membership) {
				if got.Organisation.Name != "Tafra" || got.Lang != "ar" || got.Version != 5 {
					t.Errorf("updated = %+v", got)
				}
			}},
		{"update before confirming", func() (Membership, error) { return update(m(Unconfirmed), details, now) }, "membership.confirm_first", "", nil},
		{"update a declined request", func() (Membership, error) { return update(m(Declined), details, now) }, "membership.declined", "", nil},
		{"join a group", func() (Membership, error) { return joinGroup(m(Approved), "integrite", SourceAdmin, now) }, "", Approved,
			func(t *testing.T, got Membership) {
				if !got.InGroup("integrite") || got.Groups[0].Source != SourceAdmin {
					t.Errorf("joined = %+v", got.Groups)
				}
			}},
		{"join a group before approval", func() (Membership, error) { return joinGroup(m(Pending), "integrite", SourceAdmin, now) }, "membership.not_member", "", nil},
		{"join a group twice", func() (Membership, error) {
			j, _ := joinGroup(m(Approved), "integrite", SourceAdmin, now)
			return joinGroup(j, "integrite", SourceRequest, now)
		}, "membership.already_in_group", "", nil},
		{"join too many groups", func() (Membership, error) {
			j := m(Approved)
			for i := range MaxGroups {
				j, _ = joinGroup(j, "g"+strings.Repeat("x", i), SourceAdmin, now)
			}
			return joinGroup(j, "one-more", SourceAdmin, now)
		}, "membership.too_many_groups", "", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := c.apply()
			if key(err) != c.wantKey {
				t.Fatalf("error %v, want key %q", err, c.wantKey)
			}
			if err == nil && got.Status != c.wantStatus {
				t.Errorf("status = %s, want %s", got.Status, c.wantStatus)
			}
			if err == nil && c.check != nil {
				c.check(t, got)
			}
		})
	}
}

func TestCanRequestGroup(t *testing.T) {
	member := Membership{Status: Approved, Groups: []GroupMembership{{GroupID: "integrite"}}}
	active := Group{ID: "transparence", Status: Active}
	cases := []struct {
		name string
		m    Membership
		g    Group
		prev *GroupRequest
		want string
	}{
		{"a member, an active group", member, active, nil, ""},
		{"after a decline", member, active, &GroupRequest{Status: RequestDeclined}, ""},
		{"not a member", Membership{Status: Pending}, active, nil, "membership.not_member"},
		{"closed group", member, Group{ID: "transparence", Status: Closed}, nil, "membership.group_closed"},
		{"already in it", member, Group{ID: "integrite", Status: Active}, nil, "membership.already_in_group"},
		{"pending already", member, active, &GroupRequest{Status: RequestPending}, "membership.request_pending"},
	}
	for _, c := range cases {
		if got := key(canRequestGroup(c.m, c.g, c.prev)); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

func TestExpiry(t *testing.T) {
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	if (Membership{}).Expired(now) {
		t.Error("a membership without expiry expired")
	}
	if !(Membership{ExpiresAt: now}).Expired(now) || (Membership{ExpiresAt: now.Add(time.Second)}).Expired(now) {
		t.Error("expiry is at ExpiresAt")
	}
}

func TestSortNameAndRegistrationKey(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Émergence  Citoyenne", "emergence citoyenne"},
		{"  Association « Tafra » — Oujda", "association tafra oujda"},
		{"Œuvre", "oeuvre"},
		{"جمعية الشفافية", "جمعية الشفافية"},
		{strings.Repeat("a", 100), strings.Repeat("a", 80)},
	}
	for _, c := range cases {
		if got := SortName(c.in); got != c.want {
			t.Errorf("SortName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if SortName("Zeta") < SortName("émeraude") {
		t.Error("accents must not sort after z")
	}
	if RegistrationKey(" 12 / 2019 ab ") != "12/2019AB" {
		t.Errorf("RegistrationKey = %q", RegistrationKey(" 12 / 2019 ab "))
	}
}

func TestParseThemes(t *testing.T) {
	ts, err := ParseThemes("")
	if err != nil || len(ts) != len(DefaultThemes) {
		t.Fatalf("default: %v %v", ts, err)
	}
	ts, err = ParseThemes(" integrity, budget_ouvert ")
	if err != nil || len(ts) != 2 || ts[0].Name.FR != "Intégrité et lutte contre la corruption" || ts[1].Name.AR != "budget_ouvert" {
		t.Fatalf("custom: %+v %v", ts, err)
	}
	for _, bad := range []string{"integrity,integrity", "Integrity", "a", "x,,y", "tab\tx"} {
		if _, err := ParseThemes(bad); err == nil {
			t.Errorf("ParseThemes(%q) accepted", bad)
		}
	}
}
