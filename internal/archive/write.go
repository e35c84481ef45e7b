package archive

import (
	"archive/tar"
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"github.com/klauspost/compress/gzip"

	"tamizdat/internal/signing"
	"tamizdat/internal/store"
)

// Info is what Write is told about the site it archives.
type Info struct {
	SchemaVersion int
	Engine        string
	CreatedAt     time.Time
	// Key, when set, signs the manifest.
	Key *signing.PrivateKey
}

var tableName = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// Write archives what dump produces into w. dump is called once and must
// pass every table to its argument, as store.DB.Dump does. The manifest
// comes first and holds the tables' checksums, so each table is spooled to
// a file in spoolDir (removed before Write returns) as it streams in, and
// the tar is written once the dump is complete: memory stays bounded
// however large the site.
func Write(w io.Writer, spoolDir string, info Info, dump func(store.TableFunc) error) (*Manifest, error) {
	tmp, err := os.MkdirTemp(spoolDir, ".tamizdat-spool-*")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	m := &Manifest{Format: Format, FormatVersion: FormatVersion, SchemaVersion: info.SchemaVersion,
		CreatedAt: info.CreatedAt.UTC(), Engine: info.Engine}
	if info.Key != nil {
		m.SignedBy = info.Key.Public().Fingerprint()
	}
	seen := map[string]bool{}
	err = dump(func(t store.Table, _ int64, rows store.Rows) error {
		if !tableName.MatchString(t.Name) || seen[t.Name] {
			return fmt.Errorf("archive: table name %q is not usable or repeated", t.Name)
		}
		seen[t.Name] = true
		tf, err := spool(filepath.Join(tmp, fileName(t.Name)), t, rows)
		if err != nil {
			return err
		}
		m.Tables = append(m.Tables, tf)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := writeTar(w, tmp, m, info.Key); err != nil {
		return nil, err
	}
	return m, nil
}

// spool writes one table's JSON Lines to path, counting and hashing them.
func spool(path string, t store.Table, rows store.Rows) (TableFile, error) {
	tf := TableFile{Name: t.Name, File: fileName(t.Name), Columns: columnsOf(t)}
	f, err := os.Create(path)
	if err != nil {
		return tf, err
	}
	defer f.Close()
	h := sha256.New()
	bw := bufio.NewWriterSize(io.MultiWriter(f, h), 256<<10)
	enc := json.NewEncoder(bw)
	// Text stays as written (no \u003c for <): the archive is meant to be
	// readable with a pager.
	enc.SetEscapeHTML(false)
	for row, err := range rows {
		if err != nil {
			return tf, err
		}
		// Normalised values encode as the format says: int64 as a
		// number, string as a string, []byte as base64, nil as null.
		row, err := store.Normalize(t, row)
		if err != nil {
			return tf, err
		}
		if err := enc.Encode(row); err != nil {
			return tf, err
		}
		tf.Rows++
	}
	if err := bw.Flush(); err != nil {
		return tf, err
	}
	tf.SHA256 = hex.EncodeToString(h.Sum(nil))
	return tf, f.Close()
}

func writeTar(w io.Writer, dir string, m *Manifest, key *signing.PrivateKey) error {
	manifest, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	manifest = append(manifest, '\n')
	var sig []byte
	if key != nil {
		sig = key.Sign(SignaturePurpose, manifest).Marshal()
	}
	gw, err := gzip.NewWriterLevel(w, gzip.DefaultCompression)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(gw)
	hdr := func(name string, size int64) *tar.Header {
		return &tar.Header{Typeflag: tar.TypeReg, Name: name, Size: size, Mode: 0o644, ModTime: m.CreatedAt}
	}
	if err := tw.WriteHeader(hdr(ManifestName, int64(len(manifest)))); err != nil {
		return err
	}
	if _, err := tw.Write(manifest); err != nil {
		return err
	}
	if sig != nil {
		if err := tw.WriteHeader(hdr(SignatureName, int64(len(sig)))); err != nil {
			return err
		}
		if _, err := tw.Write(sig); err != nil {
			return err
		}
	}
	for _, t := range m.Tables {
		if err := copyFile(tw, filepath.Join(dir, t.File), hdr); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return gw.Close()
}

func copyFile(tw *tar.Writer, path string, hdr func(string, int64) *tar.Header) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if err := tw.WriteHeader(hdr(filepath.Base(path), st.Size())); err != nil {
		return err
	}
	_, err = io.Copy(tw, f)
	return err
}
