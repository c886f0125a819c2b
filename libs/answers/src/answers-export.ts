import { csvCell as cell } from '#anpi/validation';
import { Injectable } from '@nestjs/common';
import { content, type Question } from '#anpi/alerts';
import { AuditLog, type Actor } from '#anpi/audit';
import { TenantDb, type Prisma } from '#anpi/db';
import type { DirectoryViewer } from '#anpi/directory';
import { RecipientsService } from './recipients.service.js';

const PAGE = 2000;
const STATE = { answered: '回答済 / answered', opened: '未回答(開封済) / opened', unanswered: '未回答 / unanswered' } as const;

/**
 * One row per recipient: department path, state, the answer to each question, the free message
 * and the time — UTF-8 with a BOM for Excel. Department heads get their subtrees only.
 */
@Injectable()
export class AnswersExport {
  constructor(
    private readonly db: TenantDb,
    private readonly recipients: RecipientsService,
    private readonly audit: AuditLog,
  ) {}

  /** Checks access first (a refusal is an HTTP error, not a broken download), then streams. */
  async open(viewer: DirectoryViewer, actor: Actor, broadcastId: string): Promise<AsyncGenerator<string>> {
    const tenantId = viewer.tenantId;
    const prepared = await this.db.run(tenantId, async (tx) => {
      const where = await this.recipients.where(tx, viewer, broadcastId);
      const broadcast = await tx.broadcast.findFirstOrThrow({ where: { id: broadcastId, tenantId } });
      const departments = await tx.department.findMany({ where: { tenantId }, select: { id: true, name: true } });
      return { where, questions: content.questions(broadcast.questions), names: new Map(departments.map((d) => [d.id, d.name])) };
    });
    return this.rows(viewer, actor, broadcastId, prepared);
  }

  private async *rows(
    viewer: DirectoryViewer,
    actor: Actor,
    broadcastId: string,
    { questions, names, where }: { questions: Question[]; names: Map<string, string>; where: Prisma.RecipientWhereInput },
  ): AsyncGenerator<string> {
    const tenantId = viewer.tenantId;
    const header = [
      '社員番号 / employee_code',
      '氏名 / name',
      '部署 / department',
      '状態 / state',
      ...questions.map((q) => `${q.label} / ${q.labelEn ?? q.id}`),
      'メッセージ / message',
      '回答日時 / answered_at',
    ];
    yield '\uFEFF' + header.map(cell).join(',') + '\r\n';
    let count = 0;
    for (let seq = -1; ;) {
      const rows = await this.db.run(tenantId, (tx) => tx.recipient.findMany({ where: { ...where, seq: { gt: seq } }, orderBy: { seq: 'asc' }, take: PAGE }));
      if (rows.length === 0) break;
      let chunk = '';
      for (const r of rows) {
        const choices = (r.choices ?? {}) as Record<string, string>;
        const state = r.answeredAt ? 'answered' : r.openedAt ? 'opened' : 'unanswered';
        chunk +=
          [
            r.employeeCode,
            r.name,
            r.departmentPath.map((id) => names.get(id) ?? '?').join(' › '),
            STATE[state],
            ...questions.map((q) => q.options.find((o) => o.id === choices[q.id])?.label ?? ''),
            r.message ?? '',
            r.answeredAt ? tokyo(r.answeredAt) : '',
          ]
            .map(cell)
            .join(',') + '\r\n';
      }
      count += rows.length;
      seq = rows[rows.length - 1]!.seq;
      yield chunk;
    }
    await this.db.run(tenantId, (tx) =>
      this.audit.record(tx, tenantId, actor, { action: 'answers.export', resourceType: 'broadcast', resourceId: broadcastId, details: { rows: count } }),
    );
  }
}

/** Times in Japan, as HR reads them: 2026-11-22 21:05:09 (JST). */
function tokyo(date: Date): string {
  return new Date(date.getTime() + 9 * 3_600_000).toISOString().replace('T', ' ').slice(0, 19);
}
