import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuthService, ConsoleSessionView, InvalidSessionException, LoginDto, Public, type TokenPairView } from '#anpi/accounts';
import { ClientIp, RequestId } from '../http/params.js';
import { clearRefreshCookie, RefreshCookie, setRefreshCookie } from '../http/refresh-cookie.js';

/**
 * The console's sessions: the same accounts as /v1/auth, but the refresh token lives in an
 * HttpOnly cookie scoped to these routes, so no script (nor an injected one) can read it; the
 * access token lives in the page's memory only. API clients keep the body-based /v1/auth routes.
 */
@ApiTags('auth')
@Public()
@Controller('v1/auth/console')
export class ConsoleSessionController {
  constructor(private readonly auth: AuthService) {}

  @ApiOperation({ summary: 'Console login: the refresh token is set as an HttpOnly cookie' })
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ type: ConsoleSessionView })
  @ApiUnauthorizedResponse({ description: 'Wrong company code, email or password (one answer for all)' })
  @ApiTooManyRequestsResponse({ description: 'Too many failures; Retry-After says when to try again' })
  async login(
    @Body() dto: LoginDto,
    @ClientIp() ip: string,
    @RequestId() requestId: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ConsoleSessionView> {
    return session(res, await this.auth.login(dto, { ip, requestId }));
  }

  @ApiOperation({ summary: "Console refresh: a new access token for the cookie's session (the cookie is renewed)" })
  @Post('refresh')
  @HttpCode(200)
  @ApiOkResponse({ type: ConsoleSessionView })
  @ApiUnauthorizedResponse({ description: 'No session cookie, or the session ended or expired: log in again' })
  async refresh(
    @RefreshCookie() token: string,
    @ClientIp() ip: string,
    @RequestId() requestId: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ConsoleSessionView> {
    if (!token) throw new InvalidSessionException('No console session: log in');
    try {
      return session(res, await this.auth.refresh(token, { ip, requestId }));
    } catch (error) {
      clearRefreshCookie(res);
      throw error;
    }
  }

  @ApiOperation({ summary: "Console logout: ends the cookie's session and clears the cookie" })
  @Post('logout')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Logged out (also when there was no session)' })
  async logout(
    @RefreshCookie() token: string,
    @ClientIp() ip: string,
    @RequestId() requestId: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    if (token) await this.auth.logout(token, { ip, requestId });
    clearRefreshCookie(res);
  }
}

function session(res: Response, pair: TokenPairView): ConsoleSessionView {
  setRefreshCookie(res, pair.refreshToken, pair.refreshExpiresAt);
  return { accessToken: pair.accessToken, tokenType: pair.tokenType, expiresIn: pair.expiresIn, refreshExpiresAt: pair.refreshExpiresAt, user: pair.user };
}
