-- Placeholder: this number belongs to a change made on another branch.
-- When the branches are merged, that change's file replaces this one.
SELECT 1;
