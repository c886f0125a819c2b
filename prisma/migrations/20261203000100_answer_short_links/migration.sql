-- Short answer links for SMS: a random code per recipient (see prisma/schema/answers.prisma).
CREATE TABLE "answer_short_links" (
    "code" TEXT NOT NULL,
    "tenant_id" UUID NOT NULL,
    "broadcast_id" UUID NOT NULL,
    "recipient_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "answer_short_links_pkey" PRIMARY KEY ("code")
);

CREATE UNIQUE INDEX "answer_short_links_recipient_id_key" ON "answer_short_links"("recipient_id");

ALTER TABLE "answer_short_links" ADD CONSTRAINT "answer_short_links_recipient_id_fkey" FOREIGN KEY ("recipient_id") REFERENCES "recipients"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE answer_short_links ENABLE ROW LEVEL SECURITY;
ALTER TABLE answer_short_links FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON answer_short_links
  USING (tenant_id = anpi_current_tenant()) WITH CHECK (tenant_id = anpi_current_tenant());

-- A short link is opened before its tenant is known: this returns the broadcast and recipient a
-- code stands for, with the broadcast's answer deadline, and nothing else.
CREATE FUNCTION anpi_short_link(p_code text) RETURNS TABLE (broadcast_id uuid, recipient_id uuid, expires_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT s.broadcast_id, s.recipient_id, b.answer_expires_at FROM answer_short_links s JOIN broadcasts b ON b.id = s.broadcast_id WHERE s.code = p_code $$;
REVOKE ALL ON FUNCTION anpi_short_link(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION anpi_short_link(text) TO anpi_app;
