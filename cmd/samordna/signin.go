package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/samordna/samordna/openid"
	"github.com/samordna/samordna/web"
)

// signInFlags are how employees sign in (serve and demo): OpenID Connect
// against the municipality's identity provider, and whether the password
// form is offered. See docs/SIGN-IN.md.
type signInFlags struct {
	issuer, clientID, secretFile, claim, redirectURL, passwordLogin *string
}

func (m *Main) addSignInFlags(fs *flag.FlagSet) signInFlags {
	return signInFlags{
		issuer:      fs.String("oidc-issuer", m.env("SAMORDNA_OIDC_ISSUER", ""), "OpenID Connect issuer; set to offer sign-in with the municipality's identity provider (env SAMORDNA_OIDC_ISSUER)"),
		clientID:    fs.String("oidc-client-id", m.env("SAMORDNA_OIDC_CLIENT_ID", ""), "client (application) id registered at the provider (env SAMORDNA_OIDC_CLIENT_ID)"),
		secretFile:  fs.String("oidc-client-secret-file", m.env("SAMORDNA_OIDC_CLIENT_SECRET_FILE", ""), "file holding the client secret; or give the secret itself in env SAMORDNA_OIDC_CLIENT_SECRET (env SAMORDNA_OIDC_CLIENT_SECRET_FILE)"),
		claim:       fs.String("oidc-claim", m.env("SAMORDNA_OIDC_CLAIM", openid.DefaultClaim), "ID token claim matched against the employee's external id, then username (env SAMORDNA_OIDC_CLAIM)"),
		redirectURL: fs.String("oidc-redirect-url", m.env("SAMORDNA_OIDC_REDIRECT_URL", ""), "callback registered at the provider; default <base-url>/login/oidc/callback (env SAMORDNA_OIDC_REDIRECT_URL)"),
		passwordLogin: fs.String("password-login", m.env("SAMORDNA_PASSWORD_LOGIN", "true"),
			"offer sign-in with username and password; false leaves only OpenID Connect (env SAMORDNA_PASSWORD_LOGIN)"),
	}
}

// apply fills the web configuration's sign-in part: it discovers the
// provider when an issuer is given. Password sign-in can only be switched
// off when OpenID Connect is on, so that nobody is locked out.
func (f signInFlags) apply(ctx context.Context, m *Main, cfg *web.Config) error {
	password, err := strconv.ParseBool(strings.TrimSpace(*f.passwordLogin))
	if err != nil {
		return usageError("--password-login %q: use true or false", *f.passwordLogin)
	}
	if *f.issuer == "" {
		if !password {
			return usageError("--password-login=false needs OpenID Connect sign-in (--oidc-issuer or SAMORDNA_OIDC_ISSUER)")
		}
		return nil
	}
	secret := m.env("SAMORDNA_OIDC_CLIENT_SECRET", "")
	if *f.secretFile != "" {
		b, err := os.ReadFile(*f.secretFile)
		if err != nil {
			return fmt.Errorf("--oidc-client-secret-file: %w", err)
		}
		secret = strings.TrimSpace(string(b))
	}
	redirect := *f.redirectURL
	if redirect == "" && cfg.BaseURL != "" {
		redirect = strings.TrimSuffix(cfg.BaseURL, "/") + "/login/oidc/callback"
	}
	p, err := openid.New(ctx, openid.Config{Issuer: *f.issuer, ClientID: *f.clientID, ClientSecret: secret,
		RedirectURL: redirect, Claim: *f.claim})
	if err != nil {
		return err
	}
	cfg.OIDC, cfg.NoPasswordLogin = p, !password
	return nil
}
