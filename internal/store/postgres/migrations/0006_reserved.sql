-- Version 6 belongs to a change made on another branch; this empty file
-- only keeps the versions without a gap until that change is merged, and is
-- removed then.
SELECT 1;
