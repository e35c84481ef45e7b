-- The audit log, and the moment each published article went live.
CREATE TABLE audit_events (
	id       INTEGER PRIMARY KEY,
	at       INTEGER NOT NULL,
	actor_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
	action   TEXT NOT NULL,
	ref      TEXT NOT NULL DEFAULT '',
	detail   TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX audit_events_at ON audit_events (at);

-- Set when the article's publication took effect: at once when it is saved
-- published with a time that has come, or by the go-live job for a
-- scheduled one. NULL while a publication is still to happen.
ALTER TABLE articles ADD COLUMN live_at INTEGER;
UPDATE articles SET live_at = published_at WHERE status = 'published' AND published_at IS NOT NULL;
CREATE INDEX articles_pending_live ON articles (published_at) WHERE status = 'published' AND live_at IS NULL;
