-- LINE's deliveries are created (and sent) before the other channels' ones; a broadcast may only
-- complete once all of them exist.
ALTER TABLE "broadcasts" ADD COLUMN "deliveries_ready_at" TIMESTAMPTZ(3);
UPDATE "broadcasts" SET "deliveries_ready_at" = "launched_at" WHERE "status" <> 'queued';

-- A launch adds a hundred thousand recipients and a few hundred thousand deliveries in seconds;
-- until the tables are analysed again the planner works from their old size and picks plans that
-- are thousands of times slower (a send batch's 500-row update scanning every delivery of the
-- tenant once per row). Autovacuum gets there a minute or more later, so the launch asks for it
-- itself. ANALYZE needs the table owner: this runs as the owner, for the application role.
CREATE FUNCTION anpi_analyze_fanout() RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public
  AS $$ BEGIN ANALYZE recipients; ANALYZE deliveries; END $$;
REVOKE ALL ON FUNCTION anpi_analyze_fanout() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION anpi_analyze_fanout() TO anpi_app;
