package refi

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"testing"
	"testing/iotest"
)

// TestAheadReader checks that reading ahead changes nothing of what is
// read: the same bytes, in order, whatever the sizes of the reads on
// either side, and the error that ended the input, after all it gave.
func TestAheadReader(t *testing.T) {
	data := make([]byte, 3*aheadSize+12345) // buffers, full and not
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range data {
		data[i] = byte(rng.IntN(256))
	}
	damaged := errors.New("flate: corrupt input")
	for _, c := range []struct {
		name string
		in   io.Reader
		want []byte
		err  error
	}{
		{"empty", bytes.NewReader(nil), nil, nil},
		{"small", bytes.NewReader(data[:100]), data[:100], nil},
		{"one buffer exactly", bytes.NewReader(data[:aheadSize]), data[:aheadSize], nil},
		{"many buffers", bytes.NewReader(data), data, nil},
		{"one byte at a time", iotest.OneByteReader(bytes.NewReader(data[:5000])), data[:5000], nil},
		{"an error with the data", iotest.DataErrReader(bytes.NewReader(data)), data, nil},
		{"damaged midway", io.MultiReader(bytes.NewReader(data[:aheadSize+7]), iotest.ErrReader(damaged)), data[:aheadSize+7], damaged},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := newAheadReader(c.in)
			defer a.Close()
			var got []byte
			buf := make([]byte, 1000+rng.IntN(70000))
			var err error
			for {
				var n int
				n, err = a.Read(buf)
				got = append(got, buf[:n]...)
				if err != nil {
					break
				}
			}
			if !bytes.Equal(got, c.want) {
				t.Errorf("read %d bytes, not the %d given (or not the same)", len(got), len(c.want))
			}
			want := c.err
			if want == nil {
				want = io.EOF
			}
			if !errors.Is(err, want) {
				t.Errorf("ended with %v, want %v", err, want)
			}
		})
	}
}

// TestAheadReaderClose checks that a reader that stops early can close
// the aheadReader, whose goroutine has stopped reading once Close
// returns, however far it had read.
func TestAheadReaderClose(t *testing.T) {
	data := make([]byte, 20*aheadSize)
	for _, read := range []int{0, 1, aheadSize, 3 * aheadSize} {
		counted := &countingReader{r: bytes.NewReader(data)}
		a := newAheadReader(counted)
		if _, err := io.ReadFull(a, make([]byte, read)); err != nil {
			t.Fatal(err)
		}
		a.Close()
		a.Close() // twice does no harm
		// Read here, after Close, with no lock: the race detector
		// fails the test if the goroutine could still be reading.
		n := counted.n
		if n >= int64(len(data)) {
			t.Errorf("after %d bytes read and Close, the goroutine read all %d bytes", read, n)
		}
		if n > int64(read)+(aheadBuffers+1)*aheadSize {
			t.Errorf("after %d bytes read, the goroutine had read %d: more than its buffers hold", read, n)
		}
	}
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
