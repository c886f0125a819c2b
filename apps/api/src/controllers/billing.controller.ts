import { Controller, Get, Header, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags, ApiOperation } from '@nestjs/swagger';
import { AuthenticatedOrPlatform, PlatformOperator } from '#anpi/accounts';
import type { Actor } from '#anpi/audit';
import {
  CloseMonthQuery,
  CloseReportView,
  InvoiceListQuery,
  InvoicesService,
  InvoiceSummaryView,
  InvoiceView,
  LineReconciler,
  MonthCloser,
  ReconciliationQuery,
  ReconciliationsService,
  ReconciliationView,
  TenantQuery,
  UsageQuery,
  UsageReport,
  UsageView,
  invoiceCsv,
  type BillingViewer,
  type ReconcileReport,
} from '#anpi/billing';
import { asTenantId } from '#anpi/db';
import { BillingReader, CurrentActor, UuidPipe } from '../http/params.js';

@ApiTags('billing')
@Controller('v1/billing')
export class BillingController {
  constructor(
    private readonly invoices: InvoicesService,
    private readonly closer: MonthCloser,
    private readonly usage: UsageReport,
    private readonly reconciliations: ReconciliationsService,
    private readonly reconciler: LineReconciler,
  ) {}

  @ApiOperation({ summary: 'List invoices' })
  @Get('invoices')
  @AuthenticatedOrPlatform('admin')
  @ApiOkResponse({ type: [InvoiceSummaryView], description: 'Newest month first; a tenant sees its own, the operator all (or ?tenantId=)' })
  list(@BillingReader() viewer: BillingViewer, @Query() query: InvoiceListQuery): Promise<InvoiceSummaryView[]> {
    return this.invoices.list(viewer, query);
  }

  @ApiOperation({ summary: 'An invoice as CSV' })
  @Get('invoices/:id.csv')
  @AuthenticatedOrPlatform('admin')
  @ApiProduces('text/csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @ApiOkResponse({ description: 'UTF-8 CSV with BOM: lines, totals, usage by channel (drills apart), rounding' })
  async csv(@BillingReader() viewer: BillingViewer, @Param('id', UuidPipe) id: string): Promise<string> {
    return invoiceCsv(await this.invoices.get(viewer, id));
  }

  @ApiOperation({ summary: 'Get an invoice' })
  @Get('invoices/:id')
  @AuthenticatedOrPlatform('admin')
  @ApiOkResponse({ type: InvoiceView })
  get(@BillingReader() viewer: BillingViewer, @Param('id', UuidPipe) id: string): Promise<InvoiceView> {
    return this.invoices.get(viewer, id);
  }

  @ApiOperation({ summary: 'Issue a draft invoice (platform operator)' })
  @Post('invoices/:id/issue')
  @PlatformOperator()
  @HttpCode(200)
  @ApiOkResponse({ type: InvoiceView, description: 'Issued: no later close of its month changes it' })
  issue(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string): Promise<InvoiceView> {
    return this.invoices.issue(actor, id);
  }

  @ApiOperation({ summary: 'Close a past month again (platform operator)' })
  @Post('close')
  @PlatformOperator()
  @HttpCode(200)
  @ApiOkResponse({ type: CloseReportView, description: 'Closes a past month again: drafts are recomputed, issued invoices kept' })
  close(@Query() query: CloseMonthQuery): Promise<CloseReportView> {
    return this.closer.closeAll(query.month, new Date(), query.tenantId ? asTenantId(query.tenantId) : undefined);
  }

  @ApiOperation({ summary: 'Usage this month against the pack' })
  @Get('usage')
  @AuthenticatedOrPlatform('admin')
  @ApiOkResponse({ type: UsageView })
  usageOf(@BillingReader() viewer: BillingViewer, @Query() query: UsageQuery): Promise<UsageView> {
    return this.usage.view(viewer, query);
  }

  @ApiOperation({ summary: "LINE's monthly figure beside the ledger's" })
  @Get('reconciliation')
  @AuthenticatedOrPlatform('admin')
  @ApiOkResponse({ type: [ReconciliationView], description: 'The latest LINE-versus-ledger check per tenant for the month' })
  reconciliation(@BillingReader() viewer: BillingViewer, @Query() query: ReconciliationQuery): Promise<ReconciliationView[]> {
    return this.reconciliations.latest(viewer, query);
  }

  @ApiOperation({ summary: 'Reconcile LINE usage now (platform operator)' })
  @Post('reconciliation/run')
  @PlatformOperator()
  @HttpCode(200)
  @ApiOkResponse({ description: 'Runs the daily reconciliation now (all tenants on their own LINE channel, or ?tenantId=)' })
  reconcile(@Query() query: TenantQuery): Promise<ReconcileReport> {
    return this.reconciler.reconcileAll(new Date(), query.tenantId ? asTenantId(query.tenantId) : undefined);
  }
}
