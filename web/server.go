// Package web is Samordna's HTTP server: the server-rendered pages
// (html/template, forms that work without JavaScript), the JSON API mounted
// under /api/, the operational endpoints, and the middleware every request
// passes through (request id, logs and metrics, security headers, CSRF
// protection, body limits).
package web

import (
	"embed"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/api"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/openid"
	"github.com/samordna/samordna/scimapi"
)

//go:embed static
var staticFS embed.FS

// Config holds the server's settings.
type Config struct {
	// BaseURL is the public address, e.g. https://samordna.kommune.no. An
	// https address makes cookies Secure with the __Host- prefix.
	BaseURL string
	// OIDC, when set, offers sign-in with the municipality's identity
	// provider (OpenID Connect; see oidc.go).
	OIDC *openid.Provider
	// NoPasswordLogin hides the password form and refuses POST /login, for
	// a municipality that signs in through OIDC only.
	NoPasswordLogin bool
}

// Route is one page or endpoint, listed so that the access matrix test can
// cover every route.
type Route struct {
	Method string
	Path   string
	Public bool // reachable without signing in
	// Access declares who may use the route, for the access matrix test;
	// the same vocabulary as api.Route.Access ("public", "authenticated",
	// "role:<role>", "case:read", ...).
	Access  string
	Handler http.HandlerFunc
}

// Server is the whole HTTP surface of Samordna.
type Server struct {
	app       *app.App
	api       *api.API
	scim      http.Handler // SCIM 2.0 for the municipality's directory, outside session and token authentication
	cfg       Config
	log       *slog.Logger
	catalog   *Catalog
	templates templates
	metrics   *metrics
	handler   http.Handler
}

// New builds the server.
func New(a *app.App, cfg Config) (*Server, error) {
	cat, err := LoadCatalog()
	if err != nil {
		return nil, err
	}
	tpl, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	s := &Server{app: a, api: api.New(a), cfg: cfg, log: a.Log, catalog: cat, templates: tpl}
	s.metrics = newMetrics(a.DB)
	if s.scim, err = scimapi.New(a); err != nil {
		return nil, err
	}
	s.handler = s.middleware(s.routes())
	return s, nil
}

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Routes lists every page route (the API lists its own in api.Routes).
// Each feature file contributes its own list.
func (s *Server) Routes() []Route {
	var routes []Route
	routes = append(routes, s.shellRoutes()...)
	routes = append(routes, s.signInLinkRoutes()...)
	routes = append(routes, s.oidcRoutes()...)
	routes = append(routes, s.caseRoutes()...)
	routes = append(routes, s.hubRoutes()...)
	routes = append(routes, s.closeRoutes()...)
	routes = append(routes, s.routineRoutes()...)
	routes = append(routes, s.coordinationRoutes()...)
	routes = append(routes, s.planRoutes()...)
	routes = append(routes, s.personRoutes()...)
	routes = append(routes, s.mailRoutes()...)
	routes = append(routes, s.adminRoutes()...)
	routes = append(routes, s.importRoutes()...)
	routes = append(routes, s.leaveRoutes()...)
	routes = append(routes, s.teamRoutes()...)
	routes = append(routes, s.teamArrangeRoutes()...)
	routes = append(routes, s.seed002Routes()...)
	routes = append(routes, s.goalRoutes()...)
	routes = append(routes, s.annualCycleRoutes()...)
	routes = append(routes, s.solaRoutes()...)
	return routes
}

// APIRoutes lists the JSON API's routes.
func (s *Server) APIRoutes() []api.Route { return s.api.Routes() }

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.Routes() {
		h := rt.Handler
		if !rt.Public {
			h = s.requireSession(h)
		}
		mux.Handle(rt.Method+" "+rt.Path, h)
	}
	mux.Handle("/api/", s.api.Handler())
	mux.Handle("/scim/", s.scim)
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.Handle("GET /metrics", s.metrics.handler())
	static, _ := fs.Sub(staticFS, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", cacheStatic(http.FileServerFS(static))))
	mux.HandleFunc("/", s.notFound)
	return mux
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok\n"))
}

// readyz answers 200 when the database is reachable, 503 otherwise.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.app.DB.Ping(r.Context()); err != nil {
		s.log.Warn("readyz: database unreachable", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("database unreachable\n"))
		return
	}
	_, _ = w.Write([]byte("ready\n"))
}

// cacheStatic lets browsers cache our own CSS and JavaScript (they hold no
// personal data) for an hour.
func cacheStatic(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		h.ServeHTTP(w, r)
	})
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		s.api.Handler().ServeHTTP(w, r)
		return
	}
	s.errorPage(w, r, http.StatusNotFound, "error.not_found")
}

// errorPage renders an error in the user's language.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, msgID string) {
	p := s.page(r, "error.title")
	p.Data = struct{ Message string }{msgID}
	s.render(w, r, status, "error", p)
}

// serverError logs err (without personal data: only the route) and shows a
// plain error page.
func (s *Server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Error("internal error", "route", r.Pattern, "request_id", requestID(r), "err", samordna.MaskIDNumbers(err.Error()))
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	_, _ = w.Write([]byte(s.catalog.T(s.lang(r), "error.internal", nil) + "\n"))
}
