package desk_test

import (
	"bytes"
	"fmt"
	"image/jpeg"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"tamizdat/internal/desk"
	"tamizdat/internal/images"
	"tamizdat/internal/images/imagetest"
	"tamizdat/internal/news"
	"tamizdat/internal/store"
)

// upload is one submission of the desk's upload form: the file part as a
// browser sends it, then the form's text fields.
type upload struct {
	filename, ctype string // of the file part
	data            []byte
	fields          [][2]string // caption, credit, alt
}

// body encodes the form as multipart/form-data, as the browser does.
func (u upload) body(t testing.TB) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, u.filename))
	h.Set("Content-Type", u.ctype)
	part, err := mw.CreatePart(h)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := part.Write(u.data); err != nil {
		t.Fatal(err)
	}
	for _, f := range u.fields {
		if err := mw.WriteField(f[0], f[1]); err != nil {
			t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), mw.FormDataContentType()
}

// upload posts the form with its length declared, as browsers do.
func (b *browser) upload(u upload) reply {
	b.e.t.Helper()
	body, ctype := u.body(b.e.t)
	return b.do(http.MethodPost, "/desk/images/", bytes.NewReader(body), ctype)
}

func jpegUpload(data []byte) upload {
	return upload{filename: "photo.jpg", ctype: "image/jpeg", data: data}
}

var uploadedURL = regexp.MustCompile(`^/desk/images/(\d+)/\?done=uploaded$`)

// storedImages is how many images the media library holds.
func (e *env) storedImages() int {
	e.t.Helper()
	_, n, err := e.db.Images(ctx(), 10, 0)
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// An editor uploads a phone photo carrying its camera and position through
// the real form; every variant readers can fetch is a clean JPEG at its
// width, and the words given with it are kept.
func TestUploadStripsMetadata(t *testing.T) {
	const marker = "TAMIZDAT-SECRET-DESK-CAMERA"
	in := imagetest.JPEGWithGPS(t, 2000, 1500, marker)
	secrets := append([][]byte{[]byte("Exif"), []byte(marker)}, imagetest.GPSBytes()...)
	for _, s := range append([][]byte{[]byte("Exif\x00\x00")}, secrets...) {
		if !bytes.Contains(in, s) {
			t.Fatalf("test input lacks %q", s)
		}
	}
	onEngines(t, func(t *testing.T, e *env) {
		editor := e.users[news.RoleEditor]
		b := e.withSession(editor)
		u := jpegUpload(in)
		u.fields = [][2]string{{"caption", "Queue outside the bakery at dawn"}, {"credit", "Staff photographer"},
			{"alt", "People in coats waiting in a line along a brick wall"}}
		r := b.upload(u)
		m := uploadedURL.FindStringSubmatch(r.location)
		if r.status != http.StatusSeeOther || m == nil {
			t.Fatalf("upload answered %d %q: %s", r.status, r.location, errorText(r.body))
		}
		id, _ := strconv.ParseInt(m[1], 10, 64)

		img, err := e.db.Image(ctx(), id)
		if err != nil {
			t.Fatal(err)
		}
		if img.Caption != u.fields[0][1] || img.Credit != u.fields[1][1] || img.Alt != u.fields[2][1] {
			t.Errorf("stored caption %q, credit %q, alt %q", img.Caption, img.Credit, img.Alt)
		}
		if img.Width != 2000 || img.Height != 1500 || img.Format != "jpeg" || img.UploadedBy != editor.user.ID {
			t.Errorf("stored %d×%d %s by %d", img.Width, img.Height, img.Format, img.UploadedBy)
		}
		// Every configured width is narrower than the original, so each
		// is stored.
		if !slices.Equal(img.Widths, images.Widths) {
			t.Fatalf("stored widths %v, want %v", img.Widths, images.Widths)
		}

		for _, w := range img.Widths {
			// Readers fetch variants without any cookie.
			res, err := http.Get(e.srv.URL + "/media/" + strconv.FormatInt(id, 10) + "/" + strconv.Itoa(w))
			if err != nil {
				t.Fatal(err)
			}
			data, err := io.ReadAll(res.Body)
			res.Body.Close()
			if err != nil {
				t.Fatal(err)
			}
			if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "image/jpeg" {
				t.Fatalf("variant %d: %d %s", w, res.StatusCode, res.Header.Get("Content-Type"))
			}
			pic, err := jpeg.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("variant %d does not decode: %v", w, err)
			}
			if size, h := pic.Bounds().Size(), (1500*w+1000)/2000; size.X != w || size.Y != h {
				t.Errorf("variant %d is %d×%d, want %d×%d", w, size.X, size.Y, w, h)
			}
			for _, s := range secrets {
				if bytes.Contains(data, s) {
					t.Errorf("variant %d contains %q", w, s)
				}
			}
			if bytes.Contains(data, []byte{0xFF, 0xE1}) {
				t.Errorf("variant %d contains an APP1 marker", w)
			}
		}

		events, err := e.db.AuditLog(ctx(), store.AuditQuery{Action: store.AuditImageUpload})
		if err != nil {
			t.Fatal(err)
		}
		if len(events) != 1 || events[0].Ref != m[1] || events[0].ActorID != editor.user.ID || events[0].ActorEmail != editor.user.Email {
			t.Errorf("audit events %+v, want one image.upload of %d by %d", events, id, editor.user.ID)
		}
	})
}

// Whatever a file is called and claims to be, only its bytes decide; what
// is refused leaves nothing stored.
func TestUploadRefusesWhatIsNotAnImage(t *testing.T) {
	html := []byte("<!doctype html><html><body><script>alert(document.cookie)</script></body></html>")
	// A real JPEG padded past the limit: only the size refuses it. The
	// form stays under the request limit, so the pipeline says so.
	tooBig := append(imagetest.EncodeJPEG(t, imagetest.PhotoLike(64, 64), 80), make([]byte, images.MaxBytes)...)[:images.MaxBytes+1]
	noFile := upload{filename: "", ctype: "application/octet-stream"}
	tests := []struct {
		name   string
		upload upload
		status int
		msg    string
	}{
		{"html named photo.jpg", jpegUpload(html), http.StatusUnprocessableEntity,
			"the file is not a JPEG, PNG or WebP image (it looks like text/html)"},
		{"empty file", jpegUpload(nil), http.StatusUnprocessableEntity, "the file is empty"},
		{"no file chosen", noFile, http.StatusUnprocessableEntity, "choose an image file to upload"},
		{"png bomb", upload{filename: "map.png", ctype: "image/png", data: imagetest.ClaimingPNG(t, 20000, 20000)},
			http.StatusRequestEntityTooLarge, "the image is 20000 × 20000 pixels; the limit is 16000 pixels per side"},
		{"over MaxBytes", jpegUpload(tooBig), http.StatusRequestEntityTooLarge, "the file is larger than 15 MB"},
	}
	onEngines(t, func(t *testing.T, e *env) {
		b := e.withSession(e.users[news.RoleEditor])
		for _, tt := range tests {
			r := b.upload(tt.upload)
			if r.status != tt.status || errorText(r.body) != tt.msg {
				t.Errorf("%s: %d %q, want %d %q", tt.name, r.status, errorText(r.body), tt.status, tt.msg)
			}
			if strings.Contains(r.body, "<script>alert") {
				t.Errorf("%s: the page repeats the upload's markup", tt.name)
			}
		}

		// A body declared larger than the upload limit is refused
		// before any of it is read. Expect: 100-continue lets the client
		// learn that before it sends the body.
		u := jpegUpload(make([]byte, desk.UploadLimit))
		body, ctype := u.body(t)
		b.headers["Expect"] = "100-continue"
		b.headers["Accept"] = "text/html,application/xhtml+xml"
		r := b.do(http.MethodPost, "/desk/images/", bytes.NewReader(body), ctype)
		delete(b.headers, "Expect")
		delete(b.headers, "Accept")
		if r.status != http.StatusRequestEntityTooLarge || !strings.Contains(r.body, "larger than 15 MB; nothing was saved") {
			t.Errorf("declared length over the limit: %d %q", r.status, r.body)
		}

		// With the length unknown (chunked), the limit stops the reading
		// of the form. The body is only a little over the limit, so the
		// client finishes sending it while the server answers.
		r = b.do(http.MethodPost, "/desk/images/", io.MultiReader(bytes.NewReader(body)), ctype)
		if msg := "the file is larger than 15 MB"; r.status != http.StatusRequestEntityTooLarge || errorText(r.body) != msg {
			t.Errorf("unknown length over the limit: %d %q, want 413 %q", r.status, errorText(r.body), msg)
		}

		if n := e.storedImages(); n != 0 {
			t.Errorf("%d images stored", n)
		}
		if events, _ := e.db.AuditLog(ctx(), store.AuditQuery{Action: store.AuditImageUpload}); len(events) != 0 {
			t.Errorf("audit events %+v", events)
		}
	})
}

// Uploading takes a role that writes, and a form sent from the desk itself.
func TestUploadNeedsWriterAndSameOrigin(t *testing.T) {
	u := jpegUpload(imagetest.JPEGWithGPS(t, 400, 300, "TAMIZDAT-SECRET-ROLE"))
	onEngines(t, func(t *testing.T, e *env) {
		if r := e.withSession(e.users[news.RoleModerator]).upload(u); r.status != http.StatusForbidden ||
			!strings.Contains(r.body, refusedRoute) {
			t.Errorf("a moderator's upload: %d %s", r.status, errorText(r.body))
		}
		if r := e.browser().upload(u); r.status != http.StatusUnauthorized {
			t.Errorf("an upload without a session: %d %s", r.status, errorText(r.body))
		}
		b := e.withSession(e.users[news.RoleEditor])
		b.headers = map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}
		if r := b.upload(u); r.status != http.StatusForbidden || !strings.Contains(r.body, "another site") {
			t.Errorf("a cross-site upload: %d %s", r.status, errorText(r.body))
		}
		if n := e.storedImages(); n != 0 {
			t.Fatalf("%d images stored by refused uploads", n)
		}
		// An author writes, so may upload.
		if r := e.withSession(e.users[news.RoleAuthor]).upload(u); r.status != http.StatusSeeOther || !uploadedURL.MatchString(r.location) {
			t.Errorf("an author's upload: %d %q %s", r.status, r.location, errorText(r.body))
		}
		if n := e.storedImages(); n != 1 {
			t.Errorf("%d images stored, want the author's one", n)
		}
	})
}

// While every image slot of the process is taken, an upload waits its
// while and is refused with 429, a Retry-After and words saying what to
// do; nothing is stored. Once a slot is free the same upload goes in.
func TestUploadWhileImageSlotsAreBusy(t *testing.T) {
	u := jpegUpload(imagetest.EncodeJPEG(t, imagetest.PhotoLike(320, 240), 80))
	onEngines(t, func(t *testing.T, e *env) {
		e.desk.SetImageWait(0)
		var held []func()
		for range images.Slots() {
			release, err := images.Acquire(ctx())
			if err != nil {
				t.Fatal(err)
			}
			held = append(held, release)
		}
		b := e.withSession(e.users[news.RoleEditor])
		r := b.upload(u)
		const msg = "the server is busy processing other images; try again in a few seconds; nothing was saved"
		if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" || errorText(r.body) != msg {
			t.Errorf("an upload with every slot taken: %d, Retry-After %q, %q", r.status, r.header.Get("Retry-After"), errorText(r.body))
		}
		if !strings.Contains(r.body, `type="file"`) {
			t.Error("the refusal is not the images page with its form")
		}
		if n := e.storedImages(); n != 0 {
			t.Errorf("%d images stored by a refused upload", n)
		}
		for _, release := range held {
			release()
		}
		if r := b.upload(u); r.status != http.StatusSeeOther || !uploadedURL.MatchString(r.location) {
			t.Errorf("with the slots free: %d %s", r.status, errorText(r.body))
		}
		if n := e.storedImages(); n != 1 {
			t.Errorf("%d images stored, want 1", n)
		}
	})
}
