package images

import (
	"bytes"
	"context"
	"encoding/binary"
	"image"
	"testing"

	"tamizdat/internal/images/imagetest"
	"tamizdat/internal/news"
)

// FuzzProcess feeds Process arbitrary bytes. Whatever comes in, it must not
// panic, every error must be one the uploader caused (the reader cannot
// fail), and every result must be clean, decodable variants.
func FuzzProcess(f *testing.F) {
	small := Generate(11, 48, 32)
	jpg := imagetest.EncodeJPEG(f, small, 80)
	f.Add(jpg)
	f.Add(jpg[:len(jpg)/2])
	f.Add(imagetest.WithEXIF(imagetest.EncodeJPEG(f, quadrants(40, 24), 80), imagetest.SecretEXIF(binary.LittleEndian, 6, secretMarker)))
	f.Add(imagetest.WithEXIF(imagetest.EncodeJPEG(f, quadrants(40, 24), 80), imagetest.SecretEXIF(binary.BigEndian, 3, secretMarker)))
	f.Add(imagetest.EncodePNG(f, small))
	f.Add(imagetest.EncodePNG(f, image.NewNRGBA(image.Rect(0, 0, 20, 20)))) // fully transparent
	f.Add(losslessWebP(24, 16, 200, 30, 220, 40, 255))
	f.Add(losslessWebP(24, 16, 200, 30, 220, 40, 100))
	f.Add(imagetest.ClaimingPNG(f, 20000, 20000))
	f.Add([]byte("<!doctype html><script>alert(1)</script>"))
	f.Add([]byte("\xff\xd8\xff\xe1\x00\x10Exif\x00\x00II*\x00\x08\x00\x00\x00"))
	f.Add([]byte{})

	f.Fuzz(func(t *testing.T, data []byte) {
		// Inputs within the limits but large would have the fuzzer spend
		// its time allocating pixels instead of exploring parsers; the
		// limits themselves stay fuzzed because they act before this.
		if cfg, _, err := image.DecodeConfig(bytes.NewReader(data)); err == nil &&
			checkSize(cfg.Width, cfg.Height) == nil && cfg.Width*cfg.Height > 1<<20 {
			t.Skip("large picture")
		}
		p, err := Process(context.Background(), bytes.NewReader(data))
		if err != nil {
			if code := news.ErrorCode(err); code != news.EINVALID && code != news.ETOOLARGE {
				t.Fatalf("error with code %q: %v", code, err)
			}
			if p != nil {
				t.Fatal("both a result and an error")
			}
			return
		}
		if len(p.Variants) == 0 {
			t.Fatal("no variants")
		}
		for i, v := range p.Variants {
			if v.Format != p.Format {
				t.Fatalf("variant format %q in a %q result", v.Format, p.Format)
			}
			if v.Width > p.Width || (i > 0 && v.Width <= p.Variants[i-1].Width) {
				t.Fatalf("widths %v for a %d px original", widthsOf(p), p.Width)
			}
		}
		checkClean(t, p)
	})
}
