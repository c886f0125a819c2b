import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '#anpi/accounts';
import { ReadinessProbe, type Readiness } from './readiness-probe.js';

@ApiTags('health')
@Public()
@Controller()
export class HealthController {
  constructor(private readonly probe: ReadinessProbe) {}

  @ApiOperation({ summary: 'Process up' })
  @Get('healthz')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The process is up' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @ApiOperation({ summary: 'PostgreSQL and Redis answer' })
  @Get('readyz')
  @ApiOkResponse({ description: 'PostgreSQL and Redis answer' })
  @ApiServiceUnavailableResponse({ description: 'A dependency does not answer; the body says which' })
  async ready(@Res({ passthrough: true }) res: Response): Promise<Readiness & { status: 'ok' | 'unavailable' }> {
    const readiness = await this.probe.check();
    res.status(readiness.ready ? 200 : 503);
    return { status: readiness.ready ? 'ok' : 'unavailable', ...readiness };
  }
}
