package membershipdb

import (
	"maps"
	"reflect"
	"slices"
	"strings"

	"espaceosc/shared/ddbstore"
	"espaceosc/shared/i18n"
	"espaceosc/shared/membership"
	"espaceosc/shared/secret"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Keys and partitions (docs/data.md).
const (
	orgSK        = "ORG"
	orgAllPK     = "ORGALL"
	claimSK      = "ORGREG"
	groupSK      = "GROUP"
	memberPrefix = "MEMBER#"
	reqPrefix    = "GREQ#"
	dirAll       = "DIR#ALL"
)

func orgPK(id string) string                           { return ddbstore.JoinKey("ORG", id) }
func orgKey(id string) map[string]types.AttributeValue { return ddbstore.Key(orgPK(id), orgSK) }
func claimPK(number string) string {
	return ddbstore.JoinKey("ORGREG", membership.RegistrationKey(number))
}
func groupPK(id string) string                           { return ddbstore.JoinKey("WG", id) }
func groupKey(id string) map[string]types.AttributeValue { return ddbstore.Key(groupPK(id), groupSK) }
func memberSK(id string) string                          { return memberPrefix + id }
func reqSK(groupID string) string                        { return reqPrefix + groupID }

// dirPK is the directory partition of the organisations of region and of
// theme ("" for any): each listing is one partition.
func dirPK(region, theme string) string {
	switch {
	case region != "" && theme != "":
		return ddbstore.JoinKey("DIR", "REGION", region, "THEME", theme)
	case region != "":
		return ddbstore.JoinKey("DIR", "REGION", region)
	case theme != "":
		return ddbstore.JoinKey("DIR", "THEME", theme)
	}
	return dirAll
}

type textItem struct {
	FR string `dynamodbav:"fr"`
	AR string `dynamodbav:"ar,omitempty"`
}

func toText(t i18n.Text) textItem  { return textItem{FR: t.FR, AR: t.AR} }
func (t textItem) text() i18n.Text { return i18n.Text{FR: t.FR, AR: t.AR} }

type organisationItem struct {
	Name               string `dynamodbav:"name"`
	Acronym            string `dynamodbav:"acronym,omitempty"`
	LegalForm          string `dynamodbav:"legalForm"`
	RegistrationNumber string `dynamodbav:"registrationNumber"`
	Region             string `dynamodbav:"region"`
	City               string `dynamodbav:"city"`
}

type contactItem struct {
	Name  string `dynamodbav:"name"`
	Email string `dynamodbav:"email"`
}

type consentItem struct {
	Given         bool   `dynamodbav:"given"`
	At            string `dynamodbav:"at"`
	NoticeVersion string `dynamodbav:"noticeVersion"`
}

type groupMembershipItem struct {
	GroupID string `dynamodbav:"groupId"`
	Source  string `dynamodbav:"source"`
	Since   string `dynamodbav:"since"`
}

// orgItem is a membership: PK ORG#<id>, SK ORG.
type orgItem struct {
	PK           string                `dynamodbav:"PK"`
	SK           string                `dynamodbav:"SK"`
	GSI1PK       string                `dynamodbav:"GSI1PK"`
	GSI1SK       string                `dynamodbav:"GSI1SK"`
	GSI2PK       string                `dynamodbav:"GSI2PK"`
	GSI2SK       string                `dynamodbav:"GSI2SK"`
	EmailHash    string                `dynamodbav:"EmailHash"`
	Type         string                `dynamodbav:"type"`
	ID           string                `dynamodbav:"id"`
	Status       string                `dynamodbav:"status"`
	Organisation organisationItem      `dynamodbav:"organisation"`
	Themes       []string              `dynamodbav:"themes,omitempty"`
	Contact      contactItem           `dynamodbav:"contact"`
	Lang         string                `dynamodbav:"lang"`
	Consent      consentItem           `dynamodbav:"consent"`
	Groups       []groupMembershipItem `dynamodbav:"groups,omitempty"`
	Reason       string                `dynamodbav:"reason,omitempty"`
	TokenHash    string                `dynamodbav:"tokenHash"`
	CreatedAt    string                `dynamodbav:"createdAt"`
	UpdatedAt    string                `dynamodbav:"updatedAt"`
	ConfirmedAt  string                `dynamodbav:"confirmedAt,omitempty"`
	DecidedAt    string                `dynamodbav:"decidedAt,omitempty"`
	ExpiresAt    int64                 `dynamodbav:"expiresAt,omitempty"`
	Version      int                   `dynamodbav:"version"`
}

func toOrgItem(m membership.Membership) orgItem {
	created := ddbstore.Time(m.CreatedAt)
	o := m.Organisation
	it := orgItem{
		PK: orgPK(m.ID), SK: orgSK,
		GSI1PK: ddbstore.JoinKey("ORGSTATUS", string(m.Status)), GSI1SK: created + "#" + m.ID,
		GSI2PK: orgAllPK, GSI2SK: created + "#" + m.ID,
		EmailHash: secret.EmailHash(m.Contact.Email),
		Type:      "membership", ID: m.ID, Status: string(m.Status),
		Organisation: organisationItem{
			Name: o.Name, Acronym: o.Acronym, LegalForm: o.LegalForm, RegistrationNumber: o.RegistrationNumber,
			Region: o.Region, City: o.City,
		},
		Themes:  m.Themes,
		Contact: contactItem{Name: m.Contact.Name, Email: m.Contact.Email}, Lang: string(m.Lang),
		Consent: consentItem{Given: m.Consent.Given, At: ddbstore.Time(m.Consent.At), NoticeVersion: m.Consent.NoticeVersion},
		Reason:  m.Reason, TokenHash: m.TokenHash, CreatedAt: created, UpdatedAt: ddbstore.Time(m.UpdatedAt),
		ConfirmedAt: ddbstore.Time(m.ConfirmedAt), DecidedAt: ddbstore.Time(m.DecidedAt),
		ExpiresAt: ddbstore.Expiry(m.ExpiresAt), Version: m.Version,
	}
	for _, g := range m.Groups {
		it.Groups = append(it.Groups, groupMembershipItem{GroupID: g.GroupID, Source: string(g.Source), Since: ddbstore.Time(g.Since)})
	}
	return it
}

func (it orgItem) membership() membership.Membership {
	lang, _ := i18n.Parse(it.Lang)
	o := it.Organisation
	m := membership.Membership{
		ID: it.ID, Status: membership.Status(it.Status),
		Organisation: membership.Organisation{
			Name: o.Name, Acronym: o.Acronym, LegalForm: o.LegalForm, RegistrationNumber: o.RegistrationNumber,
			Region: o.Region, City: o.City,
		},
		Themes:  it.Themes,
		Contact: membership.Contact{Name: it.Contact.Name, Email: it.Contact.Email}, Lang: lang,
		Consent: membership.Consent{Given: it.Consent.Given, At: ddbstore.ParseTime(it.Consent.At), NoticeVersion: it.Consent.NoticeVersion},
		Reason:  it.Reason, TokenHash: it.TokenHash,
		CreatedAt: ddbstore.ParseTime(it.CreatedAt), UpdatedAt: ddbstore.ParseTime(it.UpdatedAt),
		ConfirmedAt: ddbstore.ParseTime(it.ConfirmedAt), DecidedAt: ddbstore.ParseTime(it.DecidedAt),
		ExpiresAt: ddbstore.ParseExpiry(it.ExpiresAt), Version: it.Version,
	}
	for _, g := range it.Groups {
		m.Groups = append(m.Groups, membership.GroupMembership{GroupID: g.GroupID, Source: membership.Source(g.Source), Since: ddbstore.ParseTime(g.Since)})
	}
	return m
}

// claimItem holds a listed organisation's registration number: PK
// ORGREG#<RegistrationKey>, SK ORGREG.
type claimItem struct {
	PK             string `dynamodbav:"PK"`
	SK             string `dynamodbav:"SK"`
	Type           string `dynamodbav:"type"`
	OrganisationID string `dynamodbav:"organisationId"`
}

// entryItem is a directory entry: PK DIR#…, SK <SortName>#<id>. No
// personal data.
type entryItem struct {
	PK             string   `dynamodbav:"PK"`
	SK             string   `dynamodbav:"SK"`
	Type           string   `dynamodbav:"type"`
	OrganisationID string   `dynamodbav:"organisationId"`
	Name           string   `dynamodbav:"name"`
	Acronym        string   `dynamodbav:"acronym,omitempty"`
	City           string   `dynamodbav:"city"`
	Region         string   `dynamodbav:"region"`
	Themes         []string `dynamodbav:"themes,omitempty"`
	Since          string   `dynamodbav:"since"`
}

func (it entryItem) entry() membership.Entry {
	return membership.Entry{
		OrganisationID: it.OrganisationID, Name: it.Name, Acronym: it.Acronym, City: it.City, Region: it.Region,
		Themes: it.Themes, Since: ddbstore.ParseTime(it.Since),
	}
}

// entries are the directory entries of m, by key: none unless listed; in
// every partition that lists it (all, its region, each theme, its region
// with each theme).
func entries(m membership.Membership) map[string]entryItem {
	out := map[string]entryItem{}
	if !m.Listed() {
		return out
	}
	e := m.Entry()
	base := entryItem{
		SK: membership.SortName(e.Name) + "#" + e.OrganisationID, Type: "directory-entry",
		OrganisationID: e.OrganisationID, Name: e.Name, Acronym: e.Acronym, City: e.City, Region: e.Region,
		Themes: e.Themes, Since: ddbstore.Time(e.Since),
	}
	pks := []string{dirPK("", ""), dirPK(e.Region, "")}
	for _, t := range e.Themes {
		pks = append(pks, dirPK("", t), dirPK(e.Region, t))
	}
	for _, pk := range pks {
		it := base
		it.PK = pk
		out[pk+"|"+it.SK] = it
	}
	return out
}

// memberItem is an organisation of a working group: PK WG#<groupId>, SK
// MEMBER#<id>. The calls capability writes the same items for a GT call's
// selection, with candidacyId and callId instead of organisationId and
// source (the contract of docs/data.md). No personal data.
type memberItem struct {
	PK             string `dynamodbav:"PK"`
	SK             string `dynamodbav:"SK"`
	Type           string `dynamodbav:"type"`
	GroupID        string `dynamodbav:"groupId"`
	OrganisationID string `dynamodbav:"organisationId,omitempty"`
	Source         string `dynamodbav:"source,omitempty"`
	CandidacyID    string `dynamodbav:"candidacyId,omitempty"`
	CallID         string `dynamodbav:"callId,omitempty"`
	Name           string `dynamodbav:"name"`
	Acronym        string `dynamodbav:"acronym,omitempty"`
	City           string `dynamodbav:"city,omitempty"`
	Region         string `dynamodbav:"region,omitempty"`
	Since          string `dynamodbav:"since"`
}

func (it memberItem) member() membership.Member {
	m := membership.Member{
		GroupID: it.GroupID, OrganisationID: it.OrganisationID, CandidacyID: it.CandidacyID, CallID: it.CallID,
		Source: membership.Source(it.Source), Name: it.Name, Acronym: it.Acronym, City: it.City, Region: it.Region,
		Since: ddbstore.ParseTime(it.Since),
	}
	if it.CandidacyID != "" {
		m.Source = membership.SourceCall
	}
	return m
}

// members are the working-group entries of m, by key.
func members(m membership.Membership) map[string]memberItem {
	out := map[string]memberItem{}
	o := m.Organisation
	for _, g := range m.Groups {
		it := memberItem{
			PK: groupPK(g.GroupID), SK: memberSK(m.ID), Type: "wg-member", GroupID: g.GroupID,
			OrganisationID: m.ID, Source: string(g.Source), Name: o.Name, Acronym: o.Acronym, City: o.City,
			Region: o.Region, Since: ddbstore.Time(g.Since),
		}
		out[it.PK+"|"+it.SK] = it
	}
	return out
}

// groupItem is a working group: PK WG#<id>, SK GROUP.
type groupItem struct {
	PK        string   `dynamodbav:"PK"`
	SK        string   `dynamodbav:"SK"`
	GSI1PK    string   `dynamodbav:"GSI1PK"`
	GSI1SK    string   `dynamodbav:"GSI1SK"`
	GSI2PK    string   `dynamodbav:"GSI2PK"`
	GSI2SK    string   `dynamodbav:"GSI2SK"`
	Type      string   `dynamodbav:"type"`
	ID        string   `dynamodbav:"id"`
	Kind      string   `dynamodbav:"kind"`
	Name      textItem `dynamodbav:"name"`
	Mandate   textItem `dynamodbav:"mandate"`
	Region    string   `dynamodbav:"region,omitempty"`
	Status    string   `dynamodbav:"status"`
	CreatedAt string   `dynamodbav:"createdAt"`
	UpdatedAt string   `dynamodbav:"updatedAt"`
	Version   int      `dynamodbav:"version"`
}

func toGroupItem(g membership.Group) groupItem {
	return groupItem{
		PK: groupPK(g.ID), SK: groupSK,
		GSI1PK: ddbstore.JoinKey("WGSTATUS", string(g.Status)), GSI1SK: string(g.Kind) + "#" + g.ID,
		GSI2PK: ddbstore.JoinKey("WGKIND", string(g.Status), string(g.Kind)), GSI2SK: g.ID,
		Type: "working-group", ID: g.ID, Kind: string(g.Kind), Name: toText(g.Name), Mandate: toText(g.Mandate),
		Region: g.Region, Status: string(g.Status),
		CreatedAt: ddbstore.Time(g.CreatedAt), UpdatedAt: ddbstore.Time(g.UpdatedAt), Version: g.Version,
	}
}

func (it groupItem) group() membership.Group {
	return membership.Group{
		ID: it.ID, Kind: membership.GroupKind(it.Kind), Name: it.Name.text(), Mandate: it.Mandate.text(),
		Region: it.Region, Status: membership.GroupStatus(it.Status),
		CreatedAt: ddbstore.ParseTime(it.CreatedAt), UpdatedAt: ddbstore.ParseTime(it.UpdatedAt), Version: it.Version,
	}
}

// requestItem is a request to join a working group: PK ORG#<orgId>, SK
// GREQ#<groupId> (in its organisation's partition, so that the private
// link reads both with one Query).
type requestItem struct {
	PK             string `dynamodbav:"PK"`
	SK             string `dynamodbav:"SK"`
	GSI1PK         string `dynamodbav:"GSI1PK"`
	GSI1SK         string `dynamodbav:"GSI1SK"`
	Type           string `dynamodbav:"type"`
	GroupID        string `dynamodbav:"groupId"`
	OrganisationID string `dynamodbav:"organisationId"`
	Name           string `dynamodbav:"name"`
	Acronym        string `dynamodbav:"acronym,omitempty"`
	Motivation     string `dynamodbav:"motivation,omitempty"`
	Status         string `dynamodbav:"status"`
	Reason         string `dynamodbav:"reason,omitempty"`
	CreatedAt      string `dynamodbav:"createdAt"`
	DecidedAt      string `dynamodbav:"decidedAt,omitempty"`
	ExpiresAt      int64  `dynamodbav:"expiresAt,omitempty"`
	Version        int    `dynamodbav:"version"`
}

func toRequestItem(r membership.GroupRequest) requestItem {
	created := ddbstore.Time(r.CreatedAt)
	return requestItem{
		PK: orgPK(r.OrganisationID), SK: reqSK(r.GroupID),
		GSI1PK: ddbstore.JoinKey("GREQSTATUS", string(r.Status)), GSI1SK: created + "#" + r.OrganisationID + "#" + r.GroupID,
		Type: "group-request", GroupID: r.GroupID, OrganisationID: r.OrganisationID, Name: r.Name, Acronym: r.Acronym,
		Motivation: r.Motivation, Status: string(r.Status), Reason: r.Reason, CreatedAt: created,
		DecidedAt: ddbstore.Time(r.DecidedAt), ExpiresAt: ddbstore.Expiry(r.ExpiresAt), Version: r.Version,
	}
}

func (it requestItem) request() membership.GroupRequest {
	return membership.GroupRequest{
		GroupID: it.GroupID, OrganisationID: it.OrganisationID, Name: it.Name, Acronym: it.Acronym,
		Motivation: it.Motivation, Status: membership.RequestStatus(it.Status), Reason: it.Reason,
		CreatedAt: ddbstore.ParseTime(it.CreatedAt), DecidedAt: ddbstore.ParseTime(it.DecidedAt),
		ExpiresAt: ddbstore.ParseExpiry(it.ExpiresAt), Version: it.Version,
	}
}

// diff adds to tx what turns the items prev into next: deletes of the keys
// next lacks, puts of the items new or changed (unchanged ones cost
// nothing), in key order.
func diff[I any](tx *ddbstore.Tx, what string, prev, next map[string]I, key func(I) map[string]types.AttributeValue) {
	for _, k := range slices.Sorted(maps.Keys(prev)) {
		if _, ok := next[k]; !ok {
			tx.Delete(what+" "+k, key(prev[k]), ddbstore.Cond{})
		}
	}
	for _, k := range slices.Sorted(maps.Keys(next)) {
		if p, ok := prev[k]; ok && reflect.DeepEqual(p, next[k]) {
			continue
		}
		tx.Put(what+" "+k, next[k], ddbstore.Cond{})
	}
}

func entryKey(it entryItem) map[string]types.AttributeValue     { return ddbstore.Key(it.PK, it.SK) }
func memberKeyOf(it memberItem) map[string]types.AttributeValue { return ddbstore.Key(it.PK, it.SK) }

// registration is the claim key of m's registration number while listed.
func registration(m membership.Membership) string {
	if !m.Listed() || strings.TrimSpace(m.Organisation.RegistrationNumber) == "" {
		return ""
	}
	return claimPK(m.Organisation.RegistrationNumber)
}
