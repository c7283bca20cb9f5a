package scimapi

import (
	"net/http"
	"strings"

	"github.com/elimity-com/scim"
	filter "github.com/scim2/filter-parser/v2"

	"github.com/samordna/samordna/app"
)

// groups maps SCIM Groups onto services: displayName ↔ name, externalId
// ↔ external id, members ↔ the service's members. A group the directory
// creates is a service of kind "other"; the administrator sets its kind
// and leader. Deleting a group empties it: the service stays, because
// cases and tasks name it.
type groups struct{ a *app.App }

func groupResource(g *app.SCIMGroup) scim.Resource {
	members := []any{}
	for _, e := range g.Members {
		members = append(members, map[string]any{"value": e.ID, "display": e.Name})
	}
	return scim.Resource{ID: g.Service.ID, ExternalID: externalID(g.Service.ExternalID),
		Attributes: scim.ResourceAttributes{"displayName": g.Service.Name, "members": members}}
}

// memberIDs reads a members list: [{"value": id}, ...].
func memberIDs(v any) []string {
	out := []string{}
	list, _ := v.([]any)
	for _, x := range list {
		if m, ok := x.(map[string]any); ok && str(m["value"]) != "" {
			out = append(out, str(m["value"]))
		}
	}
	return out
}

func (h groups) Create(r *http.Request, attrs scim.ResourceAttributes) (scim.Resource, error) {
	g, err := h.a.SCIMCreateGroup(r.Context(), actor(r), municipality(r), str(attrs["displayName"]),
		str(attrs["externalId"]), memberIDs(attrs["members"]))
	if err != nil {
		return scim.Resource{}, scimError(err, "")
	}
	return groupResource(g), nil
}

func (h groups) Get(r *http.Request, id string) (scim.Resource, error) {
	g, err := h.a.SCIMGroupByID(r.Context(), municipality(r), id)
	if err != nil {
		return scim.Resource{}, scimError(err, id)
	}
	return groupResource(g), nil
}

func (h groups) GetAll(r *http.Request, params scim.ListRequestParams) (scim.Page, error) {
	all, err := h.a.SCIMGroups(r.Context(), municipality(r))
	if err != nil {
		return scim.Page{}, err
	}
	var res []scim.Resource
	for _, g := range all {
		res = append(res, groupResource(g))
	}
	return page(params, res), nil
}

func (h groups) Replace(r *http.Request, id string, attrs scim.ResourceAttributes) (scim.Resource, error) {
	ext := str(attrs["externalId"])
	g, err := h.a.SCIMUpdateGroup(r.Context(), actor(r), municipality(r), id, str(attrs["displayName"]), &ext,
		nil, nil, memberIDs(attrs["members"]))
	if err != nil {
		return scim.Resource{}, scimError(err, id)
	}
	return groupResource(g), nil
}

func (h groups) Delete(r *http.Request, id string) error {
	_, err := h.a.SCIMUpdateGroup(r.Context(), actor(r), municipality(r), id, "", nil, nil, nil, []string{})
	return scimError(err, id)
}

// Patch adds and removes members ("members" with a list, or
// members[value eq "id"]) and replaces displayName and externalId.
func (h groups) Patch(r *http.Request, id string, ops []scim.PatchOperation) (scim.Resource, error) {
	var name string
	var ext *string
	var add, remove, replace []string
	for _, op := range ops {
		attr, _ := pathName(op.Path)
		kind := strings.ToLower(op.Op)
		if attr == "" {
			values, _ := op.Value.(map[string]any)
			for k, v := range values {
				switch strings.ToLower(k) {
				case "displayname":
					name = str(v)
				case "externalid":
					s := str(v)
					ext = &s
				case "members":
					replace = memberIDs(v)
				}
			}
			continue
		}
		switch attr {
		case "displayname":
			name = str(op.Value)
		case "externalid":
			s := str(op.Value)
			if kind == scim.PatchOperationRemove {
				s = ""
			}
			ext = &s
		case "members":
			ids := memberIDs(op.Value)
			if e, ok := op.Path.ValueExpression.(*filter.AttributeExpression); ok {
				if s, ok := e.CompareValue.(string); ok {
					ids = append(ids, s)
				}
			}
			switch kind {
			case scim.PatchOperationAdd:
				add = append(add, ids...)
			case scim.PatchOperationRemove:
				if len(ids) == 0 && op.Path.ValueExpression == nil {
					replace = []string{} // remove every member
				}
				remove = append(remove, ids...)
			case scim.PatchOperationReplace:
				replace = ids
			}
		}
	}
	g, err := h.a.SCIMUpdateGroup(r.Context(), actor(r), municipality(r), id, name, ext, add, remove, replace)
	if err != nil {
		return scim.Resource{}, scimError(err, id)
	}
	return groupResource(g), nil
}
