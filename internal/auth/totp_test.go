package auth

import (
	"bytes"
	"encoding/base32"
	"encoding/base64"
	"encoding/xml"
	"io"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/boombuler/barcode/qr"
)

// t0 lies in the middle of a 30-second step, so ±30 s reach exactly the
// neighbouring steps.
var t0 = time.Date(2026, 3, 14, 15, 9, 15, 0, time.UTC)

func newKey(t *testing.T) *TOTPKey {
	t.Helper()
	k, err := NewTOTPKey("Tamizdat", "anna@example.org")
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestNewTOTPKey(t *testing.T) {
	k := newKey(t)
	if strings.Contains(k.Secret, "=") {
		t.Errorf("secret %q has padding", k.Secret)
	}
	raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(k.Secret)
	if err != nil || len(raw) != 20 {
		t.Fatalf("secret %q: %d bytes, %v; want 20 bytes of base32", k.Secret, len(raw), err)
	}
	u, err := url.Parse(k.URI)
	if err != nil {
		t.Fatal(err)
	}
	if u.Scheme != "otpauth" || u.Host != "totp" || u.Path != "/Tamizdat:anna@example.org" {
		t.Errorf("URI %q: want otpauth://totp/Tamizdat:anna@example.org", k.URI)
	}
	q := u.Query()
	if q.Get("secret") != k.Secret || q.Get("issuer") != "Tamizdat" {
		t.Errorf("URI %q: secret or issuer wrong", k.URI)
	}
	for p, want := range map[string]string{"period": "30", "digits": "6", "algorithm": "SHA1"} {
		if got := q.Get(p); got != "" && got != want {
			t.Errorf("URI %q: %s=%s, want %s", k.URI, p, got, want)
		}
	}
	if k2 := newKey(t); k2.Secret == k.Secret {
		t.Error("two keys have the same secret")
	}
	for _, bad := range [][2]string{{"", "anna"}, {"Tamizdat", ""}, {"Tam:izdat", "anna"}} {
		if _, err := NewTOTPKey(bad[0], bad[1]); err == nil {
			t.Errorf("NewTOTPKey(%q, %q) gave no error", bad[0], bad[1])
		}
	}
}

// RFC 6238 appendix B, SHA-1 rows, truncated to 6 digits.
func TestTOTPCodeRFC6238(t *testing.T) {
	secret := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString([]byte("12345678901234567890"))
	for unix, want := range map[int64]string{59: "287082", 1111111109: "081804", 1111111111: "050471", 1234567890: "005924", 2000000000: "279037", 20000000000: "353130"} {
		got, err := TOTPCode(secret, time.Unix(unix, 0))
		if err != nil || got != want {
			t.Errorf("TOTPCode at %d = %q, %v; want %q", unix, got, err, want)
		}
		if step, ok := CheckTOTP(secret, want, time.Unix(unix, 0)); !ok || step != unix/30 {
			t.Errorf("CheckTOTP at %d = %d, %v; want %d, true", unix, step, ok, unix/30)
		}
	}
}

func TestCheckTOTP(t *testing.T) {
	k := newKey(t)
	code, err := TOTPCode(k.Secret, t0)
	if err != nil {
		t.Fatal(err)
	}
	if len(code) != 6 {
		t.Fatalf("code %q is not 6 digits", code)
	}
	want := t0.Unix() / 30
	step, ok := CheckTOTP(k.Secret, code, t0)
	if !ok || step != want {
		t.Fatalf("CheckTOTP = %d, %v; want %d, true", step, ok, want)
	}
	for _, d := range []time.Duration{-30 * time.Second, 30 * time.Second} {
		if s, ok := CheckTOTP(k.Secret, code, t0.Add(d)); !ok || s != want {
			t.Errorf("at %v: CheckTOTP = %d, %v; want %d, true", d, s, ok, want)
		}
	}
	for _, d := range []time.Duration{-90 * time.Second, 90 * time.Second} {
		if _, ok := CheckTOTP(k.Secret, code, t0.Add(d)); ok {
			t.Errorf("at %v: a code from 3 steps away passes", d)
		}
	}
	// A replay gives the same step, so a caller that stores the last
	// accepted step can refuse it.
	if s2, ok := CheckTOTP(k.Secret, code, t0.Add(20*time.Second)); !ok || s2 != step {
		t.Errorf("the same code again: %d, %v; want step %d", s2, ok, step)
	}
	// The code of the next step gives a later step.
	next, _ := TOTPCode(k.Secret, t0.Add(30*time.Second))
	if s3, ok := CheckTOTP(k.Secret, next, t0); next != code && (!ok || s3 != want+1) {
		t.Errorf("next step's code: %d, %v; want %d, true", s3, ok, want+1)
	}
	// Spaces are ignored.
	if s, ok := CheckTOTP(k.Secret, " "+code[:3]+" "+code[3:]+"\u00a0", t0); !ok || s != want {
		t.Errorf("spaced code fails")
	}

	wrong := []byte(code)
	wrong[5] = '0' + (wrong[5]-'0'+1)%10
	for _, bad := range []string{string(wrong), code[:5], code + "0", "12345a", "abcdef", "", "１２３４５６", "+12345", "-12345", code[:3] + "x" + code[4:]} {
		if _, ok := CheckTOTP(k.Secret, bad, t0); ok {
			t.Errorf("code %q passes", bad)
		}
	}
	if _, ok := CheckTOTP("not base32!", code, t0); ok {
		t.Error("a broken secret passes")
	}
	if _, err := TOTPCode("not base32!", t0); err == nil {
		t.Error("TOTPCode with a broken secret gave no error")
	}
}

// svgDoc is what the test reads back from QRCodeSVG.
type svgDoc struct {
	XMLName   xml.Name `xml:"svg"`
	ViewBox   string   `xml:"viewBox,attr"`
	Role      string   `xml:"role,attr"`
	AriaLabel string   `xml:"aria-label,attr"`
	Rects     []struct {
		Fill string `xml:"fill,attr"`
	} `xml:"rect"`
	Paths []struct {
		D    string `xml:"d,attr"`
		Fill string `xml:"fill,attr"`
	} `xml:"path"`
}

var pathCmd = regexp.MustCompile(`^M(\d+) (\d+)h(\d+)v1h-(\d+)z`)

func TestQRCodeSVG(t *testing.T) {
	k := newKey(t)
	label := `Scan with an authenticator app <"Tamizdat" & co>`
	svg, err := QRCodeSVG(k.URI, label)
	if err != nil {
		t.Fatal(err)
	}
	// Well-formed XML throughout, not just what Unmarshal looks at.
	dec := xml.NewDecoder(strings.NewReader(svg))
	for {
		if _, err := dec.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("not XML: %v\n%s", err, svg)
		}
	}
	var doc svgDoc
	if err := xml.Unmarshal([]byte(svg), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.XMLName.Space != "http://www.w3.org/2000/svg" {
		t.Errorf("namespace %q", doc.XMLName.Space)
	}
	if doc.Role != "img" || doc.AriaLabel != label {
		t.Errorf("role %q, aria-label %q", doc.Role, doc.AriaLabel)
	}
	if len(doc.Paths) != 1 || doc.Paths[0].Fill != "#000" {
		t.Fatalf("want one black path, got %+v", doc.Paths)
	}
	if len(doc.Rects) != 1 || doc.Rects[0].Fill != "#fff" {
		t.Errorf("want one white background, got %+v", doc.Rects)
	}
	if strings.Contains(svg, "data:") || strings.Contains(svg, "href") {
		t.Error("the SVG refers to something outside itself")
	}

	var size int
	if _, err := fmtSscan(doc.ViewBox, &size); err != nil {
		t.Fatalf("viewBox %q: %v", doc.ViewBox, err)
	}
	n := size - 2*4
	version := (n - 17) / 4
	if n < 21 || (n-17)%4 != 0 || version > 40 {
		t.Fatalf("viewBox %q: %d modules is no QR version's size (17+4v)", doc.ViewBox, n)
	}

	// Read the modules back from the path.
	grid := make([][]bool, size)
	for i := range grid {
		grid[i] = make([]bool, size)
	}
	d := doc.Paths[0].D
	for d != "" {
		m := pathCmd.FindStringSubmatch(d)
		if m == nil {
			t.Fatalf("unexpected path data at %q", d[:min(len(d), 40)])
		}
		x, _ := strconv.Atoi(m[1])
		y, _ := strconv.Atoi(m[2])
		w, _ := strconv.Atoi(m[3])
		if w2, _ := strconv.Atoi(m[4]); w2 != w || w < 1 {
			t.Fatalf("path command %q is not a rectangle", m[0])
		}
		for i := x; i < x+w; i++ {
			if y >= size || i >= size {
				t.Fatalf("module %d,%d outside the %d×%d view box", i, y, size, size)
			}
			grid[y][i] = true
		}
		d = d[len(m[0]):]
	}
	// The quiet zone is white.
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			inside := x >= 4 && x < 4+n && y >= 4 && y < 4+n
			if !inside && grid[y][x] {
				t.Fatalf("module %d,%d in the quiet zone is black", x, y)
			}
		}
	}
	// Finder patterns in three corners: a 7×7 black ring, a white ring, a
	// 3×3 black centre, and a white separator around it.
	for _, c := range [][2]int{{0, 0}, {n - 7, 0}, {0, n - 7}} {
		for dy := -1; dy <= 7; dy++ {
			for dx := -1; dx <= 7; dx++ {
				x, y := c[0]+dx, c[1]+dy
				if x < 0 || y < 0 || x >= n || y >= n {
					continue
				}
				ring := max(abs(dx-3), abs(dy-3))
				want := ring == 3 || ring <= 1
				if ring == 4 {
					want = false
				}
				if grid[4+y][4+x] != want {
					t.Fatalf("finder pattern at %v: module %d,%d is %v, want %v", c, x, y, grid[4+y][4+x], want)
				}
			}
		}
	}
	// The modules are the encoder's, one for one.
	code, err := qr.Encode(k.URI, qr.M, qr.Auto)
	if err != nil {
		t.Fatal(err)
	}
	if code.Bounds().Dx() != n {
		t.Fatalf("%d modules, the encoder gives %d", n, code.Bounds().Dx())
	}
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			r, _, _, _ := code.At(x, y).RGBA()
			if (r == 0) != grid[4+y][4+x] {
				t.Fatalf("module %d,%d differs from the encoder's", x, y)
			}
		}
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// fmtSscan reads the size from a "0 0 size size" view box.
func fmtSscan(viewBox string, size *int) (int, error) {
	f := strings.Fields(viewBox)
	if len(f) != 4 || f[0] != "0" || f[1] != "0" || f[2] != f[3] {
		return 0, strconv.ErrSyntax
	}
	v, err := strconv.Atoi(f[2])
	*size = v
	return 1, err
}

var recoveryFormat = regexp.MustCompile(`^[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}$`)

func TestRecoveryCodes(t *testing.T) {
	codes, hashes, err := NewRecoveryCodes(10)
	if err != nil {
		t.Fatal(err)
	}
	if len(codes) != 10 || len(hashes) != 10 {
		t.Fatalf("%d codes and %d hashes, want 10", len(codes), len(hashes))
	}
	seen := map[string]bool{}
	for i, c := range codes {
		if !recoveryFormat.MatchString(c) {
			t.Errorf("code %q is not like k7qm-2xvd-9hpt", c)
		}
		if seen[c] {
			t.Errorf("code %q twice", c)
		}
		seen[c] = true
		if !bytes.Equal(hashes[i], HashRecoveryCode(c)) {
			t.Errorf("hash %d does not match code %q", i, c)
		}
		typed := strings.ToUpper(strings.Replace(c, "-", " ", 1))
		if !bytes.Equal(hashes[i], HashRecoveryCode(typed)) {
			t.Errorf("typed %q does not match %q", typed, c)
		}
		if !bytes.Equal(hashes[i], HashRecoveryCode(" "+strings.ReplaceAll(c, "-", "")+" ")) {
			t.Errorf("code %q without dashes does not match", c)
		}
	}
	if !bytes.Equal(HashRecoveryCode("K7QM 2XVD-9HPT"), HashRecoveryCode("k7qm-2xvd-9hpt")) {
		t.Error(`"K7QM 2XVD-9HPT" and "k7qm-2xvd-9hpt" hash differently`)
	}
	if !bytes.Equal(HashRecoveryCode("1o2L"), HashRecoveryCode("1021")) {
		t.Error("o and l are not read as 0 and 1")
	}
	if bytes.Equal(HashRecoveryCode("k7qm-2xvd-9hpt"), HashRecoveryCode("k7qm-2xvd-9hpv")) {
		t.Error("different codes hash alike")
	}
	again, _, err := NewRecoveryCodes(10)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range again {
		if seen[c] {
			t.Errorf("code %q comes back in a second call", c)
		}
	}
	for _, n := range []int{0, -1, 101} {
		if _, _, err := NewRecoveryCodes(n); err == nil {
			t.Errorf("NewRecoveryCodes(%d) gave no error", n)
		}
	}
}

func TestSessionToken(t *testing.T) {
	tok, hash, err := NewSessionToken()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || len(raw)*8 < 128 {
		t.Fatalf("token %q: %d bits, %v", tok, len(raw)*8, err)
	}
	if len(raw) != 32 {
		t.Errorf("token has %d bytes, want 32", len(raw))
	}
	if !bytes.Equal(hash, HashSessionToken(tok)) || len(hash) != 32 {
		t.Error("the hash is not the token's SHA-256")
	}
	if bytes.Contains(hash, []byte(tok)) {
		t.Error("the hash contains the token")
	}
	tok2, hash2, _ := NewSessionToken()
	if tok2 == tok || bytes.Equal(hash2, hash) {
		t.Error("two session tokens are equal")
	}
}
