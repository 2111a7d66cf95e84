-- The register page reads one page of an agreement's records in the
-- register's order (newest period first, then title and id): this index
-- lets the database read just that page instead of sorting every record.
-- Keep in step with migrations/sqlite/0010_register_order.sql.

CREATE INDEX collaborations_listed ON collaborations (agreement_id, starts_on DESC, title, id);
