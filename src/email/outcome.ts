import { BatchOutcome } from './email-batch';

export function emptyOutcome(): BatchOutcome {
  return { sent: [], rejected: [] };
}

/** Appends what `more` settled to `into`. */
export function addOutcome(into: BatchOutcome, more: BatchOutcome): BatchOutcome {
  into.sent.push(...more.sent);
  into.rejected.push(...more.rejected);

  return into;
}

/** The items in groups of at most `size`, in order. */
export function inGroupsOf<T>(items: T[], size: number): T[][] {
  const groups: T[][] = [];
  for (let i = 0; i < items.length; i += size) groups.push(items.slice(i, i + size));

  return groups;
}
