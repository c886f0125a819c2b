import { createSecretKey } from 'node:crypto';
import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { AuditModule } from '#anpi/audit';
import { AppConfig } from '#anpi/config';
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
  imports: [
    // A key object made once: given the secret as a string, jsonwebtoken first tried it as a PEM
    // public key, then made a secret key, for every token it checked (every dashboard read).
    JwtModule.registerAsync({ inject: [AppConfig], useFactory: (config: AppConfig) => ({ secret: createSecretKey(Buffer.from(config.jwtSecret, 'utf8')) }) }),
    AuditModule,
  ],
  providers: [
    AccessTokenSigner,
    ApiKeysService,
    AuthService,
    Authenticator,
    LoginThrottle,
    PasswordHasher,
    RefreshTokenStore,
    SessionMaintenance,
    UsersService,
  ],
  exports: [ApiKeysService, AuthService, Authenticator, UsersService, RefreshTokenStore, PasswordHasher, SessionMaintenance],
})
export class AccountsModule {}
