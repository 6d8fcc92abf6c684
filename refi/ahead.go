package refi

import (
	"io"
	"sync"
)

// aheadReader reads r on a goroutine of its own, a few buffers ahead of
// its reader: unpacking a large project.qde took almost as long as
// reading the XML, which can then take the unpacked bytes on another
// core. Close stops the goroutine (which may then be waiting on r) and
// waits for it, so that r may be closed, and what counts the bytes read
// from it read, once Close returns.
type aheadReader struct {
	full chan []byte // buffers read, in order
	free chan []byte // buffers read out, for the goroutine to fill again
	stop chan struct{}
	wg   sync.WaitGroup
	err  error  // what ended r, read once full is closed
	cur  []byte // the rest of the buffer being read out
	held []byte // the buffer cur is in
	once sync.Once
}

const (
	aheadBuffers = 4
	aheadSize    = 256 << 10
)

func newAheadReader(r io.Reader) *aheadReader {
	a := &aheadReader{full: make(chan []byte, aheadBuffers), free: make(chan []byte, aheadBuffers), stop: make(chan struct{})}
	for range aheadBuffers {
		a.free <- make([]byte, aheadSize)
	}
	a.wg.Add(1)
	go a.fill(r)
	return a
}

func (a *aheadReader) fill(r io.Reader) {
	defer a.wg.Done()
	defer close(a.full)
	for {
		var buf []byte
		select {
		case buf = <-a.free:
		case <-a.stop:
			return
		}
		n, err := io.ReadFull(r, buf[:cap(buf)])
		if n > 0 {
			select {
			case a.full <- buf[:n]:
			case <-a.stop:
				return
			}
		}
		switch err {
		case nil:
			continue
		case io.ErrUnexpectedEOF:
			err = io.EOF
		}
		a.err = err
		return
	}
}

func (a *aheadReader) Read(p []byte) (int, error) {
	for len(a.cur) == 0 {
		if a.held != nil {
			a.free <- a.held
			a.held = nil
		}
		buf, ok := <-a.full
		if !ok {
			return 0, a.err
		}
		a.held, a.cur = buf, buf
	}
	n := copy(p, a.cur)
	a.cur = a.cur[n:]
	return n, nil
}

// Close stops the goroutine and waits for it to end.
func (a *aheadReader) Close() error {
	a.once.Do(func() { close(a.stop) })
	a.wg.Wait()
	return nil
}
