package membership_test

import (
	"strings"
	"testing"

	"espaceosc/shared/apperr"
	"espaceosc/shared/i18n"
	"espaceosc/shared/membership"
)

func validJoin() membership.JoinRequest {
	yes := true
	return membership.JoinRequest{
		Organisation: membership.OrganisationInput{
			Name: "  Association Tafra pour la transparence ", Acronym: "ATT", LegalForm: "association",
			RegistrationNumber: "RC-2019/1234", Region: "souss-massa", City: "Agadir",
		},
		Themes:  []string{"transparency", "open_data"},
		Contact: membership.ContactInput{Name: "Amina Benali", Email: " Amina.Benali@Example.org "},
		Lang:    "fr", Consent: &yes,
	}
}

func fields(t *testing.T, err error) string {
	t.Helper()
	if err == nil {
		return ""
	}
	e, ok := apperr.As(err)
	if !ok || e.Code != apperr.Invalid {
		t.Fatalf("error %v is not invalid fields", err)
	}
	var fs []string
	for _, f := range e.Fields {
		fs = append(fs, f.Field+":"+f.Rule)
	}
	return strings.Join(fs, ",")
}

func TestJoinRequestValidate(t *testing.T) {
	no := false
	cases := []struct {
		name   string
		change func(*membership.JoinRequest)
		want   string
	}{
		{"valid", func(*membership.JoinRequest) {}, ""},
		{"arabic names count characters", func(r *membership.JoinRequest) {
			r.Organisation.Name = strings.Repeat("ج", 200)
			r.Lang = "ar"
		}, ""},
		{"everything missing", func(r *membership.JoinRequest) { *r = membership.JoinRequest{} },
			"organisation.name:required,organisation.legalForm:required,organisation.registrationNumber:required,organisation.region:required,organisation.city:required,themes:required,contact.name:required,contact.email:required,lang:required,consent:consent"},
		{"consent false", func(r *membership.JoinRequest) { r.Consent = &no }, "consent:consent"},
		{"CR/LF in the name", func(r *membership.JoinRequest) { r.Organisation.Name = "Tafra\r\nBcc: x@example.org" }, "organisation.name:single_line"},
		{"line separator in the contact", func(r *membership.JoinRequest) { r.Contact.Name = "Amina\u2028Bcc" }, "contact.name:single_line"},
		{"control character in the city", func(r *membership.JoinRequest) { r.Organisation.City = "Aga\x00dir" }, "organisation.city:control_char"},
		{"name too long", func(r *membership.JoinRequest) { r.Organisation.Name = strings.Repeat("n", 201) }, "organisation.name:too_long"},
		{"acronym too long", func(r *membership.JoinRequest) { r.Organisation.Acronym = strings.Repeat("A", 31) }, "organisation.acronym:too_long"},
		{"registration number with a #", func(r *membership.JoinRequest) { r.Organisation.RegistrationNumber = "12#34" }, "organisation.registrationNumber:membership.registration"},
		{"unknown region", func(r *membership.JoinRequest) { r.Organisation.Region = "atlantis" }, "organisation.region:one_of"},
		{"unknown legal form", func(r *membership.JoinRequest) { r.Organisation.LegalForm = "company" }, "organisation.legalForm:one_of"},
		{"unknown theme", func(r *membership.JoinRequest) { r.Themes = []string{"transparency", "weather"} }, "themes[1]:one_of"},
		{"repeated theme", func(r *membership.JoinRequest) { r.Themes = []string{"youth", "youth"} }, "themes[1]:membership.duplicate"},
		{"too many themes", func(r *membership.JoinRequest) {
			r.Themes = []string{"transparency", "participation", "integrity", "accountability", "open_justice", "open_data", "public_services", "youth", "environment"}
		}, "themes:membership.too_many"},
		{"email with a display name", func(r *membership.JoinRequest) { r.Contact.Email = "Amina <a@example.org>" }, "contact.email:email"},
		{"email header injection", func(r *membership.JoinRequest) { r.Contact.Email = "a@example.org\r\nBcc: x@y.z" }, "contact.email:single_line"},
		{"unknown lang", func(r *membership.JoinRequest) { r.Lang = "en" }, "lang:lang"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := validJoin()
			c.change(&r)
			if got := fields(t, r.Validate(membership.DefaultThemes)); got != c.want {
				t.Errorf("fields = %s\nwant     %s", got, c.want)
			}
		})
	}
	// The themes are the deployment's.
	custom, _ := membership.ParseThemes("budget_ouvert")
	r := validJoin()
	r.Themes = []string{"budget_ouvert"}
	if got := fields(t, r.Validate(custom)); got != "" {
		t.Errorf("a configured theme is refused: %s", got)
	}
	if got := fields(t, validJoin().Validate(custom)); got != "themes[0]:one_of,themes[1]:one_of" {
		t.Errorf("default themes with a custom list: %s", got)
	}
}

func TestOtherInputsValidate(t *testing.T) {
	name := i18n.Text{FR: "Transparence", AR: "الشفافية"}
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"approve", membership.Decision{Decision: "approved"}.Validate(), ""},
		{"decline with a reason", membership.Decision{Decision: "declined", Reason: "Dossier incomplet.\nMerci."}.Validate(), ""},
		{"approve with a reason", membership.Decision{Decision: "approved", Reason: "ok"}.Validate(), "reason:membership.reason_decline_only"},
		{"no decision", membership.Decision{}.Validate(), "decision:required"},
		{"reason too long", membership.Decision{Decision: "declined", Reason: strings.Repeat("r", 1001)}.Validate(), "reason:too_long"},
		{"thematic group", membership.NewGroup{ID: "transparence", Kind: "thematic", Name: name}.Validate(), ""},
		{"territorial group", membership.NewGroup{ID: "region-souss-massa", Kind: "territorial", Name: name, Region: "souss-massa", Status: "closed"}.Validate(), ""},
		{"territorial without region", membership.NewGroup{ID: "region-x", Kind: "territorial", Name: name}.Validate(), "region:membership.group_region"},
		{"thematic with region", membership.NewGroup{ID: "t", Kind: "thematic", Name: name, Region: "oriental"}.Validate(), "region:membership.group_no_region"},
		{"bad id and everything", membership.NewGroup{ID: "Bad ID", Kind: "x", Name: i18n.Text{FR: "a\nb"}, Mandate: i18n.Text{AR: "\x01"}, Status: "open"}.Validate(),
			"id:membership.group_id,kind:one_of,name.fr:single_line,name.ar:required,mandate.ar:control_char,status:one_of"},
		{"missing id", membership.NewGroup{Kind: "thematic", Name: name}.Validate(), "id:required"},
		{"update without id", membership.GroupInput{Kind: "thematic", Name: name}.Validate(), ""},
		{"group request", membership.GroupRequestInput{GroupID: "transparence", Motivation: "Nous suivons les budgets.\nDepuis 2018."}.Validate(), ""},
		{"group request to a malformed id", membership.GroupRequestInput{GroupID: "../x"}.Validate(), "groupId:membership.group_unknown"},
		{"group request without group", membership.GroupRequestInput{}.Validate(), "groupId:required"},
		{"add member without id", membership.AddMemberInput{}.Validate(), "organisationId:required"},
	}
	for _, c := range cases {
		if got := fields(t, c.err); got != c.want {
			t.Errorf("%s: fields = %s, want %s", c.name, got, c.want)
		}
	}
}
