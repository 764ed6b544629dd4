import { EventEmitter } from 'node:events';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import type { AttendanceChanged, OpenActivity, StockChanged } from './protocol/events.ts';
import type { StationStore } from './store/station-store.ts';
import type { KioskTraining } from './protocol/organizing.ts';

/** What happened, told after it is on disk; the kiosk, board and admin namespaces turn these into broadcasts. */
export interface Notifications {
  'attendance:changed': [AttendanceChanged];
  'activities:changed': [OpenActivity[]];
  'stock:changed': [StockChanged];
  'device:revoked': [string];
  'devices:changed': [];
  /** The entry point stops and starts again (a restore chosen in the admin waits for the next start). */
  'station:restart-requested': [];
  'redemption:created': [{ id: string; volunteerId: string }];
  'redemption:voided': [{ id: string; volunteerId: string }];
  /** Something on the board changed other than attendance (a notice published, withdrawn or final): boards refetch. */
  'board:changed': [];
  /** A service request was made or moved on (issue 13): the board's wish wall and staff screens refresh. */
  'service:changed': [{ requestId: string; status: string; action: string }];
  /** Staff sessions that ended (logout, a disabled account, a changed or reset password): sockets opened with them close (issue 11). */
  'sessions:ended': [string[]];
  /** A training was opened or closed at the kiosk (issue 15): check-in tablets get the open ones. */
  'trainings:changed': [KioskTraining[]];
}

export interface AppContext {
  store: StationStore;
  clock: Clock;
  config: Config;
  logger: Logger;
  /** HMAC key of the cards; made on first start, kept in DATA_DIR, never sent anywhere. */
  cardSecret: Buffer;
  notifications: EventEmitter<Notifications>;
  /** Per-server live counters (not stored): the board's version lets a board notice missed events. */
  live: { boardVersion: number };
}
