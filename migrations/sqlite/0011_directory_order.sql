-- The public directory and the forms read the organisation register a page
-- at a time: by name or newest first, filtered by challenge or district,
-- and a municipality's organisations by name.
CREATE INDEX organisations_by_name ON organisations (name, id);
CREATE INDEX organisations_newest ON organisations (created_at, id);
CREATE INDEX organisations_in_municipality ON organisations (municipality_id, name, id);
CREATE INDEX organisation_districts_district ON organisation_districts (district_id, organisation_id);
CREATE INDEX organisation_challenges_challenge ON organisation_challenges (challenge_id, organisation_id);
