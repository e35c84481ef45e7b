package images

import (
	"encoding/binary"
	"image"
	"image/color"

	"tamizdat/internal/images/imagetest"
)

// Builders for the files only these tests feed to Process; the ones other
// packages' tests need too (JPEGs with EXIF, PNG bombs) are in imagetest.
// Every byte is made here or there, so the tests need no fixtures from
// elsewhere.

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
	return imagetest.AddNoise(Generate(42, w, h).(*image.RGBA))
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
