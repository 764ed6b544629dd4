import type { AppContext } from '../context.ts';
import { auditChange } from '../audit.ts';
import type { Change } from '../store/state.ts';
import { finalizeIfDue } from './notice-rules.ts';

/**
 * Notices become final lazily: every read of notices, star records or the board calls this
 * with the injected clock, so no timer is needed and a server that was off at the end of a
 * notice period finalizes it on the first read after. The check and the commit happen in one
 * synchronous step, so two reads at once cannot finalize twice.
 */
export async function finalizeDueNotices(ctx: AppContext): Promise<void> {
  const now = ctx.clock.now();
  const changes: Change[] = [];
  for (const notice of ctx.store.state.records.notices.values()) {
    const due = finalizeIfDue(notice, now);
    if (!due) continue;
    changes.push({ c: 'notices', v: due.notice }, ...due.records.map((record): Change => ({ c: 'starRecords', v: record })));
    changes.push(auditChange(now, 'system', 'notice.final', notice.id, `${due.records.length} star record(s)`, { count: due.records.length }));
  }
  if (changes.length === 0) return;
  await ctx.store.commit(changes);
  ctx.notifications.emit('board:changed');
}
