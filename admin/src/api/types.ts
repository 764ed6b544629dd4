/**
 * Response shapes of the staff API, declared once in the protocol module (server/src/protocol/
 * views.ts) where the server's routes fill them with `satisfies`. The admin imports them from
 * here or from `@protocol/…`, never from the server's own modules.
 */
export type {
  ActivityView,
  AttendanceView,
  AuthStatus,
  BackupEntry,
  BackupList,
  CloseOut,
  CreatedBackup,
  DeviceView,
  DeviceWithPairing,
  DigitLockList,
  DigitLockView,
  GoodsView,
  ImportReport,
  ImportRowMessage,
  Items,
  LanInfo,
  Ledger,
  NoticeSummary,
  NoticeView,
  Page,
  RedemptionView,
  StaffView,
  TeamView,
  VolunteerFigures,
  VolunteerView,
} from '@protocol/views.ts';
