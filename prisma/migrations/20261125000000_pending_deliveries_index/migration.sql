-- "Is anything of this broadcast still pending?" runs after every send job (to complete the
-- broadcast) and every 250 ms of LINE's head start. Two things made it scan every delivery of the
-- broadcast (60 ms at 120,000; half of PostgreSQL's busy time during a 40,000-employee fan-out):
-- 1. Under row-level security a condition can only drive an index scan if its operator is
--    leakproof; enum equality (state = 'pending') is not, so the (broadcast_id, state) index was
--    searched by broadcast_id alone. A partial index holds only pending deliveries: the condition
--    then selects the index instead of being evaluated in it. Its round and batch (integers, whose
--    equality is leakproof) let a send job find its own batch's pending deliveries in it too.
-- 2. The statistics are taken just after the snapshot, when every delivery is pending, so the
--    planner expects the first pending row at once and picks a sequential scan, which then reads
--    every row already sent. The function below plans its one query with sequential scans off.
-- The (broadcast_id, state) index goes: under row-level security it served only as an index on
-- broadcast_id, which (broadcast_id, round, channel, batch, state) also is, and every sent
-- delivery (an update of state, never heap-only) wrote an entry into it.
DROP INDEX "deliveries_broadcast_id_state_idx";

CREATE INDEX "deliveries_pending_idx" ON "deliveries" ("broadcast_id", "round", "batch") WHERE "state" = 'pending';

-- Runs as the caller: row-level security still limits it to the caller's tenant.
CREATE FUNCTION anpi_deliveries_pending(p_broadcast uuid, p_round int DEFAULT NULL, p_channel "Channel" DEFAULT NULL) RETURNS boolean
  LANGUAGE sql STABLE
  SET enable_seqscan = off
  AS $$
    SELECT EXISTS (
      SELECT 1 FROM deliveries
      WHERE broadcast_id = p_broadcast AND state = 'pending'
        AND (p_round IS NULL OR round = p_round) AND (p_channel IS NULL OR channel = p_channel)
    )
  $$;
REVOKE ALL ON FUNCTION anpi_deliveries_pending(uuid, int, "Channel") FROM PUBLIC;
GRANT EXECUTE ON FUNCTION anpi_deliveries_pending(uuid, int, "Channel") TO anpi_app;
