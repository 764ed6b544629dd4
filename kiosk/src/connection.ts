import { io, type Socket } from 'socket.io-client';
import type {
  CounterUnlockAck,
  SettingsUnlockAck,
  GoodsListAck,
  KioskClientEvents,
  KioskServerEvents,
  KioskState,
  LookupAck,
  MeLinkAck,
  OpenActivity,
  RedeemAck,
  RosterEntry,
  ScanAck,
  StockChanged,
} from '@protocol/events.ts';
import type { RedeemInput, ScanInput } from '@protocol/schemas.ts';
import type { KioskTraining } from '@protocol/organizing.ts';

export type ConnectionStatus = 'connecting' | 'online' | 'offline';

export interface ConnectionHandlers {
  status(status: ConnectionStatus): void;
  /** After every (re)connect: a reconnecting client must not trust what it had, so it refetches and resyncs. */
  connected(): void;
  /** The server's view: open activities, its clock. After every connect and every `refreshState`. */
  state(state: KioskState, roundTripMs: number, sentAt: number): void;
  activities(activities: OpenActivity[]): void;
  /** The token was refused or revoked: the tablet must be paired again. */
  revoked(): void;
  /** Counter tablets: another counter (or the admin) changed a goods' stock. */
  stockChanged?(change: StockChanged): void;
  /** Check-in tablets: staff opened or closed a training (issue 15); these are the open ones now. */
  trainings?(trainings: KioskTraining[]): void;
}

/** How long a scan waits for its ack before it is queued; the volunteer is standing there. */
export const ACK_TIMEOUT_MS = 5000;

/**
 * The tablet's Socket.IO link to `/kiosk`. The connection is treated as fragile: the state is
 * shown, reconnects are attempted forever, and everything is fetched afresh after a reconnect.
 */
export class KioskConnection {
  readonly #socket: Socket<KioskServerEvents, KioskClientEvents>;
  readonly #handlers: ConnectionHandlers;
  readonly #token: string;

  constructor(token: string, handlers: ConnectionHandlers) {
    this.#handlers = handlers;
    this.#token = token;
    this.#socket = io('/kiosk', {
      auth: { token },
      // The server is on the same LAN: retry quickly, and never wait more than a few seconds.
      reconnectionDelay: 500,
      reconnectionDelayMax: 3000,
    });
    handlers.status('connecting');
    this.#socket.on('connect', () => {
      handlers.status('online');
      handlers.connected();
      void this.refreshState();
    });
    this.#socket.on('disconnect', (reason) => {
      handlers.status('offline');
      // A disconnect by the server is not retried by Socket.IO on its own; revocation is told separately.
      if (reason === 'io server disconnect') this.#socket.connect();
    });
    this.#socket.on('connect_error', (error) => {
      // A board device's token is refused here as well: the tablet must be paired as a kiosk or counter.
      if (error.message === 'DEVICE_TOKEN_INVALID' || error.message === 'DEVICE_MODE_FORBIDDEN') handlers.revoked();
      else handlers.status('offline');
    });
    this.#socket.on('activities:changed', (activities) => handlers.activities(activities));
    this.#socket.on('trainings:changed', (trainings) => handlers.trainings?.(trainings));
    this.#socket.on('device:revoked', () => handlers.revoked());
    this.#socket.on('stock:changed', (change) => handlers.stockChanged?.(change));
  }

  /**
   * Counter tablets: the unlock token from `counter:unlock` goes with every later handshake, so a
   * reconnect stays unlocked without the staff member's secret in the page; null after locking.
   */
  setUnlockToken(unlockToken: string | null): void {
    this.#socket.auth = unlockToken ? { token: this.#token, unlockToken } : { token: this.#token };
  }

  get online(): boolean {
    return this.#socket.connected;
  }

  /** The ack, or null when there is no connection or no answer in time (the scan may still have arrived). */
  scan(input: ScanInput, timeoutMs = ACK_TIMEOUT_MS): Promise<ScanAck | null> {
    return this.#request((socket) => socket.timeout(timeoutMs).emitWithAck('scan', input));
  }

  lookup(code: string, phoneLast4?: string): Promise<LookupAck | null> {
    return this.#request((socket) => socket.timeout(ACK_TIMEOUT_MS).emitWithAck('volunteer:lookup', { code, ...(phoneLast4 ? { phoneLast4 } : {}) }));
  }

  async roster(): Promise<RosterEntry[] | null> {
    const roster = await this.#request((socket) => socket.timeout(30_000).emitWithAck('roster:get'));
    return Array.isArray(roster) ? roster : null;
  }

  unlockCounter(username: string, secret: string): Promise<CounterUnlockAck | null> {
    return this.#request((socket) => socket.timeout(ACK_TIMEOUT_MS).emitWithAck('counter:unlock', { username, secret }));
  }

  /** Null when offline: only the server can tell a staff member's PIN. */
  unlockSettings(username: string, secret: string): Promise<SettingsUnlockAck | null> {
    return this.#request((socket) => socket.timeout(ACK_TIMEOUT_MS).emitWithAck('settings:unlock', { username, secret }));
  }

  lockCounter(): Promise<{ ok: true } | null> {
    return this.#request((socket) => socket.timeout(ACK_TIMEOUT_MS).emitWithAck('counter:lock'));
  }

  /** A one-time link for the volunteer's phone (shown as a QR code); null when offline. */
  meLink(code: string): Promise<MeLinkAck | null> {
    return this.#request((socket) => socket.timeout(ACK_TIMEOUT_MS).emitWithAck('me:link', { code }));
  }

  goods(): Promise<GoodsListAck | null> {
    return this.#request((socket) => socket.timeout(ACK_TIMEOUT_MS).emitWithAck('goods:list'));
  }

  /** Null when offline or unanswered in time: the redemption may or may not have been made, so retry with the same id. */
  redeem(input: RedeemInput, timeoutMs = ACK_TIMEOUT_MS): Promise<RedeemAck | null> {
    return this.#request((socket) => socket.timeout(timeoutMs).emitWithAck('redeem', input));
  }

  /** Service requests (issue 13): tasks at the kiosk, a resident asking for help. Null when offline or unanswered in time. */
  serviceEvent<E extends 'task:list' | 'task:accept' | 'task:decline' | 'help:request' | 'request:rate' | 'signup:list' | 'signup:create' | 'training:attend'>(
    event: E,
    payload: Parameters<KioskClientEvents[E]>[0],
  ): Promise<Parameters<Parameters<KioskClientEvents[E]>[1]>[0] | null> {
    type Emit = (event: string, payload: unknown) => Promise<Parameters<Parameters<KioskClientEvents[E]>[1]>[0]>;
    return this.#request((socket) => {
      const timed = socket.timeout(ACK_TIMEOUT_MS);
      return (timed.emitWithAck as unknown as Emit).call(timed, event, payload);
    });
  }

  /** Staff-assisted check-in (issue 12), only after `settings:unlock` on this connection; null when offline. */
  assistedSearch(q: string): Promise<Parameters<Parameters<KioskClientEvents['assisted:search']>[1]>[0] | null> {
    return this.#request((socket) => socket.timeout(ACK_TIMEOUT_MS).emitWithAck('assisted:search', { q }));
  }

  assistedCheckIn(input: Parameters<KioskClientEvents['assisted:checkin']>[0]): Promise<Parameters<Parameters<KioskClientEvents['assisted:checkin']>[1]>[0] | null> {
    return this.#request((socket) => socket.timeout(ACK_TIMEOUT_MS).emitWithAck('assisted:checkin', input));
  }

  /** Closing the staff panel locks it on the server too. */
  endStaffPanel(): Promise<{ ok: true } | null> {
    return this.#request(async (socket) => {
      const ack = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('assisted:end');
      return ack.ok ? ack : null;
    });
  }

  /** Re-reads the kiosk state: activities open and close by the clock, and the tablet's clock drifts. */
  async refreshState(): Promise<void> {
    const sentAt = Date.now();
    const state = await this.#request((socket) => socket.timeout(ACK_TIMEOUT_MS).emitWithAck('state:get'));
    if (state && !('ok' in state)) this.#handlers.state(state, Date.now() - sentAt, sentAt);
    else if (state?.error.code === 'DEVICE_TOKEN_INVALID') this.#handlers.revoked();
  }

  close(): void {
    this.#socket.removeAllListeners();
    this.#socket.disconnect();
  }

  async #request<T>(send: (socket: Socket<KioskServerEvents, KioskClientEvents>) => Promise<T>): Promise<T | null> {
    // While disconnected Socket.IO would buffer the event and send it whenever it reconnects;
    // the offline queue does that job, in order and durably.
    if (!this.#socket.connected) return null;
    try {
      return await send(this.#socket);
    } catch {
      return null;
    }
  }
}
