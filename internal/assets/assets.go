// Package assets serves the embedded stylesheet and icons under URLs that
// carry a hash of their content, so browsers and CDNs may cache them for good
// and a new release is fetched at once.
package assets

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

//go:embed static
var files embed.FS

type asset struct {
	body  []byte
	ctype string
}

var (
	byURL  = map[string]asset{}  // /assets/site.0123abcd.css → file
	byName = map[string]string{} // site.css → /assets/site.0123abcd.css
)

func init() {
	entries, err := fs.ReadDir(files, "static")
	if err != nil {
		panic(err)
	}
	for _, e := range entries {
		b, err := files.ReadFile("static/" + e.Name())
		if err != nil {
			panic(err)
		}
		sum := sha256.Sum256(b)
		ext := path.Ext(e.Name())
		url := "/assets/" + strings.TrimSuffix(e.Name(), ext) + "." + hex.EncodeToString(sum[:])[:12] + ext
		byURL[url] = asset{body: b, ctype: mime.TypeByExtension(ext)}
		byName[e.Name()] = url
	}
}

// URL returns the hashed URL of an embedded file; it panics on a name that
// does not exist, which template parsing at boot turns into a failed start.
func URL(name string) string {
	u, ok := byName[name]
	if !ok {
		panic("assets: no file " + name)
	}
	return u
}

// Handler serves /assets/{file}.
func Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, ok := byURL[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", a.ctype)
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		w.Write(a.body)
	})
}

// Favicon serves /favicon.ico, which browsers ask for whatever the page's
// icon link says: the site's SVG icon (which browsers take at this path by
// its type), kept a day since the URL cannot change with the content.
func Favicon() http.Handler {
	a := byURL[URL("icon.svg")]
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", a.ctype)
		w.Header().Set("Cache-Control", "public, max-age=86400")
		w.Write(a.body)
	})
}
