-- CreateEnum
CREATE TYPE "AnswerSource" AS ENUM ('self', 'proxy');

-- DropIndex
DROP INDEX "deliveries_broadcast_id_channel_batch_state_idx";

-- DropIndex
DROP INDEX "deliveries_recipient_id_channel_contact_index_key";

-- AlterTable
ALTER TABLE "broadcasts" ADD COLUMN     "escalation" JSONB,
ADD COLUMN     "escalation_step" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "reminder" JSONB,
ADD COLUMN     "reminders_sent" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "deliveries" ADD COLUMN     "round" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "recipients" ADD COLUMN     "answered_at" TIMESTAMPTZ(3),
ADD COLUMN     "delivered_at" TIMESTAMPTZ(3),
ADD COLUMN     "choices" JSONB,
ADD COLUMN     "employee_code" TEXT,
ADD COLUMN     "message" TEXT,
ADD COLUMN     "opened_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "templates" ADD COLUMN     "escalation" JSONB,
ADD COLUMN     "reminder" JSONB;

-- CreateTable
CREATE TABLE "answers" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "broadcast_id" UUID NOT NULL,
    "recipient_id" UUID NOT NULL,
    "choices" JSONB NOT NULL,
    "message" TEXT,
    "source" "AnswerSource" NOT NULL,
    "entered_by_id" UUID,
    "submission_key" TEXT NOT NULL,
    "submitted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "answers_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "answers_tenant_id_broadcast_id_submitted_at_idx" ON "answers"("tenant_id", "broadcast_id", "submitted_at");

-- CreateIndex
CREATE UNIQUE INDEX "answers_recipient_id_submission_key_key" ON "answers"("recipient_id", "submission_key");

-- CreateIndex
CREATE INDEX "deliveries_broadcast_id_round_channel_batch_state_idx" ON "deliveries"("broadcast_id", "round", "channel", "batch", "state");

-- CreateIndex
CREATE UNIQUE INDEX "deliveries_recipient_id_channel_contact_index_round_key" ON "deliveries"("recipient_id", "channel", "contact_index", "round");

-- AddForeignKey
ALTER TABLE "answers" ADD CONSTRAINT "answers_tenant_id_broadcast_id_fkey" FOREIGN KEY ("tenant_id", "broadcast_id") REFERENCES "broadcasts"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "answers" ADD CONSTRAINT "answers_tenant_id_recipient_id_fkey" FOREIGN KEY ("tenant_id", "recipient_id") REFERENCES "recipients"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Recipients snapshotted before this migration get their employee's code (or what is left of it).
UPDATE recipients r SET employee_code = e.code FROM employees e WHERE e.id = r.employee_id AND r.employee_code IS NULL;
UPDATE recipients SET employee_code = '' WHERE employee_code IS NULL;
UPDATE recipients r SET delivered_at = (SELECT min(d.sent_at) FROM deliveries d WHERE d.recipient_id = r.id AND d.state = 'sent');
ALTER TABLE recipients ALTER COLUMN employee_code SET NOT NULL;

ALTER TABLE answers ENABLE ROW LEVEL SECURITY;
ALTER TABLE answers FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON answers
  USING (tenant_id = anpi_current_tenant()) WITH CHECK (tenant_id = anpi_current_tenant());

-- The answer page knows a broadcast and a recipient from a signed token, not the tenant: this
-- returns the tenant of that pair (nothing when they do not belong together), and nothing else.
CREATE FUNCTION anpi_answer_tenant(p_broadcast uuid, p_recipient uuid) RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT r.tenant_id FROM recipients r WHERE r.id = p_recipient AND r.broadcast_id = p_broadcast $$;
REVOKE ALL ON FUNCTION anpi_answer_tenant(uuid, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION anpi_answer_tenant(uuid, uuid) TO anpi_app;
