import { Injectable } from '@nestjs/common';
import { TenantDb, type TenantId } from '#anpi/db';
import { ChannelSettingsService } from '../channel-settings.service.js';
import { LineWorksChannel } from './lineworks-channel.js';

/** 「接続テスト」: whether the tenant's stored LINE WORKS app can get an access token, in words. */
@Injectable()
export class LineWorksConnection {
  constructor(
    private readonly db: TenantDb,
    private readonly settings: ChannelSettingsService,
    private readonly lineworks: LineWorksChannel,
  ) {}

  async test(tenantId: TenantId): Promise<{ ok: boolean; message: string }> {
    const { lineworks } = await this.db.run(tenantId, (tx) => this.settings.resolve(tx, tenantId));
    if (!lineworks) {
      return { ok: false, message: 'LINE WORKS が設定されていません。先に設定を保存してください。/ LINE WORKS is not set up: save the settings first.' };
    }
    return this.lineworks.testConnection(lineworks);
  }
}
