import type { Server } from 'socket.io';
import type { AppContext } from '../context.ts';
import type { BoardNamespace } from '../realtime/board-namespace.ts';

/**
 * Changes the attendance events do not carry (an activity opened or closed, settings, a notice)
 * move the board version on and tell every board it is stale, so each refetches at once instead
 * of waiting for its safety-net refresh.
 */
export function boardHints(io: Server, ctx: AppContext): void {
  const boards = io.of('/board') as unknown as BoardNamespace;
  const stale = () => {
    ctx.live.boardVersion += 1;
    boards.emit('board:stale', { version: ctx.live.boardVersion });
  };
  ctx.notifications.on('activities:changed', stale);
  ctx.notifications.on('board:changed', stale);
  // Redemptions reach the board only when the center shows them; otherwise nothing there changed.
  const redemptionsChanged = () => {
    if (ctx.store.state.settings.board.showRedemptions) stale();
  };
  ctx.notifications.on('redemption:created', redemptionsChanged);
  ctx.notifications.on('redemption:voided', redemptionsChanged);
}
