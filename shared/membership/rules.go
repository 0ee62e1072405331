package membership

import (
	"slices"
	"strings"
	"time"
	"unicode"

	"espaceosc/shared/apperr"
)

// Expired reports whether m's retention (or, unconfirmed, its link) is over
// at now. The table's TTL deletes an expired item within days, not at once:
// until then the service treats it as gone.
func (m Membership) Expired(now time.Time) bool {
	return !m.ExpiresAt.IsZero() && !now.Before(m.ExpiresAt)
}

// Expired reports whether r's retention is over at now.
func (r GroupRequest) Expired(now time.Time) bool {
	return !r.ExpiresAt.IsZero() && !now.Before(r.ExpiresAt)
}

// confirm is the contact's confirmation: an unconfirmed request becomes
// pending and is kept PendingRetention. Confirming again changes nothing
// (changed is false).
func confirm(m Membership, now time.Time) (next Membership, changed bool) {
	if m.Status != Unconfirmed {
		return m, false
	}
	next = m
	next.Status, next.ConfirmedAt, next.ExpiresAt = Pending, now, now.Add(PendingRetention)
	next.UpdatedAt, next.Version = now, m.Version+1
	return next, true
}

// decide applies an administrators' decision to a pending request: approved
// is kept while a member (no expiry), declined DeclinedRetention with its
// reason.
func decide(m Membership, d Decision, now time.Time) (Membership, error) {
	switch m.Status {
	case Unconfirmed:
		return Membership{}, apperr.New(apperr.Conflict, "membership.not_confirmed")
	case Approved, Declined:
		return Membership{}, apperr.New(apperr.Conflict, "membership.already_decided")
	}
	next := m
	next.DecidedAt, next.UpdatedAt, next.Version = now, now, m.Version+1
	if d.Decision == Approve {
		next.Status, next.ExpiresAt, next.Reason = Approved, time.Time{}, ""
	} else {
		next.Status, next.ExpiresAt, next.Reason = Declined, now.Add(DeclinedRetention), strings.TrimSpace(d.Reason)
	}
	return next, nil
}

// update replaces the details of a confirmed request or a member: an
// unconfirmed request must be confirmed first (the confirmation proves the
// address), a declined one is closed.
func update(m Membership, d Details, now time.Time) (Membership, error) {
	switch m.Status {
	case Unconfirmed:
		return Membership{}, apperr.New(apperr.Conflict, "membership.confirm_first")
	case Declined:
		return Membership{}, apperr.New(apperr.Conflict, "membership.declined")
	}
	next := m
	next.Organisation, next.Themes, next.Contact, next.Lang = d.normalized()
	next.UpdatedAt, next.Version = now, m.Version+1
	return next, nil
}

// joinGroup adds the group id to a member organisation's groups.
func joinGroup(m Membership, id string, source Source, now time.Time) (Membership, error) {
	switch {
	case m.Status != Approved:
		return Membership{}, apperr.New(apperr.Conflict, "membership.not_member")
	case m.InGroup(id):
		return Membership{}, apperr.New(apperr.Conflict, "membership.already_in_group")
	case len(m.Groups) >= MaxGroups:
		return Membership{}, apperr.New(apperr.Conflict, "membership.too_many_groups")
	}
	next := m
	next.Groups = append(slices.Clone(m.Groups), GroupMembership{GroupID: id, Source: source, Since: now})
	next.UpdatedAt, next.Version = now, m.Version+1
	return next, nil
}

// leaveGroup removes the group id from m's groups.
func leaveGroup(m Membership, id string, now time.Time) Membership {
	next := m
	next.Groups = slices.DeleteFunc(slices.Clone(m.Groups), func(g GroupMembership) bool { return g.GroupID == id })
	next.UpdatedAt, next.Version = now, m.Version+1
	return next
}

// canRequestGroup checks that m may ask to join g: a member, not yet in the
// group, no request of its own pending for it, an active group.
func canRequestGroup(m Membership, g Group, prev *GroupRequest) error {
	switch {
	case m.Status != Approved:
		return apperr.New(apperr.Conflict, "membership.not_member")
	case g.Status != Active:
		return apperr.New(apperr.Conflict, "membership.group_closed")
	case m.InGroup(g.ID):
		return apperr.New(apperr.Conflict, "membership.already_in_group")
	case prev != nil && prev.Status == RequestPending:
		return apperr.New(apperr.Conflict, "membership.request_pending")
	case len(m.Groups) >= MaxGroups:
		return apperr.New(apperr.Conflict, "membership.too_many_groups")
	}
	return nil
}

// latin spells the accented Latin letters of French names in lower-case
// ASCII, so that « Émergence » sorts with the e.
var latin = func() map[rune]string {
	m := map[rune]string{'œ': "oe", 'æ': "ae", 'ß': "ss"}
	for base, letters := range map[string]string{
		"a": "àâäáãå", "c": "ç", "e": "éèêë", "i": "îïíì", "n": "ñ", "o": "ôöóòõø", "u": "ùûüú", "y": "ÿý",
	} {
		for _, r := range letters {
			m[r] = base
		}
	}
	return m
}()

// SortName is the key the directory and the groups' pages sort names by:
// lower case, French accents aside, punctuation and spaces folded to one
// space, at most 80 characters. It is stored in sort keys.
func SortName(name string) string {
	var b strings.Builder
	space := false
	n := 0
	for _, r := range strings.ToLower(name) {
		if n >= 80 {
			break
		}
		if s, ok := latin[r]; ok {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteString(s)
			n++
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
			n++
			continue
		}
		space = true
	}
	return b.String()
}

// RegistrationKey is the form of a registration number that two member
// organisations may not share: upper case, without spaces.
func RegistrationKey(number string) string {
	return strings.ToUpper(strings.Join(strings.Fields(number), ""))
}

// sortMembers orders a group's members as its page lists them: by name.
func sortMembers(ms []Member) {
	slices.SortStableFunc(ms, func(a, b Member) int {
		if c := strings.Compare(SortName(a.Name), SortName(b.Name)); c != 0 {
			return c
		}
		return strings.Compare(a.MemberID(), b.MemberID())
	})
}

// trimText trims a free text as stored.
func trimText(s string) string { return strings.TrimSpace(s) }

// sortGroups orders working groups as they are listed: thematic ones
// first, then territorial ones, each by ID.
func sortGroups(gs []Group) {
	rank := func(k GroupKind) int {
		if k == Thematic {
			return 0
		}
		return 1
	}
	slices.SortStableFunc(gs, func(a, b Group) int {
		if c := rank(a.Kind) - rank(b.Kind); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}
