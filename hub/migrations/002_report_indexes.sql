-- Covering indexes for the district's reads at scale (2,000,000 attendance records): the month
-- report scans a time range across all centers, the summary totals every center.
CREATE INDEX attendance_month ON attendance (check_in_at) INCLUDE (center_id, volunteer_id, minutes) WHERE NOT removed;
CREATE INDEX attendance_center_totals ON attendance (center_id) INCLUDE (minutes, removed);
CREATE INDEX service_records_month ON service_records (started_at) INCLUDE (center_id, volunteer_id, minutes) WHERE NOT removed;
