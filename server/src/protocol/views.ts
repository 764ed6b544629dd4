import type { Activity, Attendance, Device, Goods, LedgerEntry, Redemption, StaffUser, Team, Volunteer } from './model.ts';
import type { Notice, NoticeEntry, NoticeObjection } from './notices.ts';

/**
 * Response views of the staff HTTP API: the records of model.ts with what the routes add on top
 * (figures, names joined in, presence). Declared once here; the routes fill them with
 * `satisfies`, and the admin imports them from here, never from the server's own modules.
 */

export type StaffView = Omit<StaffUser, 'passwordHash' | 'pinHash'> & { hasPin?: boolean };

/** GET /api/auth/status */
export interface AuthStatus {
  setupNeeded: boolean;
  user: StaffView | null;
}

export interface VolunteerFigures {
  /** Creditable hours, lifetime. */
  hours: number;
  /** Hours in the center's star period (lifetime or this calendar year). */
  periodHours: number;
  points: number;
  stars: number;
}

/** Phone and ID number arrive masked unless the reveal was asked for (and audited). */
export type VolunteerView = Omit<Volunteer, 'phone' | 'idNumber'> &
  VolunteerFigures & { phone?: string; idNumber?: string; hasIdNumber: boolean; cardCode: string; teamNames: string[] };

export interface Page<T> {
  total: number;
  items: T[];
}

export interface Items<T> {
  items: T[];
}

export type TeamView = Team & { memberCount: number; leaders?: { id: string; name: string }[] };
export type ActivityView = Activity & { onSite: number; attendanceCount: number };
export type AttendanceView = Attendance & { volunteerName: string; cardNo: string; activityTitle: string };

/** GET /api/volunteers/:id/ledger */
export interface Ledger {
  balance: number;
  items: LedgerEntry[];
}

/** `online`: one of the device's sockets is connected now. */
export type DeviceView = Pick<Device, 'id' | 'name' | 'mode' | 'createdAt' | 'pairedAt' | 'revokedAt' | 'lastSeenAt' | 'pairingExpiresAt'> & { online: boolean };
export type DeviceWithPairing = DeviceView & { pairingCode: string; pairingUrl: string };

/**
 * Why a row of the register was not imported, when the admin can say it in the reader's
 * language; `message` is the server's Chinese sentence for API callers and the rest.
 */
export type ImportRowCode = 'ALREADY_REGISTERED' | 'POSSIBLE_DUPLICATE' | 'BIRTH_DATE_IN_FUTURE' | 'GUARDIAN_CONSENT_REQUIRED';

export interface ImportRowMessage {
  row: number;
  message: string;
  code?: ImportRowCode;
  /** `value` (the date as written), or the registered volunteer's `cardNo` and `volunteerId`. */
  details?: Record<string, string>;
}

/** POST /api/volunteers/import */
export interface ImportReport {
  dryRun: boolean;
  imported: number;
  skipped: number;
  errors: ImportRowMessage[];
  skippedRows: ImportRowMessage[];
  /** Skipped rows without phone or ID number that look like someone already registered (also in skippedRows). */
  possibleDuplicates: number;
  totalRows: number;
  /** Which column of the file fed which field, e.g. {name: "姓名", phone: "联系电话"}. */
  columns: Record<string, string>;
  preview: { row: number; name: string; cardNo: string; teams?: string[]; phone?: string }[];
}

/** GET /api/lan: the addresses tablets can reach this PC at, and the HTTPS state. */
export interface LanInfo {
  httpPort: number | null;
  httpsPort: number | null;
  localCa: boolean;
  caFingerprint: string | null;
  mdnsName: string;
  mdnsAnnounced: boolean;
  addresses: { host: string; kind: 'address' | 'name' | 'mdns'; kioskUrl: string; adminUrl: string; setupUrl: string; kioskQrSvg: string; setupQrSvg: string }[];
}

/** Goods with the stock the movements add up to, and whether it is at or below the warning level. */
export type GoodsView = Goods & { stock: number; low: boolean };
export type RedemptionView = Redemption & { volunteerName: string; cardNo: string };

export interface CounterCloseOut {
  deviceId: string | null;
  counterName: string;
  redemptions: number;
  voids: number;
  pointsSpent: number;
  goodsOut: { goodsId: string; name: string; quantity: number }[];
}

/** GET /api/close-out: a day's redemptions per counter, and the stock left now. */
export interface CloseOut {
  day: string;
  counters: CounterCloseOut[];
  totals: { redemptions: number; voids: number; pointsSpent: number };
  stockLeft: { goodsId: string; name: string; stock: number; low: boolean }[];
}

export interface BackupEntry {
  name: string;
  size: number;
  /** The center's calendar day of the backup (from its name), which rotation counts by. */
  day: string;
  createdAt: string;
  /** Encrypted with the admin's passphrase (`.tar.gz.enc`): a restore asks for it. */
  encrypted: boolean;
}

export interface DataCounts {
  volunteers: number;
  activities: number;
  attendance: number;
  goods: number;
}

export interface CreatedBackup extends BackupEntry {
  counts: DataCounts;
  copiedTo: string | null;
}

/** GET /api/backups */
export interface BackupList {
  items: BackupEntry[];
  folder: string;
  copyDir: string | null;
  lastCopyError: string | null;
  rotation: { daily: number; monthly: number };
  pendingRestore: string | null;
  /** Whether new backups (and their USB copies) are encrypted, and since when the passphrase is set. */
  encryption: { enabled: boolean; since: string | null; minLength: number };
  lastRestore: { at: string; backup: string; ok: boolean; /** Why it was refused: BACKUP_INVALID, BACKUP_RESERVED_NAME or DATA_FOLDER_BUSY. */ code?: string; message: string } | null;
}

/** Who an entry or objection of a notice is about, for staff: full name and card number. */
export interface NoticePerson {
  name: string;
  cardNo: string;
  displayName: string;
}

export type NoticeSummary = Omit<Notice, 'entries' | 'objections'> & { listedCount: number; openObjections: number };
export type NoticeView = NoticeSummary & {
  entries: (NoticeEntry & NoticePerson)[];
  objections: (NoticeObjection & { volunteer: NoticePerson })[];
};

/**
 * GET /api/digit-locks: lock-outs from wrong phone digits at the kiosks. A card's lock names the
 * volunteer masked (the list is on a screen staff may leave open) and the tablet of the last
 * wrong attempt.
 */
export interface DigitLockView {
  kind: 'card' | 'device';
  /** The card number, or the device id. */
  key: string;
  lockedAt: string;
  until: string;
  /** What the admin shows: the card number with the masked name, or the tablet's name. */
  label: string;
  volunteerId?: string;
  maskedName?: string;
  /** The tablet (for a card: of the wrong attempt that locked it). */
  deviceId?: string;
  deviceName?: string;
}

export interface DigitLockList {
  items: DigitLockView[];
  limits: { perCard: number; perDevice: number; windowMs: number; lockMs: number };
}
