package web

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"sync"
	"time"

	"qcode"

	"qcode/app"
)

//go:embed assets
var assets embed.FS

// pages are the workspace's templates, parsed when first used rather than
// when the program starts: every qcode command starts the program, and a
// search at the command line need not wait for the workspace's pages.
var pages = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("").Funcs(template.FuncMap{
		"attrs": attrList,
		"has":   slices.Contains[[]string],
		"inc":   func(i int) int { return i + 1 },
	}).ParseFS(assets, "assets/*.html"))
})

// Options say how the workspace listens.
type Options struct {
	// Port is the loopback port to listen on; 0 for a free one.
	Port int
	// Token is the secret a browser must show; "" for a random one.
	Token string
	// Listen is a host:port to listen on instead of 127.0.0.1, for a
	// workspace other computers reach; "" for this computer only.
	Listen string
	// Log takes the HTTP server's own errors (a handler that panics, a
	// listener that fails); nil for the standard logger, which the CLI
	// silences for bleve's sake, so it gives the server its own.
	Log io.Writer
}

// Server is the workspace bound to its port, serving one open project.
type Server struct {
	p     *app.Project
	ln    net.Listener
	token string
	csrf  string // sent by the page's script with every POST
	hosts [2]string
	// anyHost lets any Host header through: a workspace listening beyond
	// this computer is reached by names we cannot know. The token still
	// guards it, and the cookie stays with the name the browser used.
	anyHost bool
	mux     *http.ServeMux
	log     *log.Logger // the HTTP server's errors; nil for the standard logger
}

// tokenCookie keeps the token once the browser has shown it in the URL.
const tokenCookie = "qcode_token"

// csrfHeader carries the page's CSRF token on state-changing requests.
const csrfHeader = "X-Qcode-Csrf"

// Listen binds the workspace to 127.0.0.1, or to o.Listen, and makes its
// tokens. The project stays the caller's to close, after Serve returns.
func Listen(p *app.Project, o Options) (*Server, error) {
	if o.Port < 0 || o.Port > 65535 {
		return nil, qcode.FieldError("port", strconv.Itoa(o.Port), "not a port; give one from 1024 to 65535, or none for a free one")
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(o.Port))
	field, value := "port", strconv.Itoa(o.Port)
	if o.Listen != "" {
		if o.Port != 0 {
			return nil, qcode.FieldError("port", value, "give the port in the listen address instead (host:port)")
		}
		if _, _, err := net.SplitHostPort(o.Listen); err != nil {
			return nil, qcode.FieldError("listen", o.Listen, "not an address; give host:port, e.g. 0.0.0.0:8800")
		}
		addr, field, value = o.Listen, "listen", o.Listen
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, &qcode.Error{Code: qcode.ECONFLICT, Field: field, Value: value, Err: err,
			Message: fmt.Sprintf("cannot listen there (%v); give another port, or none for a free one", errors.Unwrap(err))}
	}
	s := &Server{p: p, ln: ln, token: o.Token, csrf: randomToken(), anyHost: o.Listen != ""}
	if o.Log != nil {
		s.log = log.New(o.Log, "qcode serve: ", 0)
	}
	if s.token == "" {
		s.token = randomToken()
	}
	port := ln.Addr().(*net.TCPAddr).Port
	// Only these names reach us honestly: any other Host is a page whose
	// DNS name was made to point at 127.0.0.1 (DNS rebinding).
	s.hosts = [2]string{fmt.Sprintf("127.0.0.1:%d", port), fmt.Sprintf("localhost:%d", port)}
	if s.anyHost {
		host, _, _ := net.SplitHostPort(o.Listen)
		if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
			if name, err := os.Hostname(); err == nil {
				host = name
			}
		}
		s.hosts[0] = net.JoinHostPort(host, strconv.Itoa(port))
	}
	s.routes()
	return s, nil
}

func randomToken() string {
	b := make([]byte, 24)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// URL is the address to open, with the token.
func (s *Server) URL() string {
	return "http://" + s.hosts[0] + "/?token=" + s.token
}

// Local says whether only this computer can reach the workspace.
func (s *Server) Local() bool { return !s.anyHost }

// Addr is the host and port the server listens on.
func (s *Server) Addr() string { return s.hosts[0] }

// Handler is the workspace's HTTP handler, every request checked.
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.guard) }

// Serve answers requests until ctx ends, then lets requests under way
// finish and returns.
func (s *Server) Serve(ctx context.Context) error {
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second, ErrorLog: s.log,
		BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) }}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(s.ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil {
		return err
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func (s *Server) routes() {
	s.mux = http.NewServeMux()
	static, _ := fs.Sub(assets, "assets")
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	s.mux.HandleFunc("GET /{$}", s.sourcesPage)
	s.mux.HandleFunc("GET /sources/{name}", s.sourcePage)
	s.mux.HandleFunc("GET /api/sources/{name}/parts", s.partsOf)
	s.mux.HandleFunc("GET /sources/{name}/compare", s.comparePage)
	s.mux.HandleFunc("GET /codes", s.codesPage)
	s.mux.HandleFunc("GET /codes/{id}", s.retrievePage)
	s.mux.HandleFunc("POST /api/codings", s.addCoding)
	s.mux.HandleFunc("POST /api/codings/remove", s.removeCoding)
	s.mux.HandleFunc("POST /api/codings/reject", s.rejectCoding)
	s.mux.HandleFunc("POST /api/suggestions/accept", s.acceptSuggestion)
	s.mux.HandleFunc("POST /api/suggestions/reject", s.rejectSuggestion)
	s.mux.HandleFunc("POST /api/codings/accept", s.acceptCoding)
	s.mux.HandleFunc("POST /api/codings/change", s.changeCodingPlace)
	s.mux.HandleFunc("POST /api/codes", s.newCode)
	s.mux.HandleFunc("GET /memos", s.memosPage)
	s.mux.HandleFunc("POST /api/memos", s.addMemo)
	s.mux.HandleFunc("POST /api/memos/edit", s.editMemo)
	s.mux.HandleFunc("POST /api/memos/remove", s.removeMemo)
	s.mux.HandleFunc("GET /framework", s.frameworkPage)
	s.mux.HandleFunc("POST /api/framework/summary", s.setSummary)
	s.mux.HandleFunc("GET /search", s.searchPage)
	s.mux.HandleFunc("POST /api/search/code", s.codeHits)
	s.mux.HandleFunc("POST /api/sources/{name}/edit", s.editTurn)
}

// guard lets through only requests to our own host name that show the
// token, and POSTs that also carry the CSRF token, before routing.
func (s *Server) guard(w http.ResponseWriter, r *http.Request) {
	if !s.anyHost && r.Host != s.hosts[0] && r.Host != s.hosts[1] {
		s.fail(w, r, http.StatusForbidden, "this workspace answers only at "+s.hosts[0])
		return
	}
	given := r.URL.Query().Get("token")
	fromQuery := given != ""
	if !fromQuery {
		if c, err := r.Cookie(tokenCookie); err == nil {
			given = c.Value
		}
	}
	if !same(given, s.token) {
		s.fail(w, r, http.StatusForbidden, "the workspace's token is missing or wrong: open the address 'qcode serve' printed")
		return
	}
	if r.Method == http.MethodPost && !same(r.Header.Get(csrfHeader), s.csrf) {
		s.fail(w, r, http.StatusForbidden, "the request lacks the page's CSRF token: reload the page")
		return
	}
	if fromQuery {
		http.SetCookie(w, &http.Cookie{Name: tokenCookie, Value: s.token, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
		if r.Method == http.MethodGet {
			// The token leaves the address bar, the history and Referer.
			u := *r.URL
			q := u.Query()
			q.Del("token")
			u.RawQuery = q.Encode()
			http.Redirect(w, r, u.RequestURI(), http.StatusSeeOther)
			return
		}
	}
	// The retrieval page shows a passage's source beside the list in a
	// frame of its own; no other site may frame the workspace.
	w.Header().Set("X-Frame-Options", "SAMEORIGIN")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'self'")
	s.mux.ServeHTTP(w, r)
}

func same(given, want string) bool {
	return given != "" && subtle.ConstantTimeCompare([]byte(given), []byte(want)) == 1
}
