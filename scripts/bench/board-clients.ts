/**
 * Board clients in a process of their own, so that receiving thousands of broadcasts a second
 * does not slow the kiosks' acks in the load generator (or the other way round). Driven by the
 * benchmark over IPC; records when each `attendance:changed` arrived, on the shared epoch clock.
 */
import type { Socket } from 'socket.io-client';
import { connectSocket } from './load.ts';
import { epochNow } from './processes.ts';

type Command =
  | { type: 'connect'; id: number; url: string; token: string; count: number }
  | { type: 'collect'; id: number }
  | { type: 'report'; id: number }
  | { type: 'disconnect'; id: number };

let sockets: Socket[] = [];
let collecting = false;
/** `${attendanceId}:${action}` → arrival time at each board. */
let received = new Map<string, number[]>();

const reply = (message: object) => process.send!(message);

process.on('message', (command: Command) => {
  void (async () => {
    try {
      if (command.type === 'connect') {
        for (let i = 0; i < command.count; i++) {
          const socket = await connectSocket(command.url, '/board', command.token);
          socket.on('attendance:changed', (change: { attendanceId: string; action: string }) => {
            if (!collecting) return;
            const key = `${change.attendanceId}:${change.action}`;
            const list = received.get(key);
            if (list) list.push(epochNow());
            else received.set(key, [epochNow()]);
          });
          sockets.push(socket);
        }
        reply({ type: 'connected', id: command.id, count: sockets.length });
      } else if (command.type === 'collect') {
        received = new Map();
        collecting = true;
        reply({ type: 'collecting', id: command.id });
      } else if (command.type === 'report') {
        collecting = false;
        const disconnected = sockets.filter((s) => !s.connected).length;
        reply({ type: 'report', id: command.id, received: Object.fromEntries(received), disconnected });
        received = new Map();
      } else if (command.type === 'disconnect') {
        for (const socket of sockets) socket.close();
        sockets = [];
        reply({ type: 'disconnected', id: command.id });
      }
    } catch (error) {
      reply({ type: 'error', id: command.id, message: (error as Error).message });
    }
  })();
});
process.on('disconnect', () => process.exit(0));
