-- District exports (docs/district.md, "Exports"): each download is audited with who asked
-- (the role, how they signed in, from where) and what (the export, format, period, center,
-- masked or full), and the district-wide exports read the ledger and redemptions by time.
ALTER TABLE hub_audit ADD COLUMN actor text, ADD COLUMN ip text, ADD COLUMN detail jsonb;
CREATE INDEX hub_audit_at ON hub_audit (at DESC, id DESC);
CREATE INDEX ledger_at ON ledger (at);
CREATE INDEX redemptions_at ON redemptions (at);
