package corpus

import (
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"qcode"
	"qcode/textfile"
)

// Reader finds the sources in one file. A transcript gives one source; a
// survey gives one per respondent. Readers check their input and return a
// *qcode.Error naming the file and line (or field) of the first problem.
type Reader interface {
	Read(in Input) ([]*Source, error)
}

// Input is one file handed to a Reader.
type Input struct {
	Path string // shown in messages; its base name (without extension) names the source
	Data []byte // the raw bytes, decoded by the reader with textfile.Decode
	Options
}

// Options tune how readers find turns and cases.
type Options struct {
	// SpeakerPattern, when set, replaces turn detection in plain text: a line
	// matching it starts a turn. Its group "speaker" (else its first group) is
	// the speaker and its optional group "time" the timestamp; the text after
	// the match is what was said.
	SpeakerPattern *regexp.Regexp
	// IDColumn names the survey column that identifies each respondent
	// (default: the first column).
	IDColumn string
	// TextColumns names the survey's open-ended columns (default: columns
	// whose answers average 40 or more characters).
	TextColumns []string
}

// MaxFileSize is the largest file a reader accepts.
const MaxFileSize = 256 << 20

// Formats maps each format name to its reader.
var Formats = map[string]Reader{
	"txt":  PlainText{},
	"md":   PlainText{},
	"vtt":  Captions{},
	"srt":  Captions{},
	"docx": Docx{},
	"odt":  Odt{},
	"pdf":  Pdf{},
	"rtf":  Rtf{},
	"csv":  Survey{},
	"xlsx": Survey{},
}

// FormatNames returns the known format names, sorted.
func FormatNames() []string {
	names := make([]string, 0, len(Formats))
	for n := range Formats {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// FormatOf returns the format a path is read as: format if not empty, else
// the path's extension. Its errors are about the field "format", the one
// that mends them.
func FormatOf(path, format string) (string, error) {
	given := format
	if format == "" {
		format = strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")
	}
	format = strings.ToLower(format)
	if _, ok := Formats[format]; ok {
		return format, nil
	}
	switch {
	case given != "":
		return "", qcode.FieldError("format", given, "unknown format", FormatNames()...)
	case format == "":
		return "", qcode.FieldError("format", "", path+": no file extension to tell its format; add one, or give the format to read it as", FormatNames()...)
	}
	return "", qcode.FieldError("format", "", fmt.Sprintf("%s: unknown format %q; give the format to read it as", path, format), FormatNames()...)
}

// Read reads one file's sources with the reader for format (or the path's
// extension), then segments them.
func Read(in Input, format string) ([]*Source, error) {
	docs, err := Parse(in, format)
	for _, d := range docs {
		Segment(d)
	}
	return docs, err
}

// Parse reads one file's sources and their turns, without segmenting them:
// enough to check a file and learn its sources' names.
func Parse(in Input, format string) ([]*Source, error) {
	format, err := FormatOf(in.Path, format)
	if err != nil {
		return nil, err
	}
	if len(in.Data) > MaxFileSize {
		return nil, inputErr(in.Path, 0, "file is %d MB, more than the %d MB qcode reads; split it", len(in.Data)>>20, MaxFileSize>>20)
	}
	// Nothing of in is used after Read, which may let its bytes go.
	path := in.Path
	docs, err := Formats[format].Read(in)
	if err != nil {
		return nil, err
	}
	for _, d := range docs {
		if d.Format == "" {
			d.Format = format
		}
		d.Path = path
	}
	return docs, nil
}

// SourceName returns the source name a path gives: its base name without
// extension.
func SourceName(path string) string {
	base := filepath.Base(path)
	return strings.TrimSuffix(base, filepath.Ext(base))
}

// inputErr returns a qcode.EINVALID error that names the file and, when line
// is positive, the line.
func inputErr(path string, line int, format string, args ...any) error {
	return textfile.Errorf(path, line, format, args...)
}
