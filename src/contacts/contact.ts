export type AttributeValue = string | number | boolean;

export interface Contact {
  id: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  attributes: Record<string, AttributeValue>;
  tags: string[];
  unsubscribedAt: string | null;
  createdAt: string;
  updatedAt: string;
}
