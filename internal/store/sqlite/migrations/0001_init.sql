-- The first schema: the site, its editions, categories, articles, static
-- pages, comments, desk users and API tokens.
-- Times are INTEGER microseconds since the Unix epoch in UTC, NULL when unset:
-- the same representation on every engine, compared as numbers.

CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) STRICT;

CREATE TABLE editions (
	code           TEXT PRIMARY KEY,
	name           TEXT NOT NULL,
	position       INTEGER NOT NULL,
	comment_policy TEXT NOT NULL DEFAULT 'inherit'
		CHECK (comment_policy IN ('inherit', 'open', 'premoderated', 'closed'))
) STRICT;

INSERT INTO editions (code, name, position) VALUES
	('ru', 'Русский', 1),
	('be', 'Беларуская', 2),
	('en', 'English', 3);

CREATE TABLE categories (
	id       INTEGER PRIMARY KEY,
	edition  TEXT NOT NULL REFERENCES editions (code),
	slug     TEXT NOT NULL,
	name     TEXT NOT NULL,
	position INTEGER NOT NULL,
	UNIQUE (edition, slug)
) STRICT;

CREATE TABLE users (
	id            INTEGER PRIMARY KEY,
	email         TEXT NOT NULL UNIQUE,
	name          TEXT NOT NULL,
	role          TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'author', 'moderator')),
	active        INTEGER NOT NULL DEFAULT 1,
	password_hash TEXT NOT NULL,
	created_at    INTEGER NOT NULL
) STRICT;

-- Featured images; the desk's media library fills it (bytes and variants
-- come with it), articles only point at a row.
CREATE TABLE images (
	id         INTEGER PRIMARY KEY,
	created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE articles (
	id             INTEGER PRIMARY KEY,
	edition        TEXT NOT NULL REFERENCES editions (code),
	title          TEXT NOT NULL,
	lead           TEXT NOT NULL DEFAULT '',
	body           TEXT NOT NULL DEFAULT '',
	byline         TEXT NOT NULL DEFAULT '',
	source         TEXT NOT NULL DEFAULT '',
	status         TEXT NOT NULL CHECK (status IN ('draft', 'review', 'published', 'unpublished')),
	published_at   INTEGER,
	created_at     INTEGER NOT NULL,
	updated_at     INTEGER,
	correction     TEXT NOT NULL DEFAULT '',
	comment_policy TEXT NOT NULL DEFAULT 'inherit'
		CHECK (comment_policy IN ('inherit', 'open', 'premoderated', 'closed')),
	-- translation_of is what the editor linked; translation_group is the id
	-- of the group's first article, so one lookup finds every translation.
	translation_of    INTEGER REFERENCES articles (id) ON DELETE SET NULL,
	translation_group INTEGER,
	top            INTEGER NOT NULL DEFAULT 0,
	breaking       INTEGER NOT NULL DEFAULT 0,
	image_id       INTEGER REFERENCES images (id) ON DELETE SET NULL,
	image_caption  TEXT NOT NULL DEFAULT '',
	image_credit   TEXT NOT NULL DEFAULT '',
	author_id      INTEGER REFERENCES users (id) ON DELETE SET NULL,
	-- lowercased title, lead and body for the simple search of the read API
	search_text    TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX articles_visible ON articles (edition, status, published_at DESC);
CREATE INDEX articles_group ON articles (translation_group);

CREATE TABLE article_categories (
	article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	category_id INTEGER NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
	position    INTEGER NOT NULL,
	PRIMARY KEY (article_id, category_id)
) STRICT;

CREATE INDEX article_categories_category ON article_categories (category_id, article_id);

CREATE TABLE article_tags (
	article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	tag_key    TEXT NOT NULL,
	tag        TEXT NOT NULL,
	position   INTEGER NOT NULL,
	PRIMARY KEY (article_id, tag_key)
) STRICT;

CREATE INDEX article_tags_key ON article_tags (tag_key, article_id);

CREATE TABLE pages (
	id         INTEGER PRIMARY KEY,
	edition    TEXT NOT NULL REFERENCES editions (code),
	slug       TEXT NOT NULL,
	title      TEXT NOT NULL,
	body       TEXT NOT NULL,
	updated_at INTEGER NOT NULL,
	UNIQUE (edition, slug)
) STRICT;

-- No column here may ever hold a reader's address or e-mail, in any form.
CREATE TABLE comments (
	id         INTEGER PRIMARY KEY,
	article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	parent_id  INTEGER REFERENCES comments (id) ON DELETE CASCADE,
	name       TEXT NOT NULL DEFAULT '',
	body       TEXT NOT NULL,
	status     TEXT NOT NULL CHECK (status IN ('pending', 'published', 'rejected', 'spam')),
	created_at INTEGER NOT NULL
) STRICT;

CREATE INDEX comments_article ON comments (article_id, status, created_at);

CREATE TABLE api_tokens (
	id           INTEGER PRIMARY KEY,
	user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	token_hash   BLOB NOT NULL UNIQUE,
	created_at   INTEGER NOT NULL,
	expires_at   INTEGER NOT NULL,
	last_used_at INTEGER,
	revoked_at   INTEGER
) STRICT;
