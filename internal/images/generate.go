package images

import (
	"image"
	"math"
	"math/rand/v2"
)

// Generate draws a demo picture: a soft two-colour gradient with discs,
// rings and bands in a palette built around one hue, all derived from seed,
// so demo articles get distinct, pleasant pictures without shipping image
// files whose origin or rights someone would have to vouch for. The same
// seed and size always give the same pixels. Sizes below 1 are taken as 1.
func Generate(seed int64, w, h int) image.Image {
	w, h = max(w, 1), max(h, 1)
	rng := rand.New(rand.NewPCG(uint64(seed), 0x74616d697a646174))
	hue := rng.Float64() * 360
	light := hsl(hue, 0.35+0.2*rng.Float64(), 0.78+0.1*rng.Float64())
	deep := hsl(hue+pick(rng, -45, 45), 0.45+0.2*rng.Float64(), 0.3+0.15*rng.Float64())
	// Analogous hues with one complementary accent read as designed
	// rather than random.
	accents := []float64{-30, 30, 0, 180, 150, 210}

	angle := rng.Float64() * 2 * math.Pi
	gx, gy := math.Cos(angle), math.Sin(angle)

	n := 5 + rng.IntN(5)
	shapes := make([]shape, 0, n+2)
	for i := range n {
		s := shape{
			kind:  shapeKind(rng.IntN(3)),
			x:     -0.1 + 1.2*rng.Float64(),
			y:     -0.1 + 1.2*rng.Float64(),
			r:     0.06 + 0.3*rng.Float64(),
			alpha: 0.25 + 0.45*rng.Float64(),
		}
		a := accents[rng.IntN(len(accents))]
		if i == 0 {
			a = 180 // one accent always shows
		}
		s.col = hsl(hue+a+10*rng.NormFloat64(), 0.45+0.3*rng.Float64(), 0.4+0.3*rng.Float64())
		s.thick = s.r * (0.04 + 0.12*rng.Float64())
		s.feather = s.r * (0.01 + 0.3*rng.Float64()*rng.Float64())
		t := rng.Float64() * math.Pi
		s.nx, s.ny = math.Cos(t), math.Sin(t)
		shapes = append(shapes, s)
	}

	m := image.NewRGBA(image.Rect(0, 0, w, h))
	unit := float64(max(w, h))
	for py := range h {
		v := (float64(py) + 0.5) / unit
		row := m.Pix[py*m.Stride:]
		for px := range w {
			u := (float64(px) + 0.5) / unit
			// Gradient across the picture at the seeded angle.
			t := smoothstep(-0.5, 0.5, (u-0.5*float64(w)/unit)*gx+(v-0.5*float64(h)/unit)*gy)
			c := mix(light, deep, t)
			for i := range shapes {
				if cov := shapes[i].coverage(u, v); cov > 0 {
					c = mix(c, shapes[i].col, cov*shapes[i].alpha)
				}
			}
			// A light vignette holds the eye in the middle.
			dx, dy := float64(px)/float64(w)-0.5, float64(py)/float64(h)-0.5
			k := 1 - 0.35*(dx*dx+dy*dy)
			o := 4 * px
			row[o+0] = to8(c[0] * k)
			row[o+1] = to8(c[1] * k)
			row[o+2] = to8(c[2] * k)
			row[o+3] = 0xFF
		}
	}
	return m
}

type shapeKind int

const (
	disc shapeKind = iota
	ring
	band
)

// shape is in units of the picture's longer side, so a seed gives the same
// composition at every size.
type shape struct {
	kind                    shapeKind
	x, y, r, thick, feather float64
	nx, ny                  float64 // a band's normal
	col                     [3]float64
	alpha                   float64
}

// coverage is how much of the shape covers (u, v), 0 to 1, with a soft edge
// of width feather so nothing looks jagged when scaled down.
func (s *shape) coverage(u, v float64) float64 {
	f := s.feather + 0.002
	var d, edge float64
	switch s.kind {
	case disc, ring:
		dx, dy := u-s.x, v-s.y
		// Most pixels lie outside most shapes; skip the square root.
		if reach := s.r + s.thick + f; dx > reach || dx < -reach || dy > reach || dy < -reach {
			return 0
		}
		d, edge = math.Sqrt(dx*dx+dy*dy), s.r
		if s.kind == ring {
			d, edge = math.Abs(d-s.r), s.thick
		}
	case band:
		d, edge = math.Abs((u-s.x)*s.nx+(v-s.y)*s.ny), s.thick
	}
	return 1 - smoothstep(edge-f, edge+f, d)
}

func pick(rng *rand.Rand, a, b float64) float64 {
	if rng.IntN(2) == 0 {
		return a
	}
	return b
}

func smoothstep(a, b, x float64) float64 {
	t := (x - a) / (b - a)
	if t <= 0 {
		return 0
	} else if t >= 1 {
		return 1
	}
	return t * t * (3 - 2*t)
}

func mix(a, b [3]float64, t float64) [3]float64 {
	return [3]float64{a[0] + (b[0]-a[0])*t, a[1] + (b[1]-a[1])*t, a[2] + (b[2]-a[2])*t}
}

func to8(x float64) uint8 {
	if x <= 0 {
		return 0
	} else if x >= 1 {
		return 255
	}
	return uint8(x*255 + 0.5)
}

// hsl converts hue (degrees, any value), saturation and lightness (0–1) to
// RGB (0–1): choosing colours by hue is what makes a palette harmonious.
func hsl(h, s, l float64) [3]float64 {
	h = math.Mod(math.Mod(h, 360)+360, 360) / 60
	c := (1 - math.Abs(2*l-1)) * s
	x := c * (1 - math.Abs(math.Mod(h, 2)-1))
	var r, g, b float64
	switch int(h) {
	case 0:
		r, g, b = c, x, 0
	case 1:
		r, g, b = x, c, 0
	case 2:
		r, g, b = 0, c, x
	case 3:
		r, g, b = 0, x, c
	case 4:
		r, g, b = x, 0, c
	default:
		r, g, b = c, 0, x
	}
	m := l - c/2
	return [3]float64{r + m, g + m, b + m}
}
