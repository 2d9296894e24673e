import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { AppConfig } from '../config/app-config';
import { bearerToken } from '../orgs/api-key';

/** Lets through requests that carry `Authorization: Bearer <ADMIN_TOKEN>`. */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(config: AppConfig) {
    this.expected = digest(config.adminToken);
  }

  canActivate(context: ExecutionContext): boolean {
    const token = bearerToken(context.switchToHttp().getRequest<Request>().headers.authorization);
    if (!token || !timingSafeEqual(digest(token), this.expected)) {
      throw new UnauthorizedException('A valid admin token is required');
    }

    return true;
  }
}

// Comparing fixed-length digests keeps the comparison constant-time whatever the input length.
function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
