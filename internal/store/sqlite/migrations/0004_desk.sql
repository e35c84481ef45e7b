-- The desk: second factors, sessions, sign-in throttling, revisions and
-- images with their variants.

-- totp_secret is '' until the user enrols an authenticator; totp_step is
-- the last time step accepted, so that a code seen once is never accepted
-- again (a shoulder-surfed or phished code is worth one sign-in at most).
ALTER TABLE users ADD COLUMN totp_secret TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN totp_step INTEGER NOT NULL DEFAULT 0;

-- One-time recovery codes; only their hashes.
CREATE TABLE recovery_codes (
	user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	code_hash BLOB NOT NULL,
	used_at   INTEGER,
	PRIMARY KEY (user_id, code_hash)
) STRICT;

-- Desk sessions; only the hash of the cookie's token. stage 'password'
-- means the password was right and the second factor is still to come (or
-- to be enrolled); only 'full' opens the desk. agent is a coarse label of
-- the browser for the sessions page, never an address.
CREATE TABLE sessions (
	id         INTEGER PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	token_hash BLOB NOT NULL UNIQUE,
	stage      TEXT NOT NULL CHECK (stage IN ('password', 'full')),
	created_at INTEGER NOT NULL,
	seen_at    INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	agent      TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX sessions_user ON sessions (user_id);

-- Failed sign-ins, by account (hash of the e-mail, whether or not it has an
-- account) and by client address (keyed hash under the day's key). Rows live
-- a day or two.
CREATE TABLE signin_failures (
	key           BLOB PRIMARY KEY,
	failures      INTEGER NOT NULL,
	last_at       INTEGER NOT NULL,
	blocked_until INTEGER NOT NULL
) STRICT;

-- The keys that hash client addresses, one per day, each sealed (AES-GCM)
-- under the node secret, which never enters the database: a copy of the
-- database alone cannot turn a stored hash back into an address. Deleted
-- after the retention period, after which no stored hash can be linked to
-- an address at all.
CREATE TABLE day_keys (
	day    INTEGER PRIMARY KEY,
	sealed BLOB NOT NULL
) STRICT;

-- Every save of an article is a revision. version counts the saves that
-- took effect; a save refused for an edit conflict is kept too (kind
-- 'conflict') so that the refused text is never lost.
ALTER TABLE articles ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

CREATE TABLE article_revisions (
	id         INTEGER PRIMARY KEY,
	article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	version    INTEGER NOT NULL,
	kind       TEXT NOT NULL CHECK (kind IN ('save', 'conflict', 'restore')),
	at         INTEGER NOT NULL,
	actor_id   INTEGER REFERENCES users (id) ON DELETE SET NULL,
	status     TEXT NOT NULL,
	title      TEXT NOT NULL,
	lead       TEXT NOT NULL,
	body       TEXT NOT NULL,
	byline     TEXT NOT NULL,
	source     TEXT NOT NULL,
	correction TEXT NOT NULL
) STRICT;

CREATE INDEX article_revisions_article ON article_revisions (article_id, id);

-- The media library: re-encoded images only (the uploaded file is never
-- kept), with their width variants.
ALTER TABLE images ADD COLUMN width INTEGER NOT NULL DEFAULT 0;
ALTER TABLE images ADD COLUMN height INTEGER NOT NULL DEFAULT 0;
ALTER TABLE images ADD COLUMN format TEXT NOT NULL DEFAULT 'jpeg';
ALTER TABLE images ADD COLUMN caption TEXT NOT NULL DEFAULT '';
ALTER TABLE images ADD COLUMN credit TEXT NOT NULL DEFAULT '';
ALTER TABLE images ADD COLUMN alt TEXT NOT NULL DEFAULT '';
ALTER TABLE images ADD COLUMN uploaded_by INTEGER REFERENCES users (id) ON DELETE SET NULL;

CREATE TABLE image_variants (
	image_id INTEGER NOT NULL REFERENCES images (id) ON DELETE CASCADE,
	width    INTEGER NOT NULL,
	height   INTEGER NOT NULL,
	data     BLOB NOT NULL,
	PRIMARY KEY (image_id, width)
) STRICT;

-- The lowercased headline, for the desk's search by headline; search_text
-- begins with it.
ALTER TABLE articles ADD COLUMN title_search TEXT NOT NULL DEFAULT '';
UPDATE articles SET title_search = substr(search_text, 1, instr(search_text || char(10), char(10)) - 1);
CREATE INDEX articles_author ON articles (author_id);
