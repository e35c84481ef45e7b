// Package archive is the format of tamizdat's backups: a portable file that
// holds a whole site, restorable into either engine.
//
// An archive is a gzip-compressed tar. Its first entry is manifest.json:
//
//	{
//	  "format": "tamizdat-archive",
//	  "format_version": 1,
//	  "schema_version": 2,             // the site's schema (migrations applied)
//	  "created_at": "2026-02-02T13:47:00Z",
//	  "engine": "sqlite",              // where it came from; informative
//	  "tables": [
//	    {"name": "editions", "file": "editions.jsonl", "rows": 3,
//	     "sha256": "…64 hex digits…",
//	     "columns": [{"name": "code", "kind": "text"}, …]},
//	    …
//	  ]
//	}
//
// A signed archive (format version 2) has manifest.sig next: the operator's
// signature of the manifest's bytes (see package signing, purpose
// "backup-manifest"). The manifest binds every table by its checksum, so
// the signature covers the whole archive.
//
// Then one entry per table, in the manifest's order (foreign-key order),
// named NAME.jsonl: JSON Lines, one row per line, each a JSON array of the
// row's values in the order of "columns": an integer for kind "int", a
// string for "text", a base64 (standard, padded) string for "bytes", null
// for NULL where "null": true. Nothing else may be in the tar.
//
// The reader checks all of it (structure, every checksum and row count,
// gzip's own checksum to the end, the signature when it is given the key)
// and is fuzzed: whatever the bytes, it either accepts a well-formed
// archive or returns an error. It reads format versions 1 (never signed)
// and 2.
package archive

import (
	"fmt"
	"time"

	"tamizdat/internal/store"
)

const (
	// Format names the format in the manifest, so another gzip'd tar is
	// told apart from an archive.
	Format = "tamizdat-archive"
	// FormatVersion changes when the layout above does; 2 added
	// manifest.sig.
	FormatVersion = 2
	// ManifestName is the first entry of every archive.
	ManifestName = "manifest.json"
	// SignatureName is the second entry of a signed archive.
	SignatureName = "manifest.sig"
	// SignaturePurpose is what the signature says it signs.
	SignaturePurpose = "backup-manifest"
)

// Manifest is the archive's table of contents.
type Manifest struct {
	Format        string      `json:"format"`
	FormatVersion int         `json:"format_version"`
	SchemaVersion int         `json:"schema_version"`
	CreatedAt     time.Time   `json:"created_at"`
	Engine        string      `json:"engine"`
	Tables        []TableFile `json:"tables"`

	// SignedBy is the fingerprint of the key that signed the manifest,
	// empty when it is not signed. It comes from manifest.sig, not from
	// manifest.json, and it was checked only if Read was given the key.
	SignedBy string `json:"-"`
}

// TableFile is one table's entry in the manifest.
type TableFile struct {
	Name    string   `json:"name"`
	File    string   `json:"file"`
	Rows    int64    `json:"rows"`
	SHA256  string   `json:"sha256"`
	Columns []Column `json:"columns"`
}

// Column is a column as the manifest describes it.
type Column struct {
	Name string     `json:"name"`
	Kind store.Kind `json:"kind"`
	Null bool       `json:"null,omitempty"`
}

// TotalRows is the number of rows of every table together.
func (m *Manifest) TotalRows() int64 {
	var n int64
	for _, t := range m.Tables {
		n += t.Rows
	}
	return n
}

func columnsOf(t store.Table) []Column {
	cs := make([]Column, len(t.Columns))
	for i, c := range t.Columns {
		cs[i] = Column{Name: c.Name, Kind: c.Kind, Null: c.Null}
	}
	return cs
}

func fileName(table string) string { return table + ".jsonl" }

// Error is a problem with the archive itself: damaged, truncated, altered,
// or not an archive at all. Other errors (from the function rows are given
// to, or reading the file) pass through unwrapped.
type Error struct{ Msg string }

func (e *Error) Error() string { return e.Msg }

func errorf(format string, args ...any) error { return &Error{Msg: fmt.Sprintf(format, args...)} }
