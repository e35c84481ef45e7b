-- Comments that protect readers: what the intake checks need, and nothing
-- that could identify a reader. fingerprint is a keyed hash of the client
-- address under the key of day fp_day; once that key is destroyed the hash
-- is erased too (it could no longer be matched anyway).
ALTER TABLE comments ADD COLUMN fingerprint BLOB;
ALTER TABLE comments ADD COLUMN fp_day INTEGER;
-- The folded text without punctuation or spaces (exact duplicates), and
-- the word shingles (near duplicates), packed as 8-byte hashes.
ALTER TABLE comments ADD COLUMN dup_key TEXT NOT NULL DEFAULT '';
ALTER TABLE comments ADD COLUMN shingles BLOB;
-- Why the comment waits for a moderator, and reports by readers.
ALTER TABLE comments ADD COLUMN held_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE comments ADD COLUMN reports INTEGER NOT NULL DEFAULT 0;
ALTER TABLE comments ADD COLUMN moderated_at INTEGER;
ALTER TABLE comments ADD COLUMN moderated_by INTEGER REFERENCES users (id) ON DELETE SET NULL;

CREATE INDEX comments_fingerprint ON comments (fingerprint) WHERE fingerprint IS NOT NULL;
CREATE INDEX comments_dup ON comments (dup_key, created_at);
CREATE INDEX comments_queue ON comments (status, created_at);
CREATE INDEX comments_recent ON comments (created_at);

-- Bans of a fingerprint; they end when its day key is destroyed, or before.
CREATE TABLE comment_bans (
	id          INTEGER PRIMARY KEY,
	fingerprint BLOB NOT NULL,
	fp_day      INTEGER NOT NULL,
	until       INTEGER NOT NULL,
	reason      TEXT NOT NULL DEFAULT '',
	created_at  INTEGER NOT NULL,
	created_by  INTEGER REFERENCES users (id) ON DELETE SET NULL
) STRICT;

CREATE INDEX comment_bans_fingerprint ON comment_bans (fingerprint);

-- The word shingles of the last week's comments, inverted: the comments
-- that share shingles with a new one are found by an index, not by reading
-- every recent comment. Derived data, pruned after a week.
CREATE TABLE comment_shingles (
	hash       INTEGER NOT NULL,
	comment_id INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (hash, comment_id)
) STRICT;

CREATE INDEX comment_shingles_time ON comment_shingles (created_at);
-- Deleting a comment (or its article) finds its rows by this index.
CREATE INDEX comment_shingles_comment ON comment_shingles (comment_id);
CREATE INDEX comments_parent ON comments (parent_id) WHERE parent_id IS NOT NULL;
