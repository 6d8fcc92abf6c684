package main

import (
	"context"
	"fmt"
	"os/exec"

	"github.com/spf13/cobra"

	"qcode/web"
)

// untilStopped is the annotation of a command that runs until it is
// stopped: the examples test checks its examples' arguments, since running
// them would not end.
const untilStopped = "until_stopped"

// serveOptions are serve's flags.
type serveOptions struct {
	port   int
	open   bool
	listen string
}

func newServeCmd(e *env) *cobra.Command {
	var o serveOptions
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Code in the browser: a workspace on this computer only",
		Long: `Serve the project to a browser on this computer: the sources, each with
its turns and codings tinted in the codes' colours; select text in a turn,
choose a code and code the selection. The server listens on 127.0.0.1 only
and prints an address with a secret token; open it (or say --open). Other
qcode commands keep working on the project meanwhile. Stop it with Ctrl-C.

--listen HOST:PORT serves other computers too (a colleague on the same
network): anyone who can reach the address and has the token can read and
change the project, and the connection is not encrypted, so use it only on
a network you trust, or behind a proxy that adds TLS.` + exitStatusHelp,
		Example: `  qcode serve
  qcode serve --port 8800 --open
  qcode serve --listen 0.0.0.0:8800`,
		Args:        cobra.NoArgs,
		Annotations: map[string]string{untilStopped: "true"},
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.run(o, func() error { return runServe(cmd.Context(), e, o) })
		},
	}
	cmd.Flags().IntVar(&o.port, "port", 0, "the port to listen on (default: a free one)")
	cmd.Flags().BoolVar(&o.open, "open", false, "open the workspace in the browser (with xdg-open)")
	cmd.Flags().StringVar(&o.listen, "listen", "", "serve other computers at HOST:PORT too (the token still guards it)")
	return cmd
}

func runServe(ctx context.Context, e *env, o serveOptions) error {
	p, err := e.open(ctx, readWrite, "serve")
	if err != nil {
		return err
	}
	defer p.Close()
	s, err := web.Listen(p, web.Options{Port: o.port, Listen: o.listen, Log: e.stderr})
	if err != nil {
		return err
	}
	if !s.Local() {
		fmt.Fprintf(e.stderr, "qcode: warning: serving beyond this computer at %s: anyone who reaches it with the token can read and change the project, over an unencrypted connection\n", o.listen)
	}
	e.printf("qcode serves the project at\n\n    %s\n\nStop it with Ctrl-C.\n", s.URL())
	if o.open {
		open := exec.Command("xdg-open", s.URL())
		if err := open.Start(); err != nil {
			fmt.Fprintf(e.stderr, "qcode: cannot open a browser (%v): open the address above\n", err)
		} else {
			go open.Wait()
		}
	}
	return s.Serve(ctx)
}
