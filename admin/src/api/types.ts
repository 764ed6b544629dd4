import type { Activity, Attendance, Device, Goods, LedgerEntry, Redemption, StaffUser, Team, Volunteer } from '@protocol/model.ts';
// Types only: the views the server builds, named once where they are built.
import type { BackupEntry, CreatedBackup } from '../../../server/src/backup/backup-service.ts';
import type { noticeSummary, staffNoticeView } from '../../../server/src/notices/notice-views.ts';
import type { closeOut } from '../../../server/src/redemption/close-out.ts';

/**
 * Response shapes of the staff API. The records come from the protocol module; only what the
 * routes add on top (figures, names joined in) is spelled out here, because the protocol does
 * not export these views yet.
 */

export type StaffView = Omit<StaffUser, 'passwordHash' | 'pinHash'> & { hasPin?: boolean };

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

export interface Ledger {
  balance: number;
  items: LedgerEntry[];
}

export type DeviceView = Pick<Device, 'id' | 'name' | 'mode' | 'createdAt' | 'pairedAt' | 'revokedAt' | 'lastSeenAt' | 'pairingExpiresAt'> & { online: boolean };
export type DeviceWithPairing = DeviceView & { pairingCode: string; pairingUrl: string };

export interface ImportReport {
  dryRun: boolean;
  imported: number;
  skipped: number;
  errors: { row: number; message: string }[];
  skippedRows: { row: number; message: string }[];
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
  addresses: { host: string; kind: 'address' | 'name' | 'mdns'; kioskUrl: string; adminUrl: string; setupUrl: string }[];
}

/** Goods with the stock the movements add up to, and whether it is at or below the warning level. */
export type GoodsView = Goods & { stock: number; low: boolean };
export type RedemptionView = Redemption & { volunteerName: string; cardNo: string };
export type CloseOut = ReturnType<typeof closeOut>;

export interface BackupList {
  items: BackupEntry[];
  folder: string;
  copyDir: string | null;
  lastCopyError: string | null;
  rotation: { daily: number; monthly: number };
  pendingRestore: string | null;
  lastRestore: { at: string; backup: string; ok: boolean; message: string } | null;
}
export type { BackupEntry, CreatedBackup };

export type NoticeSummary = ReturnType<typeof noticeSummary>;
export type NoticeView = ReturnType<typeof staffNoticeView>;

