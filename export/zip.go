package export

import (
	"archive/zip"
	"bytes"
	"errors"
	"hash/crc32"
	"io"
	"io/fs"
	"runtime"
	"slices"
	"sync"

	"github.com/klauspost/compress/flate"
)

// parallelZip writes a zip archive whose members are deflated on every
// processor at once: a member is cut into blocks, each block is compressed
// on its own and ends on a byte boundary (a sync flush), and the blocks'
// output is written in order, which makes one valid deflate stream (as
// pigz does). A workbook is mostly two large sheets written one after the
// other, so compressing member by member would leave processors idle.
//
// It is the excelize.ZipWriter of WriteXLSX. Sizes and checksum follow each
// member in a data descriptor, so nothing is held but the blocks in flight.
type parallelZip struct {
	zw      *zip.Writer
	cur     *parallelMember
	workers int
	// dims are the dimension elements to put in place of the first one
	// in the members they name (see WriteXLSX).
	dims map[string][]byte
	// bodies are the rows to put in before the first </sheetData> of the
	// members they name.
	bodies map[string]*sheetBody
}

// zipBlock is how much of a member is compressed at once.
const zipBlock = 1 << 20

func newParallelZip(w io.Writer) *parallelZip {
	return &parallelZip{zw: zip.NewWriter(w), workers: max(runtime.GOMAXPROCS(0), 1)}
}

// Create starts a member, finishing the one before.
func (z *parallelZip) Create(name string) (io.Writer, error) {
	if err := z.finish(); err != nil {
		return nil, err
	}
	fh := &zip.FileHeader{Name: name, Method: zip.Deflate, Flags: 0x8} // 0x8: sizes in a data descriptor
	w, err := z.zw.CreateRaw(fh)
	if err != nil {
		return nil, err
	}
	z.cur = &parallelMember{z: z, fh: fh, out: w, dim: z.dims[name], body: z.bodies[name]}
	return z.cur, nil
}

// AddFS adds the files of fsys as zip.Writer does.
func (z *parallelZip) AddFS(fsys fs.FS) error {
	if err := z.finish(); err != nil {
		return err
	}
	return z.zw.AddFS(fsys)
}

// Close finishes the last member and the archive.
func (z *parallelZip) Close() error {
	if err := z.finish(); err != nil {
		return err
	}
	return z.zw.Close()
}

func (z *parallelZip) finish() error {
	if z.cur == nil {
		return nil
	}
	m := z.cur
	z.cur = nil
	return m.close()
}

// parallelMember is one member being written.
type parallelMember struct {
	z       *parallelZip
	fh      *zip.FileHeader
	out     io.Writer
	buf     []byte           // the block being filled
	pending []chan zipResult // blocks in flight, in order
	crc     uint32
	size    uint64 // bytes in
	csize   uint64 // bytes out
	err     error
	// dim, when set, replaces the member's first dimension element, which
	// lies in its first bytes: they are held in head until it is found.
	dim  []byte
	head []byte
	// body, when set, is written just before the member's first
	// </sheetData>; tail holds the bytes after the last write that may be
	// the start of one.
	body *sheetBody
	tail []byte
}

var sheetDataEnd = []byte("</sheetData>")

// dimHead is how far into a sheet its dimension element is looked for.
const dimHead = 1 << 16

var dimOpen = []byte("<dimension ")

type zipResult struct {
	b   *bytes.Buffer
	err error
}

var (
	flatePool = sync.Pool{New: func() any {
		w, _ := flate.NewWriter(nil, flate.BestSpeed)
		return w
	}}
	bufferPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}
	blockPool  = sync.Pool{New: func() any { b := make([]byte, 0, zipBlock); return &b }}
)

func (m *parallelMember) Write(p []byte) (int, error) {
	if m.dim != nil {
		m.head = append(m.head, p...)
		if len(m.head) >= dimHead || dimEnd(m.head) >= 0 {
			m.flushHead()
		}
		return len(p), m.err
	}
	m.put(p)
	return len(p), m.err
}

// put writes p, putting the body in where it belongs.
func (m *parallelMember) put(p []byte) {
	if m.body == nil {
		m.write(p)
		return
	}
	if len(m.tail) > 0 {
		p = append(m.tail, p...)
		m.tail = nil
	}
	i := bytes.Index(p, sheetDataEnd)
	if i < 0 {
		keep := min(len(p), len(sheetDataEnd)-1)
		m.write(p[:len(p)-keep])
		m.tail = append([]byte(nil), p[len(p)-keep:]...)
		return
	}
	m.write(p[:i])
	body := m.body
	m.body = nil
	if m.err == nil {
		if err := body.writeTo(writerFunc(m.write)); err != nil && m.err == nil {
			m.err = err
		}
	}
	m.write(p[i:])
}

// writerFunc is a function that is an io.Writer.
type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// dimEnd returns the offset just past the first dimension element of b, or
// -1 if b does not hold all of one.
func dimEnd(b []byte) int {
	i := bytes.Index(b, dimOpen)
	if i < 0 {
		return -1
	}
	// <dimension ref="A1"/>, or as encoding/xml writes it,
	// <dimension ref="A1"></dimension>.
	gt := bytes.IndexByte(b[i:], '>')
	if gt < 0 {
		return -1
	}
	if b[i+gt-1] == '/' {
		return i + gt + 1
	}
	end := bytes.Index(b[i:], []byte("</dimension>"))
	if end < 0 {
		return -1
	}
	return i + end + len("</dimension>")
}

// flushHead writes out the head, its dimension element replaced by m.dim.
func (m *parallelMember) flushHead() {
	head := m.head
	if end := dimEnd(head); end >= 0 {
		head = slices.Concat(head[:bytes.Index(head, dimOpen)], m.dim, head[end:])
	}
	m.dim, m.head = nil, nil
	m.put(head)
}

func (m *parallelMember) write(p []byte) (int, error) {
	if m.err != nil {
		return 0, m.err
	}
	m.crc = crc32.Update(m.crc, crc32.IEEETable, p)
	m.size += uint64(len(p))
	n := len(p)
	for len(p) > 0 {
		if m.buf == nil {
			m.buf = (*blockPool.Get().(*[]byte))[:0]
		}
		k := min(len(p), zipBlock-len(m.buf))
		m.buf = append(m.buf, p[:k]...)
		p = p[k:]
		if len(m.buf) == zipBlock {
			m.send(m.buf, false)
			m.buf = nil
		}
	}
	return n, m.err
}

// send compresses a block in the background, first writing out the oldest
// block in flight if as many are in flight as there are workers.
func (m *parallelMember) send(block []byte, last bool) {
	if len(m.pending) >= m.z.workers+1 {
		m.drainOne()
	}
	ch := make(chan zipResult, 1)
	m.pending = append(m.pending, ch)
	go func() {
		out := bufferPool.Get().(*bytes.Buffer)
		out.Reset()
		fw := flatePool.Get().(*flate.Writer)
		fw.Reset(out)
		_, err := fw.Write(block)
		if err == nil {
			if last {
				err = fw.Close() // the final block
			} else {
				err = fw.Flush() // ends on a byte boundary, so blocks join
			}
		}
		flatePool.Put(fw)
		if cap(block) == zipBlock {
			blockPool.Put(&block)
		}
		ch <- zipResult{out, err}
	}()
}

// drainOne writes out the oldest block in flight.
func (m *parallelMember) drainOne() {
	res := <-m.pending[0]
	m.pending = m.pending[1:]
	if res.err != nil && m.err == nil {
		m.err = res.err
	}
	if m.err == nil {
		n, err := m.out.Write(res.b.Bytes())
		m.csize += uint64(n)
		m.err = err
	}
	bufferPool.Put(res.b)
}

// close compresses what is left as the final block, writes every block out
// and records the sizes and checksum for the data descriptor.
func (m *parallelMember) close() error {
	if m.dim != nil { // a member shorter than dimHead
		m.flushHead()
	}
	if m.tail != nil {
		m.write(m.tail)
		m.tail = nil
	}
	if m.body != nil && m.err == nil {
		m.err = errors.New(m.fh.Name + ": no </sheetData> to put the rows before")
	}
	m.send(m.buf, true)
	m.buf = nil
	for len(m.pending) > 0 {
		m.drainOne()
	}
	if m.err != nil {
		return m.err
	}
	m.fh.CRC32 = m.crc
	m.fh.UncompressedSize64, m.fh.CompressedSize64 = m.size, m.csize
	m.fh.UncompressedSize, m.fh.CompressedSize = uint32(min(m.size, 1<<32-1)), uint32(min(m.csize, 1<<32-1))
	return nil
}
