package site

import (
	"net/http"
	"strconv"

	"tamizdat/internal/images"
	"tamizdat/internal/web"
)

// media serves an image variant from the database, so every node serves
// every image: /media/{id}/{width} gives the narrowest stored variant at
// least that wide. The bytes of an (id, width) pair never change, but an
// id can come back after a deletion on SQLite, so caches keep them a day,
// not for ever.
func (s *Site) media(w http.ResponseWriter, r *http.Request) {
	id, err1 := strconv.ParseInt(r.PathValue("id"), 10, 64)
	width, err2 := strconv.Atoi(r.PathValue("width"))
	if err1 != nil || err2 != nil || id <= 0 || width <= 0 || width > 100000 {
		http.NotFound(w, r)
		return
	}
	data, format, err := s.store.ImageVariantData(r.Context(), id, width)
	if err != nil {
		if web.StatusOf(err) == http.StatusNotFound {
			http.NotFound(w, r)
			return
		}
		http.Error(w, http.StatusText(web.StatusOf(err)), web.StatusOf(err))
		return
	}
	h := w.Header()
	h.Set("Content-Type", images.ContentType(format))
	h.Set("Cache-Control", "public, max-age=86400")
	h.Set("Content-Length", strconv.Itoa(len(data)))
	web.Whole(w, r, func() { w.Write(data) })
}
