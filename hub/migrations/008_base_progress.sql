-- A base arrives in parts, and part 0 replaces everything the hub had of the center. A late
-- second delivery of part 0 (a retry whose original was held up) must not wipe the parts applied
-- after it: the hub keeps which base (epoch, base_seq) is in progress and the next part it
-- expects, and applies each part once, in order.
ALTER TABLE centers ADD COLUMN base_epoch text, ADD COLUMN base_seq bigint, ADD COLUMN base_next_part integer;
