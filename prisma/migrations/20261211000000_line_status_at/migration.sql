-- LINE may hand a user's follow and unfollow to the worker in either order (separate webhook
-- requests are separate jobs, and LINE redelivers). The time of the last one applied, from the
-- event itself, lets an older one handled later change nothing.
ALTER TABLE "employees" ADD COLUMN "line_status_at" TIMESTAMPTZ(3);
