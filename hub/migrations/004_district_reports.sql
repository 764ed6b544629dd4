-- District reports beyond the summary: stars counted by each center's own rules, the top
-- teams, and figures by street (docs/district.md, "District reads").

-- The street a center belongs to (set by the district admin), and the rules its station last
-- told the hub in /api/link/hello: {timeZone, stars: {thresholds, period, minPoints, minEvaluation}}.
ALTER TABLE centers ADD COLUMN street text, ADD COLUMN rules jsonb;

-- A volunteer's teams as an array, so the top-teams report unnests them without reading `data`.
ALTER TABLE volunteers ADD COLUMN team_ids text[] NOT NULL DEFAULT '{}';
UPDATE volunteers SET team_ids = ARRAY(SELECT jsonb_array_elements_text(coalesce(data->'teamIds', '[]'::jsonb)))
  WHERE jsonb_typeof(data->'teamIds') = 'array' AND jsonb_array_length(data->'teamIds') > 0;

-- Stars: every volunteer's creditable minutes up to a year's end, summed per (center, volunteer)
-- from the index alone; the balance as of that end when a center's star asks for points.
CREATE INDEX attendance_volunteer_minutes ON attendance (center_id, volunteer_id) INCLUDE (check_in_at, minutes) WHERE NOT removed AND minutes > 0;
CREATE INDEX service_records_volunteer_minutes ON service_records (center_id, volunteer_id) INCLUDE (started_at, minutes) WHERE NOT removed AND minutes > 0;
CREATE INDEX ledger_volunteer_balance ON ledger (center_id, volunteer_id) INCLUDE (at, delta);
CREATE INDEX centers_street ON centers (street);
