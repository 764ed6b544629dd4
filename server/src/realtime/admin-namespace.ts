import type { Namespace, Server, Socket } from 'socket.io';
import type { AppContext } from '../context.ts';
import { staffForToken, sessionTokenFrom } from '../auth/session.ts';
import { can, type Permission } from '../protocol/roles.ts';
import type { AdminClientEvents, AdminServerEvents } from '../protocol/events.ts';
import { closeEndedSessions, endWithSession } from './session-sockets.ts';

type AdminSocket = Socket<AdminClientEvents, AdminServerEvents, Record<string, never>, { sessionToken: string }>;
export type AdminNamespace = Namespace<AdminClientEvents, AdminServerEvents, Record<string, never>, { sessionToken: string }>;

/** Presence changes come in bursts (every tablet reconnects after a Wi-Fi drop): one hint per burst. */
const DEVICES_HINT_DELAY_MS = 200;

/**
 * `/admin`: the admin's live feed, so the devices and goods pages show presence, lock-outs and
 * stock as they change instead of polling. A staff session cookie opens it, as on /board. The
 * socket is closed the moment its session ends (logout, expiry, account disabled), and the session
 * is checked again before every broadcast, so a role that lost a permission stops receiving hints.
 */
export function adminNamespace(io: Server, ctx: AppContext): AdminNamespace {
  const admin = io.of('/admin') as unknown as AdminNamespace;
  admin.use((socket, next) => {
    const token = sessionTokenFrom(socket.handshake.headers.cookie);
    const found = token ? staffForToken(ctx, token) : undefined;
    if (token && found) {
      socket.data.sessionToken = token;
      endWithSession(ctx, socket as unknown as Socket, found.session);
      return next();
    }
    const error = new Error('UNAUTHENTICATED') as Error & { data?: unknown };
    error.data = { code: 'UNAUTHENTICATED', message: 'The admin feed needs a staff sign-in' };
    next(error);
  });

  /** Emits to every signed-in socket whose role has the permission; closes the ones signed out since. */
  const tell = (permission: Permission, send: (socket: AdminSocket) => void) => {
    for (const socket of admin.sockets.values()) {
      const found = staffForToken(ctx, socket.data.sessionToken);
      if (!found) socket.disconnect(true);
      else if (can(found.staff.role, permission)) send(socket);
    }
  };

  closeEndedSessions(ctx, admin);

  let devicesHint: NodeJS.Timeout | undefined;
  ctx.notifications.on('devices:changed', () => {
    devicesHint ??= setTimeout(() => {
      devicesHint = undefined;
      tell('devices:manage', (socket) => socket.emit('devices:changed'));
    }, DEVICES_HINT_DELAY_MS).unref();
  });
  ctx.notifications.on('stock:changed', (change) => tell('goods:read', (socket) => socket.emit('stock:changed', change)));
  return admin;
}
