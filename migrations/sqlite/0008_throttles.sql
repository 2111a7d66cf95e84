-- Rate limits on the forms that send e-mail (sign-up, password reset, change
-- of address, invitations, applications): one counter per bucket (an action
-- with a client address or a target e-mail address) and fixed time window,
-- shared by every instance on the database. Old windows are deleted by the
-- job runner. Keep in step with migrations/postgres/0008_throttles.sql.

CREATE TABLE throttle_hits (
    bucket TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    hits BIGINT NOT NULL,
    PRIMARY KEY (bucket, window_start)
);
