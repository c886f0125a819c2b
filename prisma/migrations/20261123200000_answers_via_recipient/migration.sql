-- Answers referenced their broadcast row directly: every answer's foreign-key check took a
-- KEY SHARE lock on that one row, and with hundreds of answers a second in flight PostgreSQL kept
-- building multixacts for it. They now reference their recipient (of the same broadcast), a row
-- no other answer locks; the broadcast stays implied (and cascades the same way).

-- DropForeignKey
ALTER TABLE "answers" DROP CONSTRAINT "answers_tenant_id_broadcast_id_fkey";

-- DropForeignKey
ALTER TABLE "answers" DROP CONSTRAINT "answers_tenant_id_recipient_id_fkey";

-- CreateIndex
CREATE UNIQUE INDEX "recipients_tenant_id_broadcast_id_id_key" ON "recipients"("tenant_id", "broadcast_id", "id");

-- AddForeignKey
ALTER TABLE "answers" ADD CONSTRAINT "answers_tenant_id_broadcast_id_recipient_id_fkey" FOREIGN KEY ("tenant_id", "broadcast_id", "recipient_id") REFERENCES "recipients"("tenant_id", "broadcast_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;
