package i18n

// Text is one text written in both languages (each written separately, never
// translated automatically). It is the only bilingual text type of the
// codebase: titles, descriptions, labels, justifications.
type Text struct {
	FR string `json:"fr"`
	AR string `json:"ar"`
}

// In returns the text in lang, falling back to French when the Arabic one is
// empty.
func (t Text) In(lang Lang) string {
	if lang == AR && t.AR != "" {
		return t.AR
	}
	return t.FR
}

// Empty reports whether neither language has a text.
func (t Text) Empty() bool { return t.FR == "" && t.AR == "" }
