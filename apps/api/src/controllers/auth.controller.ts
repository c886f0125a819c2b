import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse, ApiOperation } from '@nestjs/swagger';
import { AuthService, Authenticated, ChangePasswordDto, LoginDto, Public, RefreshDto, TokenPairView, rolesOf, type TenantPrincipal } from '#anpi/accounts';
import type { Actor } from '#anpi/audit';
import { ClientIp, CurrentActor, CurrentPrincipal, RequestId } from '../http/params.js';
import { MeView } from './me.view.js';
import { ForbiddenError } from '#anpi/errors';

@ApiTags('auth')
@Controller('v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @ApiOperation({ summary: 'Log in with company code, email and password' })
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenPairView })
  @ApiUnauthorizedResponse({ description: 'Wrong company code, email or password (one answer for all)' })
  @ApiTooManyRequestsResponse({ description: 'Too many failures; Retry-After says when to try again' })
  login(@Body() dto: LoginDto, @ClientIp() ip: string, @RequestId() requestId: string): Promise<TokenPairView> {
    return this.auth.login(dto, { ip, requestId });
  }

  @Public()
  @ApiOperation({ summary: 'Exchange a refresh token for a new token pair' })
  @Post('refresh')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenPairView, description: 'A new pair; the refresh token sent is now spent' })
  refresh(@Body() dto: RefreshDto, @ClientIp() ip: string, @RequestId() requestId: string): Promise<TokenPairView> {
    return this.auth.refresh(dto.refreshToken, { ip, requestId });
  }

  @Public()
  @ApiOperation({ summary: 'End the session of a refresh token' })
  @Post('logout')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The session of this refresh token is ended' })
  logout(@Body() dto: RefreshDto, @ClientIp() ip: string, @RequestId() requestId: string): Promise<void> {
    return this.auth.logout(dto.refreshToken, { ip, requestId });
  }

  @Authenticated()
  @ApiOperation({ summary: 'Who the caller is' })
  @Get('me')
  @ApiOkResponse({ type: MeView })
  me(@CurrentPrincipal() principal: TenantPrincipal): MeView {
    return principal.kind === 'user'
      ? { kind: 'user', tenantId: principal.tenantId, userId: principal.userId, roles: rolesOf(principal) }
      : { kind: 'api_key', tenantId: principal.tenantId, apiKeyId: principal.apiKeyId, roles: rolesOf(principal) };
  }

  @Authenticated()
  @ApiOperation({ summary: "Change one's own password" })
  @Post('password')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Changed; every session of the user is ended' })
  changePassword(@CurrentPrincipal() principal: TenantPrincipal, @CurrentActor() actor: Actor, @Body() dto: ChangePasswordDto): Promise<void> {
    if (principal.kind !== 'user') throw new ForbiddenError('api_key_has_no_password', 'API keys have no password');
    return this.auth.changePassword(principal.tenantId, principal.userId, dto.currentPassword, dto.newPassword, actor);
  }
}
