-- The figures of the register and the reports are counted in SQL: these
-- indexes hold every column those counts read, so the database counts from
-- the index alone instead of reading each record. Per year and committee
-- (the reports' overview, which records touch a year): the period and the
-- body. The plan activities a committee's records name (its report's
-- activities without a record).
-- Keep in step with migrations/sqlite/0012_register_figures.sql.

CREATE INDEX collaborations_period ON collaborations (agreement_id, starts_on, ends_on, city_body_id);
CREATE INDEX collaborations_activity ON collaborations (activity_id);
