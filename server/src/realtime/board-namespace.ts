import type { Namespace, Server, Socket } from 'socket.io';
import type { AppContext } from '../context.ts';
import { staffForToken, sessionTokenFrom } from '../auth/session.ts';
import { can } from '../protocol/roles.ts';
import { deviceForToken } from '../devices/device-routes.ts';
import type { BoardClientEvents, BoardServerEvents } from '../protocol/events.ts';
import { closeEndedSessions, endWithSession } from './session-sockets.ts';

export type BoardNamespace = Namespace<BoardClientEvents, BoardServerEvents>;

/**
 * `/board`: a device paired in board mode (token in the handshake) or a signed-in staff member
 * (session cookie). Only public data travels here: masked names, stars, counts.
 * A cookie is checked only at the handshake, so a staff socket joins its session's room and is
 * closed when that session ends (logout, account disabled, password changed or reset) or
 * expires: signing out of the admin also signs that browser out of the board (issue 11).
 */
export function boardNamespace(io: Server, ctx: AppContext): BoardNamespace {
  const board = io.of('/board') as unknown as BoardNamespace;
  board.use((socket, next) => {
    const device = deviceForToken(ctx, (socket.handshake.auth as { token?: unknown } | undefined)?.token);
    const staff = staffForToken(ctx, sessionTokenFrom(socket.handshake.headers.cookie));
    if (device?.mode === 'board' || (staff && can(staff.staff.role, 'board:view'))) {
      if (device?.mode === 'board') socket.data.deviceId = device.id;
      else if (staff) socket.data.session = { id: staff.session.id, expiresAt: staff.session.expiresAt };
      return next();
    }
    const error = new Error('DEVICE_TOKEN_INVALID') as Error & { data?: unknown };
    error.data = { code: 'DEVICE_TOKEN_INVALID', message: 'The board needs a board device or a staff sign-in' };
    next(error);
  });
  board.on('connection', (socket) => {
    if (socket.data.deviceId) void socket.join(`device:${socket.data.deviceId}`);
    const session = socket.data.session as { id: string; expiresAt: string } | undefined;
    if (session) endWithSession(ctx, socket as unknown as Socket, session);
    // A (re)connecting board learns the current version at once and refetches if it differs from what it shows.
    socket.emit('board:stale', { version: ctx.live.boardVersion });
  });
  ctx.notifications.on('attendance:changed', (change) => board.emit('attendance:changed', change));
  // A revoked board stops at once rather than at its next refetch.
  ctx.notifications.on('device:revoked', (deviceId) => board.in(`device:${deviceId}`).disconnectSockets(true));
  closeEndedSessions(ctx, board);
  return board;
}
