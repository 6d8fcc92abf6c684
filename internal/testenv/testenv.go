// Package testenv decides, in one place, what a test does when something
// it needs from outside Go is missing: a program a user opens qcode's
// output with (Chromium, LibreOffice, xmllint) or a file kept beside the
// checkout (../shared). CI installs and provides all of them (.ci/run),
// so there a missing one fails the test. On a developer's machine, or in
// the README's fresh clone, which has none of them, the test skips with
// what to install: `go test ./...` must pass there too, and a test that
// cannot run is said, not passed.
package testenv

import (
	"os"
	"testing"
)

// InCI reports whether the tests run in CI, where everything is provided.
func InCI() bool { return os.Getenv("CI") != "" }

// Need stops t when err says that what it needs is missing: it fails in
// CI and skips elsewhere, saying what is missing and how to get it.
func Need(t testing.TB, err error, what, howToGet string) {
	t.Helper()
	if err == nil {
		return
	}
	if InCI() {
		t.Fatalf("%s is missing, and CI must provide it (%s): %v", what, howToGet, err)
	}
	t.Skipf("%s is missing (%v): %s to run this test", what, err, howToGet)
}
