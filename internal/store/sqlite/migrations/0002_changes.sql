-- The change log: every write appends what it changed, in the same
-- transaction, so that every process serving the site (a node, or a CLI
-- command beside a running server) can drop what it cached. Rows are
-- short-lived: old ones are pruned.
CREATE TABLE changes (
	seq  INTEGER PRIMARY KEY AUTOINCREMENT,
	kind TEXT NOT NULL,
	ref  TEXT NOT NULL DEFAULT '',
	at   INTEGER NOT NULL
) STRICT;

-- Claims: one-time work that several processes may race to do (seeding the
-- demo, a scheduled job's run) is done by whoever inserts its name first.
CREATE TABLE claims (
	name TEXT PRIMARY KEY,
	at   INTEGER NOT NULL
) STRICT;
