-- The district hub's schema. Every row of a center's data carries center_id; the station's own
-- record id is unique only within its center. `data` keeps the station's record as it was sent
-- (minus fields the district does not keep, see docs/district.md); typed columns are what the
-- reports and the register query and index.

CREATE TABLE centers (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  join_key_hash text NOT NULL UNIQUE,
  key_revoked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- The last journal sequence number of the station applied here, moved in the same transaction as the rows.
  last_seq bigint NOT NULL DEFAULT 0,
  -- The station's own durable sequence number at its last contact: last_seq behind it is the lag.
  station_seq bigint NOT NULL DEFAULT 0,
  last_seen_at timestamptz
);

CREATE TABLE hub_sessions (
  token_hash text PRIMARY KEY,
  role text NOT NULL CHECK (role IN ('admin', 'viewer')),
  expires_at timestamptz NOT NULL
);

CREATE TABLE hub_audit (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  role text NOT NULL,
  action text NOT NULL,
  target text
);

CREATE TABLE volunteers (
  center_id uuid NOT NULL REFERENCES centers(id),
  id text NOT NULL,
  name text NOT NULL,
  phone text,
  id_number text,
  card_no text,
  status text,
  joined_on text,
  data jsonb NOT NULL,
  PRIMARY KEY (center_id, id)
);
CREATE INDEX volunteers_phone ON volunteers (phone) WHERE phone IS NOT NULL;
CREATE INDEX volunteers_id_number ON volunteers (id_number) WHERE id_number IS NOT NULL;
CREATE INDEX volunteers_name ON volunteers (name text_pattern_ops);

CREATE TABLE teams (
  center_id uuid NOT NULL REFERENCES centers(id),
  id text NOT NULL,
  name text NOT NULL,
  data jsonb NOT NULL,
  PRIMARY KEY (center_id, id)
);

CREATE TABLE activities (
  center_id uuid NOT NULL REFERENCES centers(id),
  id text NOT NULL,
  title text NOT NULL,
  starts_at timestamptz,
  ends_at timestamptz,
  data jsonb NOT NULL,
  PRIMARY KEY (center_id, id)
);

CREATE TABLE attendance (
  center_id uuid NOT NULL REFERENCES centers(id),
  id text NOT NULL,
  volunteer_id text NOT NULL,
  activity_id text,
  check_in_at timestamptz NOT NULL,
  check_out_at timestamptz,
  -- Creditable minutes: 0 while open and once removed, as in the station's totals.
  minutes integer NOT NULL DEFAULT 0,
  removed boolean NOT NULL DEFAULT false,
  data jsonb NOT NULL,
  PRIMARY KEY (center_id, id)
);
CREATE INDEX attendance_center_month ON attendance (center_id, check_in_at);
CREATE INDEX attendance_volunteer ON attendance (center_id, volunteer_id);
CREATE INDEX attendance_open ON attendance (check_in_at) WHERE check_out_at IS NULL AND NOT removed;

CREATE TABLE service_records (
  center_id uuid NOT NULL REFERENCES centers(id),
  id text NOT NULL,
  volunteer_id text NOT NULL,
  kind text,
  started_at timestamptz,
  minutes integer NOT NULL DEFAULT 0,
  removed boolean NOT NULL DEFAULT false,
  data jsonb NOT NULL,
  PRIMARY KEY (center_id, id)
);
CREATE INDEX service_records_center_month ON service_records (center_id, started_at);

CREATE TABLE ledger (
  center_id uuid NOT NULL REFERENCES centers(id),
  id text NOT NULL,
  volunteer_id text NOT NULL,
  delta numeric NOT NULL,
  kind text NOT NULL,
  at timestamptz NOT NULL,
  data jsonb NOT NULL,
  PRIMARY KEY (center_id, id)
);
CREATE INDEX ledger_volunteer ON ledger (center_id, volunteer_id);

CREATE TABLE redemptions (
  center_id uuid NOT NULL REFERENCES centers(id),
  id text NOT NULL,
  volunteer_id text NOT NULL,
  receipt_no text,
  points_spent numeric NOT NULL,
  at timestamptz NOT NULL,
  voided boolean NOT NULL DEFAULT false,
  data jsonb NOT NULL,
  PRIMARY KEY (center_id, id)
);
CREATE INDEX redemptions_center_month ON redemptions (center_id, at);

CREATE TABLE star_records (
  center_id uuid NOT NULL REFERENCES centers(id),
  id text NOT NULL,
  volunteer_id text NOT NULL,
  stars integer NOT NULL,
  data jsonb NOT NULL,
  PRIMARY KEY (center_id, id)
);

-- Payloads of the Socket.IO PostgreSQL adapter over NOTIFY's 8000-byte limit.
CREATE TABLE socket_io_attachments (
  id bigserial UNIQUE,
  created_at timestamptz DEFAULT now(),
  payload bytea
);
