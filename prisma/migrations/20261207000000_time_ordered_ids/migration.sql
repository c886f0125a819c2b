-- Ids for the rows a launch writes by the hundred thousand (recipients, deliveries, usage ledger,
-- answers): UUID version 7 (RFC 9562), milliseconds since the epoch first, then random bits. A
-- random (version 4) id puts each new row's entry on a random page of every index keyed by it (the
-- primary keys, (tenant_id, id), the ledger's delivery id), so a large alert dirtied, and evicted,
-- pages all over those indexes; ids in creation order append to their right-hand edge instead.
-- PostgreSQL 15 has no uuidv7(): a version 4 id with its first 48 bits replaced by the time, and
-- its version nibble changed from 4 to 7 (bits 52 and 53 of the bytea, counted from the low bit).
CREATE FUNCTION anpi_uuid7() RETURNS uuid
  LANGUAGE sql VOLATILE PARALLEL SAFE
  AS $$
    SELECT encode(
      set_bit(set_bit(
        overlay(uuid_send(gen_random_uuid())
                placing substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
                FROM 1 FOR 6),
        52, 1), 53, 1),
      'hex')::uuid
  $$;
GRANT EXECUTE ON FUNCTION anpi_uuid7() TO anpi_app;
