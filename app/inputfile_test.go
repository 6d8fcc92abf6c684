package app_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"qcode"
	"qcode/app"
)

// Import refuses, by name and before reading, what is not a regular file:
// a device never ends and a named pipe waits for a writer forever.
func TestImportRefusesSpecialFiles(t *testing.T) {
	p, sample := emptyProject(t)
	ctx := context.Background()
	dir := t.TempDir()
	fifo := filepath.Join(dir, "P08.txt")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ file, want string }{
		{"/dev/zero", "/dev/zero is a device, not a regular file"},
		{fifo, fifo + " is a named pipe (FIFO), not a regular file"},
	} {
		_, err := p.Import(ctx, app.ImportOptions{Files: []string{sample.Files[0], c.file}, Format: "txt"}, nil)
		if qcode.ErrorCode(err) != qcode.EINVALID || !strings.HasPrefix(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("import %s: got %v, want one line starting %q", c.file, err, c.want)
		}
	}
	// In a folder, the pipe is a failed file and the transcript beside it
	// imports.
	data, err := os.ReadFile(sample.Files[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "P01.txt"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err := p.Import(ctx, app.ImportOptions{Files: []string{dir}}, nil)
	if qcode.ErrorCode(err) != qcode.EINVALID || rep == nil || len(rep.Files) != 1 || len(rep.Failed) != 1 || rep.Failed[0].File != fifo {
		t.Fatalf("import of a folder with a pipe: %v, %+v", err, rep)
	}
}

// A file over the size limit is refused before it is read, saying the
// limit and the option that raises it; raised, the file imports.
func TestImportSizeLimit(t *testing.T) {
	p, sample := emptyProject(t)
	ctx := context.Background()
	big := filepath.Join(t.TempDir(), "P20.txt")
	turn := "Interviewer: What did the partnership change?\nDr Mensah: We learnt humility from the nurses in Kumasi, and we still write to each other.\n"
	if err := os.WriteFile(big, []byte(strings.Repeat(turn, (1<<20)/len(turn)+1)), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := p.Import(ctx, app.ImportOptions{Files: []string{sample.Files[0], big}, MaxFileSize: 1 << 20, AllOrNothing: true}, nil)
	var e *qcode.Error
	if !errors.As(err, &e) || e.Code != qcode.EINVALID || e.Help != qcode.HelpOption || e.HelpOn != "max_size" {
		t.Fatalf("got %#v, want an invalid error that names the option max_size", err)
	}
	if want := big + ": the file is 2 MB, more than the 1 MB limit; split it, or raise the limit"; err.Error() != want {
		t.Errorf("got  %s\nwant %s", err, want)
	}
	if names, _ := p.SourceNames(ctx); len(names) != 0 {
		t.Errorf("a refused import wrote %v", names)
	}
	if _, err := p.Import(ctx, app.ImportOptions{Files: []string{big}, MaxFileSize: 2 << 20}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Import(ctx, app.ImportOptions{Files: []string{big}, MaxFileSize: 1 << 30}, nil); qcode.ErrorCode(err) != qcode.EINVALID {
		t.Errorf("a limit over what qcode reads: got %v", err)
	}
}
