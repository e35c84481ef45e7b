package images

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"testing"
)

// Builders for the files the tests feed to Process. Every byte is made
// here, so the tests need no fixtures from elsewhere.

func encodeJPEG(t testing.TB, m image.Image, quality int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: quality}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func encodePNG(t testing.TB, m image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Corner colours for orientation tests: far apart, so JPEG's colour
// subsampling cannot make one look like another.
var (
	red    = color.RGBA{220, 30, 30, 255}
	green  = color.RGBA{30, 200, 60, 255}
	blue   = color.RGBA{30, 60, 220, 255}
	yellow = color.RGBA{235, 215, 30, 255}
)

// quadrants paints the four quarters of a w×h picture red (top left), green
// (top right), blue (bottom left) and yellow (bottom right).
func quadrants(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		left, right := red, green
		if y >= h/2 {
			left, right = blue, yellow
		}
		for x := range w {
			c := left
			if x >= w/2 {
				c = right
			}
			copy(m.Pix[m.PixOffset(x, y):], []byte{c.R, c.G, c.B, c.A})
		}
	}
	return m
}

// nearestCorner names which of the four corner colours c is closest to.
func nearestCorner(c color.Color) string {
	names := []string{"red", "green", "blue", "yellow"}
	best, bestD := "", 1<<62
	for i, k := range []color.RGBA{red, green, blue, yellow} {
		r, g, b, _ := c.RGBA()
		dr, dg, db := int(r>>8)-int(k.R), int(g>>8)-int(k.G), int(b>>8)-int(k.B)
		if d := dr*dr + dg*dg + db*db; d < bestD {
			best, bestD = names[i], d
		}
	}
	return best
}

// photoLike is a Generate picture with sensor-like noise, so a JPEG of it
// compresses like a real photo rather than like flat shapes.
func photoLike(w, h int) *image.RGBA {
	m := Generate(42, w, h).(*image.RGBA)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range m.Pix {
		if i%4 == 3 {
			continue
		}
		v := int(m.Pix[i]) + rng.IntN(17) - 8
		m.Pix[i] = uint8(max(0, min(255, v)))
	}
	return m
}

// byteOrder is what binary.LittleEndian and binary.BigEndian both are: TIFF
// files come in either.
type byteOrder interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

// TIFF field types used by EXIF.
const (
	tiffASCII    = 2
	tiffShort    = 3
	tiffLong     = 4
	tiffRational = 5
)

type ifdEntry struct {
	tag, typ uint16
	count    uint32
	value    []byte // already in the file's byte order
}

func asciiEntry(tag uint16, s string) ifdEntry {
	b := append([]byte(s), 0)
	return ifdEntry{tag, tiffASCII, uint32(len(b)), b}
}

func shortEntry(o byteOrder, tag, v uint16) ifdEntry {
	return ifdEntry{tag, tiffShort, 1, o.AppendUint16(nil, v)}
}

func rationalEntry(o byteOrder, tag uint16, vs ...[2]uint32) ifdEntry {
	var b []byte
	for _, v := range vs {
		b = o.AppendUint32(b, v[0])
		b = o.AppendUint32(b, v[1])
	}
	return ifdEntry{tag, tiffRational, uint32(len(vs)), b}
}

// buildTIFF lays out the TIFF structure EXIF uses: the 8-byte header, IFD0,
// then (if gps is not empty) a GPS IFD that IFD0 points to with tag 0x8825,
// then the values too long to sit in an entry. Entries must be given in
// ascending tag order, as TIFF requires.
func buildTIFF(o byteOrder, ifd0, gps []ifdEntry) []byte {
	ifdSize := func(n int) int { return 2 + 12*n + 4 }
	n0 := len(ifd0)
	if len(gps) > 0 {
		n0++
	}
	gpsAt := 8 + ifdSize(n0)
	dataAt := gpsAt
	if len(gps) > 0 {
		dataAt += ifdSize(len(gps))
		ifd0 = append(ifd0, ifdEntry{0x8825, tiffLong, 1, o.AppendUint32(nil, uint32(gpsAt))})
	}
	var data []byte
	writeIFD := func(entries []ifdEntry) []byte {
		b := o.AppendUint16(nil, uint16(len(entries)))
		for _, e := range entries {
			b = o.AppendUint16(b, e.tag)
			b = o.AppendUint16(b, e.typ)
			b = o.AppendUint32(b, e.count)
			if len(e.value) <= 4 {
				b = append(b, e.value...)
				b = append(b, make([]byte, 4-len(e.value))...)
			} else {
				b = o.AppendUint32(b, uint32(dataAt+len(data)))
				data = append(data, e.value...)
				if len(data)%2 == 1 {
					data = append(data, 0) // values start on word boundaries
				}
			}
		}
		return o.AppendUint32(b, 0) // no next IFD
	}
	out := []byte("II*\x00")
	if o == binary.BigEndian {
		out = []byte("MM\x00*")
	}
	out = o.AppendUint32(out, 8)
	out = append(out, writeIFD(ifd0)...)
	if len(gps) > 0 {
		out = append(out, writeIFD(gps)...)
	}
	return append(out, data...)
}

// secretEXIF is the TIFF of an EXIF block that gives a journalist away: the
// camera's make and model carry marker, and the GPS IFD holds a position.
func secretEXIF(o byteOrder, orientation uint16, marker string) []byte {
	return buildTIFF(o,
		[]ifdEntry{
			asciiEntry(0x010F, marker),           // Make
			asciiEntry(0x0110, marker+"-MODEL"),  // Model
			shortEntry(o, 0x0112, orientation),   // Orientation
			asciiEntry(0x0131, "TAMIZDAT-PHONE"), // Software
		},
		[]ifdEntry{
			asciiEntry(0x0001, "N"), // GPSLatitudeRef
			rationalEntry(o, 0x0002, [2]uint32{53, 1}, [2]uint32{54, 1}, [2]uint32{2711, 100}), // GPSLatitude
			asciiEntry(0x0003, "E"), // GPSLongitudeRef
			rationalEntry(o, 0x0004, [2]uint32{27, 1}, [2]uint32{33, 1}, [2]uint32{4213, 100}), // GPSLongitude
		})
}

// spliceAfterSOI inserts a marker segment right after a JPEG's SOI, where
// cameras put their APP segments.
func spliceAfterSOI(jpg []byte, marker byte, payload []byte) []byte {
	seg := []byte{0xFF, marker}
	seg = binary.BigEndian.AppendUint16(seg, uint16(2+len(payload)))
	seg = append(seg, payload...)
	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

func withEXIF(jpg, tiff []byte) []byte {
	return spliceAfterSOI(jpg, 0xE1, append([]byte("Exif\x00\x00"), tiff...))
}

// pngChunk frames a PNG chunk: length, type, data and the CRC-32 of type
// and data, which decoders check.
func pngChunk(typ string, data []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	b = append(b, typ...)
	b = append(b, data...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(append([]byte(typ), data...)))
}

// claimingPNG is a small PNG whose header claims w×h RGBA pixels and whose
// IDAT holds one valid row, so a decoder that trusted the header would go on
// to allocate all w×h×4 bytes.
func claimingPNG(t testing.TB, w, h uint32) []byte {
	t.Helper()
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 6, 0, 0, 0) // 8-bit RGBA, deflate, no filter, not interlaced
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	if _, err := zw.Write(make([]byte, 1+4*int(w))); err != nil { // filter byte + one row
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	b := []byte("\x89PNG\r\n\x1a\n")
	b = append(b, pngChunk("IHDR", ihdr)...)
	b = append(b, pngChunk("IDAT", z.Bytes())...)
	return append(b, pngChunk("IEND", nil)...)
}

// bitWriter packs bits least significant first, as VP8L reads them.
type bitWriter struct {
	buf []byte
	acc uint64
	n   uint
}

func (b *bitWriter) write(v uint64, n uint) {
	b.acc |= v << b.n
	b.n += n
	for b.n >= 8 {
		b.buf = append(b.buf, byte(b.acc))
		b.acc >>= 8
		b.n -= 8
	}
}

func (b *bitWriter) bytes() []byte {
	if b.n > 0 {
		return append(b.buf, byte(b.acc))
	}
	return b.buf
}

// losslessWebP writes a w×h lossless WebP whose left half has green value
// g0 and right half g1, with red r, blue bl and alpha a everywhere
// (g0 < g1).
//
// The container is RIFF: "RIFF", little-endian size of what follows,
// "WEBP", then one chunk "VP8L" + size + bitstream (+ a pad byte to an even
// length). The VP8L bitstream (RFC 9649) is read least significant bit
// first:
//
//	8 bits  0x2F signature
//	14 bits width-1, 14 bits height-1
//	1 bit   alpha hint, 3 bits version (0)
//	1 bit   0: no transform
//	1 bit   0: no colour cache
//	1 bit   0: one set of prefix codes for the whole image
//	five prefix codes, in the order green, red, blue, alpha, distance,
//	  each a "simple" code: 1 (simple), 1 bit number of symbols - 1,
//	  1 bit "first symbol has 8 bits", then the symbol(s)
//	the pixels: each one is its green code (1 bit: 0 for g0, 1 for g1);
//	  codes with a single symbol take no bits at all.
//
// Writing the two green symbols in ascending order makes g0 the code 0
// whether a decoder assigns codes by position or by symbol value.
func losslessWebP(w, h int, r, g0, g1, bl, a uint8) []byte {
	var bw bitWriter
	bw.write(0x2F, 8)
	bw.write(uint64(w-1), 14)
	bw.write(uint64(h-1), 14)
	if a != 0xFF {
		bw.write(1, 1)
	} else {
		bw.write(0, 1)
	}
	bw.write(0, 3)
	bw.write(0, 1) // transform
	bw.write(0, 1) // colour cache
	bw.write(0, 1) // meta prefix codes
	// green: two symbols
	bw.write(1, 1)
	bw.write(1, 1)
	bw.write(1, 1)
	bw.write(uint64(g0), 8)
	bw.write(uint64(g1), 8)
	for _, v := range []uint8{r, bl, a} { // red, blue, alpha: one symbol
		bw.write(1, 1)
		bw.write(0, 1)
		bw.write(1, 1)
		bw.write(uint64(v), 8)
	}
	// distance: one symbol, 0, written in 1 bit
	bw.write(1, 1)
	bw.write(0, 1)
	bw.write(0, 1)
	bw.write(0, 1)
	for range h {
		for x := range w {
			if x < w/2 {
				bw.write(0, 1)
			} else {
				bw.write(1, 1)
			}
		}
	}
	payload := bw.bytes()
	chunk := []byte("VP8L")
	chunk = binary.LittleEndian.AppendUint32(chunk, uint32(len(payload)))
	chunk = append(chunk, payload...)
	if len(payload)%2 == 1 {
		chunk = append(chunk, 0)
	}
	out := []byte("RIFF")
	out = binary.LittleEndian.AppendUint32(out, uint32(4+len(chunk)))
	out = append(out, "WEBP"...)
	return append(out, chunk...)
}
