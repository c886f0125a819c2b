-- A recipient row is written at launch and then updated in place over the broadcast's life
-- (delivered, opened, answered, answered again). With every page filled at launch, each of those
-- updates moved the row to another page and added an entry to all six of the table's indexes;
-- none of the updated columns is indexed, so with room left on the page PostgreSQL updates it
-- there (a heap-only tuple) and touches no index. Applies to pages written from now on.
ALTER TABLE "recipients" SET (fillfactor = 70);

-- (tenant_id, delivery_id) is unique already: a ledger row per delivery needs no second index to
-- write on every sent message.
DROP INDEX "usage_ledger_delivery_id_key";
