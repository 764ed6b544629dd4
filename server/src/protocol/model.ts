import type { ConsentRecord } from './organizing.ts';

/**
 * Records as the store keeps them and as staff clients receive them. Public payloads (kiosk,
 * board, notices) use the narrower types at the bottom, which carry no phone or ID number.
 */

export type Role = 'admin' | 'staff' | 'counter' | 'viewer';
export type DeviceMode = 'checkin' | 'counter' | 'board';
export type Gender = 'male' | 'female' | 'unspecified';
export type VolunteerStatus = 'active' | 'suspended' | 'left';
export type ActivityStatus = 'planned' | 'open' | 'closed' | 'cancelled';

export type PointsRule = { kind: 'perHour'; pointsPerHour: number } | { kind: 'fixed'; points: number };

export interface Volunteer {
  id: string;
  name: string;
  gender: Gender;
  phone?: string;
  /** Sensitive personal information (PIPL): optional, never logged, never in an ack or public payload. */
  idNumber?: string;
  birthYear?: number;
  address?: string;
  skills: string[];
  teamIds: string[];
  joinedOn: string;
  status: VolunteerStatus;
  notes?: string;
  guardianConsent?: GuardianConsent;
  /** Full birth date (YYYY-MM-DD) when known; else the age is read from the ID number, else only birthYear. */
  birthDate?: string;
  /** 证件类型 for the national export and certificates; 居民身份证 when an ID number is given without one. */
  idType?: string;
  /** The volunteer's number in the national volunteer information system, when known. */
  nationalVolunteerNo?: string;
  /** PIPL consents recorded at registration: to the processing, and separately to the ID number. */
  consents?: { processing?: ConsentRecord; idNumber?: ConsentRecord };
  /** Set when the volunteer left and was anonymized: name and contacts removed, records kept under a pseudonym. */
  anonymizedAt?: string;
  cardNo: string;
  /** Bumped on reissue: a card whose serial is not the current one is revoked. */
  cardSerial: number;
  /** The serial of the card last printed; differs from cardSerial when the current card was never printed. */
  cardPrintedSerial?: number;
  createdAt: string;
  updatedAt: string;
  /** 网格: the community's grid cell (e.g. 二网格); matching prefers volunteers of the same grid. */
  grid?: string;
  /** When they can usually help, as `mon-am` / `sat-pm` / `wed-eve` slots; matching reads it. */
  availability?: string[];
  /** Taken from the district hub (a person registered at another center): the district person and the request (docs/district.md). */
  district?: { personId: string; transferId: string; fromCenterName: string; linkedAt: string };
  /** A portrait staff took (issue 12): the file lives in DATA_DIR/volunteer-photos/, never in the state. */
  photo?: VolunteerPhoto;
}

/**
 * The reference to a volunteer's photo: the JPEG is DATA_DIR/volunteer-photos/<volunteerId>-<first
 * 16 hex of sha256>.jpg (re-encoded, no EXIF). The hash names the file, versions its URL and lets a
 * restore or a check tell the right file from a stale one.
 */
export interface VolunteerPhoto {
  sha256: string;
  width: number;
  height: number;
  bytes: number;
  takenAt: string;
  takenBy: string;
}

/** A guardian's consent for a minor (志愿服务条例 art. 15; PIPL art. 31): who, relation, phone, date. */
export interface GuardianConsent {
  guardianName: string;
  relation?: string;
  phone?: string;
  /** The day the guardian consented (YYYY-MM-DD). */
  date?: string;
  recordedAt: string;
  recordedBy: string;
}

export interface Team {
  id: string;
  name: string;
  leaderIds: string[];
  createdAt: string;
}

export interface Activity {
  id: string;
  title: string;
  theme?: string;
  place?: string;
  organizer?: string;
  teamIds: string[];
  startsAt: string;
  endsAt: string;
  pointsRule?: PointsRule;
  capacity?: number;
  /** Overrides the center's cap on creditable hours for this activity. */
  maxHours?: number;
  /** Sign-ups close at this time (default: when the activity starts). */
  signupDeadline?: string;
  /** Only volunteers with a confirmed sign-up may sign in at the kiosk: walk-ins are refused (SIGNUP_REQUIRED). */
  signupOnly?: boolean;
  /** A sign-in needs accident insurance covering the day (志愿服务条例 art. 17). */
  requiresInsurance?: boolean;
  /** Training categories a volunteer must hold, unexpired, to sign in (art. 16). */
  requiredTrainings?: string[];
  /** The recurring series this activity is an occurrence of (issue 12; server/src/recurring). */
  seriesId?: string;
  status: ActivityStatus;
  createdAt: string;
}

export interface Attendance {
  id: string;
  volunteerId: string;
  activityId: string;
  checkInAt: string;
  checkOutAt?: string;
  /** Minutes credited after clipping, rounding and the cap; set when the attendance closes. */
  creditedMinutes?: number;
  pointsCredited?: number;
  autoClosed?: boolean;
  needsReview?: boolean;
  /** Set when staff removed the attendance: it then counts for nothing, its points reversed. */
  removed?: { at: string; by: string; reason: string };
  /** `assisted`: signed in or out by a staff member for someone with no card or phone (issue 12). */
  source: 'scan' | 'manual' | 'assisted';
  deviceId?: string;
  /** For `assisted`: the staff member who did it (`staff:<username>`). */
  assistedBy?: string;
  createdAt: string;
}

export type LedgerKind = 'attendance' | 'manual' | 'redemption' | 'reversal' | 'snap' | 'service';

/** The points ledger: entries are never edited or deleted; a correction is a reversing entry. */
export interface LedgerEntry {
  id: string;
  volunteerId: string;
  delta: number;
  kind: LedgerKind;
  reason: string;
  at: string;
  by: string;
  attendanceId?: string;
  redemptionId?: string;
  reversesId?: string;
  /** An accepted 随手拍 snap (issue 14). */
  snapId?: string;
  /** Points for a completed service request or a pairing visit. */
  serviceRecordId?: string;
}

export interface Device {
  id: string;
  name: string;
  mode: DeviceMode;
  createdAt: string;
  createdBy: string;
  pairingCodeHash?: string;
  pairingExpiresAt?: string;
  tokenHash?: string;
  pairedAt?: string;
  revokedAt?: string;
  lastSeenAt?: string;
}

export interface StaffUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  passwordHash: string;
  /** scrypt hash of the counter PIN, if the person has one. */
  pinHash?: string;
  disabled: boolean;
  createdAt: string;
}

export interface Session {
  id: string;
  /** sha256 of the cookie value: a leaked snapshot cannot be replayed as a login. */
  tokenHash: string;
  userId: string;
  createdAt: string;
  expiresAt: string;
}

export interface Goods {
  id: string;
  name: string;
  category?: string;
  points: number;
  unit?: string;
  active: boolean;
  lowStockThreshold: number;
  createdAt: string;
  /** The photo file is DATA_DIR/goods-photos/<id>.<ext>; `updatedAt` versions its URL. */
  photo?: { type: string; updatedAt: string };
}

export type StockMovementKind = 'initial' | 'received' | 'correction' | 'redemption' | 'void';

export interface StockMovement {
  id: string;
  goodsId: string;
  delta: number;
  kind: StockMovementKind;
  reason?: string;
  at: string;
  by: string;
  redemptionId?: string;
}

export interface RedemptionItem {
  goodsId: string;
  name: string;
  quantity: number;
  points: number;
}

export interface Redemption {
  id: string;
  receiptNo: string;
  volunteerId: string;
  items: RedemptionItem[];
  pointsSpent: number;
  at: string;
  by: string;
  deviceId?: string;
  voided?: { at: string; by: string; reason: string };
}

export interface Certificate {
  number: string;
  volunteerId: string;
  from: string;
  to: string;
  hours: number;
  issuedAt: string;
  issuedBy: string;
  /** As the 2015 guidance and 2020 measures list: ID type, national volunteer number, the issuer's 负责人/经办人 and contact (issue 15). */
  idType?: string;
  nationalVolunteerNo?: string;
  issuer?: { head?: string; handler?: string; contact?: string };
}

export interface AuditEntry {
  id: string;
  at: string;
  actor: string;
  action: string;
  target?: string;
  summary?: string;
  /**
   * The facts of the entry for the admin to say in the reader's language (names, setting keys,
   * amounts): the admin maps `action` + `details` to a catalog message. `summary` stays for
   * entries written before details existed and for search.
   */
  details?: AuditDetails;
}

export type AuditDetails = Record<string, string | number | boolean | null | string[]>;

/** Kept so a retried scan or redemption returns the first answer and changes nothing. */
export interface Receipt {
  id: string;
  kind: 'scan' | 'redeem' | 'task';
  at: string;
  /** Fingerprint of the request: the same id with different content is refused, not silently answered. */
  fingerprint: string;
  response: unknown;
}

/** What kiosks, the board and public notices may show of a volunteer. */
export interface PublicVolunteer {
  id: string;
  displayName: string;
  stars: number;
}

/**
 * The staff's current evaluation score of a volunteer (0–100), one record per volunteer
 * (id = volunteerId), replaced on re-evaluation; earlier scores live in the audit log. Used by
 * the optional star condition `settings.stars.minEvaluation`.
 */
export interface Evaluation {
  id: string;
  volunteerId: string;
  score: number;
  note?: string;
  at: string;
  by: string;
}
