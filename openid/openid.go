// Package openid signs employees in with the municipality's own identity
// provider (for example Microsoft Entra ID) through OpenID Connect: the
// authorization code flow with PKCE (S256), state and nonce. Discovery,
// signature, issuer, audience and expiry checks are go-oidc's; this package
// adds the nonce check, the claim that names the employee, and the
// provider's sign-out address. Who the employee is in Samordna is decided
// by app.SignInExternal, never here.
package openid

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// DefaultClaim is the ID token claim that names the employee when the
// configuration names none: the sign-in name (in Entra ID the UPN, e.g.
// kari.nordmann@kommune.no).
const DefaultClaim = "preferred_username"

// Config is what a municipality configures (flags --oidc-* or
// SAMORDNA_OIDC_*).
type Config struct {
	Issuer       string // e.g. https://login.microsoftonline.com/<tenant>/v2.0
	ClientID     string
	ClientSecret string
	// RedirectURL is Samordna's callback as registered at the provider,
	// e.g. https://samordna.kommune.no/login/oidc/callback.
	RedirectURL string
	// Claim names the ID token claim whose value identifies the employee
	// (matched against the employee's external id, then username);
	// DefaultClaim when empty.
	Claim string
}

// Enabled reports whether OpenID Connect sign-in is configured at all.
func (c Config) Enabled() bool { return c.Issuer != "" }

// Provider is a discovered OpenID provider, ready to sign employees in.
type Provider struct {
	provider   *oidc.Provider
	claim      string
	oauth      oauth2.Config
	verifier   *oidc.IDTokenVerifier
	endSession string
}

// New discovers the provider at cfg.Issuer (its
// /.well-known/openid-configuration) and returns it, or an error naming
// what is missing or unreachable.
func New(ctx context.Context, cfg Config) (*Provider, error) {
	switch {
	case cfg.ClientID == "":
		return nil, errors.New("openid: the client id is missing (--oidc-client-id or SAMORDNA_OIDC_CLIENT_ID)")
	case cfg.ClientSecret == "":
		return nil, errors.New("openid: the client secret is missing (SAMORDNA_OIDC_CLIENT_SECRET or --oidc-client-secret-file)")
	case cfg.RedirectURL == "":
		return nil, errors.New("openid: the redirect URL is missing (--oidc-redirect-url, or --base-url)")
	}
	// The key set is refreshed later with this context: it must outlive
	// the start-up call.
	p, err := oidc.NewProvider(context.WithoutCancel(ctx), cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("openid: discovery at %s: %w", cfg.Issuer, err)
	}
	var meta struct {
		EndSession string `json:"end_session_endpoint"`
	}
	if err := p.Claims(&meta); err != nil {
		return nil, fmt.Errorf("openid: discovery at %s: %w", cfg.Issuer, err)
	}
	claim := cfg.Claim
	if claim == "" {
		claim = DefaultClaim
	}
	return &Provider{
		provider: p,
		claim:    claim,
		oauth: oauth2.Config{ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, RedirectURL: cfg.RedirectURL,
			Endpoint: p.Endpoint(), Scopes: []string{oidc.ScopeOpenID, "profile", "email"}},
		verifier:   p.Verifier(&oidc.Config{ClientID: cfg.ClientID}),
		endSession: meta.EndSession,
	}, nil
}

// AuthURL is the provider's sign-in address for one attempt: the browser is
// sent there, and comes back to the redirect URL with a code and state.
func (p *Provider) AuthURL(state, nonce, verifier string) string {
	return p.oauth.AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier))
}

// Identity is who the provider says signed in.
type Identity struct {
	// Claim is the value of the configured claim, which names the employee.
	Claim string
	// IDToken is the raw ID token, kept for the provider's sign-out.
	IDToken string
}

// ErrRefused is an answer the provider's token endpoint refused, or an ID
// token that does not hold: wrong signature, issuer, audience or nonce,
// expired, or without the configured claim.
var ErrRefused = errors.New("openid: sign-in refused")

// Finish trades the code for tokens (sending the PKCE verifier), verifies
// the ID token (signature, issuer, audience = our client id, expiry) and
// that its nonce is the one this attempt sent, and returns the identity.
// The configured claim is read from the ID token, or, when the provider left
// it out, from the userinfo endpoint for the same subject. Every failure
// wraps ErrRefused.
func (p *Provider) Finish(ctx context.Context, code, verifier, nonce string) (*Identity, error) {
	tok, err := p.oauth.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		return nil, fmt.Errorf("%w: token exchange: %v", ErrRefused, err)
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok || raw == "" {
		return nil, fmt.Errorf("%w: no id_token in the token response", ErrRefused)
	}
	idt, err := p.verifier.Verify(ctx, raw)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrRefused, err)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(nonce)) != 1 || nonce == "" {
		return nil, fmt.Errorf("%w: the nonce does not match", ErrRefused)
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return nil, fmt.Errorf("%w: claims: %v", ErrRefused, err)
	}
	value, _ := claims[p.claim].(string)
	if strings.TrimSpace(value) == "" {
		// Conformant providers may leave profile claims out of the ID
		// token when they issue an access token; ask the userinfo
		// endpoint, for the same subject.
		if value, err = p.userInfoClaim(ctx, tok, idt.Subject); err != nil {
			return nil, err
		}
	}
	return &Identity{Claim: strings.TrimSpace(value), IDToken: raw}, nil
}

// userInfoClaim reads the configured claim from the userinfo endpoint,
// which must speak of the ID token's subject.
func (p *Provider) userInfoClaim(ctx context.Context, tok *oauth2.Token, subject string) (string, error) {
	missing := fmt.Errorf("%w: neither the ID token nor userinfo has the %q claim", ErrRefused, p.claim)
	if p.provider.UserInfoEndpoint() == "" {
		return "", missing
	}
	info, err := p.provider.UserInfo(ctx, oauth2.StaticTokenSource(tok))
	if err != nil {
		return "", fmt.Errorf("%w: userinfo: %v", ErrRefused, err)
	}
	if info.Subject != subject {
		return "", fmt.Errorf("%w: userinfo is about another subject", ErrRefused)
	}
	var claims map[string]any
	if err := info.Claims(&claims); err != nil {
		return "", fmt.Errorf("%w: userinfo claims: %v", ErrRefused, err)
	}
	value, _ := claims[p.claim].(string)
	if strings.TrimSpace(value) == "" {
		return "", missing
	}
	return value, nil
}

// EndSessionEndpoint is the provider's sign-out address from discovery,
// or "" when it has none.
func (p *Provider) EndSessionEndpoint() string { return p.endSession }

// LogoutURL is where to send the browser to sign out at the provider as
// well (RP-initiated logout): the end-session endpoint with the ID token as
// id_token_hint and back to postLogout afterwards; "" when the provider has
// no end-session endpoint.
func (p *Provider) LogoutURL(idToken, postLogout string) string {
	if p.endSession == "" {
		return ""
	}
	u, err := url.Parse(p.endSession)
	if err != nil {
		return ""
	}
	q := u.Query()
	if idToken != "" {
		q.Set("id_token_hint", idToken)
	}
	q.Set("client_id", p.oauth.ClientID)
	if postLogout != "" {
		q.Set("post_logout_redirect_uri", postLogout)
	}
	u.RawQuery = q.Encode()
	return u.String()
}
