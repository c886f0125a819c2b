import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { AuditModule } from '#anpi/audit';
import { AccessTokenSigner } from './access-token-signer.js';
import { ApiKeysService } from './api-keys.service.js';
import { AuthService } from './auth.service.js';
import { Authenticator } from './authenticator.js';
import { LoginThrottle } from './login-throttle.js';
import { PasswordHasher } from './password-hasher.js';
import { RefreshTokenStore } from './refresh-token-store.js';
import { SessionMaintenance } from './session-maintenance.js';
import { UsersService } from './users.service.js';

@Module({
  imports: [JwtModule.register({}), AuditModule],
  providers: [AccessTokenSigner, ApiKeysService, AuthService, Authenticator, LoginThrottle, PasswordHasher, RefreshTokenStore, SessionMaintenance, UsersService],
  exports: [ApiKeysService, AuthService, Authenticator, UsersService, RefreshTokenStore, PasswordHasher, SessionMaintenance],
})
export class AccountsModule {}
