// Package images is the newsroom's image pipeline. Uploads come from
// journalists whose safety can depend on what a photo says about where and
// with what it was taken, so nothing of an uploaded file is kept: its pixels
// are decoded, turned upright and encoded afresh into a few widths, and only
// those new files are stored. A fresh encoding carries no EXIF, XMP, IPTC,
// ICC or comment segments because our encoders never write any.
//
// The package also treats every upload as hostile input: the type is taken
// from the bytes, never from a name or a client's Content-Type; size limits
// are checked from the header before any pixel memory is allocated; and
// decoder panics become ordinary "damaged file" errors.
package images

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"strings"

	"golang.org/x/image/webp"

	"tamizdat/internal/news"
)

const (
	// MaxBytes bounds what we read at all: a phone photo is 2–8 MB, a
	// camera JPEG rarely above 12.
	MaxBytes = 15 << 20
	// MaxPixels bounds the memory a decode may take (up to 8 bytes a
	// pixel for 16-bit PNG). It is checked from the header because a
	// few kilobytes of compressed data can claim gigabytes of pixels.
	// Near the limit one image costs seconds of CPU and a few hundred
	// megabytes; the slots (limit.go) bound how many run at once, so the
	// limit can stay above the 45–61 megapixels of the full-frame cameras
	// photographers send untouched from the field.
	MaxPixels = 50_000_000
	// MaxSide keeps panoramas and strips within what browsers and the
	// resizer handle comfortably even when the pixel count is modest.
	MaxSide = 16000
	// MinSide refuses icons and tracking pixels: they are never news
	// photographs, and we never scale up.
	MinSide = 16
)

// Widths are the variant widths generated; variants wider than the
// (oriented) original are skipped, and the original's own width (capped at
// the largest of Widths) is always present, so there is at least one
// variant. They match the breakpoints of the site's srcset: a phone, a
// tablet column, a desktop column and a full-width lead picture.
var Widths = []int{320, 640, 1024, 1600}

// jpegQuality is about where artefacts stop being visible in photos at
// their displayed size; higher settings mostly buy bytes readers on slow
// mobile connections pay for.
const jpegQuality = 82

// maxJPEGScans limits progressive scans. The JPEG standard lets each scan
// be a few bytes that still make the decoder visit every block of the
// image, so a small file with thousands of scans keeps a core busy for
// minutes (libjpeg-turbo's report LJT-01-003; libjpeg-turbo suggests
// limiting scans, DALI uses 500). Encoders write 1 to about 12 scans.
const maxJPEGScans = 100

// Variant is one re-encoded rendition of an upload.
type Variant struct {
	Width, Height int
	Format        string // "jpeg" or "png"
	Data          []byte
}

// Processed is everything that is kept of an upload.
type Processed struct {
	Width, Height int       // of the oriented original
	Format        string    // the format all variants use
	Variants      []Variant // ascending by width
}

// formatNames are the accepted formats by their sniffed MIME type, with the
// name image.DecodeConfig reports and the name a journalist knows.
var formatNames = map[string]struct{ name, label string }{
	"image/jpeg": {"jpeg", "JPEG"},
	"image/png":  {"png", "PNG"},
	"image/webp": {"webp", "WebP"},
}

// Process reads at most MaxBytes+1 bytes from r, detects the type from the
// content, checks the limits from the header, decodes, turns a JPEG upright
// according to its EXIF orientation, and re-encodes every variant: photos
// (JPEG, opaque WebP) as JPEG, PNG and anything with real transparency as
// PNG, so screenshots and graphics stay crisp and cut-outs keep their alpha.
//
// The checks that read only the header run at once; decoding and encoding
// wait for one of the process's Slots for as long as ctx lives, and are
// refused with ErrBusy (ETOOMANY) when its deadline passes first.
//
// Errors the uploader can cause are *news.Error with EINVALID, ETOOLARGE or
// ETOOMANY and a message meant for them; an error reading r is returned as
// it is.
func Process(ctx context.Context, r io.Reader) (*Processed, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil {
		// http.MaxBytesReader in front of us is the same limit, said
		// by the HTTP layer.
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return nil, tooLargeFile()
		}
		return nil, fmt.Errorf("images: reading upload: %w", err)
	}
	if len(data) > MaxBytes {
		return nil, tooLargeFile()
	}
	if len(data) == 0 {
		return nil, news.Errorf(news.EINVALID, "the file is empty")
	}

	sniffed := http.DetectContentType(data)
	mediaType, _, _ := strings.Cut(sniffed, ";")
	f, ok := formatNames[mediaType]
	if !ok {
		return nil, news.Errorf(news.EINVALID, "the file is not a JPEG, PNG or WebP image (it looks like %s)", mediaType)
	}

	cfg, err := decodeConfig(data, f.name)
	if err != nil {
		return nil, damaged(f.label)
	}
	if err := checkSize(cfg.Width, cfg.Height); err != nil {
		return nil, err
	}

	orientation := 1
	if f.name == "jpeg" {
		if n := countJPEGScans(data); n > maxJPEGScans {
			return nil, news.Errorf(news.EINVALID,
				"the JPEG file is made of %d scans, more than the %d we accept; please save it again as an ordinary JPEG", n, maxJPEGScans)
		}
		orientation = jpegOrientation(data)
	}

	release, err := Acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	if slotHook != nil {
		slotHook()
	}
	src, err := decode(data, f.name)
	if err != nil {
		return nil, damaged(f.label)
	}
	if b := src.Bounds(); b.Dx() != cfg.Width || b.Dy() != cfg.Height {
		// The limits were checked against the header; pixels that
		// disagree with it are not a picture we can vouch for.
		return nil, damaged(f.label)
	}

	out := "jpeg"
	if f.name == "png" || (f.name == "webp" && !isOpaque(src)) {
		out = "png"
	}
	p, err := makeVariants(src, orientation, out)
	if err != nil {
		return nil, err
	}
	return p, nil
}

// ContentType is the MIME type of a variant format.
func ContentType(format string) string {
	switch format {
	case "jpeg":
		return "image/jpeg"
	case "png":
		return "image/png"
	}
	return "application/octet-stream"
}

func tooLargeFile() error {
	return news.Errorf(news.ETOOLARGE, "the file is larger than %d MB", MaxBytes>>20)
}

func damaged(label string) error {
	return news.Errorf(news.EINVALID,
		"the file looks like a %s image but cannot be read: it is damaged, incomplete or uses a variant of the format we do not support", label)
}

// checkSize applies the limits to the header's dimensions, so that a
// decompression bomb is refused before its pixels are allocated.
func checkSize(w, h int) error {
	switch {
	case w > MaxSide || h > MaxSide:
		return news.Errorf(news.ETOOLARGE, "the image is %d × %d pixels; the limit is %d pixels per side", w, h, MaxSide)
	case w*h > MaxPixels:
		return news.Errorf(news.ETOOLARGE, "the image is %d × %d pixels (%s megapixels); the limit is %s megapixels",
			w, h, megapixels(w*h), megapixels(MaxPixels))
	case w < MinSide || h < MinSide:
		return news.Errorf(news.EINVALID, "the image is %d × %d pixels; it must be at least %d pixels on each side", w, h, MinSide)
	}
	return nil
}

func megapixels(n int) string {
	return strings.TrimSuffix(fmt.Sprintf("%.1f", float64(n)/1e6), ".0")
}

// decodeConfig reads the header only. It goes through image.DecodeConfig
// but insists that the decoder chosen agrees with the sniffed type, so a
// format some other package registers can never slip past the allowlist.
func decodeConfig(data []byte, format string) (cfg image.Config, err error) {
	defer recoverInto(&err)
	cfg, got, err := image.DecodeConfig(bytes.NewReader(data))
	if err == nil && got != format {
		err = fmt.Errorf("images: sniffed %s, decoder says %s", format, got)
	}
	return cfg, err
}

// decode calls the decoder of the sniffed format directly for the same
// reason decodeConfig checks the format name.
func decode(data []byte, format string) (m image.Image, err error) {
	defer recoverInto(&err)
	r := bytes.NewReader(data)
	switch format {
	case "jpeg":
		return jpeg.Decode(r)
	case "png":
		return png.Decode(r)
	case "webp":
		return webp.Decode(r)
	}
	return nil, fmt.Errorf("images: no decoder for %s", format)
}

// recoverInto turns a decoder panic into an error: a crafted file must cost
// the uploader a refusal, not the server a crashed request.
func recoverInto(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("images: decoder panic: %v", r)
	}
}

// isOpaque reports whether every pixel is fully opaque. A WebP or PNG that
// carries an alpha channel but uses none of it is a photo, not a cut-out.
func isOpaque(m image.Image) bool {
	if o, ok := m.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	b := m.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if _, _, _, a := m.At(x, y).RGBA(); a != 0xffff {
				return false
			}
		}
	}
	return true
}
