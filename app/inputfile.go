package app

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"qcode"
)

// DefaultMaxFileSize is the largest file import reads unless told
// otherwise. Reading a transcript takes some 60 times its size in memory
// (its tokens, spans and sentences), so the default keeps an import of the
// largest file within a couple of gigabytes; interviews are far smaller.
const DefaultMaxFileSize = 32 << 20

// readInput reads the file at path, at most max bytes of it. What is not a
// regular file is refused by its name before it is opened: a named pipe
// would wait for a writer forever and a device such as /dev/zero never
// ends. A file larger than max is refused too, by its size if the file
// says it (Stat) or as it is read, if it grows; the error says how to
// raise the limit, the option field.
func readInput(path string, max int64, field string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, qcode.Errorf(qcode.ENOTFOUND, "%s: no such file; check the path", path)
		}
		return nil, qcode.Errorf(qcode.EINVALID, "%s: cannot read: %v", path, err)
	}
	if err := checkRegular(path, st); err != nil {
		return nil, err
	}
	if st.Size() > max {
		return nil, tooLarge(path, st.Size(), max, field)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, qcode.Errorf(qcode.EINVALID, "%s: cannot read: %v", path, err)
	}
	defer f.Close()
	data := make([]byte, 0, st.Size()+1)
	for {
		n, err := f.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if int64(len(data)) > max {
			return nil, tooLarge(path, int64(len(data)), max, field)
		}
		if err == io.EOF {
			return data, nil
		}
		if err != nil {
			return nil, qcode.Errorf(qcode.EINVALID, "%s: cannot read: %v", path, err)
		}
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
	}
}

// checkRegular refuses, by name, a file that is not a regular file.
func checkRegular(path string, st fs.FileInfo) error {
	if st.IsDir() || st.Mode().IsRegular() {
		return nil
	}
	kind := "a special file"
	switch m := st.Mode(); {
	case m&fs.ModeNamedPipe != 0:
		kind = "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		kind = "a socket"
	case m&fs.ModeDevice != 0:
		kind = "a device"
	}
	return qcode.Errorf(qcode.EINVALID, "%s is %s, not a regular file; qcode reads only files: save what it holds to a file and name that", path, kind)
}

// tooLarge is the error for a file of size bytes over the limit max, which
// the option field raises ("" for none).
func tooLarge(path string, size, max int64, field string) error {
	msg := fmt.Sprintf("%s: the file is %s, more than the %s limit; split it", path, megabytes(size), megabytes(max))
	if field == "" {
		return qcode.Errorf(qcode.EINVALID, "%s", msg)
	}
	return &qcode.Error{Code: qcode.EINVALID, Message: msg + ", or raise the limit", Help: qcode.HelpOption, HelpOn: field}
}

// megabytes writes n bytes as whole megabytes (MiB), rounded up, so that a
// file just over a limit does not read as equal to it.
func megabytes(n int64) string {
	return fmt.Sprintf("%d MB", (n+1<<20-1)>>20)
}
