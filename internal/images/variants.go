package images

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"runtime"
	"slices"
	"sync"

	"golang.org/x/image/draw"
)

// variantWidths returns the widths to render for an oriented width w,
// ascending. Widths is exported, so it is copied rather than sorted in place,
// and a Widths emptied or filled with nonsense still yields the original's
// own width rather than nothing.
func variantWidths(w int) []int {
	ws := slices.DeleteFunc(slices.Clone(Widths), func(v int) bool { return v <= 0 })
	slices.Sort(ws)
	top := w
	if len(ws) > 0 {
		top = min(w, ws[len(ws)-1])
	}
	out := []int{}
	for _, v := range ws {
		if v < top {
			out = append(out, v)
		}
	}
	return slices.Compact(append(out, top))
}

// makeVariants renders the variants from the largest down, each one scaled
// from the previous, so only the first step reads the whole original; with
// the default Widths the later steps shrink by 2 times at most, where
// CatmullRom keeps nearly all the sharpness a one-step scale would. Scaling happens in the stored
// orientation and each result is turned upright afterwards, so only
// variant-sized images are rotated.
func makeVariants(src image.Image, orientation int, format string) (*Processed, error) {
	b := src.Bounds()
	sw, sh := b.Dx(), b.Dy()
	swap := orientation >= 5 // 5–8 exchange width and height
	w, h := sw, sh
	if swap {
		w, h = sh, sw
	}
	widths := variantWidths(w)
	p := &Processed{Width: w, Height: h, Format: format, Variants: make([]Variant, len(widths))}
	prev := src
	for i := len(widths) - 1; i >= 0; i-- {
		tw := widths[i]
		th := max(1, (h*tw+w/2)/w)
		dw, dh := tw, th
		if swap {
			dw, dh = th, tw
		}
		m := src
		if dw != sw || dh != sh {
			dst := resize(prev, dw, dh)
			m, prev = dst, dst
		}
		data, err := encode(orient(m, orientation), format)
		if err != nil {
			return nil, err
		}
		p.Variants[i] = Variant{Width: tw, Height: th, Format: format, Data: data}
	}
	return p, nil
}

// stripBudget bounds the scratch memory of one resampling call.
const stripBudget = 4 << 20

// resize scales src to w×h with CatmullRom, one axis at a time and in strips.
//
// draw.CatmullRom.Scale in one call keeps a float64 RGBA buffer of the new
// width times the old height: 150 MB to bring a 4000×3000 photo to 1600
// pixels, 800 MB for a 1601×16000 one. Scaling rows in bands of a few rows,
// then columns in bands of a few columns, needs only an 8-bit intermediate
// the size of a variant and a few megabytes of scratch per core. The passes
// leave the other axis at scale 1, where CatmullRom's weights are 1 at the
// pixel and 0 at its neighbours, so each pass is exact along the axis it
// does not scale and strips meet without seams; the 8-bit intermediate
// costs at most half a level. Strips are independent, so they are spread
// over the cores.
func resize(src image.Image, w, h int) *image.RGBA {
	sb := src.Bounds()
	sw, sh := sb.Dx(), sb.Dy()
	const perPixel = 32 // the scratch is [4]float64 a pixel

	mid := image.NewRGBA(image.Rect(0, 0, w, sh))
	rows := max(1, stripBudget/(perPixel*w))
	srcRGBA, _ := src.(*image.RGBA)
	forStrips(sh, rows, func() func(y0, y1 int) {
		scalers := scalerCache{}
		var buf *image.RGBA
		return func(y0, y1 int) {
			from, sr := image.Image(srcRGBA), image.Rect(sb.Min.X, sb.Min.Y+y0, sb.Max.X, sb.Min.Y+y1)
			if srcRGBA == nil {
				// The scaler reads RGBA directly; from YCbCr or
				// 16-bit PNG it converts at every tap, several
				// times per source pixel. Convert each pixel once.
				if buf == nil {
					buf = image.NewRGBA(image.Rect(0, 0, sw, rows))
				}
				draw.Draw(buf, image.Rect(0, 0, sw, y1-y0), src, sr.Min, draw.Src)
				from, sr = buf, image.Rect(0, 0, sw, y1-y0)
			}
			s := scalers.get(y1-y0, func(n int) draw.Scaler { return draw.CatmullRom.NewScaler(w, n, sw, n) })
			s.Scale(mid, image.Rect(0, y0, w, y1), from, sr, draw.Src, nil)
		}
	})

	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	cols := max(1, stripBudget/(perPixel*sh))
	forStrips(w, cols, func() func(x0, x1 int) {
		scalers := scalerCache{}
		return func(x0, x1 int) {
			s := scalers.get(x1-x0, func(n int) draw.Scaler { return draw.CatmullRom.NewScaler(n, h, n, sh) })
			s.Scale(dst, image.Rect(x0, 0, x1, h), mid, image.Rect(x0, 0, x1, sh), draw.Src, nil)
		}
	})
	return dst
}

// scalerCache keeps a Scaler per strip size: a Scaler holds the weights and
// scratch for one size, and all strips but the last have the same.
type scalerCache map[int]draw.Scaler

func (c scalerCache) get(n int, make func(int) draw.Scaler) draw.Scaler {
	s, ok := c[n]
	if !ok {
		s = make(n)
		c[n] = s
	}
	return s
}

// forStrips splits [0, n) into strips of size step and hands them out to
// one goroutine per core, each running the function worker returns for it
// (so each may keep its own buffers).
func forStrips(n, step int, worker func() func(a, b int)) {
	workers := max(1, min(runtime.GOMAXPROCS(0), (n+step-1)/step))
	var wg sync.WaitGroup
	for i := range workers {
		do := worker()
		wg.Go(func() {
			for a := i * step; a < n; a += workers * step {
				do(a, min(a+step, n))
			}
		})
	}
	wg.Wait()
}

// encode writes a fresh file. Neither encoder of the standard library writes
// metadata of any kind, which is the point of the whole package: keep it
// that way if you ever replace them.
func encode(m image.Image, format string) ([]byte, error) {
	var buf bytes.Buffer
	var err error
	switch format {
	case "jpeg":
		err = jpeg.Encode(&buf, m, &jpeg.Options{Quality: jpegQuality})
	case "png":
		err = png.Encode(&buf, m)
	default:
		err = fmt.Errorf("images: cannot encode %q", format)
	}
	if err != nil {
		return nil, fmt.Errorf("images: encoding %s: %w", format, err)
	}
	return buf.Bytes(), nil
}

// orient returns m as it should be seen, given its EXIF orientation. The
// EXIF is dropped with the original, so a phone's portrait photo (stored
// sideways with orientation 6) would otherwise lie on its side.
//
// Only JPEGs carry an orientation here, and they are opaque, so working in
// premultiplied RGBA loses nothing.
func orient(m image.Image, orientation int) image.Image {
	if orientation < 2 || orientation > 8 {
		return m
	}
	src, ok := m.(*image.RGBA)
	if !ok || src.Rect.Min != (image.Point{}) {
		src = image.NewRGBA(image.Rect(0, 0, m.Bounds().Dx(), m.Bounds().Dy()))
		draw.Draw(src, src.Rect, m, m.Bounds().Min, draw.Src)
	}
	w, h := src.Rect.Dx(), src.Rect.Dy()
	dw, dh := w, h
	if orientation >= 5 {
		dw, dh = h, w
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	// from maps a pixel of the upright result to the stored pixel it shows.
	var from func(x, y int) (int, int)
	switch orientation {
	case 2: // mirrored left to right
		from = func(x, y int) (int, int) { return w - 1 - x, y }
	case 3: // upside down
		from = func(x, y int) (int, int) { return w - 1 - x, h - 1 - y }
	case 4: // mirrored top to bottom
		from = func(x, y int) (int, int) { return x, h - 1 - y }
	case 5: // transposed
		from = func(x, y int) (int, int) { return y, x }
	case 6: // needs a quarter turn clockwise
		from = func(x, y int) (int, int) { return y, h - 1 - x }
	case 7: // transversed
		from = func(x, y int) (int, int) { return w - 1 - y, h - 1 - x }
	case 8: // needs a quarter turn anticlockwise
		from = func(x, y int) (int, int) { return w - 1 - y, x }
	}
	for y := range dh {
		row := dst.Pix[y*dst.Stride : y*dst.Stride+4*dw]
		for x := range dw {
			sx, sy := from(x, y)
			o := sy*src.Stride + 4*sx
			copy(row[4*x:4*x+4], src.Pix[o:o+4])
		}
	}
	return dst
}
