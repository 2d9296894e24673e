import type { Request } from 'express';
import { Org } from '../orgs/org';

/** A request the org API key guard has let through: `org` is the tenant it acts for. */
export interface AuthenticatedRequest extends Request {
  org: Org;
}
