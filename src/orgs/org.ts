/** An organization: the tenant every contact, campaign and delivery belongs to. */
export interface Org {
  id: string;
  name: string;
  apiKeyPrefix: string;
  createdAt: string;
}
