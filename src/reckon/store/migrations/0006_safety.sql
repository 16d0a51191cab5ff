-- What a link run was made from, so every reader can tell whether its people are current, and
-- the sex a record was given by inference from its names rather than by the source.

-- JSON array of the source_version ids (with stored records) the run linked, ascending.
ALTER TABLE link_run ADD COLUMN source_versions TEXT;
-- The newest decision id the run obeyed (NULL: there were none).
ALTER TABLE link_run ADD COLUMN last_decision_id INTEGER;

-- 1 when record.sex was inferred from the given name or patronymic (the source said nothing).
ALTER TABLE record ADD COLUMN sex_inferred INTEGER NOT NULL DEFAULT 0 CHECK (sex_inferred IN (0, 1));

-- The XLSX sheet a version was read from (NULL for other formats): two sheets of one workbook
-- are two lists, while the same sheet under two source names is one list counted twice.
ALTER TABLE source_version ADD COLUMN sheet TEXT;
