import { Readable } from 'node:stream';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
  ApiUnprocessableEntityResponse,
  ApiOperation,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Authenticated } from '#anpi/accounts';
import type { Actor } from '#anpi/audit';
import type { TenantId } from '#anpi/db';
import {
  CreateEmployeeDto,
  EmployeeExporter,
  EmployeeImporter,
  EmployeePage,
  EmployeesService,
  EmployeeSummaryView,
  EmployeeView,
  ImportQuery,
  ImportReport,
  ListEmployeesQuery,
  UpdateEmployeeDto,
  type DirectoryViewer,
} from '#anpi/directory';
import { spoolCsvUpload } from '../http/csv-upload.js';
import { CurrentActor, CurrentTenant, UuidPipe } from '../http/params.js';
import { Viewer } from '../http/viewer.decorator.js';

@ApiTags('directory: employees')
@Controller('v1/employees')
export class EmployeesController {
  constructor(
    private readonly employees: EmployeesService,
    private readonly importer: EmployeeImporter,
    private readonly exporter: EmployeeExporter,
  ) {}

  @ApiOperation({ summary: 'List and search employees' })
  @Get()
  @Authenticated('admin', 'maintainer', 'department_head')
  @ApiOkResponse({ type: EmployeePage, description: 'Department heads get their subtrees only, without contacts' })
  list(@Viewer() viewer: DirectoryViewer, @Query() query: ListEmployeesQuery): Promise<EmployeePage> {
    return this.employees.list(viewer, query);
  }

  @ApiOperation({ summary: 'Export employees as CSV' })
  @Get('export')
  @Authenticated('admin', 'maintainer')
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'UTF-8 CSV with BOM, the columns import reads (see docs/directory.md)' })
  export(@CurrentTenant() tenant: TenantId, @CurrentActor() actor: Actor): StreamableFile {
    const date = new Date().toISOString().slice(0, 10).replaceAll('-', '');
    return new StreamableFile(Readable.from(this.exporter.csv(tenant, actor)), {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="employees-${date}.csv"`,
    });
  }

  @ApiOperation({ summary: 'Import employees from CSV (dry run available)' })
  @Post('import')
  @Authenticated('admin', 'maintainer')
  @HttpCode(200)
  @ApiConsumes('text/csv', 'multipart/form-data')
  @ApiBody({
    description: 'The CSV (UTF-8 with or without BOM, or Shift_JIS), as the body or the "file" field of a form',
    schema: { type: 'string', format: 'binary' },
  })
  @ApiOkResponse({ type: ImportReport, description: 'Applied, or (dryRun) what would change' })
  @ApiUnprocessableEntityResponse({ type: ImportReport, description: 'The file has errors; nothing was written' })
  async import(
    @CurrentTenant() tenant: TenantId,
    @CurrentActor() actor: Actor,
    @Query() query: ImportQuery,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ImportReport> {
    const upload = await spoolCsvUpload(req);
    try {
      const report = await this.importer.import(tenant, actor, upload.open(), {
        dryRun: query.dryRun ?? false,
        deactivateMissing: query.deactivateMissing ?? false,
        createDepartments: query.createDepartments ?? false,
      });
      if (!report.dryRun && !report.applied) res.status(422);
      return report;
    } finally {
      await upload.dispose();
    }
  }

  @ApiOperation({ summary: 'Get an employee' })
  @Get(':id')
  @Authenticated('admin', 'maintainer', 'department_head')
  @ApiOkResponse({ type: EmployeeView, description: 'EmployeeSummaryView for department heads' })
  get(@Viewer() viewer: DirectoryViewer, @Param('id', UuidPipe) id: string): Promise<EmployeeView | EmployeeSummaryView> {
    return this.employees.get(viewer, id);
  }

  @ApiOperation({ summary: 'Create an employee' })
  @Post()
  @Authenticated('admin', 'maintainer')
  @ApiCreatedResponse({ type: EmployeeView })
  create(@Viewer() viewer: DirectoryViewer, @CurrentActor() actor: Actor, @Body() dto: CreateEmployeeDto): Promise<EmployeeView> {
    return this.employees.create(viewer, actor, dto);
  }

  @ApiOperation({ summary: 'Change an employee' })
  @Patch(':id')
  @Authenticated('admin', 'maintainer')
  @ApiOkResponse({ type: EmployeeView, description: 'active: false deactivates and keeps the history' })
  update(
    @Viewer() viewer: DirectoryViewer,
    @CurrentActor() actor: Actor,
    @Param('id', UuidPipe) id: string,
    @Body() dto: UpdateEmployeeDto,
  ): Promise<EmployeeView> {
    return this.employees.update(viewer, actor, id, dto);
  }

  @ApiOperation({ summary: "Clear an employee's bounced-address flags (the mailbox works again)" })
  @Delete(':id/email-bounces')
  @Authenticated('admin', 'maintainer')
  @ApiOkResponse({ type: EmployeeView })
  clearEmailBounces(@Viewer() viewer: DirectoryViewer, @CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string): Promise<EmployeeView> {
    return this.employees.clearEmailBounces(viewer, actor, id);
  }

  @ApiOperation({ summary: "Erase an employee's personal data" })
  @Delete(':id')
  @Authenticated('admin')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Data-protection erasure: personal data removed, an anonymous inactive row kept for past counts' })
  erase(@CurrentTenant() tenant: TenantId, @CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string): Promise<void> {
    return this.employees.erase(tenant, actor, id);
  }
}
