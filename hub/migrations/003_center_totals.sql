-- Running totals per center, kept by statement triggers in the same transaction as the rows
-- (exact, whatever writes them: a batch, a base, a bulk load), so the district summary reads 50
-- rows instead of aggregating millions.
CREATE TABLE center_totals (
  center_id uuid PRIMARY KEY REFERENCES centers(id),
  volunteers bigint NOT NULL DEFAULT 0,
  attendance bigint NOT NULL DEFAULT 0,
  attendance_minutes bigint NOT NULL DEFAULT 0,
  services bigint NOT NULL DEFAULT 0,
  service_minutes bigint NOT NULL DEFAULT 0,
  redemptions bigint NOT NULL DEFAULT 0,
  points_spent numeric NOT NULL DEFAULT 0
);

CREATE FUNCTION volunteers_totals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE center_totals t SET volunteers = t.volunteers - o.volunteers
      FROM (SELECT center_id, count(*) AS volunteers FROM old_rows GROUP BY center_id) o WHERE t.center_id = o.center_id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO center_totals AS t (center_id, volunteers)
      SELECT center_id, count(*) AS volunteers FROM new_rows GROUP BY center_id
      ON CONFLICT (center_id) DO UPDATE SET volunteers = t.volunteers + EXCLUDED.volunteers;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER volunteers_totals_insert AFTER INSERT ON volunteers REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION volunteers_totals();
CREATE TRIGGER volunteers_totals_update AFTER UPDATE ON volunteers REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION volunteers_totals();
CREATE TRIGGER volunteers_totals_delete AFTER DELETE ON volunteers REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION volunteers_totals();
INSERT INTO center_totals AS t (center_id, volunteers)
  SELECT center_id, count(*) AS volunteers FROM volunteers GROUP BY center_id
  ON CONFLICT (center_id) DO UPDATE SET volunteers = t.volunteers + EXCLUDED.volunteers;

CREATE FUNCTION attendance_totals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE center_totals t SET attendance = t.attendance - o.attendance, attendance_minutes = t.attendance_minutes - o.attendance_minutes
      FROM (SELECT center_id, count(*) FILTER (WHERE NOT removed) AS attendance, coalesce(sum(minutes), 0) AS attendance_minutes FROM old_rows GROUP BY center_id) o WHERE t.center_id = o.center_id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO center_totals AS t (center_id, attendance, attendance_minutes)
      SELECT center_id, count(*) FILTER (WHERE NOT removed) AS attendance, coalesce(sum(minutes), 0) AS attendance_minutes FROM new_rows GROUP BY center_id
      ON CONFLICT (center_id) DO UPDATE SET attendance = t.attendance + EXCLUDED.attendance, attendance_minutes = t.attendance_minutes + EXCLUDED.attendance_minutes;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER attendance_totals_insert AFTER INSERT ON attendance REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION attendance_totals();
CREATE TRIGGER attendance_totals_update AFTER UPDATE ON attendance REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION attendance_totals();
CREATE TRIGGER attendance_totals_delete AFTER DELETE ON attendance REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION attendance_totals();
INSERT INTO center_totals AS t (center_id, attendance, attendance_minutes)
  SELECT center_id, count(*) FILTER (WHERE NOT removed) AS attendance, coalesce(sum(minutes), 0) AS attendance_minutes FROM attendance GROUP BY center_id
  ON CONFLICT (center_id) DO UPDATE SET attendance = t.attendance + EXCLUDED.attendance, attendance_minutes = t.attendance_minutes + EXCLUDED.attendance_minutes;

CREATE FUNCTION service_records_totals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE center_totals t SET services = t.services - o.services, service_minutes = t.service_minutes - o.service_minutes
      FROM (SELECT center_id, count(*) FILTER (WHERE NOT removed) AS services, coalesce(sum(minutes), 0) AS service_minutes FROM old_rows GROUP BY center_id) o WHERE t.center_id = o.center_id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO center_totals AS t (center_id, services, service_minutes)
      SELECT center_id, count(*) FILTER (WHERE NOT removed) AS services, coalesce(sum(minutes), 0) AS service_minutes FROM new_rows GROUP BY center_id
      ON CONFLICT (center_id) DO UPDATE SET services = t.services + EXCLUDED.services, service_minutes = t.service_minutes + EXCLUDED.service_minutes;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER service_records_totals_insert AFTER INSERT ON service_records REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION service_records_totals();
CREATE TRIGGER service_records_totals_update AFTER UPDATE ON service_records REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION service_records_totals();
CREATE TRIGGER service_records_totals_delete AFTER DELETE ON service_records REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION service_records_totals();
INSERT INTO center_totals AS t (center_id, services, service_minutes)
  SELECT center_id, count(*) FILTER (WHERE NOT removed) AS services, coalesce(sum(minutes), 0) AS service_minutes FROM service_records GROUP BY center_id
  ON CONFLICT (center_id) DO UPDATE SET services = t.services + EXCLUDED.services, service_minutes = t.service_minutes + EXCLUDED.service_minutes;

CREATE FUNCTION redemptions_totals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE center_totals t SET redemptions = t.redemptions - o.redemptions, points_spent = t.points_spent - o.points_spent
      FROM (SELECT center_id, count(*) FILTER (WHERE NOT voided) AS redemptions, coalesce(sum(points_spent) FILTER (WHERE NOT voided), 0) AS points_spent FROM old_rows GROUP BY center_id) o WHERE t.center_id = o.center_id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO center_totals AS t (center_id, redemptions, points_spent)
      SELECT center_id, count(*) FILTER (WHERE NOT voided) AS redemptions, coalesce(sum(points_spent) FILTER (WHERE NOT voided), 0) AS points_spent FROM new_rows GROUP BY center_id
      ON CONFLICT (center_id) DO UPDATE SET redemptions = t.redemptions + EXCLUDED.redemptions, points_spent = t.points_spent + EXCLUDED.points_spent;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER redemptions_totals_insert AFTER INSERT ON redemptions REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION redemptions_totals();
CREATE TRIGGER redemptions_totals_update AFTER UPDATE ON redemptions REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION redemptions_totals();
CREATE TRIGGER redemptions_totals_delete AFTER DELETE ON redemptions REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION redemptions_totals();
INSERT INTO center_totals AS t (center_id, redemptions, points_spent)
  SELECT center_id, count(*) FILTER (WHERE NOT voided) AS redemptions, coalesce(sum(points_spent) FILTER (WHERE NOT voided), 0) AS points_spent FROM redemptions GROUP BY center_id
  ON CONFLICT (center_id) DO UPDATE SET redemptions = t.redemptions + EXCLUDED.redemptions, points_spent = t.points_spent + EXCLUDED.points_spent;
