import type { Namespace, Socket } from 'socket.io';
import type { AppContext } from '../context.ts';

const sessionRoom = (sessionId: string) => `session:${sessionId}`;

/**
 * A staff cookie is checked only at a socket's handshake, so a socket opened with one joins its
 * session's room and is closed when that session ends (logout, account disabled, password changed
 * or reset) or expires (issue 11). Used by every namespace that staff cookies open.
 */
export function endWithSession(ctx: AppContext, socket: Socket, session: { id: string; expiresAt: string }): void {
  void socket.join(sessionRoom(session.id));
  // At most 7 days away, within setTimeout's range; the server's clock, as staffForToken reads it.
  const expiry = setTimeout(() => socket.disconnect(true), Math.max(0, Date.parse(session.expiresAt) - ctx.clock.now().getTime()));
  expiry.unref();
  socket.once('disconnect', () => clearTimeout(expiry));
}

/** Closes the namespace's sockets of sessions that just ended. */
export function closeEndedSessions(ctx: AppContext, namespace: Pick<Namespace, 'in'>): void {
  ctx.notifications.on('sessions:ended', (sessionIds) => namespace.in(sessionIds.map(sessionRoom)).disconnectSockets(true));
}
