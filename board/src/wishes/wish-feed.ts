import type { WishWall } from '@protocol/service.ts';
import { fetchWishes, type BoardPairing } from '../access.ts';

/** The part of the board's Socket.IO client the wish wall listens on. */
export interface WishSocket {
  on(event: 'connect', listener: () => void): unknown;
  on(event: 'wishes:changed', listener: (wall: WishWall) => void): unknown;
}

/**
 * Keeps the wish wall current: fetched on every (re)connect and every few minutes (a change
 * missed while disconnected is caught up), replaced whole by each `wishes:changed`, which
 * carries the complete wall.
 */
export function followWishes(socket: WishSocket, pairing: BoardPairing | null, onWall: (wall: WishWall) => void, refreshMs = 3 * 60_000): () => void {
  let stopped = false;
  const refetch = () =>
    fetchWishes(pairing).then(
      (wall) => !stopped && onWall(wall),
      // Offline or restarting: the next connect or tick tries again.
      () => undefined,
    );
  socket.on('connect', () => void refetch());
  socket.on('wishes:changed', (wall) => !stopped && onWall(wall));
  const timer = setInterval(() => void refetch(), refreshMs);
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
