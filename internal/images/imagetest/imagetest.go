// Package imagetest builds image files for tests: JPEGs carrying the EXIF
// a phone writes (camera make and model, orientation, a GPS position), the
// TIFF structures inside EXIF, and PNGs whose header claims more pixels than
// they hold. Every byte is made here, so no test needs fixtures from
// elsewhere. It is imported only by tests, and imports nothing of the
// project, so the images package's own tests can use it too.
package imagetest

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"testing"
)

// EncodeJPEG encodes m as a baseline JPEG at quality.
func EncodeJPEG(t testing.TB, m image.Image, quality int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: quality}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// EncodePNG encodes m as a PNG.
func EncodePNG(t testing.TB, m image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// AddNoise adds sensor-like noise to m's colour channels, in place, so that
// a JPEG of it compresses like a real photo rather than like flat shapes.
// The noise is the same on every call.
func AddNoise(m *image.RGBA) *image.RGBA {
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

// PhotoLike is an opaque w×h picture of soft gradients with sensor noise.
func PhotoLike(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			r, g := 40+180*x/max(1, w), 60+150*y/max(1, h)
			b := 90 + 100*(x+y)/max(1, w+h)
			copy(m.Pix[m.PixOffset(x, y):], []byte{uint8(r), uint8(g), uint8(b), 0xFF})
		}
	}
	return AddNoise(m)
}

// ByteOrder is what binary.LittleEndian and binary.BigEndian both are: TIFF
// files come in either.
type ByteOrder interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

// TIFF field types used by EXIF.
const (
	TIFFASCII    = 2
	TIFFShort    = 3
	TIFFLong     = 4
	TIFFRational = 5
)

// IFDEntry is one entry of a TIFF image file directory.
type IFDEntry struct {
	Tag, Type uint16
	Count     uint32
	Value     []byte // already in the file's byte order
}

// ASCII is a NUL-terminated string entry.
func ASCII(tag uint16, s string) IFDEntry {
	b := append([]byte(s), 0)
	return IFDEntry{tag, TIFFASCII, uint32(len(b)), b}
}

// Short is an entry of one 16-bit value.
func Short(o ByteOrder, tag, v uint16) IFDEntry {
	return IFDEntry{tag, TIFFShort, 1, o.AppendUint16(nil, v)}
}

// Rational is an entry of numerator/denominator pairs.
func Rational(o ByteOrder, tag uint16, vs ...[2]uint32) IFDEntry {
	var b []byte
	for _, v := range vs {
		b = o.AppendUint32(b, v[0])
		b = o.AppendUint32(b, v[1])
	}
	return IFDEntry{tag, TIFFRational, uint32(len(vs)), b}
}

// Inline is the 12-byte form of an entry whose value fits in the entry.
func (e IFDEntry) Inline(o ByteOrder) []byte {
	b := o.AppendUint16(nil, e.Tag)
	b = o.AppendUint16(b, e.Type)
	b = o.AppendUint32(b, e.Count)
	return append(b, append(e.Value, make([]byte, 4-len(e.Value))...)...)
}

// BuildTIFF lays out the TIFF structure EXIF uses: the 8-byte header, IFD0,
// then (if gps is not empty) a GPS IFD that IFD0 points to with tag 0x8825,
// then the values too long to sit in an entry. Entries must be given in
// ascending tag order, as TIFF requires.
func BuildTIFF(o ByteOrder, ifd0, gps []IFDEntry) []byte {
	ifdSize := func(n int) int { return 2 + 12*n + 4 }
	n0 := len(ifd0)
	if len(gps) > 0 {
		n0++
	}
	gpsAt := 8 + ifdSize(n0)
	dataAt := gpsAt
	if len(gps) > 0 {
		dataAt += ifdSize(len(gps))
		ifd0 = append(ifd0, IFDEntry{0x8825, TIFFLong, 1, o.AppendUint32(nil, uint32(gpsAt))})
	}
	var data []byte
	writeIFD := func(entries []IFDEntry) []byte {
		b := o.AppendUint16(nil, uint16(len(entries)))
		for _, e := range entries {
			if len(e.Value) <= 4 {
				b = append(b, e.Inline(o)...)
				continue
			}
			b = o.AppendUint16(b, e.Tag)
			b = o.AppendUint16(b, e.Type)
			b = o.AppendUint32(b, e.Count)
			b = o.AppendUint32(b, uint32(dataAt+len(data)))
			data = append(data, e.Value...)
			if len(data)%2 == 1 {
				data = append(data, 0) // values start on word boundaries
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

// The position SecretEXIF gives away, as EXIF writes it: degrees, minutes
// and seconds, each a rational.
var (
	latitude  = [][2]uint32{{53, 1}, {54, 1}, {2711, 100}}
	longitude = [][2]uint32{{27, 1}, {33, 1}, {4213, 100}}
)

// GPSLatitude is the value of the GPSLatitude entry SecretEXIF writes in
// byte order o: the bytes to look for in a file.
func GPSLatitude(o ByteOrder) []byte { return Rational(o, 0x0002, latitude...).Value }

// GPSLongitude is the value of the GPSLongitude entry SecretEXIF writes.
func GPSLongitude(o ByteOrder) []byte { return Rational(o, 0x0004, longitude...).Value }

// SecretEXIF is the TIFF of an EXIF block that gives a journalist away: the
// camera's make (marker) and model (marker + "-MODEL"), the orientation,
// and a GPS IFD holding a position.
func SecretEXIF(o ByteOrder, orientation uint16, marker string) []byte {
	return BuildTIFF(o,
		[]IFDEntry{
			ASCII(0x010F, marker),           // Make
			ASCII(0x0110, marker+"-MODEL"),  // Model
			Short(o, 0x0112, orientation),   // Orientation
			ASCII(0x0131, "TAMIZDAT-PHONE"), // Software
		},
		[]IFDEntry{
			ASCII(0x0001, "N"),                // GPSLatitudeRef
			Rational(o, 0x0002, latitude...),  // GPSLatitude
			ASCII(0x0003, "E"),                // GPSLongitudeRef
			Rational(o, 0x0004, longitude...), // GPSLongitude
		})
}

// SpliceAfterSOI inserts a marker segment right after a JPEG's SOI, where
// cameras put their APP segments.
func SpliceAfterSOI(jpg []byte, marker byte, payload []byte) []byte {
	seg := []byte{0xFF, marker}
	seg = binary.BigEndian.AppendUint16(seg, uint16(2+len(payload)))
	seg = append(seg, payload...)
	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

// WithEXIF puts tiff into jpg as an EXIF APP1 segment.
func WithEXIF(jpg, tiff []byte) []byte {
	return SpliceAfterSOI(jpg, 0xE1, append([]byte("Exif\x00\x00"), tiff...))
}

// EXIFOrder is the byte order of the EXIF that JPEGWithGPS writes ("MM",
// as many cameras do).
var EXIFOrder ByteOrder = binary.BigEndian

// JPEGWithGPS is a photo-like w×h JPEG as a phone leaves it: an EXIF APP1
// segment (byte order EXIFOrder, orientation 1) whose Make and Model carry
// marker and whose GPS IFD holds GPSLatitude and GPSLongitude.
func JPEGWithGPS(t testing.TB, w, h int, marker string) []byte {
	t.Helper()
	return WithEXIF(EncodeJPEG(t, PhotoLike(w, h), 90), SecretEXIF(EXIFOrder, 1, marker))
}

// GPSBytes are the position's bytes as JPEGWithGPS writes them: latitude,
// then longitude.
func GPSBytes() [][]byte {
	return [][]byte{GPSLatitude(EXIFOrder), GPSLongitude(EXIFOrder)}
}

// pngChunk frames a PNG chunk: length, type, data and the CRC-32 of type
// and data, which decoders check.
func pngChunk(typ string, data []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	b = append(b, typ...)
	b = append(b, data...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(append([]byte(typ), data...)))
}

// ClaimingPNG is a small PNG whose header claims w×h RGBA pixels and whose
// IDAT holds one valid row, so a decoder that trusted the header would go on
// to allocate all w×h×4 bytes.
func ClaimingPNG(t testing.TB, w, h uint32) []byte {
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
