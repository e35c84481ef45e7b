package desk

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"tamizdat/internal/images"
	"tamizdat/internal/news"
	"tamizdat/internal/store"
	"tamizdat/internal/web"
)

// UploadLimit bounds an upload request: the largest image and its form.
const UploadLimit = images.MaxBytes + 64<<10

type imagesContent struct {
	Images     []*news.MediaImage
	Total      int
	Page, Last int
	Loc        *time.Location
	MaxMB      int
}

const imagesPerPage = 48

// imageWait is how long an upload waits for a free image slot before it is
// refused with 429; busyRetry is the Retry-After it then names.
const (
	imageWait = 10 * time.Second
	busyRetry = 5 * time.Second
)

// SetImageWait changes how long an upload waits for a free image slot
// (imageWait by default) before it is refused.
func (d *Desk) SetImageWait(wait time.Duration) { d.imageWait = wait }

func (d *Desk) images(w http.ResponseWriter, r *http.Request, q *req) error {
	return d.renderImages(w, r, q, 0, nil)
}

func (d *Desk) renderImages(w http.ResponseWriter, r *http.Request, q *req, status int, problem error) error {
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	page = max(page, 1)
	list, total, err := d.store.Images(r.Context(), imagesPerPage, (page-1)*imagesPerPage)
	if err != nil {
		return err
	}
	c := imagesContent{Images: list, Total: total, Page: page, Last: max(1, (total+imagesPerPage-1)/imagesPerPage),
		Loc: q.settings.Location, MaxMB: images.MaxBytes >> 20}
	return d.render(w, r, q, status, "images", "Images", c, problem)
}

// uploadImage takes one file, checks it by its content, re-encodes it into
// width variants (dropping every byte of metadata) and stores only those.
func (d *Desk) uploadImage(w http.ResponseWriter, r *http.Request, q *req) error {
	// The whole upload stays in memory: a temporary file would put the
	// original, metadata and all, on the server's disk.
	if err := r.ParseMultipartForm(UploadLimit); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return d.renderImages(w, r, q, http.StatusRequestEntityTooLarge, news.Errorf(news.ETOOLARGE, "the file is larger than %d MB", images.MaxBytes>>20))
		}
		return d.renderImages(w, r, q, http.StatusBadRequest, news.Errorf(news.EINVALID, "choose an image file to upload"))
	}
	defer r.MultipartForm.RemoveAll()
	// The one boundary check reads no multipart form; its text fields are
	// held to the same rule here.
	if err := web.CheckForm(r.MultipartForm.Value); err != nil {
		return d.renderImages(w, r, q, http.StatusBadRequest, err)
	}
	file, _, err := r.FormFile("file")
	if err != nil {
		return d.renderImages(w, r, q, http.StatusUnprocessableEntity, news.Errorf(news.EINVALID, "choose an image file to upload"))
	}
	defer file.Close()
	// Decoding waits for one of the process's image slots, for a while: two
	// editors uploading at once should both succeed, a flood should not
	// keep anyone's browser hanging.
	wait, cancel := context.WithTimeout(r.Context(), d.imageWait)
	p, err := images.Process(wait, file)
	cancel()
	if errors.Is(err, images.ErrBusy) {
		w.Header().Set("Retry-After", strconv.Itoa(int(busyRetry/time.Second)))
	}
	if err != nil {
		return d.renderImages(w, r, q, 0, err)
	}
	img := &news.MediaImage{Width: p.Width, Height: p.Height, Format: p.Format, UploadedBy: q.user.ID,
		Caption: r.FormValue("caption"), Credit: r.FormValue("credit"), Alt: r.FormValue("alt")}
	vs := make([]store.ImageVariant, len(p.Variants))
	for i, v := range p.Variants {
		vs[i] = store.ImageVariant{Width: v.Width, Height: v.Height, Data: v.Data}
	}
	if err := d.store.CreateImage(r.Context(), img, vs); err != nil {
		return d.renderImages(w, r, q, 0, err)
	}
	return done(w, r, "/desk/images/"+strconv.FormatInt(img.ID, 10)+"/", "uploaded")
}

type imageContent struct {
	Image *news.MediaImage
	Loc   *time.Location
}

func (d *Desk) image(w http.ResponseWriter, r *http.Request, q *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	img, err := d.store.Image(r.Context(), id)
	if err != nil {
		return err
	}
	return d.render(w, r, q, 0, "image", "Image", imageContent{Image: img, Loc: q.settings.Location}, nil)
}

func (d *Desk) updateImage(w http.ResponseWriter, r *http.Request, q *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	img, err := d.store.Image(r.Context(), id)
	if err != nil {
		return err
	}
	img.Caption, img.Credit, img.Alt = r.PostFormValue("caption"), r.PostFormValue("credit"), r.PostFormValue("alt")
	if err := d.editor.UpdateImage(r.Context(), q.user, img); err != nil {
		return d.render(w, r, q, 0, "image", "Image", imageContent{Image: img, Loc: q.settings.Location}, err)
	}
	return done(w, r, "/desk/images/"+strconv.FormatInt(id, 10)+"/", "saved")
}

func (d *Desk) deleteImage(w http.ResponseWriter, r *http.Request, q *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := d.store.DeleteImage(r.Context(), id); err != nil {
		return err
	}
	return done(w, r, "/desk/images/", "deleted")
}
