-- The change log: every write appends what it changed, in the same
-- transaction, and NOTIFY tamizdat_changes wakes the other nodes at commit.
-- Rows are short-lived: old ones are pruned.
CREATE TABLE changes (
	seq  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	kind TEXT NOT NULL,
	ref  TEXT NOT NULL DEFAULT '',
	at   BIGINT NOT NULL
);

-- Claims: one-time work that several processes may race to do (seeding the
-- demo, a scheduled job's run) is done by whoever inserts its name first.
CREATE TABLE claims (
	name TEXT PRIMARY KEY,
	at   BIGINT NOT NULL
);
