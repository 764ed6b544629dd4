import type { BoardState } from '@protocol/board.ts';
import type { AttendanceChanged } from '@protocol/events.ts';
import { applyChange } from './board-model.ts';

/** The part of a Socket.IO client socket the sync uses (so tests can drive it with a real socket or a fake). */
export interface BoardSocket {
  on(event: 'connect' | 'disconnect', listener: () => void): unknown;
  on(event: 'attendance:changed', listener: (change: AttendanceChanged) => void): unknown;
  on(event: 'board:stale', listener: (info: { version: number }) => void): unknown;
  off(event?: string): unknown;
}

export interface BoardSyncOptions {
  socket: BoardSocket;
  /** GET /api/board; rejects when it fails (the sync retries on the next trigger). */
  fetchBoard(): Promise<BoardState>;
  onState(state: BoardState): void;
  /** Every live event as it arrives, e.g. for star celebrations; the state follows through onState. */
  onEvent?(change: AttendanceChanged): void;
  onConnection?(online: boolean): void;
  /** The safety net: a full refetch this often even when nothing seems missed. */
  safetyRefreshMs?: number;
  /** After live events, the aggregates they do not carry are refetched once events pause for this long. */
  settleMs?: number;
}

/** Events that arrive while a fetch is in flight are held, at most this many; beyond that the fetch simply runs again. */
const MAX_HELD = 200;

/**
 * Keeps a board's state equal to the server's: fetched in full on every (re)connect, on a
 * `board:stale` with another version, on a version gap, and every few minutes; patched by live
 * events in between. Events that arrive during a fetch are applied on top of it when newer.
 */
export class BoardSync {
  #state: BoardState | null = null;
  #fetching = false;
  #fetchAgain = false;
  #held: AttendanceChanged[] = [];
  /** The newest version a `board:stale` told of while a fetch was in flight. */
  #staleVersion: number | null = null;
  #settleTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #safetyTimer: ReturnType<typeof setInterval>;
  readonly #options: Required<Pick<BoardSyncOptions, 'safetyRefreshMs' | 'settleMs'>> & BoardSyncOptions;

  constructor(options: BoardSyncOptions) {
    this.#options = { safetyRefreshMs: 3 * 60_000, settleMs: 2_500, ...options };
    const { socket } = options;
    socket.on('connect', () => {
      options.onConnection?.(true);
      // A reconnect may follow a server restart, where versions start again from 0: never trust what is shown.
      void this.refetch();
    });
    socket.on('disconnect', () => options.onConnection?.(false));
    socket.on('board:stale', ({ version }) => {
      // Every connect fetches anyway and is told the version at once: one fetch, unless it comes back older.
      if (this.#fetching) this.#staleVersion = Math.max(this.#staleVersion ?? version, version);
      else if (version !== this.#state?.version) void this.refetch();
    });
    socket.on('attendance:changed', (change) => this.#receive(change));
    this.#safetyTimer = setInterval(() => void this.refetch(), this.#options.safetyRefreshMs);
  }

  get state(): BoardState | null {
    return this.#state;
  }

  async refetch(): Promise<void> {
    if (this.#fetching) {
      this.#fetchAgain = true;
      return;
    }
    this.#fetching = true;
    clearTimeout(this.#settleTimer);
    try {
      let fetched = await this.#options.fetchBoard();
      if (this.#staleVersion !== null && fetched.version < this.#staleVersion) this.#fetchAgain = true;
      this.#staleVersion = null;
      const held = this.#held;
      this.#held = [];
      for (const change of held.sort((a, b) => a.version - b.version)) {
        const result = applyChange(fetched, change);
        if (result.kind === 'refetch') this.#fetchAgain = true;
        if (result.kind === 'applied') fetched = result.state;
      }
      this.#state = fetched;
      this.#options.onState(fetched);
    } catch {
      // Offline or the server is restarting: the next connect, stale notice or safety tick tries again.
    } finally {
      this.#fetching = false;
    }
    if (this.#fetchAgain) {
      this.#fetchAgain = false;
      await this.refetch();
    }
  }

  #receive(change: AttendanceChanged): void {
    this.#options.onEvent?.(change);
    if (this.#fetching || !this.#state) {
      if (this.#held.length < MAX_HELD) this.#held.push(change);
      else this.#fetchAgain = true;
      if (!this.#fetching) void this.refetch();
      return;
    }
    const result = applyChange(this.#state, change);
    if (result.kind === 'ignored') return;
    if (result.kind === 'refetch') {
      void this.refetch();
      return;
    }
    this.#state = result.state;
    this.#options.onState(result.state);
    // One refetch after a burst of scans, not one per scan.
    clearTimeout(this.#settleTimer);
    this.#settleTimer = setTimeout(() => void this.refetch(), this.#options.settleMs);
  }

  stop(): void {
    clearInterval(this.#safetyTimer);
    clearTimeout(this.#settleTimer);
    this.#options.socket.off('connect');
    this.#options.socket.off('disconnect');
    this.#options.socket.off('board:stale');
    this.#options.socket.off('attendance:changed');
  }
}
