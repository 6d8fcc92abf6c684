package atomicfile

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// What a killed export left beside the workbook (a temporary file and
// excelize's folder) goes with the next write there; what another process
// is writing at that moment, locked, stays; so do other files.
func TestRemoveStale(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "codings.xlsx")
	stale := filepath.Join(dir, ".codings.xlsx.4129.tmp")
	staleDir := filepath.Join(dir, ".codings.xlsx.5511.tmp")
	other := filepath.Join(dir, ".report.xlsx.77.tmp")
	for _, f := range []string{stale, other} {
		if err := os.WriteFile(f, []byte("Sarah: No. Nobody asked."), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Join(staleDir, "excelize-1"), 0o700); err != nil {
		t.Fatal(err)
	}
	live, err := CreateTemp(filepath.Join(dir, "codings.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer Remove(live)
	if err := Write(path, func(f *os.File) error { _, err := f.WriteString("workbook"); return err }); err != nil {
		t.Fatal(err)
	}
	for _, gone := range []string{stale, staleDir} {
		if _, err := os.Stat(gone); !os.IsNotExist(err) {
			t.Errorf("%s: %v, want it removed", filepath.Base(gone), err)
		}
	}
	for _, kept := range []string{other, live.Name(), path} {
		if _, err := os.Stat(kept); err != nil {
			t.Errorf("%s: %v, want it kept", filepath.Base(kept), err)
		}
	}
}

// RemoveInFlight removes what is being written, and nothing written.
func TestRemoveInFlight(t *testing.T) {
	dir := t.TempDir()
	done := filepath.Join(dir, "codebook.yaml")
	if err := Write(done, func(f *os.File) error { _, err := f.WriteString("codes: []\n"); return err }); err != nil {
		t.Fatal(err)
	}
	tmp, err := CreateTemp(filepath.Join(dir, "codings.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer tmp.Close()
	tdir, remove, err := TempDir(filepath.Join(dir, "codings.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer remove()
	RemoveInFlight()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "codebook.yaml" {
		t.Errorf("left %v, want codebook.yaml alone (removed %s and %s)", entries, tmp.Name(), tdir)
	}
}

// A new file's mode is 0666 less the umask; a file replaced keeps its mode.
func TestModeHonoursUmask(t *testing.T) {
	old := syscall.Umask(0o077)
	defer syscall.Umask(old)
	dir := t.TempDir()
	path := filepath.Join(dir, "codings.qdpx")
	write := func() {
		if err := Write(path, func(f *os.File) error { _, err := f.WriteString("PK"); return err }); err != nil {
			t.Fatal(err)
		}
	}
	write()
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("new file under umask 077: %v, want 0600", st.Mode().Perm())
	}
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	write()
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o640 {
		t.Errorf("replaced file: %v, want its 0640 kept", st.Mode().Perm())
	}
	syscall.Umask(0o022)
	if m := NewFileMode(); m != 0o644 {
		t.Errorf("umask 022: %v, want 0644", m)
	}
}
