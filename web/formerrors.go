package web

import "strings"

// FieldError is one error in a submitted form: the id of the field it is
// about (the summary links to it, and the message sits under it with the id
// "<field>-error") and the message, already translated.
type FieldError struct {
	Field   string
	Message string
}

// FormErrors holds every error of a submitted form in the order of the
// form's fields, so the user can correct them all in one go (WCAG 3.3.1 and
// 3.3.3). Set it as Page.Form: the layout shows the error summary at the
// top and each field shows its own message.
type FormErrors []FieldError

// Add appends the error for field unless the field already has one: the
// first problem found with a field is the one to show.
func (e *FormErrors) Add(field, message string) {
	if e.For(field) != "" {
		return
	}
	*e = append(*e, FieldError{Field: field, Message: message})
}

// For returns the message for field, "" when the field is fine.
func (e FormErrors) For(field string) string {
	for _, fe := range e {
		if fe.Field == field {
			return fe.Message
		}
	}
	return ""
}

// FieldError returns the error of the named field for the "field-error"
// template (an empty Message shows nothing).
func (p *Page) FieldError(field string) FieldError {
	return FieldError{Field: field, Message: p.Form.For(field)}
}

// Invalid reports whether the named field has an error, for its
// aria-invalid and aria-describedby attributes.
func (p *Page) Invalid(field string) bool { return p.Form.For(field) != "" }

// Date writes a calendar date kept as YYYY-MM-DD the way every page writes
// dates, dd.mm.åååå: {{$.Date .BirthDate}}. A value of several lines (a
// plan's evaluation dates) has each line that is a date rewritten; any
// other text is shown as it is.
func (p *Page) Date(value string) string {
	lines := strings.Split(value, "\n")
	for i, l := range lines {
		lines[i] = displayDate(l)
	}
	return strings.Join(lines, "\n")
}
