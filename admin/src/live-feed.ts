import { useEffect, useRef, useState } from 'preact/hooks';
import { io, type Socket } from 'socket.io-client';
import type { AdminClientEvents, AdminServerEvents } from '@protocol/events.ts';

type AdminSocket = Socket<AdminServerEvents, AdminClientEvents>;
type FeedEvent = keyof AdminServerEvents;

/**
 * The admin's one socket to `/admin` (the session cookie goes with it, as with the API), opened
 * while a page listens and closed when none does. The server sends hints; pages refetch on them.
 */
let shared: { socket: AdminSocket; users: number } | undefined;

function acquire(): AdminSocket {
  shared ??= { socket: io('/admin', { reconnectionDelay: 1_000, reconnectionDelayMax: 5_000 }), users: 0 };
  shared.users++;
  return shared.socket;
}

function release(): void {
  if (!shared || --shared.users > 0) return;
  shared.socket.close();
  shared = undefined;
}

/** Without the feed (server unreachable, or signed out meanwhile) a page still refreshes, slowly. */
const FALLBACK_POLL_MS = 60_000;

/**
 * Calls `refresh` whenever one of `events` arrives, and after every (re)connect, since hints sent
 * while the socket was down are lost (Uptime Kuma's model: refetch after a reconnect). While the
 * socket is down it also refreshes every minute. Returns whether the feed is connected now.
 */
export function useLiveRefresh(events: FeedEvent[], refresh: () => void): boolean {
  const [connected, setConnected] = useState(false);
  const latest = useRef(refresh);
  latest.current = refresh;
  const key = events.join(',');

  useEffect(() => {
    const socket = acquire();
    const onEvent = () => latest.current();
    const onConnect = () => {
      setConnected(true);
      // Hints sent before this connect (or while it was down) never arrive: fetch what they would have said.
      latest.current();
    };
    const onDisconnect = () => setConnected(false);
    setConnected(socket.connected);
    socket.on('connect', onConnect);
    socket.on('disconnect', onDisconnect);
    for (const event of events) socket.on(event, onEvent);
    const fallback = setInterval(() => {
      if (!socket.connected) latest.current();
    }, FALLBACK_POLL_MS);
    return () => {
      clearInterval(fallback);
      socket.off('connect', onConnect);
      socket.off('disconnect', onDisconnect);
      for (const event of events) socket.off(event, onEvent);
      release();
    };
  }, [key]);

  return connected;
}
