-- A volunteer who moves or serves at two centers (docs/district.md, "Adding a volunteer to another
-- center"). A district person is one human being; each center's volunteer record that is that
-- person is linked to it here. A transfer is the district admin asking a center to take a person
-- registered at another center: the center's station pulls it over its own link (the hub never
-- dials a station), registers the person with its own card and says which volunteer it made.

CREATE TABLE district_persons (
  id uuid PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE person_links (
  center_id uuid NOT NULL REFERENCES centers(id),
  volunteer_id text NOT NULL,
  person_id uuid NOT NULL REFERENCES district_persons(id),
  linked_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (center_id, volunteer_id),
  -- A person has at most one volunteer record per center.
  UNIQUE (person_id, center_id)
);

CREATE TABLE volunteer_transfers (
  id uuid PRIMARY KEY,
  person_id uuid NOT NULL REFERENCES district_persons(id),
  from_center_id uuid NOT NULL REFERENCES centers(id),
  from_volunteer_id text NOT NULL,
  to_center_id uuid NOT NULL REFERENCES centers(id),
  -- What the taking center registers: the district's copy of the person (never address, notes or consents).
  person jsonb NOT NULL,
  note text,
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'taken', 'refused', 'cancelled')),
  requested_at timestamptz NOT NULL DEFAULT now(),
  done_at timestamptz,
  to_volunteer_id text,
  to_card_no text,
  refusal text
);
-- One open request per person and center: asking twice returns the first.
CREATE UNIQUE INDEX volunteer_transfers_open ON volunteer_transfers (person_id, to_center_id) WHERE state = 'pending';
CREATE INDEX volunteer_transfers_pending ON volunteer_transfers (to_center_id) WHERE state = 'pending';
