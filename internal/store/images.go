package store

import (
	"context"
	"database/sql"
	"strconv"
	"time"

	"tamizdat/internal/news"
)

// ImageVariant is one stored width of an image.
type ImageVariant struct {
	Width, Height int
	Data          []byte
}

// CreateImage stores an image of the media library with its variants.
func (s *DB) CreateImage(ctx context.Context, img *news.MediaImage, variants []ImageVariant) error {
	if err := img.Validate(); err != nil {
		return err
	}
	img.CreatedAt = s.now()
	return s.tx(ctx, func(c conn) error {
		id, err := c.insert(ctx, `INSERT INTO images (created_at, width, height, format, caption, credit, alt, uploaded_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, img.CreatedAt.UnixMicro(), img.Width, img.Height, img.Format,
			img.Caption, img.Credit, img.Alt, nullID(img.UploadedBy))
		if err != nil {
			return err
		}
		img.ID, img.Widths = id, nil
		for _, v := range variants {
			if _, err := c.exec(ctx, `INSERT INTO image_variants (image_id, width, height, data) VALUES (?, ?, ?, ?)`,
				id, v.Width, v.Height, v.Data); err != nil {
				return err
			}
			img.Widths = append(img.Widths, v.Width)
		}
		return s.recordAudit(ctx, c, 0, AuditImageUpload, strconv.FormatInt(id, 10),
			strconv.Itoa(img.Width)+"×"+strconv.Itoa(img.Height)+" "+img.Format)
	})
}

// Images lists the media library, newest first.
func (s *DB) Images(ctx context.Context, limit, offset int) ([]*news.MediaImage, int, error) {
	c := s.read()
	var total int
	if err := c.queryRow(ctx, `SELECT count(*) FROM images`).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := c.query(ctx, `SELECT i.id, i.width, i.height, i.format, i.caption, i.credit, i.alt, i.created_at, i.uploaded_by
		FROM images i ORDER BY i.id DESC LIMIT ? OFFSET ?`, limit, offset)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var list []*news.MediaImage
	for rows.Next() {
		img, err := scanImage(rows)
		if err != nil {
			return nil, 0, err
		}
		list = append(list, img)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	for _, img := range list {
		if img.Widths, err = s.imageWidths(ctx, c, img.ID); err != nil {
			return nil, 0, err
		}
	}
	return list, total, nil
}

func scanImage(sc interface{ Scan(...any) error }) (*news.MediaImage, error) {
	var img news.MediaImage
	var created int64
	var by sql.NullInt64
	if err := sc.Scan(&img.ID, &img.Width, &img.Height, &img.Format, &img.Caption, &img.Credit, &img.Alt, &created, &by); err != nil {
		return nil, err
	}
	img.CreatedAt, img.UploadedBy = time.UnixMicro(created).UTC(), by.Int64
	return &img, nil
}

func (s *DB) imageWidths(ctx context.Context, c conn, id int64) ([]int, error) {
	rows, err := c.query(ctx, `SELECT width FROM image_variants WHERE image_id = ? ORDER BY width`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ws []int
	for rows.Next() {
		var w int
		if err := rows.Scan(&w); err != nil {
			return nil, err
		}
		ws = append(ws, w)
	}
	return ws, rows.Err()
}

// Image returns one image of the media library.
func (s *DB) Image(ctx context.Context, id int64) (*news.MediaImage, error) {
	c := s.read()
	img, err := scanImage(c.queryRow(ctx, `SELECT i.id, i.width, i.height, i.format, i.caption, i.credit, i.alt, i.created_at, i.uploaded_by
		FROM images i WHERE i.id = ?`, id))
	if err != nil {
		return nil, notFound(s.mapErr(err), "image")
	}
	img.Widths, err = s.imageWidths(ctx, c, id)
	return img, err
}

// ImageVariantData returns the bytes and format of an image's narrowest
// variant at least width wide, or of its widest when none is.
func (s *DB) ImageVariantData(ctx context.Context, id int64, width int) ([]byte, string, error) {
	var data []byte
	var format string
	err := s.read().queryRow(ctx, `SELECT v.data, i.format FROM image_variants v JOIN images i ON i.id = v.image_id
		WHERE v.image_id = ? ORDER BY CASE WHEN v.width >= ? THEN v.width ELSE 1000000 - v.width END LIMIT 1`, id, width).Scan(&data, &format)
	if err != nil {
		return nil, "", notFound(s.mapErr(err), "image")
	}
	return data, format, nil
}

// UpdateImage changes the words of an image: caption, credit, description.
func (s *DB) UpdateImage(ctx context.Context, img *news.MediaImage) error {
	if err := img.Validate(); err != nil {
		return err
	}
	return s.tx(ctx, func(c conn) error {
		r, err := c.exec(ctx, `UPDATE images SET caption = ?, credit = ?, alt = ? WHERE id = ?`, img.Caption, img.Credit, img.Alt, img.ID)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return news.Errorf(news.ENOTFOUND, "image not found")
		}
		ref := strconv.FormatInt(img.ID, 10)
		if err := s.recordChange(ctx, c, ChangeImage, ref); err != nil {
			return err
		}
		return s.recordAudit(ctx, c, 0, AuditImageUpdate, ref, "")
	})
}

// ImagePublished reports whether a published article, live or scheduled,
// shows image id.
func (s *DB) ImagePublished(ctx context.Context, id int64) (bool, error) {
	var n int
	err := s.read().queryRow(ctx, `SELECT count(*) FROM articles WHERE image_id = ? AND status = 'published'`, id).Scan(&n)
	return n > 0, err
}

// DeleteImage removes an image; articles that showed it lose it.
func (s *DB) DeleteImage(ctx context.Context, id int64) error {
	return s.tx(ctx, func(c conn) error {
		r, err := c.exec(ctx, `DELETE FROM images WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return news.Errorf(news.ENOTFOUND, "image not found")
		}
		ref := strconv.FormatInt(id, 10)
		if err := s.recordChange(ctx, c, ChangeImage, ref); err != nil {
			return err
		}
		return s.recordAudit(ctx, c, 0, AuditImageDelete, ref, "")
	})
}
