import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { bearerToken } from '../orgs/api-key';
import { OrgService } from '../orgs/org.service';
import { AuthenticatedRequest } from './authenticated-request';

/** Resolves `Authorization: Bearer <org API key>` to the org; anything else answers 401. */
@Injectable()
export class OrgApiKeyGuard implements CanActivate {
  constructor(private readonly orgs: OrgService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerToken(req.headers.authorization);
    const org = token ? await this.orgs.authenticate(token) : null;
    if (!org) throw new UnauthorizedException('A valid org API key is required');

    req.org = org;

    return true;
  }
}
