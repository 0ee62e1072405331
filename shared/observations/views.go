package observations

import "time"

// Receipt is the response to a submission.
type Receipt struct {
	ID        string `json:"id"`
	Reference string `json:"reference"`
	Status    Status `json:"status"`
}

// ResponseView is the administration's answer as shown.
type ResponseView struct {
	Text       string `json:"text"`
	AnsweredAt string `json:"answeredAt,omitempty"`
}

// AuthorView is what the author sees through the follow-up link.
type AuthorView struct {
	ID        string        `json:"id"`
	Reference string        `json:"reference"`
	Topic     string        `json:"topic"`
	Subject   string        `json:"subject"`
	Status    Status        `json:"status"`
	CreatedAt string        `json:"createdAt"`
	UpdatedAt string        `json:"updatedAt"`
	Response  *ResponseView `json:"response,omitempty"`
}

// ConsentView is the stored consent as shown to administrators.
type ConsentView struct {
	Given         bool   `json:"given"`
	At            string `json:"at"`
	NoticeVersion string `json:"noticeVersion"`
}

// AdminView is the full view administrators see.
type AdminView struct {
	AuthorView
	Message      string      `json:"message"`
	Name         string      `json:"name"`
	Email        string      `json:"email"`
	Organisation string      `json:"organisation"`
	Lang         string      `json:"lang"`
	Consent      ConsentView `json:"consent"`
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Truncate(time.Second).Format(time.RFC3339)
}

// AuthorView returns the author's view: the response only once answered.
func (o Observation) AuthorView() AuthorView {
	v := AuthorView{
		ID: o.ID, Reference: o.Reference, Topic: o.Topic, Subject: o.Subject, Status: o.Status,
		CreatedAt: rfc3339(o.CreatedAt), UpdatedAt: rfc3339(o.UpdatedAt),
	}
	if o.Response != nil && !o.Response.AnsweredAt.IsZero() {
		v.Response = &ResponseView{Text: o.Response.Text, AnsweredAt: rfc3339(o.Response.AnsweredAt)}
	}
	return v
}

// AdminView returns the full view, with a response not yet sent too.
func (o Observation) AdminView() AdminView {
	v := AdminView{
		AuthorView: o.AuthorView(), Message: o.Message, Name: o.Name, Email: o.Email,
		Organisation: o.Organisation, Lang: string(o.Lang),
		Consent: ConsentView{Given: o.Consent.Given, At: rfc3339(o.Consent.At), NoticeVersion: o.Consent.NoticeVersion},
	}
	if o.Response != nil {
		v.Response = &ResponseView{Text: o.Response.Text, AnsweredAt: rfc3339(o.Response.AnsweredAt)}
	}
	return v
}
