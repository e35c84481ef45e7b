package images

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	xdraw "golang.org/x/image/draw"

	"tamizdat/internal/images/imagetest"
	"tamizdat/internal/news"
)

const secretMarker = "TAMIZDAT-SECRET-CAMERA"

func process(t *testing.T, data []byte) *Processed {
	t.Helper()
	p, err := Process(context.Background(), bytes.NewReader(data))
	if err != nil {
		t.Fatalf("Process: %v", err)
	}
	return p
}

func wantError(t *testing.T, err error, code, msg string) {
	t.Helper()
	if got := news.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
	if got := news.ErrorMessage(err); !strings.Contains(got, msg) {
		t.Fatalf("error message = %q, want it to contain %q", got, msg)
	}
}

// decodeVariant decodes a variant with the decoder its Format names and
// checks that the file is what the Variant says it is.
func decodeVariant(t testing.TB, v Variant) image.Image {
	t.Helper()
	var m image.Image
	var err error
	switch v.Format {
	case "jpeg":
		m, err = jpeg.Decode(bytes.NewReader(v.Data))
	case "png":
		m, err = png.Decode(bytes.NewReader(v.Data))
	default:
		t.Fatalf("variant format %q", v.Format)
	}
	if err != nil {
		t.Fatalf("variant %d px (%s) does not decode: %v", v.Width, v.Format, err)
	}
	if b := m.Bounds(); b.Dx() != v.Width || b.Dy() != v.Height {
		t.Fatalf("variant says %d×%d, file is %d×%d", v.Width, v.Height, b.Dx(), b.Dy())
	}
	return m
}

// metadataOf lists the segments (JPEG) or chunks (PNG) of a variant that can
// hold anything but pixels.
func metadataOf(t testing.TB, v Variant) []string {
	t.Helper()
	var found []string
	d := v.Data
	switch v.Format {
	case "jpeg":
		if len(d) < 2 || d[0] != 0xFF || d[1] != 0xD8 {
			t.Fatalf("variant is not a JPEG")
		}
		for i := 2; i+4 <= len(d); {
			m := d[i+1]
			if d[i] != 0xFF || m == 0xDA {
				break
			}
			if (m >= 0xE0 && m <= 0xEF) || m == 0xFE {
				found = append(found, fmt.Sprintf("marker %#x", m))
			}
			i += 2 + int(binary.BigEndian.Uint16(d[i+2:]))
		}
	case "png":
		for i := 8; i+8 <= len(d); {
			n, typ := int(binary.BigEndian.Uint32(d[i:])), string(d[i+4:i+8])
			switch typ {
			case "IHDR", "PLTE", "tRNS", "IDAT", "IEND":
			default:
				found = append(found, "chunk "+typ)
			}
			i += 12 + n
		}
	}
	return found
}

func checkClean(t testing.TB, p *Processed, secrets ...string) {
	t.Helper()
	for _, v := range p.Variants {
		decodeVariant(t, v)
		for _, s := range append([]string{"Exif"}, secrets...) {
			if bytes.Contains(v.Data, []byte(s)) {
				t.Errorf("variant %d px contains %q", v.Width, s)
			}
		}
		if v.Format == "jpeg" && bytes.Contains(v.Data, []byte{0xFF, 0xE1}) {
			t.Errorf("variant %d px contains an APP1 marker", v.Width)
		}
		if md := metadataOf(t, v); len(md) > 0 {
			t.Errorf("variant %d px carries %v", v.Width, md)
		}
	}
}

func widthsOf(p *Processed) []int {
	var ws []int
	for _, v := range p.Variants {
		ws = append(ws, v.Width)
	}
	return ws
}

func TestProcessStripsMetadata(t *testing.T) {
	for _, order := range []imagetest.ByteOrder{binary.LittleEndian, binary.BigEndian} {
		t.Run(order.String(), func(t *testing.T) {
			jpg := imagetest.EncodeJPEG(t, Generate(3, 1200, 800), 90)
			in := imagetest.WithEXIF(jpg, imagetest.SecretEXIF(order, 1, secretMarker))
			// XMP and a comment can give a journalist away just as well.
			in = imagetest.SpliceAfterSOI(in, 0xE1, []byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta>TAMIZDAT-SECRET-XMP</x:xmpmeta>"))
			in = imagetest.SpliceAfterSOI(in, 0xFE, []byte("TAMIZDAT-SECRET-COMMENT"))

			latitude, longitude := imagetest.GPSLatitude(order), imagetest.GPSLongitude(order)
			for _, s := range [][]byte{[]byte("Exif\x00\x00"), []byte(secretMarker), latitude, longitude, []byte("TAMIZDAT-SECRET-XMP"), []byte("TAMIZDAT-SECRET-COMMENT")} {
				if !bytes.Contains(in, s) {
					t.Fatalf("test input lacks %q", s)
				}
			}
			if _, err := jpeg.Decode(bytes.NewReader(in)); err != nil {
				t.Fatalf("test input is not a valid JPEG: %v", err)
			}

			p := process(t, in)
			if p.Format != "jpeg" || p.Width != 1200 || p.Height != 800 {
				t.Fatalf("got %s %d×%d, want jpeg 1200×800", p.Format, p.Width, p.Height)
			}
			if len(p.Variants) != 4 {
				t.Fatalf("got widths %v", widthsOf(p))
			}
			checkClean(t, p, secretMarker, "TAMIZDAT", string(latitude), string(longitude))
		})
	}
}

func TestProcessAppliesOrientation(t *testing.T) {
	// Where each stored corner must appear once the picture is upright,
	// as the EXIF specification describes the eight orientations.
	tests := []struct {
		orientation            uint16
		topLeft, topRight      string
		bottomLeft, bottomRght string
	}{
		{1, "red", "green", "blue", "yellow"},
		{2, "green", "red", "yellow", "blue"}, // mirrored
		{3, "yellow", "blue", "green", "red"}, // upside down
		{4, "blue", "yellow", "red", "green"}, // mirrored vertically
		{5, "red", "blue", "green", "yellow"}, // transposed
		{6, "blue", "red", "yellow", "green"}, // turn clockwise: the phone held upright
		{7, "yellow", "green", "blue", "red"}, // transversed
		{8, "green", "yellow", "red", "blue"}, // turn anticlockwise
	}
	// 400×200 stays one variant; 1000×500 is also scaled before it is
	// turned.
	sizes := []image.Point{{400, 200}, {1000, 500}}
	jpegs := map[image.Point][]byte{}
	for _, size := range sizes {
		jpegs[size] = imagetest.EncodeJPEG(t, quadrants(size.X, size.Y), 95)
	}
	for _, tt := range tests {
		for _, size := range sizes {
			t.Run(fmt.Sprintf("%d/%dx%d", tt.orientation, size.X, size.Y), func(t *testing.T) {
				t.Parallel()
				order := imagetest.ByteOrder(binary.BigEndian)
				if tt.orientation%2 == 0 {
					order = binary.LittleEndian
				}
				in := imagetest.WithEXIF(jpegs[size], imagetest.SecretEXIF(order, tt.orientation, secretMarker))
				p := process(t, in)

				w, h := size.X, size.Y
				if tt.orientation >= 5 {
					w, h = h, w
				}
				if p.Width != w || p.Height != h {
					t.Fatalf("oriented size %d×%d, want %d×%d", p.Width, p.Height, w, h)
				}
				for _, v := range p.Variants {
					if v.Width*h != v.Height*w && abs(v.Width*h-v.Height*w) > w {
						t.Errorf("variant %d×%d does not keep the aspect of %d×%d", v.Width, v.Height, w, h)
					}
					m := decodeVariant(t, v)
					b := m.Bounds()
					in := max(2, b.Dx()/20)
					got := [4]string{
						nearestCorner(m.At(b.Min.X+in, b.Min.Y+in)),
						nearestCorner(m.At(b.Max.X-1-in, b.Min.Y+in)),
						nearestCorner(m.At(b.Min.X+in, b.Max.Y-1-in)),
						nearestCorner(m.At(b.Max.X-1-in, b.Max.Y-1-in)),
					}
					want := [4]string{tt.topLeft, tt.topRight, tt.bottomLeft, tt.bottomRght}
					if got != want {
						t.Errorf("variant %d×%d corners (TL, TR, BL, BR) = %v, want %v", v.Width, v.Height, got, want)
					}
				}
				checkClean(t, p, secretMarker)
			})
		}
	}
}

func abs(x int) int { return max(x, -x) }

func TestProcessOrientationSixSmall(t *testing.T) {
	// The case the brief names, spelled out: a 400×200 photo stored
	// sideways by a phone comes out 200×400, as one variant.
	in := imagetest.WithEXIF(imagetest.EncodeJPEG(t, quadrants(400, 200), 95), imagetest.SecretEXIF(binary.LittleEndian, 6, secretMarker))
	p := process(t, in)
	if len(p.Variants) != 1 || p.Variants[0].Width != 200 || p.Variants[0].Height != 400 {
		t.Fatalf("variants %+v, want one of 200×400", p.Variants)
	}
}

func TestJPEGOrientationFindsEXIFAfterXMP(t *testing.T) {
	in := imagetest.WithEXIF(imagetest.EncodeJPEG(t, quadrants(64, 32), 90), imagetest.SecretEXIF(binary.LittleEndian, 8, "X"))
	in = imagetest.SpliceAfterSOI(in, 0xE1, []byte("http://ns.adobe.com/xap/1.0/\x00<x/>"))
	if got := jpegOrientation(in); got != 8 {
		t.Fatalf("orientation = %d, want 8", got)
	}
}

func TestJPEGOrientationHostileEXIF(t *testing.T) {
	le := binary.LittleEndian
	// Two IFDs pointing at each other: github.com/rwcarlsen/goexif
	// loops on this forever.
	loop := []byte("II*\x00\x08\x00\x00\x00")
	for _, next := range []uint32{26, 8} {
		loop = le.AppendUint16(loop, 1)
		loop = append(loop, imagetest.Short(le, 0x0112, 6).Inline(le)...)
		loop = le.AppendUint32(loop, next)
	}
	// An IFD claiming 65535 entries in a few bytes.
	huge := le.AppendUint16([]byte("II*\x00\x08\x00\x00\x00"), 0xFFFF)
	tests := []struct {
		name string
		tiff []byte
		want int
	}{
		{"loop", loop, 6}, // only IFD0 is read, so the loop is harmless
		{"huge count", huge, 1},
		{"empty", nil, 1},
		{"bad byte order", []byte("XX*\x00\x08\x00\x00\x00\x00\x00"), 1},
		{"IFD past the end", []byte("II*\x00\xff\xff\xff\xff"), 1},
		{"orientation 9", imagetest.BuildTIFF(le, []imagetest.IFDEntry{imagetest.Short(le, 0x0112, 9)}, nil), 1},
		{"orientation as LONG", imagetest.BuildTIFF(le, []imagetest.IFDEntry{{Tag: 0x0112, Type: imagetest.TIFFLong, Count: 1, Value: le.AppendUint32(nil, 6)}}, nil), 1},
		{"truncated entry", imagetest.BuildTIFF(le, []imagetest.IFDEntry{imagetest.Short(le, 0x0112, 6)}, nil)[:16], 1},
	}
	jpg := imagetest.EncodeJPEG(t, quadrants(32, 32), 90)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := jpegOrientation(imagetest.WithEXIF(jpg, tt.tiff)); got != tt.want {
				t.Fatalf("orientation = %d, want %d", got, tt.want)
			}
		})
	}
	t.Run("segment length past the end", func(t *testing.T) {
		in := imagetest.WithEXIF(jpg, imagetest.BuildTIFF(le, []imagetest.IFDEntry{imagetest.Short(le, 0x0112, 6)}, nil))
		binary.BigEndian.PutUint16(in[4:], 0xFFFF)
		if got := jpegOrientation(in); got != 1 {
			t.Fatalf("orientation = %d, want 1", got)
		}
	})
}

func TestProcessRefusesWhatIsNotAnImage(t *testing.T) {
	jpg := imagetest.EncodeJPEG(t, Generate(1, 300, 200), 85)
	var gifBuf bytes.Buffer
	if err := gif.Encode(&gifBuf, quadrants(64, 64), nil); err != nil {
		t.Fatal(err)
	}
	notImage := "is not a JPEG, PNG or WebP image"
	tests := []struct {
		name string
		data []byte
		msg  string
	}{
		{"html named .jpg", []byte("<!doctype html><html><script>alert(document.cookie)</script></html>"), notImage + " (it looks like text/html)"},
		{"plain text", []byte("Meet at the station at nine. Bring the documents."), notImage + " (it looks like text/plain)"},
		{"gif", gifBuf.Bytes(), notImage + " (it looks like image/gif)"},
		{"svg", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="10" height="10"/></svg>`), notImage + " (it looks like text/xml)"},
		{"svg without prolog", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), notImage},
		{"pdf", []byte("%PDF-1.7\n1 0 obj\n"), notImage + " (it looks like application/pdf)"},
		{"truncated jpeg", jpg[:len(jpg)/2], "looks like a JPEG image but cannot be read"},
		{"jpeg magic only", []byte("\xff\xd8\xff\xe0garbage"), "looks like a JPEG image but cannot be read"},
		{"png magic only", []byte("\x89PNG\r\n\x1a\ngarbage"), "looks like a PNG image but cannot be read"},
		{"webp magic only", []byte("RIFF\x10\x00\x00\x00WEBPVP8L\x04\x00\x00\x00\x2f\x00"), "looks like a WebP image but cannot be read"},
		{"empty", nil, "the file is empty"},
		{"tiny", imagetest.EncodePNG(t, quadrants(8, 100)), "the image is 8 × 100 pixels; it must be at least 16 pixels on each side"},
	}
	dir := t.TempDir()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Upload names end in .jpg whatever they hold; only the
			// bytes may decide.
			name := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-")+".jpg")
			if err := os.WriteFile(name, tt.data, 0o600); err != nil {
				t.Fatal(err)
			}
			f, err := os.Open(name)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			p, err := Process(context.Background(), f)
			if p != nil {
				t.Fatalf("got a result for %s", tt.name)
			}
			wantError(t, err, news.EINVALID, tt.msg)
		})
	}
}

func TestProcessLimits(t *testing.T) {
	t.Run("file too large", func(t *testing.T) {
		// A real JPEG padded past the limit: the size alone refuses it.
		big := append(imagetest.EncodeJPEG(t, Generate(1, 100, 100), 80), make([]byte, MaxBytes)...)
		_, err := Process(context.Background(), bytes.NewReader(big[:MaxBytes+1]))
		wantError(t, err, news.ETOOLARGE, "the file is larger than 15 MB")
	})
	t.Run("MaxBytesReader in front", func(t *testing.T) {
		r := http.MaxBytesReader(nil, io.NopCloser(bytes.NewReader(make([]byte, 1000))), 100)
		_, err := Process(context.Background(), r)
		wantError(t, err, news.ETOOLARGE, "the file is larger than 15 MB")
	})
	t.Run("exactly MaxBytes is read", func(t *testing.T) {
		// At the limit the content decides: here, zeros.
		_, err := Process(context.Background(), bytes.NewReader(make([]byte, MaxBytes)))
		wantError(t, err, news.EINVALID, "it looks like application/octet-stream")
	})
	t.Run("side over the limit, refused from the header", func(t *testing.T) {
		in := imagetest.ClaimingPNG(t, 20000, 20000)
		if len(in) > 1<<10 {
			t.Fatalf("the bomb is %d bytes; it should be tiny", len(in))
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := Process(context.Background(), bytes.NewReader(in))
		runtime.ReadMemStats(&after)
		wantError(t, err, news.ETOOLARGE, "the image is 20000 × 20000 pixels; the limit is 16000 pixels per side")
		// Decoding would have allocated 1.6 GB.
		if n := after.TotalAlloc - before.TotalAlloc; n > 32<<20 {
			t.Fatalf("refusing the header allocated %d MB", n>>20)
		}
	})
	t.Run("one side over", func(t *testing.T) {
		_, err := Process(context.Background(), bytes.NewReader(imagetest.ClaimingPNG(t, 20000, 3000)))
		wantError(t, err, news.ETOOLARGE, "the image is 20000 × 3000 pixels; the limit is 16000 pixels per side")
	})
	t.Run("too many pixels", func(t *testing.T) {
		_, err := Process(context.Background(), bytes.NewReader(imagetest.ClaimingPNG(t, 10000, 6000)))
		wantError(t, err, news.ETOOLARGE, "the image is 10000 × 6000 pixels (60 megapixels); the limit is 50 megapixels")
	})
	t.Run("too many JPEG scans", func(t *testing.T) {
		jpg := imagetest.EncodeJPEG(t, quadrants(64, 64), 80)
		sos := bytes.Index(jpg, []byte{0xFF, 0xDA})
		scan := jpg[sos : len(jpg)-2] // up to the EOI
		build := func(scans int) []byte {
			out := append([]byte{}, jpg[:len(jpg)-2]...)
			for range scans - 1 {
				out = append(out, scan...)
			}
			return append(out, 0xFF, 0xD9)
		}
		if n := countJPEGScans(build(maxJPEGScans + 1)); n != maxJPEGScans+1 {
			t.Fatalf("test input has %d scans", n)
		}
		_, err := Process(context.Background(), bytes.NewReader(build(maxJPEGScans+1)))
		wantError(t, err, news.EINVALID, "the JPEG file is made of 101 scans, more than the 100 we accept")
		_, err = Process(context.Background(), bytes.NewReader(build(maxJPEGScans)))
		if strings.Contains(news.ErrorMessage(err), "scans") {
			t.Fatalf("%d scans refused: %v", maxJPEGScans, err)
		}
	})
}

func TestProcessKeepsFormat(t *testing.T) {
	t.Run("jpeg stays jpeg", func(t *testing.T) {
		p := process(t, imagetest.EncodeJPEG(t, Generate(5, 2000, 1000), 85))
		if p.Format != "jpeg" {
			t.Fatalf("format %q", p.Format)
		}
		for _, v := range p.Variants {
			if v.Format != "jpeg" || ContentType(v.Format) != "image/jpeg" || http.DetectContentType(v.Data) != "image/jpeg" {
				t.Fatalf("variant %d px is %s, sniffed %s", v.Width, v.Format, http.DetectContentType(v.Data))
			}
		}
		checkClean(t, p)
	})
	t.Run("png with alpha stays png with alpha", func(t *testing.T) {
		m := image.NewNRGBA(image.Rect(0, 0, 600, 400))
		for y := range 400 {
			for x := range 600 {
				switch {
				case x < 200: // transparent
				case x < 400:
					m.SetNRGBA(x, y, color.NRGBA{200, 40, 40, 128})
				default:
					m.SetNRGBA(x, y, color.NRGBA{40, 40, 200, 255})
				}
			}
		}
		p := process(t, imagetest.EncodePNG(t, m))
		if p.Format != "png" || !slices.Equal(widthsOf(p), []int{320, 600}) {
			t.Fatalf("got %s %v, want png [320 600]", p.Format, widthsOf(p))
		}
		for _, v := range p.Variants {
			if http.DetectContentType(v.Data) != "image/png" {
				t.Fatalf("variant %d px sniffed as %s", v.Width, http.DetectContentType(v.Data))
			}
			got := decodeVariant(t, v)
			y := v.Height / 2
			alphaAt := func(fx float64) uint8 {
				return color.NRGBAModel.Convert(got.At(int(fx*float64(v.Width)), y)).(color.NRGBA).A
			}
			if a := alphaAt(0.15); a != 0 {
				t.Errorf("variant %d px: transparent part has alpha %d", v.Width, a)
			}
			if a := alphaAt(0.5); a < 120 || a > 136 {
				t.Errorf("variant %d px: half-transparent part has alpha %d", v.Width, a)
			}
			if a := alphaAt(0.85); a != 255 {
				t.Errorf("variant %d px: opaque part has alpha %d", v.Width, a)
			}
		}
		checkClean(t, p)
	})
	t.Run("opaque png stays png", func(t *testing.T) {
		p := process(t, imagetest.EncodePNG(t, quadrants(100, 50)))
		if p.Format != "png" {
			t.Fatalf("format %q", p.Format)
		}
	})
}

func TestProcessWidths(t *testing.T) {
	tests := []struct {
		w, h   int
		widths []int
	}{
		{2000, 600, []int{320, 640, 1024, 1600}},
		{1600, 900, []int{320, 640, 1024, 1600}},
		{1000, 1000, []int{320, 640, 1000}},
		{640, 480, []int{320, 640}},
		{330, 100, []int{320, 330}},
		{320, 320, []int{320}},
		{100, 60, []int{100}},
		{16, 16, []int{16}},
		{200, 1500, []int{200}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%dx%d", tt.w, tt.h), func(t *testing.T) {
			t.Parallel()
			p := process(t, imagetest.EncodeJPEG(t, Generate(int64(tt.w), tt.w, tt.h), 80))
			if p.Width != tt.w || p.Height != tt.h {
				t.Fatalf("original %d×%d, want %d×%d", p.Width, p.Height, tt.w, tt.h)
			}
			if got := widthsOf(p); !slices.Equal(got, tt.widths) {
				t.Fatalf("widths %v, want %v", got, tt.widths)
			}
			for _, v := range p.Variants {
				if v.Width > tt.w {
					t.Errorf("variant %d px is wider than the original", v.Width)
				}
				if want := max(1, (tt.h*v.Width+tt.w/2)/tt.w); v.Height != want {
					t.Errorf("variant %d px is %d high, want %d", v.Width, v.Height, want)
				}
			}
			checkClean(t, p)
		})
	}
}

func TestVariantWidthsDoNotTrustWidthsOrder(t *testing.T) {
	saved := Widths
	t.Cleanup(func() { Widths = saved })
	Widths = []int{1024, 320, 320}
	if got := variantWidths(2000); !slices.Equal(got, []int{320, 1024}) {
		t.Fatalf("widths %v", got)
	}
	if !slices.Equal(Widths, []int{1024, 320, 320}) {
		t.Fatalf("Widths was modified: %v", Widths)
	}
	Widths = nil
	if got := variantWidths(700); !slices.Equal(got, []int{700}) {
		t.Fatalf("with no Widths: %v", got)
	}
	Widths = []int{-5, 0}
	if got := variantWidths(700); !slices.Equal(got, []int{700}) {
		t.Fatalf("with nonsense Widths: %v", got)
	}
}

func TestProcessWebP(t *testing.T) {
	t.Run("opaque becomes jpeg", func(t *testing.T) {
		in := losslessWebP(40, 20, 200, 30, 220, 40, 255)
		if got := http.DetectContentType(in); got != "image/webp" {
			t.Fatalf("test input sniffed as %s", got)
		}
		p := process(t, in)
		if p.Format != "jpeg" || p.Width != 40 || p.Height != 20 || !slices.Equal(widthsOf(p), []int{40}) {
			t.Fatalf("got %s %d×%d %v", p.Format, p.Width, p.Height, widthsOf(p))
		}
		m := decodeVariant(t, p.Variants[0])
		left := color.NRGBAModel.Convert(m.At(5, 10)).(color.NRGBA)
		right := color.NRGBAModel.Convert(m.At(35, 10)).(color.NRGBA)
		if d := int(left.G) - 30; d < -20 || d > 20 {
			t.Errorf("left green %d, want about 30", left.G)
		}
		if d := int(right.G) - 220; d < -20 || d > 20 {
			t.Errorf("right green %d, want about 220", right.G)
		}
		if d := int(left.R) - 200; d < -20 || d > 20 {
			t.Errorf("red %d, want about 200", left.R)
		}
		checkClean(t, p)
	})
	t.Run("with alpha becomes png", func(t *testing.T) {
		p := process(t, losslessWebP(40, 20, 200, 30, 220, 40, 100))
		if p.Format != "png" {
			t.Fatalf("format %q", p.Format)
		}
		m := decodeVariant(t, p.Variants[0])
		want := color.NRGBA{200, 220, 40, 100}
		if got := color.NRGBAModel.Convert(m.At(35, 10)).(color.NRGBA); got != want {
			t.Errorf("pixel %v, want %v", got, want)
		}
		checkClean(t, p)
	})
	t.Run("truncated", func(t *testing.T) {
		in := losslessWebP(40, 20, 200, 30, 220, 40, 255)
		_, err := Process(context.Background(), bytes.NewReader(in[:30]))
		wantError(t, err, news.EINVALID, "looks like a WebP image but cannot be read")
	})
}

func TestContentType(t *testing.T) {
	for format, want := range map[string]string{"jpeg": "image/jpeg", "png": "image/png", "gif": "application/octet-stream", "": "application/octet-stream"} {
		if got := ContentType(format); got != want {
			t.Errorf("ContentType(%q) = %q, want %q", format, got, want)
		}
	}
}

func TestGenerate(t *testing.T) {
	a := Generate(7, 300, 200).(*image.RGBA)
	if a.Bounds() != image.Rect(0, 0, 300, 200) {
		t.Fatalf("bounds %v", a.Bounds())
	}
	if b := Generate(7, 300, 200).(*image.RGBA); !bytes.Equal(a.Pix, b.Pix) {
		t.Fatal("the same seed gave different pictures")
	}
	if c := Generate(8, 300, 200).(*image.RGBA); bytes.Equal(a.Pix, c.Pix) {
		t.Fatal("different seeds gave the same picture")
	}
	// Not a flat fill: a pleasant picture has many colours, and every
	// pixel is opaque so demo pictures are stored as JPEG.
	colours := map[[3]uint8]bool{}
	for i := 0; i < len(a.Pix); i += 4 {
		colours[[3]uint8{a.Pix[i], a.Pix[i+1], a.Pix[i+2]}] = true
		if a.Pix[i+3] != 0xFF {
			t.Fatalf("pixel %d is not opaque", i/4)
		}
	}
	if len(colours) < 500 {
		t.Fatalf("only %d colours", len(colours))
	}
	if m := Generate(1, 0, -5); m.Bounds() != image.Rect(0, 0, 1, 1) {
		t.Fatalf("degenerate size gave %v", m.Bounds())
	}
	p := process(t, imagetest.EncodeJPEG(t, Generate(9, 1200, 675), 90))
	if p.Format != "jpeg" || len(p.Variants) != 4 {
		t.Fatalf("demo picture processed to %s %v", p.Format, widthsOf(p))
	}
}

// BenchmarkProcess measures an ordinary newsroom upload: a 3000×2000
// photo-like JPEG (6 MP, the size of many phone photos after sharing).
func BenchmarkProcess(b *testing.B) {
	in := imagetest.EncodeJPEG(b, photoLike(3000, 2000), 90)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Process(context.Background(), bytes.NewReader(in)); err != nil {
			b.Fatal(err)
		}
	}
}

func TestResizeMatchesOneShotScale(t *testing.T) {
	// resize works in strips to bound memory; it must give what one call
	// of draw.CatmullRom.Scale gives, within rounding.
	src := image.NewYCbCr(image.Rect(0, 0, 997, 601), image.YCbCrSubsampleRatio420)
	g := Generate(4, 997, 601).(*image.RGBA)
	for y := range 601 {
		for x := range 997 {
			i := g.PixOffset(x, y)
			yy, cb, cr := color.RGBToYCbCr(g.Pix[i], g.Pix[i+1], g.Pix[i+2])
			src.Y[src.YOffset(x, y)] = yy
			src.Cb[src.COffset(x, y)] = cb
			src.Cr[src.COffset(x, y)] = cr
		}
	}
	for _, size := range []image.Point{{320, 193}, {640, 386}, {997, 601}, {50, 400}} {
		got := resize(src, size.X, size.Y)
		want := image.NewRGBA(image.Rect(0, 0, size.X, size.Y))
		xdraw.CatmullRom.Scale(want, want.Bounds(), src, src.Bounds(), xdraw.Src, nil)
		worst := 0
		for i := range got.Pix {
			worst = max(worst, abs(int(got.Pix[i])-int(want.Pix[i])))
		}
		if worst > 2 {
			t.Errorf("%v: differs from one-shot scaling by up to %d levels", size, worst)
		}
	}
}
