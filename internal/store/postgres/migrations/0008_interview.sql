-- An article marked as an interview reads hyphen lists and paragraphs
-- opened with a dash as turns of speech. Revisions carry the mark with the
-- text it shapes, so that restoring one brings back how it read.
ALTER TABLE articles ADD COLUMN interview SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE article_revisions ADD COLUMN interview SMALLINT NOT NULL DEFAULT 0;
