// Package cocreationdb is the cocreation.Store of the table.
//
// Keys (see docs/data.md):
//
//	plan           COPLAN#<id> / PLAN; GSI1 COPLANS / <createdAt>#<id>
//	proposal       COPROP#<id> / PROPOSAL (its content and state, no personal data);
//	               GSI1 COPROPS#<plan> / <createdAt>#<id>;
//	               GSI2 COPROPMOD#<plan>#<moderation> / <createdAt>#<id>
//	proposer       COPROP#<id> / PROPOSER (name, address: personal data); ByEmail; TTL
//	public entry   COPUB#<plan>[#THEME#<theme>][#STATUS#<status>] / <createdAt>#<id>,
//	               COPUB#COMMIT#<commitment> / <createdAt>#<id>: a published
//	               proposal's public fields, once per listing it appears in
//	support request COSUPREQ#<id> / COSUPREQ (the address until confirmed); ByEmail; TTL
//	support        COPROP#<proposal> / SUPPORT#<sha256(email)>; ByEmail; TTL
//	commitment     COCOMMIT#<id> / COMMIT; GSI1 COCOMMITS#<plan> / <number, 3 digits>#<id>
//
// Every public listing is one Query of one partition, with no filter: a
// published proposal has one index entry per listing (all, by theme, by
// status, by theme and status, by commitment), written in the transactions
// that change it, supports counted in each.
package cocreationdb

import (
	"espaceosc/shared/cocreation"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/i18n"
)

// Store is the cocreation.Store of a table.
type Store struct {
	*ddbstore.Table
}

var _ cocreation.Store = Store{}

// New returns the co-creation store of t.
func New(t *ddbstore.Table) Store { return Store{t} }

// textItem is a bilingual text as stored. An empty text is no attribute at
// all (nil): the items of this package never hold an empty map or list,
// which minidyn (the local cloud's DynamoDB) turns into a value it can no
// longer read when it rolls back a cancelled transaction.
type textItem struct {
	FR string `dynamodbav:"fr,omitempty"`
	AR string `dynamodbav:"ar,omitempty"`
}

func toText(t i18n.Text) *textItem {
	if t.Empty() {
		return nil
	}
	return &textItem{FR: t.FR, AR: t.AR}
}

func (t *textItem) text() i18n.Text {
	if t == nil {
		return i18n.Text{}
	}
	return i18n.Text{FR: t.FR, AR: t.AR}
}

// consentItem is a stored consent.
type consentItem struct {
	At            string `dynamodbav:"at"`
	NoticeVersion string `dynamodbav:"noticeVersion"`
}

func toConsent(c cocreation.Consent) consentItem {
	return consentItem{At: ddbstore.Time(c.At), NoticeVersion: c.NoticeVersion}
}

func (c consentItem) consent() cocreation.Consent {
	return cocreation.Consent{At: ddbstore.ParseTime(c.At), NoticeVersion: c.NoticeVersion}
}
