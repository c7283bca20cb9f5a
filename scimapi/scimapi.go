// Package scimapi serves SCIM 2.0 (RFC 7643/7644) at /scim/v2, so that the
// municipality's directory (Microsoft Entra ID, mostly) creates, updates
// and deactivates employees itself. Users are employees; Groups are
// services (membership = service membership). The protocol (routing,
// schemas, filters, PATCH parsing, list responses, errors) is
// github.com/elimity-com/scim; this package maps it onto the app's use
// cases. It authenticates with the bearer secret `samordna scim token`
// prints, outside the session and token authentication of the pages and
// the JSON API.
package scimapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/elimity-com/scim"
	scimerrors "github.com/elimity-com/scim/errors"
	"github.com/elimity-com/scim/optional"
	"github.com/elimity-com/scim/schema"
	filter "github.com/scim2/filter-parser/v2"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
)

// Prefix is where SCIM is served.
const Prefix = "/scim/v2"

type municipalityKey struct{}

// New returns the SCIM handler for requests under /scim/.
func New(a *app.App) (http.Handler, error) {
	srv, err := scim.NewServer(&scim.ServerArgs{
		ServiceProviderConfig: &scim.ServiceProviderConfig{
			DocumentationURI: optional.NewString("https://github.com/samordna/samordna/blob/main/docs/SCIM.md"),
			AuthenticationSchemes: []scim.AuthenticationScheme{{Type: scim.AuthenticationTypeOauthBearerToken,
				Name: "Bearer secret", Description: "The secret `samordna scim token` prints.", Primary: true}},
			MaxResults:       100,
			SupportFiltering: true,
			SupportPatch:     true,
		},
		ResourceTypes: []scim.ResourceType{
			{ID: optional.NewString("User"), Name: "User", Endpoint: "/Users",
				Description: optional.NewString("An employee of the municipality"),
				Schema:      schema.CoreUserSchema(), Handler: users{a}},
			{ID: optional.NewString("Group"), Name: "Group", Endpoint: "/Groups",
				Description: optional.NewString("A service of the municipality; members are its employees"),
				Schema:      schema.CoreGroupSchema(), Handler: groups{a}},
		},
	})
	if err != nil {
		return nil, err
	}
	inner := http.StripPrefix("/scim", srv)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		mun := ""
		var err error
		if ok {
			mun, err = a.SCIMMunicipality(r.Context(), strings.TrimSpace(token))
		}
		if !ok || samordna.ErrorKind(err) == samordna.KindUnauthenticated {
			writeError(w, http.StatusUnauthorized, "a valid bearer secret from `samordna scim token` is required")
			return
		}
		if err != nil {
			writeError(w, http.StatusInternalServerError, "the secret could not be checked")
			return
		}
		inner.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), municipalityKey{}, mun)))
	}), nil
}

// writeError answers with a SCIM error body.
func writeError(w http.ResponseWriter, status int, detail string) {
	w.Header().Set("Content-Type", "application/scim+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"schemas": []string{"urn:ietf:params:scim:api:messages:2.0:Error"},
		"status":  fmt.Sprint(status), "detail": detail})
}

func municipality(r *http.Request) string {
	s, _ := r.Context().Value(municipalityKey{}).(string)
	return s
}

func actor(r *http.Request) *samordna.Actor {
	info := reqctx.From(r.Context())
	return app.SCIMActor(info.RequestID, info.Client)
}

// scimError turns an app error into the SCIM error the client sees; the
// detail says why (for a refused deactivation: that a successor is needed).
func scimError(err error, id string) error {
	if err == nil {
		return nil
	}
	switch samordna.ErrorKind(err) {
	case samordna.KindNotFound:
		return scimerrors.ScimErrorResourceNotFound(id)
	case samordna.KindInvalid, samordna.KindRule:
		return scimerrors.ScimError{Status: http.StatusBadRequest, ScimType: scimerrors.ScimTypeInvalidValue,
			Detail: err.Error()}
	case samordna.KindConflict:
		return scimerrors.ScimError{Status: http.StatusConflict, ScimType: scimerrors.ScimTypeUniqueness,
			Detail: err.Error()}
	}
	return err
}

// page filters resources with the request's filter and cuts the page.
func page(params scim.ListRequestParams, all []scim.Resource) scim.Page {
	var hits []scim.Resource
	for _, res := range all {
		if params.FilterValidator != nil {
			attrs := map[string]any{}
			for k, v := range res.Attributes {
				attrs[k] = v
			}
			attrs["id"] = res.ID
			if res.ExternalID.Present() {
				attrs["externalId"] = res.ExternalID.Value()
			}
			if params.FilterValidator.PassesFilter(attrs) != nil {
				continue
			}
		}
		hits = append(hits, res)
	}
	p := scim.Page{TotalResults: len(hits), Resources: []scim.Resource{}}
	start := max(params.StartIndex, 1) - 1
	for i := start; i < len(hits) && len(p.Resources) < params.Count; i++ {
		p.Resources = append(p.Resources, hits[i])
	}
	return p
}

func externalID(s string) optional.String {
	if s == "" {
		return optional.String{}
	}
	return optional.NewString(s)
}

// str returns v as a string ("" for anything else).
func str(v any) string {
	s, _ := v.(string)
	return s
}

// boolean reads a SCIM boolean, also as the string "True"/"False" that
// Entra ID sends in PATCH without its compliance flag.
func boolean(v any) (bool, bool) {
	switch b := v.(type) {
	case bool:
		return b, true
	case string:
		switch strings.ToLower(b) {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	}
	return false, false
}

// pathName is an operation's attribute name in lower case ("" for none)
// and its sub-attribute.
func pathName(p *filter.Path) (string, string) {
	if p == nil {
		return "", ""
	}
	sub := ""
	if p.AttributePath.SubAttribute != nil {
		sub = strings.ToLower(*p.AttributePath.SubAttribute)
	}
	if p.SubAttribute != nil {
		sub = strings.ToLower(*p.SubAttribute)
	}
	return strings.ToLower(p.AttributePath.AttributeName), sub
}
