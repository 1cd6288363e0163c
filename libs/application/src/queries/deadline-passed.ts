import type { DocumentStore, Filter } from '@helpdesk/read-store';

/**
 * Open requests whose deadline is before `now`, in the categories `scope` names (a `categoryId` condition, or
 * none). A backlog can hold hundreds of thousands of them: counting their index range takes tens of
 * milliseconds, so the whole days before today are summed from a counter (a row per day and category) and only
 * today's are counted on the index. Deadlines are UTC ISO strings, so "before today" is the same test on the day
 * and on the full time.
 */
export async function countDeadlinePassed(documents: DocumentStore, collection: string, now: Date, scope: Filter = {}): Promise<number> {
  const today = now.toISOString().slice(0, 10);
  const [perDay, sinceMidnight] = await Promise.all([
    documents.countBy(collection, '_deadlineDay', { ...scope, baseStatus: 'open' }),
    documents.count(collection, { ...scope, baseStatus: 'open', deadline: { gte: `${today}T00:00:00.000Z`, lt: now.toISOString() } }),
  ]);
  let total = sinceMidnight;
  // Days are YYYY-MM-DD (ordered as text); requests without a deadline are grouped under null and never due.
  for (const [day, count] of Object.entries(perDay)) if (/^\d{4}-\d{2}-\d{2}$/.test(day) && day < today) total += count;
  return total;
}

/** Whether a list filter is exactly "open, deadline before now" (within categories): countDeadlinePassed counts it. */
export const isDeadlinePassedFilter = (filter: Filter): boolean =>
  filter['baseStatus'] === 'open' && Object.keys(filter).every((field) => ['baseStatus', 'deadline', 'categoryId'].includes(field));
