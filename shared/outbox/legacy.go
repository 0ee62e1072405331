package outbox

import "espaceosc/shared/mail"

// Transitional, removed once every capability records template data: an
// email recorded already rendered.

// Attachment is mail.Attachment.
type Attachment = mail.Attachment
