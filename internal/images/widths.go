package images

import (
	"strconv"
	"strings"
)

// VariantWidths are the widths Process stores for an upright image w
// pixels wide, ascending; pages build srcset from them without a query.
func VariantWidths(w int) []int { return variantWidths(w) }

// URL is the address of an image's variant at least width wide (or its
// largest), as the site serves it.
func URL(id int64, width int) string {
	return "/media/" + strconv.FormatInt(id, 10) + "/" + strconv.Itoa(width)
}

// SrcSet lists every variant of an image of width w for a srcset attribute.
func SrcSet(id int64, w int) string {
	var b strings.Builder
	for i, v := range VariantWidths(w) {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(URL(id, v))
		b.WriteByte(' ')
		b.WriteString(strconv.Itoa(v))
		b.WriteByte('w')
	}
	return b.String()
}
