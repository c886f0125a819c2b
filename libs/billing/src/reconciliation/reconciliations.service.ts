import { Injectable } from '@nestjs/common';
import { PlatformDb, TenantDb, type Prisma, type Tx } from '#anpi/db';
import { billingMonthOf, firstDay } from '../billing-month.js';
import { tenantScope, type BillingViewer } from '../billing-viewer.js';
import { ReconciliationView, type ReconciliationQuery } from '../dto/reconciliation.dto.js';

/** The latest LINE-versus-ledger check of each tenant for a month. */
@Injectable()
export class ReconciliationsService {
  constructor(
    private readonly platform: PlatformDb,
    private readonly db: TenantDb,
  ) {}

  async latest(viewer: BillingViewer, query: ReconciliationQuery, now = new Date()): Promise<ReconciliationView[]> {
    const tenantId = tenantScope(viewer, query.tenantId);
    const where: Prisma.LineReconciliationWhereInput = {
      month: firstDay(query.month ?? billingMonthOf(now)),
      ...(tenantId && { tenantId }),
    };
    const read = (tx: Tx) => tx.lineReconciliation.findMany({ where, orderBy: [{ tenantId: 'asc' }, { checkedAt: 'desc' }], distinct: ['tenantId'] });
    const rows = viewer.kind === 'tenant' ? await this.db.run(viewer.tenantId, read) : await this.platform.run(read);
    return rows.map(ReconciliationView.from).filter((r) => !query.mismatchOnly || !r.matches);
  }
}
