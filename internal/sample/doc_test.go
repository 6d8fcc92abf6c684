package sample_test

import (
	"io/fs"
	"testing"

	"qcode/internal/sample"
)

// The demo and the tests rely on these files being in the sample.
func TestSampleHoldsTheDemoFiles(t *testing.T) {
	for _, name := range []string{"P01.txt", "P05.docx", "P07.vtt", "P09.srt", "P11.md", "survey.csv", "cases.csv", "codings/amina.csv", "codings/ben.csv"} {
		if st, err := fs.Stat(sample.FS(), name); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
}
