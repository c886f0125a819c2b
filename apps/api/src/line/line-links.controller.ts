import { Body, Controller, Delete, HttpCode, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNoContentResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { Authenticated } from '#anpi/accounts';
import type { Actor } from '#anpi/audit';
import type { TenantId } from '#anpi/db';
import { InviteDepartmentDto, InviteResult, LineInvitations, LineUnlinker } from '#anpi/line';
import { CurrentActor, CurrentTenant, UuidPipe } from '../http/params.js';
import { NotFoundError } from '#anpi/errors';

@ApiTags('line: linking')
@Controller('v1/employees')
export class LineLinksController {
  constructor(
    private readonly invitations: LineInvitations,
    private readonly unlinker: LineUnlinker,
  ) {}

  @ApiOperation({ summary: "Invite a department's unlinked employees to LINE" })
  @Post('line-invite')
  @HttpCode(202)
  @Authenticated('admin', 'maintainer')
  @ApiAcceptedResponse({ type: InviteResult, description: 'Every active, unlinked employee of the department subtree with an email or mobile' })
  inviteDepartment(@CurrentTenant() tenant: TenantId, @CurrentActor() actor: Actor, @Body() dto: InviteDepartmentDto): Promise<InviteResult> {
    return this.invitations.inviteDepartment(tenant, actor, dto.departmentId);
  }

  @ApiOperation({ summary: 'Invite an employee to link LINE' })
  @Post(':id/line-invite')
  @HttpCode(202)
  @Authenticated('admin', 'maintainer')
  @ApiAcceptedResponse({ type: InviteResult })
  invite(@CurrentTenant() tenant: TenantId, @CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string): Promise<InviteResult> {
    return this.invitations.inviteOne(tenant, actor, id);
  }

  @ApiOperation({ summary: "Unlink an employee's LINE account" })
  @Delete(':id/line-link')
  @HttpCode(204)
  @Authenticated('admin')
  @ApiNoContentResponse({ description: 'The LINE link is removed (audited); alerts go by email and SMS' })
  async unlink(@CurrentTenant() tenant: TenantId, @CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string): Promise<void> {
    if (!(await this.unlinker.unlink(tenant, id, actor, 'admin'))) throw new NotFoundError(`Employee ${id} not found or has no LINE link`);
  }
}
