import { Injectable } from '@nestjs/common';
import { AuditLog, type Actor } from '#anpi/audit';
import { PlatformDb, TenantDb, asTenantId, isUuid, type Prisma, type Tx } from '#anpi/db';
import { firstDay } from '../billing-month.js';
import { tenantScope, type BillingViewer } from '../billing-viewer.js';
import { InvoiceSummaryView, InvoiceView, type InvoiceListQuery } from '../dto/invoice.dto.js';
import { ConflictError, NotFoundError } from '#anpi/errors';

/** Reading invoices (a tenant its own, the operator all) and issuing them. */
@Injectable()
export class InvoicesService {
  constructor(
    private readonly platform: PlatformDb,
    private readonly db: TenantDb,
    private readonly audit: AuditLog,
  ) {}

  async list(viewer: BillingViewer, query: InvoiceListQuery): Promise<InvoiceSummaryView[]> {
    const tenantId = tenantScope(viewer, query.tenantId);
    const where: Prisma.InvoiceWhereInput = {
      ...(tenantId && { tenantId }),
      ...(query.month ? { month: firstDay(query.month) } : {}),
    };
    const rows = await this.read(viewer, (tx) =>
      tx.invoice.findMany({ where, include: { plan: true }, orderBy: [{ month: 'desc' }, { tenantId: 'asc' }], take: 1000 }),
    );
    return rows.map(InvoiceSummaryView.from);
  }

  async get(viewer: BillingViewer, id: string): Promise<InvoiceView> {
    const row = isUuid(id)
      ? await this.read(viewer, (tx) =>
          tx.invoice.findFirst({
            where: { id, ...(viewer.kind === 'tenant' && { tenantId: viewer.tenantId }) },
            include: { plan: true, lines: true, usage: true },
          }),
        )
      : null;
    if (!row) throw new NotFoundError(`Invoice ${id} not found`);
    return InvoiceView.full(row);
  }

  /** The operator sends the invoice: from now on no re-run of its month may change it. */
  async issue(actor: Actor, id: string): Promise<InvoiceView> {
    const found = await this.get({ kind: 'platform' }, id);
    if (found.status === 'issued') throw new ConflictError('already_issued', `Invoice ${id} was issued at ${found.issuedAt}`);
    const tenantId = asTenantId(found.tenantId);
    await this.platform.run(async (tx) => {
      await this.platform.enterTenant(tx, tenantId);
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('invoice:' || ${tenantId} || ':' || ${found.month}))`;
      const { count } = await tx.invoice.updateMany({ where: { id, tenantId, status: 'draft' }, data: { status: 'issued', issuedAt: new Date() } });
      if (count === 0) throw new ConflictError('already_issued', `Invoice ${id} was issued meanwhile`);
      await this.audit.record(tx, tenantId, actor, {
        action: 'invoice.issued',
        resourceType: 'invoice',
        resourceId: id,
        details: { month: found.month, total: found.total },
      });
    });
    return this.get({ kind: 'platform' }, id);
  }

  private read<T>(viewer: BillingViewer, work: (tx: Tx) => Promise<T>): Promise<T> {
    return viewer.kind === 'tenant' ? this.db.run(viewer.tenantId, work) : this.platform.run(work);
  }
}
