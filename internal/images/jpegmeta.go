package images

import (
	"bytes"
	"encoding/binary"
)

// countJPEGScans counts the byte pairs FF DA in the whole file. The decoder
// can only start a scan where it reads that marker, and inside entropy-coded
// data an FF is always followed by 00 or a restart marker, so this is an
// upper bound on the scans the decoder will run that no crafted segment
// length can hide from. Metadata may add a few false hits (an EXIF
// thumbnail has its own scan), which the generous limit absorbs.
func countJPEGScans(data []byte) int {
	return bytes.Count(data, []byte{0xFF, 0xDA})
}

// jpegOrientation returns the EXIF orientation (1–8) of a JPEG, or 1 when
// there is none or it cannot be read: an unreadable tag only means the
// picture is not rotated, never that the upload is refused.
//
// It walks the marker segments up to the first scan looking for an APP1
// segment that starts with "Exif\0\0"; XMP also lives in APP1, so the first
// APP1 is not necessarily the EXIF one.
func jpegOrientation(data []byte) int {
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return 1
	}
	for i := 2; i+4 <= len(data); {
		if data[i] != 0xFF {
			return 1
		}
		marker := data[i+1]
		switch {
		case marker == 0xFF: // fill byte before a marker
			i++
			continue
		case marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7): // no length
			i += 2
			continue
		case marker == 0xDA || marker == 0xD9: // EXIF comes before the pixels
			return 1
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			return 1
		}
		seg := data[i+4 : i+2+n]
		if marker == 0xE1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00")) {
			return exifOrientation(seg[6:])
		}
		i += 2 + n
	}
	return 1
}

// exifOrientation reads tag 0x0112 from the first IFD of EXIF's TIFF
// structure, which is all we need. It is hand-written rather than taken from
// a general EXIF library on purpose: github.com/rwcarlsen/goexif, measured
// here, never returns on a 34-byte EXIF whose IFDs point at each other, and
// allocates gigabytes for a 60 KB EXIF with many large tags. This reader
// follows no offsets beyond the first IFD, allocates nothing, and its work
// is bounded by the segment (at most 64 KB).
func exifOrientation(tiff []byte) int {
	if len(tiff) < 8 {
		return 1
	}
	var order binary.ByteOrder
	switch string(tiff[:2]) {
	case "II":
		order = binary.LittleEndian
	case "MM":
		order = binary.BigEndian
	default:
		return 1
	}
	if order.Uint16(tiff[2:]) != 42 {
		return 1
	}
	ifd := uint64(order.Uint32(tiff[4:]))
	if ifd < 8 || ifd+2 > uint64(len(tiff)) {
		return 1
	}
	entries := int(order.Uint16(tiff[ifd:]))
	for k := range entries {
		e := int(ifd) + 2 + 12*k
		if e+12 > len(tiff) {
			return 1
		}
		if order.Uint16(tiff[e:]) != 0x0112 {
			continue
		}
		// SHORT, count 1: the value sits in the first two bytes of the
		// entry's value field.
		if order.Uint16(tiff[e+2:]) != 3 || order.Uint32(tiff[e+4:]) != 1 {
			return 1
		}
		if v := int(order.Uint16(tiff[e+8:])); v >= 1 && v <= 8 {
			return v
		}
		return 1
	}
	return 1
}
