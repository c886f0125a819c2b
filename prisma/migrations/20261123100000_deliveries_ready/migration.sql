-- LINE's deliveries are created (and sent) before the other channels' ones; a broadcast may only
-- complete once all of them exist.
ALTER TABLE "broadcasts" ADD COLUMN "deliveries_ready_at" TIMESTAMPTZ(3);
UPDATE "broadcasts" SET "deliveries_ready_at" = "launched_at" WHERE "status" <> 'queued';
