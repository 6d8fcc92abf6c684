package export

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"io"
	"io/fs"
	"runtime"
	"sync"
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
	z.cur = &parallelMember{z: z, fh: fh, out: w}
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
}

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
