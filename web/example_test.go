package web_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"qcode/app"
	"qcode/web"
)

// A front end opens the project, listens, shows the address with its
// token, and serves until its context ends (on Ctrl-C, say).
func ExampleListen() {
	dir, _ := os.MkdirTemp("", "qcode-web")
	defer os.RemoveAll(dir)
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	app.Init(ctx, filepath.Join(dir, "study"))
	p, err := app.Open(ctx, app.Options{Dir: filepath.Join(dir, "study"), Command: "serve"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer p.Close()
	s, err := web.Listen(p, web.Options{Token: "secret"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(strings.HasPrefix(s.URL(), "http://127.0.0.1:"), strings.HasSuffix(s.URL(), "/?token=secret"))
	stop()
	fmt.Println(s.Serve(ctx))
	// Output:
	// true true
	// <nil>
}
