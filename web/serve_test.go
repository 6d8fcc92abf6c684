package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"qcode"
	"qcode/app"
)

// TestListenBeyond serves other computers with --listen: any host name
// reaches it, but only with the token.
func TestListenBeyond(t *testing.T) {
	_, p := testServer(t)
	s, err := Listen(p, Options{Listen: "127.0.0.1:0", Token: testToken})
	if err != nil {
		t.Fatal(err)
	}
	defer s.ln.Close()
	if s.Local() {
		t.Error("a workspace listening at an address given says it is local")
	}
	if w := s.do(t, request{path: "/", host: "study-pc.lan:8800"}); w.Code != http.StatusOK {
		t.Errorf("another host name with the token: status %d", w.Code)
	}
	if w := s.do(t, request{path: "/", host: "study-pc.lan:8800", noToken: true}); w.Code != http.StatusForbidden {
		t.Errorf("another host name without the token: status %d", w.Code)
	}
	for _, bad := range []Options{{Listen: "nonsense"}, {Listen: "127.0.0.1:0", Port: 8800}} {
		_, err := Listen(p, bad)
		var e *qcode.Error
		if !errors.As(err, &e) || e.Code != qcode.EINVALID {
			t.Errorf("%+v: %v", bad, err)
		}
	}
	if local, _ := testServer(t); !local.Local() {
		t.Error("the default workspace is not local")
	}
}

// TestNoFileOutsideTheWorkspace asks for files outside the embedded
// assets in every way a path can be bent; none is served.
func TestNoFileOutsideTheWorkspace(t *testing.T) {
	s, _ := testServer(t)
	for _, path := range []string{
		"/static/../server.go", "/static/..%2fserver.go", "/static/%2e%2e/%2e%2e/go.mod",
		"/static/../../.qcode/project.db", "/sources/..%2f..%2f.qcode%2fproject.db", "/static//etc/passwd",
		"/static/assets/style.css",
	} {
		w := s.do(t, request{path: path})
		body := w.Body.String()
		if w.Code == http.StatusOK || strings.Contains(body, "package web") || strings.Contains(body, "SQLite") || strings.Contains(body, "root:") {
			t.Errorf("%s: status %d:\n%.200s", path, w.Code, body)
		}
	}
	if w := s.do(t, request{path: "/static/style.css"}); w.Code != http.StatusOK {
		t.Errorf("the style sheet itself: status %d", w.Code)
	}
}

// TestTabsCodeAtOnce codes from two browser tabs and a command line at
// the same time: every coding lands.
func TestTabsCodeAtOnce(t *testing.T) {
	s, p := testServer(t)
	ctx := context.Background()
	cli := openStudy(t, p.Dir) // another process's project, as 'qcode coding add' opens it
	src, err := p.Source(ctx, "P01")
	if err != nil {
		t.Fatal(err)
	}
	const each = 15
	var wg sync.WaitGroup
	errs := make(chan error, 3*each)
	for tab, coder := range []string{"amina", "ben"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				tn := src.Turns[1+i]
				body := fmt.Sprintf(`{"source":"P01","start":%d,"end":%d,"code":"humility","coder":%q,"hash":%q}`, tn.Start, tn.End, coder, src.Hash)
				r := httptest.NewRequest(http.MethodPost, "/api/codings", strings.NewReader(body))
				r.Host = s.Addr()
				r.AddCookie(&http.Cookie{Name: tokenCookie, Value: testToken})
				r.Header.Set("Content-Type", "application/json")
				r.Header.Set(csrfHeader, s.csrf)
				w := httptest.NewRecorder()
				s.Handler().ServeHTTP(w, r)
				if w.Code != http.StatusOK {
					errs <- fmt.Errorf("tab %d, turn %d: status %d: %s", tab, i, w.Code, w.Body)
				}
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := range each {
			if _, err := cli.AddCoding(ctx, app.CodingOptions{Segment: fmt.Sprintf("P01:t%d", src.Turns[1+i].Ord), Code: "risk_aversion", Coder: "carla"}); err != nil {
				errs <- fmt.Errorf("command line, turn %d: %w", i, err)
			}
		}
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for _, coder := range []string{"amina", "ben", "carla"} {
		l, err := p.ListCodings(ctx, app.ListOptions{Source: "P01", Coder: coder})
		if err != nil || len(l.Codings) != each {
			t.Errorf("%s has %d codings (%v), want %d", coder, len(l.Codings), err, each)
		}
	}
}
