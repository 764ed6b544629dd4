-- A station's store epoch (docs/district.md, "A station restored from an older backup"): a
-- random id the station makes when its data folder has none, i.e. on first start and after
-- every restore. Journal sequence numbers are only comparable within one epoch: the hub's
-- position is (epoch, last_seq), and a station coming back with another epoch sends a fresh
-- base, which replaces everything the hub had of the center.
ALTER TABLE centers ADD COLUMN epoch text;
