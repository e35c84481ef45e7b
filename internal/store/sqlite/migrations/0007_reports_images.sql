-- Readers' reports of comments, one per reader (a keyed hash of the client
-- address under the key of day fp_day) and comment: a report sent fifty
-- times counts once. The rows go when the day's key is destroyed, like the
-- comments' own fingerprints; comments.reports keeps the count a moderator
-- sees.
CREATE TABLE comment_reports (
	comment_id  INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
	fingerprint BLOB NOT NULL,
	fp_day      INTEGER NOT NULL,
	PRIMARY KEY (comment_id, fingerprint)
) STRICT;

CREATE INDEX comment_reports_day ON comment_reports (fp_day);

-- Whether a published article shows an image decides who may change the
-- image's words; deleting an image clears the articles that show it.
CREATE INDEX articles_image ON articles (image_id) WHERE image_id IS NOT NULL;
