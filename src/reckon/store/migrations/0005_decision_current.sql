-- Human decisions as they apply to the current records.
--
-- A decision names two casebook record ids. When a source gets a new version its records get
-- new ids; the decision still applies to the new version's record with the same source record
-- id, provided the fields that identify the person (names and dates) are unchanged. A record
-- whose names or dates were corrected, or that the new version no longer has, is not covered:
-- the reviewer judged the old text, and the pair comes back to review. The decision table
-- itself is never rewritten.

CREATE VIEW decision_current AS
SELECT d.id,
       min(cl.id, cr.id) AS record_id_l,
       max(cl.id, cr.id) AS record_id_r,
       d.decision, d.reviewer, d.decided_at, d.note,
       d.record_id_l AS decided_record_id_l,
       d.record_id_r AS decided_record_id_r
FROM decision d
JOIN record rl ON rl.id = d.record_id_l
JOIN source_version vl ON vl.id = rl.source_version_id
JOIN source_version nl ON nl.source_id = vl.source_id
     AND nl.version = (SELECT max(version) FROM source_version WHERE source_id = vl.source_id)
JOIN record cl ON cl.source_version_id = nl.id AND cl.source_record_id = rl.source_record_id
JOIN record rr ON rr.id = d.record_id_r
JOIN source_version vr ON vr.id = rr.source_version_id
JOIN source_version nr ON nr.source_id = vr.source_id
     AND nr.version = (SELECT max(version) FROM source_version WHERE source_id = vr.source_id)
JOIN record cr ON cr.source_version_id = nr.id AND cr.source_record_id = rr.source_record_id
WHERE cl.id <> cr.id
  AND cl.full_name IS rl.full_name AND cl.given_name IS rl.given_name
  AND cl.patronymic IS rl.patronymic AND cl.family_name IS rl.family_name
  AND cl.birth_date IS rl.birth_date AND cl.death_date IS rl.death_date
  AND cr.full_name IS rr.full_name AND cr.given_name IS rr.given_name
  AND cr.patronymic IS rr.patronymic AND cr.family_name IS rr.family_name
  AND cr.birth_date IS rr.birth_date AND cr.death_date IS rr.death_date;
