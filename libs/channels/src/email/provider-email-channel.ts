import { Injectable } from '@nestjs/common';
import { PermanentDeliveryError, TransientDeliveryError } from '../delivery-errors.js';
import { EmailChannel, type OutgoingEmail } from './email-channel.js';
import { EmailFailover } from './email-failover.js';
import type { EmailRoute } from './email-provider.js';
import { EmailProviders } from './email-providers.js';

/** EmailChannel through the providers, as a batch of one; the platform's route unless told otherwise. */
@Injectable()
export class ProviderEmailChannel extends EmailChannel {
  constructor(
    private readonly providers: EmailProviders,
    private readonly failover: EmailFailover,
  ) {
    super();
  }

  async send(email: OutgoingEmail, route: EmailRoute = this.providers.platformRoute()): Promise<{ messageId: string }> {
    const { account, role } = await this.failover.choose(route);
    const batch = { ...email, recipients: [{ id: 'notice', to: email.to, values: {} }], trackDeliveries: false };
    const result = await this.providers.get(account.kind).sendBatch(account, batch);
    const accepted = result.accepted[0];
    if (accepted) {
      await this.failover.succeeded(route, role);
      return { messageId: accepted.messageId };
    }
    if (result.refused[0]) throw new PermanentDeliveryError(result.refused[0].reason);
    const failure = result.failure ?? new TransientDeliveryError('email provider accepted nothing');
    await this.failover.failed(route, role, failure);
    if (role === 'secondary' || !route.secondary) throw failure;
    const second = await this.providers.get(route.secondary.kind).sendBatch(route.secondary, batch);
    if (second.accepted[0]) return { messageId: second.accepted[0].messageId };
    if (second.refused[0]) throw new PermanentDeliveryError(second.refused[0].reason);
    throw second.failure ?? failure;
  }
}
