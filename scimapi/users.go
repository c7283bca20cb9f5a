package scimapi

import (
	"net/http"
	"strings"

	"github.com/elimity-com/scim"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
)

// users maps SCIM Users onto employees: userName ↔ username,
// displayName and name.formatted ↔ name, the primary (or first) e-mail ↔
// email, externalId ↔ external id, active ↔ not disabled.
type users struct{ a *app.App }

func userResource(e *samordna.Employee) scim.Resource {
	attrs := scim.ResourceAttributes{
		"userName":    e.Username,
		"displayName": e.Name,
		"name":        map[string]any{"formatted": e.Name},
		"active":      !e.Disabled,
	}
	if e.Email != "" {
		attrs["emails"] = []any{map[string]any{"value": e.Email, "type": "work", "primary": true}}
	}
	if e.Title != "" {
		attrs["title"] = e.Title
	}
	created := e.CreatedAt
	return scim.Resource{ID: e.ID, ExternalID: externalID(e.ExternalID), Attributes: attrs,
		Meta: scim.Meta{Created: &created}}
}

// userFrom reads a user's attributes; active is true when absent.
func userFrom(attrs scim.ResourceAttributes) app.SCIMUser {
	u := app.SCIMUser{Username: str(attrs["userName"]), ExternalID: str(attrs["externalId"]), Active: true}
	if b, ok := boolean(attrs["active"]); ok {
		u.Active = b
	}
	u.Name = str(attrs["displayName"])
	if name, ok := attrs["name"].(map[string]any); ok && u.Name == "" {
		u.Name = str(name["formatted"])
		if u.Name == "" {
			u.Name = strings.TrimSpace(str(name["givenName"]) + " " + str(name["familyName"]))
		}
	}
	u.Email = primaryEmail(attrs["emails"])
	return u
}

// primaryEmail is the primary e-mail of a SCIM emails list, or the first.
func primaryEmail(v any) string {
	list, _ := v.([]any)
	first := ""
	for _, x := range list {
		m, _ := x.(map[string]any)
		if first == "" {
			first = str(m["value"])
		}
		if p, _ := boolean(m["primary"]); p {
			return str(m["value"])
		}
	}
	return first
}

func (h users) Create(r *http.Request, attrs scim.ResourceAttributes) (scim.Resource, error) {
	e, err := h.a.SCIMCreateUser(r.Context(), actor(r), municipality(r), userFrom(attrs))
	if err != nil {
		return scim.Resource{}, scimError(err, "")
	}
	return userResource(e), nil
}

func (h users) Get(r *http.Request, id string) (scim.Resource, error) {
	e, err := h.a.SCIMUserByID(r.Context(), municipality(r), id)
	if err != nil {
		return scim.Resource{}, scimError(err, id)
	}
	return userResource(e), nil
}

func (h users) GetAll(r *http.Request, params scim.ListRequestParams) (scim.Page, error) {
	all, err := h.a.SCIMUsers(r.Context(), municipality(r))
	if err != nil {
		return scim.Page{}, err
	}
	var res []scim.Resource
	for _, e := range all {
		res = append(res, userResource(e))
	}
	return page(params, res), nil
}

func (h users) Replace(r *http.Request, id string, attrs scim.ResourceAttributes) (scim.Resource, error) {
	e, err := h.a.SCIMReplaceUser(r.Context(), actor(r), municipality(r), id, userFrom(attrs))
	if err != nil {
		return scim.Resource{}, scimError(err, id)
	}
	return userResource(e), nil
}

// Delete disables the employee (with the handover to the leader of their
// service); the employee stays, because the audit trail and the cases
// name them.
func (h users) Delete(r *http.Request, id string) error {
	e, err := h.a.SCIMUserByID(r.Context(), municipality(r), id)
	if err != nil {
		return scimError(err, id)
	}
	if e.Disabled {
		return nil
	}
	u := app.SCIMUser{Username: e.Username, Name: e.Name, Email: e.Email, ExternalID: e.ExternalID}
	_, err = h.a.SCIMReplaceUser(r.Context(), actor(r), municipality(r), id, u)
	return scimError(err, id)
}

// Patch applies add, replace and remove to the user's attributes, then
// stores them as Replace does (active false disables).
func (h users) Patch(r *http.Request, id string, ops []scim.PatchOperation) (scim.Resource, error) {
	e, err := h.a.SCIMUserByID(r.Context(), municipality(r), id)
	if err != nil {
		return scim.Resource{}, scimError(err, id)
	}
	u := app.SCIMUser{Username: e.Username, Name: e.Name, Email: e.Email, ExternalID: e.ExternalID, Active: !e.Disabled}
	for _, op := range ops {
		name, sub := pathName(op.Path)
		if strings.ToLower(op.Op) == scim.PatchOperationRemove {
			switch name {
			case "externalid":
				u.ExternalID = ""
			case "emails":
				u.Email = ""
			}
			continue
		}
		if name == "" {
			values, _ := op.Value.(map[string]any)
			for k, v := range values {
				setUserAttr(&u, strings.ToLower(k), "", v)
			}
			continue
		}
		setUserAttr(&u, name, sub, op.Value)
	}
	e, err = h.a.SCIMReplaceUser(r.Context(), actor(r), municipality(r), id, u)
	if err != nil {
		return scim.Resource{}, scimError(err, id)
	}
	return userResource(e), nil
}

// setUserAttr sets one attribute (lower-case name, optional sub-attribute)
// from a PATCH value; attributes Samordna does not keep are ignored.
func setUserAttr(u *app.SCIMUser, name, sub string, v any) {
	switch name {
	case "active":
		if b, ok := boolean(v); ok {
			u.Active = b
		}
	case "username":
		u.Username = str(v)
	case "displayname":
		u.Name = str(v)
	case "name.formatted":
		u.Name = str(v)
	case "name":
		if sub == "formatted" {
			u.Name = str(v)
		} else if m, ok := v.(map[string]any); ok && str(m["formatted"]) != "" {
			u.Name = str(m["formatted"])
		}
	case "externalid":
		u.ExternalID = str(v)
	case "emails", "emails[type eq \"work\"].value":
		if s := str(v); s != "" {
			u.Email = s
		} else if s := primaryEmail(v); s != "" {
			u.Email = s
		}
	}
}
