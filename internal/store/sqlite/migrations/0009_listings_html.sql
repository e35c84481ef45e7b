-- Reader lists at any size of the archive: one row per published article
-- and list it appears on, numbered densely from the oldest, so that a page
-- is a range of numbers read down an index (see store/listings.go). Filled
-- from the articles by the store as this migration is applied, and again
-- after a restore: it is derived, so backups leave it out.
CREATE TABLE listings (
	list         TEXT NOT NULL,
	published_at INTEGER NOT NULL,
	article_id   INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	pos          INTEGER NOT NULL,
	PRIMARY KEY (list, article_id)
) STRICT;
CREATE INDEX listings_order ON listings (list, published_at, article_id);
CREATE INDEX listings_pos ON listings (list, pos);
CREATE INDEX listings_article ON listings (article_id);

-- Each article's body as readers get it (Markdown rendered and
-- sanitized), made when the article is saved and by the renderer's
-- version, so that a view renders nothing. Derived, so backups leave it
-- out; rows of an older renderer are made again in the background.
CREATE TABLE article_html (
	article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
	version    INTEGER NOT NULL,
	html       TEXT NOT NULL
) STRICT;
CREATE INDEX article_html_version ON article_html (version);

-- Each article's count of published comments, which every list shows:
-- counted again at each comment write, read with one lookup per row.
CREATE TABLE comment_counts (
	article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
	published  INTEGER NOT NULL
) STRICT;

-- Categories and tags are read for a page of articles in the order the
-- newsroom gave them.
CREATE INDEX article_categories_order ON article_categories (article_id, position);
CREATE INDEX article_tags_order ON article_tags (article_id, position);

-- An article's comments are read page by page in the order they were
-- written, ties broken by id.
DROP INDEX comments_article;
CREATE INDEX comments_article ON comments (article_id, status, created_at, id);
