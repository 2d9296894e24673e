import { Controller, Get, Header, HttpCode, Param, Post } from '@nestjs/common';
import { ResourceNotFoundException } from '../common/errors/api-error';
import { CacheInvalidator } from '../cache/cache-invalidator';
import { ContactService } from '../contacts/contact.service';
import { DeliveryRepository } from '../delivery/delivery.repository';
import { UnsubscribeTokens } from './unsubscribe-token';

const CONFIRMATION =
  '<!doctype html><meta charset="utf-8"><title>Unsubscribed</title>' +
  '<p>You are unsubscribed and will receive no more of these emails.</p>';

/** Public: the link in every message's List-Unsubscribe header. No API key. */
@Controller('v1/unsubscribe')
export class UnsubscribeController {
  constructor(
    private readonly tokens: UnsubscribeTokens,
    private readonly contacts: ContactService,
    private readonly deliveries: DeliveryRepository,
    private readonly cache: CacheInvalidator,
  ) {}

  @Get(':token')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  async viaLink(@Param('token') token: string): Promise<string> {
    await this.unsubscribe(token);

    return CONFIRMATION;
  }

  /** RFC 8058 one-click: mail clients POST `List-Unsubscribe=One-Click` here. */
  @Post(':token')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async oneClick(@Param('token') token: string): Promise<{ unsubscribed: true }> {
    await this.unsubscribe(token);

    return { unsubscribed: true };
  }

  private async unsubscribe(token: string): Promise<void> {
    const deliveryId = this.tokens.open(token);
    const delivery = deliveryId ? await this.deliveries.recipientOf(deliveryId) : null;
    if (!delivery) throw new ResourceNotFoundException('Unsubscribe link');

    await this.contacts.unsubscribe(delivery.orgId, delivery.email);
    // A public route carries no org for the cache layer to see: invalidate here.
    await this.cache.invalidate(delivery.orgId, ['contacts']);
  }
}
