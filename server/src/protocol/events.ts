import type { WireError } from './errors.ts';
import type { DeviceMode, PublicVolunteer } from './model.ts';
import type { RedeemInput, ScanInput } from './schemas.ts';
import type { KioskSignupCreateSuccess, KioskSignupListSuccess, KioskTraining, KioskTrainingAttendSuccess } from './organizing.ts';
import type { AssistedCheckInInput, AssistedCheckInResult, AssistedPerson } from './assisted-checkin.ts';
import type { HelpRequestInput, HelpRequestSuccess, RequestRateSuccess, TaskAcceptSuccess, TaskDeclineSuccess, TaskListSuccess, WishWall } from './service.ts';

/** Socket.IO event maps for both directions. Events are `entity:verb`; broadcasts use the past tense. */

export type ScanAction = 'check-in' | 'check-out' | 'repeat';

export interface ScanVolunteer extends PublicVolunteer {
  /** Creditable hours in total (lifetime), after this scan. */
  totalHours: number;
  /** Hours in the center's star period (lifetime or this calendar year). */
  periodHours: number;
  points: number;
  /** Set when this scan lifted the volunteer to a new star level, to celebrate it. */
  newStar?: boolean;
}

export interface ScanSuccess {
  ok: true;
  scanId: string;
  action: ScanAction;
  /** For a repeat: what the first scan did. */
  previousAction?: 'check-in' | 'check-out';
  at: string;
  volunteer: ScanVolunteer;
  activity: { id: string; title: string };
  attendanceId: string;
  /** Hours earned today in the center's time zone. */
  todayHours: number;
  /** On check-out: hours and points this attendance credited. */
  hoursEarned?: number;
  pointsEarned?: number;
  /** True when this ack repeats the stored answer to an earlier delivery of the same scanId. */
  replayed?: boolean;
  /**
   * When the volunteer has a photo (issue 12): a one-off address of it for this tablet, good for
   * a minute, for the result screen. Never stored with the scan's receipt.
   */
  photoUrl?: string;
}

export interface Failure {
  ok: false;
  error: WireError;
}

export type ScanAck = ScanSuccess | (Failure & { scanId: string });

export interface RedeemSuccess {
  ok: true;
  redemptionId: string;
  receiptNo: string;
  pointsSpent: number;
  balance: number;
  at: string;
  volunteer: PublicVolunteer;
  items: { goodsId: string; name: string; quantity: number; points: number }[];
  replayed?: boolean;
}
export type RedeemAck = RedeemSuccess | (Failure & { redemptionId: string });

export interface LookupSuccess {
  ok: true;
  volunteer: ScanVolunteer;
  recent: { activityTitle: string; checkInAt: string; checkOutAt?: string; hours?: number }[];
}
export type LookupAck = LookupSuccess | Failure;

export interface OpenActivity {
  id: string;
  title: string;
  place?: string;
  startsAt: string;
  endsAt: string;
  onSite: number;
}

export interface KioskState {
  device: { id: string; name: string; mode: DeviceMode };
  centerName: string;
  serverTime: string;
  timeZone: string;
  openActivities: OpenActivity[];
  repeatWindowSeconds: number;
  /** The center's language; a tablet follows it until staff choose another on the tablet. */
  defaultLanguage: 'zh-CN' | 'en';
  /** Check-in tablets: the trainings staff have opened for today (开始签到), which the kiosk can take attendance for by scan (issue 15). */
  trainingsToday?: KioskTraining[];
  /** Counter tablets: whether this connection may redeem now (unlocked, or reconnected with a live unlock token). */
  counterUnlocked?: boolean;
}

export interface RosterEntry {
  cardNo: string;
  displayName: string;
  stars: number;
  /** Signed in now: an offline kiosk can treat the next scan as a sign-out without asking for an activity. */
  onSite: boolean;
}

export interface KioskClientEvents {
  scan: (payload: ScanInput, ack: (result: ScanAck) => void) => void;
  redeem: (payload: RedeemInput, ack: (result: RedeemAck) => void) => void;
  'volunteer:lookup': (payload: { code: string; phoneLast4?: string }, ack: (result: LookupAck) => void) => void;
  /** Like every kiosk event, answered with `{ok:false, error}` when refused (a revoked device, a wrong mode). */
  'state:get': (ack: (state: KioskState | Failure) => void) => void;
  'roster:get': (ack: (roster: RosterEntry[] | Failure) => void) => void;
  /** Counter tablets: a staff member unlocks the counter with a password or PIN; redemptions then record who served. */
  'counter:unlock': (payload: { username: string; secret: string }, ack: (result: CounterUnlockAck) => void) => void;
  'counter:lock': (ack: (result: { ok: true }) => void) => void;
  'goods:list': (ack: (result: GoodsListAck) => void) => void;
  /** After a card scan: a one-time link for the volunteer's own phone, shown as a QR code (issue 14). */
  'me:link': (payload: { code: string }, ack: (result: MeLinkAck) => void) => void;
  /** Any tablet: a staff member who may manage devices opens its staff settings (issue 12); audited. */
  'settings:unlock': (payload: { username: string; secret: string }, ack: (result: SettingsUnlockAck) => void) => void;
  // Service requests (issue 13); payloads and acks are declared in protocol/service.ts.
  'task:list': (payload: { code: string; phoneLast4?: string }, ack: (result: TaskListSuccess | Failure) => void) => void;
  'task:accept': (payload: { opId: string; code: string; phoneLast4?: string; requestId: string }, ack: (result: TaskAcceptSuccess | (Failure & { opId: string })) => void) => void;
  'task:decline': (payload: { opId: string; code: string; phoneLast4?: string; requestId: string; reason: string }, ack: (result: TaskDeclineSuccess | (Failure & { opId: string })) => void) => void;
  'help:request': (payload: HelpRequestInput, ack: (result: HelpRequestSuccess | (Failure & { opId: string })) => void) => void;
  'request:rate': (payload: { opId: string; number: string; phoneLast4: string; score: number; comment?: string }, ack: (result: RequestRateSuccess | (Failure & { opId: string })) => void) => void;
  // Sign-ups and trainings at the kiosk (issue 15); payloads and acks are declared in protocol/organizing.ts.
  'signup:list': (payload: { code: string; phoneLast4?: string }, ack: (result: KioskSignupListSuccess | Failure) => void) => void;
  'signup:create': (payload: { opId: string; code: string; phoneLast4?: string; activityId: string }, ack: (result: KioskSignupCreateSuccess | (Failure & { opId: string })) => void) => void;
  'training:attend': (payload: { opId: string; code: string; phoneLast4?: string; trainingId: string }, ack: (result: KioskTrainingAttendSuccess | (Failure & { opId: string })) => void) => void;
  // Staff-assisted check-in from a check-in kiosk's staff panel (issue 12): only after `settings:unlock` on this socket.
  'assisted:search': (payload: { q: string }, ack: (result: { ok: true; items: AssistedPerson[] } | Failure) => void) => void;
  'assisted:checkin': (payload: AssistedCheckInInput, ack: (result: AssistedCheckInResult | Failure) => void) => void;
  'assisted:end': (ack: (result: { ok: true } | Failure) => void) => void;
}

export type MeLinkAck = { ok: true; url: string; expiresAt: string; expiresInSeconds: number } | Failure;

export type SettingsUnlockAck = { ok: true; staff: { username: string; displayName: string } } | Failure;

export type CounterUnlockAck =
  | {
      ok: true;
      staff: { username: string; displayName: string };
      /**
       * Carried in the socket handshake (`auth: {token, unlockToken}`) so a reconnect stays
       * unlocked without the secret; it stops working on `counter:lock`, after the idle time, at
       * the next unlock and when the server restarts.
       */
      unlockToken: string;
      /** When the counter locks itself if nothing happens at it (each lookup or redemption moves it on). */
      expiresAt: string;
    }
  | Failure;

export interface CounterGoods {
  id: string;
  name: string;
  category?: string;
  unit?: string;
  points: number;
  stock: number;
  low: boolean;
  /** Set when the goods has a photo; the URL changes with each new photo. */
  photoUrl?: string;
}
export type GoodsListAck = { ok: true; items: CounterGoods[] } | Failure;

export interface AttendanceChanged {
  action: 'check-in' | 'check-out' | 'auto-close' | 'correction';
  attendanceId: string;
  activityId: string;
  activityTitle: string;
  at: string;
  /** `newStar`: this sign-out lifted the volunteer to a higher star; the board celebrates it. */
  volunteer: PublicVolunteer & { teamNames: string[]; newStar?: boolean };
  /** People on site now, per open activity and in total, after this change. */
  onSite: Record<string, number>;
  onSiteTotal: number;
  /** Today's participants and creditable hours after this change, counted as the board state counts them (issue 12). */
  today?: { volunteersToday: number; hoursToday: number };
  /** Board state version: a board that sees a gap refetches instead of patching. */
  version: number;
}

export interface StockChanged {
  goodsId: string;
  stock: number;
  low: boolean;
}

export interface KioskServerEvents {
  'activities:changed': (activities: OpenActivity[]) => void;
  'stock:changed': (change: StockChanged) => void;
  'device:revoked': () => void;
  /** The trainings open at the kiosk now, after staff opened or closed one (issue 15). */
  'trainings:changed': (trainings: KioskTraining[]) => void;
}

export interface BoardServerEvents {
  'attendance:changed': (change: AttendanceChanged) => void;
  'board:stale': (info: { version: number }) => void;
  /** The wish wall after a request was made or moved on: categories and masked names only. */
  'wishes:changed': (wall: WishWall) => void;
}

export type BoardClientEvents = Record<string, never>;

/**
 * `/admin` (a staff session cookie, as on /board): hints that let the admin's pages refetch at
 * once instead of polling. Each goes only to staff whose role may read what changed.
 */
export interface AdminServerEvents {
  /** A device paired, was renamed or revoked, came online or went offline, was seen, or a digit lock-out started or was lifted. */
  'devices:changed': () => void;
  'stock:changed': (change: StockChanged) => void;
}

export type AdminClientEvents = Record<string, never>;
