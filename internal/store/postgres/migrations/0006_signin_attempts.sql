-- Sign-in attempts are counted before the secret is checked, and a counter
-- forgets its failures one at a time (news.Throttle): forget_at is when
-- nothing is left of it, after which the row may be pruned.
ALTER TABLE signin_failures ADD COLUMN forget_at BIGINT NOT NULL DEFAULT 0;
UPDATE signin_failures SET forget_at = last_at + 86400000000;

-- Wrong second-factor codes typed in a half-signed-in session: a few end it,
-- and the next guess needs the password again.
ALTER TABLE sessions ADD COLUMN code_failures BIGINT NOT NULL DEFAULT 0;
