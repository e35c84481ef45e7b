package archive

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"strconv"

	"tamizdat/internal/signing"
	"tamizdat/internal/store"
)

// Want is what an archive must hold for this binary to read it.
type Want struct {
	SchemaVersion int
	Tables        []store.Table
	// Key, when set, must have signed the archive: one that is unsigned,
	// signed by another key, or altered since it was signed is refused
	// before any row is read.
	Key *signing.PublicKey
}

// Limits on what the reader accepts, so a hostile file cannot make it hold
// much in memory: the manifest is small, and a row is at most a few article
// bodies (news.MaxBody is 200 KB) even with JSON escaping.
const (
	maxManifest = 1 << 20
	maxLine     = 16 << 20
)

// Read checks an archive from its first byte to its last. When fn is not
// nil it is given every table in order, with its rows, while they are read;
// a row is handed on before its file's checksum is known, so a caller that
// writes them must do so in a transaction it can roll back (store.DB.Load
// does), or call Read with a nil fn first: that is a full check that
// writes nothing. Problems with the archive are *Error; an error from fn is
// returned as it is.
func Read(r io.Reader, want Want, fn store.TableFunc) (*Manifest, error) {
	gz, err := gzip.NewReader(r)
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errorf("the file is empty, not a tamizdat archive")
		}
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, errorf("the archive is truncated")
		}
		return nil, errorf("not a tamizdat archive (not gzip-compressed)")
	}
	defer gz.Close()
	tr := tar.NewReader(gz)
	m, raw, err := readManifest(tr, want)
	if err != nil {
		return nil, err
	}
	// The entry after the manifest is the signature or the first table.
	peeked, peekErr := tr.Next()
	next := func() (*tar.Header, error) {
		if peeked != nil || peekErr != nil {
			hdr, err := peeked, peekErr
			peeked, peekErr = nil, nil
			return hdr, err
		}
		return tr.Next()
	}
	if peekErr == nil && peeked.Name == SignatureName && m.FormatVersion >= 2 {
		if err := readSignature(tr, peeked, m, raw, want.Key); err != nil {
			return nil, err
		}
		peeked = nil
	} else if want.Key != nil {
		return nil, errorf("the archive is not signed, so the key given (fingerprint %s) cannot vouch for it: anyone could have made it", want.Key.Fingerprint())
	}
	for i, tf := range m.Tables {
		hdr, err := next()
		if err == io.EOF {
			return nil, errorf("the archive is truncated or incomplete: %s is missing", tf.File)
		}
		if err != nil {
			return nil, streamError(err)
		}
		if hdr.Name != tf.File {
			return nil, errorf("the archive is damaged: %s where %s belongs", printable(hdr.Name), tf.File)
		}
		if hdr.Typeflag != tar.TypeReg {
			return nil, errorf("the archive is damaged: %s is not a plain file", tf.File)
		}
		if err := readTable(tr, tf, want.Tables[i], fn); err != nil {
			return nil, err
		}
	}
	if hdr, err := next(); err == nil {
		return nil, errorf("the archive holds %s, which its manifest does not list", printable(hdr.Name))
	} else if err != io.EOF {
		return nil, streamError(err)
	}
	// After the tar's end only its zero padding may follow, and reading the
	// gzip stream to its end checks its CRC and length.
	if err := zerosToEnd(gz); err != nil {
		return nil, err
	}
	return m, nil
}

// readSignature reads manifest.sig and, given a key, checks it against
// the manifest's bytes as they are in the archive.
func readSignature(tr *tar.Reader, hdr *tar.Header, m *Manifest, manifest []byte, key *signing.PublicKey) error {
	if hdr.Typeflag != tar.TypeReg || hdr.Size > signing.MaxSignature {
		return errorf("the archive is damaged: its %s is not a signature", SignatureName)
	}
	b, err := io.ReadAll(tr)
	if err != nil {
		return streamError(err)
	}
	sig, err := signing.ParseSignature(b)
	if err != nil {
		return errorf("the archive is damaged: %v", err)
	}
	if key == nil {
		if sig.Purpose != SignaturePurpose {
			return errorf("the archive is damaged: its %s is a signature for a %s", SignatureName, sig.Purpose)
		}
	} else if err := key.Verify(SignaturePurpose, manifest, sig); err != nil {
		return errorf("the archive is refused: %v", err)
	}
	m.SignedBy = sig.Key
	return nil
}

// readManifest reads the first entry and returns it parsed and as it is,
// the bytes a signature covers.
func readManifest(tr *tar.Reader, want Want) (*Manifest, []byte, error) {
	hdr, err := tr.Next()
	if err == io.EOF {
		return nil, nil, errorf("the archive is empty")
	}
	if err != nil {
		return nil, nil, streamError(err)
	}
	if hdr.Name != ManifestName || hdr.Typeflag != tar.TypeReg {
		return nil, nil, errorf("not a tamizdat archive: it starts with %s, not %s", printable(hdr.Name), ManifestName)
	}
	if hdr.Size > maxManifest {
		return nil, nil, errorf("not a tamizdat archive: %s is too large", ManifestName)
	}
	b, err := io.ReadAll(tr)
	if err != nil {
		return nil, nil, streamError(err)
	}
	m, err := parseManifest(b, want)
	return m, b, err
}

func parseManifest(b []byte, want Want) (*Manifest, error) {
	var m Manifest
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil || dec.More() {
		return nil, errorf("the archive is damaged: its %s is not a manifest", ManifestName)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errorf("the archive is damaged: its %s is not a manifest", ManifestName)
	}
	if m.Format != Format {
		return nil, errorf("not a tamizdat archive (%s names no tamizdat format)", ManifestName)
	}
	if m.FormatVersion < 1 || m.FormatVersion > FormatVersion {
		return nil, errorf("the archive is in format version %d, this tamizdat reads versions 1 to %d; use a matching tamizdat", m.FormatVersion, FormatVersion)
	}
	if m.SchemaVersion != want.SchemaVersion {
		return nil, errorf("the archive holds a site at schema version %d, this tamizdat is at version %d; restore it with the tamizdat release that made it", m.SchemaVersion, want.SchemaVersion)
	}
	if len(m.Tables) != len(want.Tables) {
		return nil, errorf("the archive is damaged: its manifest lists %d tables, schema version %d has %d", len(m.Tables), m.SchemaVersion, len(want.Tables))
	}
	for i, tf := range m.Tables {
		wt := want.Tables[i]
		switch {
		case tf.Name != wt.Name:
			return nil, errorf("the archive is damaged: its manifest lists table %s where %s belongs", printable(tf.Name), wt.Name)
		case tf.File != fileName(wt.Name):
			return nil, errorf("the archive is damaged: its manifest names the file of %s %s, not %s", wt.Name, printable(tf.File), fileName(wt.Name))
		case !sameColumns(tf.Columns, columnsOf(wt)):
			return nil, errorf("the archive is damaged: its table %s has other columns than schema version %d", wt.Name, m.SchemaVersion)
		case tf.Rows < 0:
			return nil, errorf("the archive is damaged: its manifest gives %s a negative row count", wt.Name)
		case !isSHA256(tf.SHA256):
			return nil, errorf("the archive is damaged: its manifest has no valid checksum for %s", wt.Name)
		}
	}
	return &m, nil
}

func sameColumns(a, b []Column) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func isSHA256(s string) bool {
	b, err := hex.DecodeString(s)
	return err == nil && len(b) == sha256.Size && s == hex.EncodeToString(b)
}

// readTable reads one table file: every line decoded by the column kinds,
// handed to fn if there is one, then the count and checksum compared with
// the manifest's.
func readTable(r io.Reader, tf TableFile, t store.Table, fn store.TableFunc) error {
	h := sha256.New()
	lr := &lineReader{br: bufio.NewReaderSize(io.TeeReader(r, h), 64<<10), t: t, file: tf.File}
	if fn != nil {
		used := false
		rows := func(yield func([]any, error) bool) {
			if used {
				yield(nil, errors.New("archive: the rows of a table can be read only once"))
				return
			}
			used = true
			for {
				row, err := lr.next()
				if err == io.EOF {
					return
				}
				if err != nil {
					yield(nil, err)
					return
				}
				if !yield(row, nil) {
					return
				}
			}
		}
		if err := fn(t, tf.Rows, rows); err != nil {
			return err
		}
	}
	// Whatever fn left unread is still checked.
	for {
		_, err := lr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
	}
	if lr.n != tf.Rows {
		return errorf("the archive is damaged or altered: its manifest says %s has %d rows, the file has %d", tf.File, tf.Rows, lr.n)
	}
	if sum := hex.EncodeToString(h.Sum(nil)); sum != tf.SHA256 {
		return errorf("the archive is damaged or altered: %s does not match its checksum", tf.File)
	}
	return nil
}

type lineReader struct {
	br   *bufio.Reader
	t    store.Table
	file string
	n    int64 // rows read
	buf  []byte
	done bool
}

// next returns the next row, io.EOF after the last.
func (lr *lineReader) next() ([]any, error) {
	if lr.done {
		return nil, io.EOF
	}
	line, err := lr.readLine()
	if err == io.EOF && len(line) == 0 {
		lr.done = true
		return nil, io.EOF
	}
	if err == io.EOF {
		return nil, errorf("the archive is damaged: %s ends in the middle of a line", lr.file)
	}
	if err != nil {
		return nil, err
	}
	row, err := decodeRow(lr.t, line)
	if err != nil {
		return nil, errorf("the archive is damaged: %s line %d: %v", lr.file, lr.n+1, err)
	}
	lr.n++
	return row, nil
}

// readLine returns the next line without its newline, or what is left and
// io.EOF when there is no newline.
func (lr *lineReader) readLine() ([]byte, error) {
	lr.buf = lr.buf[:0]
	for {
		chunk, err := lr.br.ReadSlice('\n')
		if len(lr.buf)+len(chunk) > maxLine {
			return nil, errorf("the archive is damaged: %s has a line longer than %d MB", lr.file, maxLine>>20)
		}
		lr.buf = append(lr.buf, chunk...)
		switch {
		case err == nil:
			return lr.buf[:len(lr.buf)-1], nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err == io.EOF:
			return lr.buf, io.EOF
		default:
			return nil, streamError(err)
		}
	}
}

func zerosToEnd(r io.Reader) error {
	buf := make([]byte, 32<<10)
	for {
		n, err := r.Read(buf)
		for _, c := range buf[:n] {
			if c != 0 {
				return errorf("the archive holds data after its end")
			}
		}
		if err == io.EOF {
			return nil
		}
		if errors.Is(err, io.ErrUnexpectedEOF) {
			// gzip's trailer cut short, or a few stray bytes after it.
			return errorf("the archive is damaged at its end: truncated, or followed by other data")
		}
		if err != nil {
			return streamError(err)
		}
	}
}

// streamError names what went wrong below the rows: a file that ends too
// soon, or bytes that gzip's checksums or tar's headers refuse. A read error
// of the disk lands here too, with its own words.
func streamError(err error) error {
	var ae *Error
	switch {
	case errors.As(err, &ae):
		return err
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errorf("the archive is truncated: it ends before its last file")
	}
	return errorf("the archive is damaged (%v)", err)
}

// printable keeps a name from a damaged archive from breaking the one-line
// error it is quoted in.
func printable(s string) string {
	if len(s) > 80 {
		s = s[:80] + "…"
	}
	return strconv.Quote(s)
}
