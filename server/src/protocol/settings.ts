import { z } from 'zod';
import { defaultOrganizingSettings, mergeOrganizingSettings, organizingSettingsPatchShape, organizingSettingsShape } from './organizing-settings.ts';
import { defaultSnapSettings, snapSettingsSchema, type SnapSettings } from './me.ts';

/**
 * The center's rules. Every field rule from the design brief is a setting with the national or
 * common default, so a community that counts differently changes a number, not the code.
 */
export const pointsRuleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('perHour'), pointsPerHour: z.number().min(0).max(1000) }),
  z.object({ kind: z.literal('fixed'), points: z.number().min(0).max(100000) }),
]);

const calendarDays = z.array(z.iso.date()).max(400).transform((days) => [...new Set(days)].sort());
export const workCalendarSchema = z
  .object({ holidays: calendarDays, workdays: calendarDays })
  .refine((calendar) => !calendar.holidays.some((day) => calendar.workdays.includes(day)), { message: 'A day cannot be both a holiday and a working day', path: ['workdays'] });

const starThresholds = z
  .array(z.number().positive().max(100000))
  .length(5)
  .refine((t) => t.every((value, i) => i === 0 || value > t[i - 1]!), 'Star thresholds must rise from one level to the next');

export const settingsSchema = z.object({
  centerName: z.string().trim().min(1).max(60),
  /** Day and month boundaries for reports and "today" are taken in this zone, not the PC's. */
  timeZone: z.string().refine(isTimeZone, 'Unknown time zone'),
  repeatWindowSeconds: z.number().int().min(0).max(3600),
  /** Sign-in is accepted this long before an activity starts. */
  checkInOpensMinutesBefore: z.number().int().min(0).max(720),
  hours: z.object({
    graceMinutes: z.number().int().min(0).max(240),
    roundingMinutes: z.number().int().min(1).max(120),
    roundingMode: z.enum(['down', 'nearest', 'up']),
    maxHoursPerAttendance: z.number().positive().max(24).nullable(),
  }),
  autoClose: z.object({
    enabled: z.boolean(),
    /** 'untilEnd': credit up to the activity's end; 'none': credit nothing until staff review. */
    credit: z.enum(['untilEnd', 'none']),
  }),
  points: z.object({ defaultRule: pointsRuleSchema }),
  stars: z.object({
    thresholds: starThresholds,
    period: z.enum(['lifetime', 'calendarYear']),
    /**
     * Optional conditions on top of the hours: a star is withheld entirely while the points
     * balance or the staff evaluation score (0–100) is below these. null (or absent) = no condition.
     */
    minPoints: z.number().min(0).max(100000).nullable().optional(),
    minEvaluation: z.number().min(0).max(100).nullable().optional(),
  }),
  publicNames: z.enum(['masked', 'full']),
  /** How long scan and redemption receipts are kept for idempotent replays from offline kiosks. */
  receiptRetentionDays: z.number().int().min(7).max(3650),
  defaultLanguage: z.enum(['zh-CN', 'en']),
  /** What the public board shows beyond attendance. Redemptions are off unless the center opts in. */
  board: z.object({ showRedemptions: z.boolean() }),
  /** Sign-ups, trainings, the kiosk gate, minors, national export, certificate, privacy notice (organizing-settings.ts). */
  ...organizingSettingsShape,
  /** 随手拍 (issue 14): points per category, board thumbnails, upload size. Absent = the defaults. */
  snaps: snapSettingsSchema.optional(),
  /** A counter tablet unlocked by staff locks itself (on the server) after this many minutes without a lookup or redemption. */
  counterIdleMinutes: z.number().int().min(1).max(240).optional(),
  /**
   * Where each backup is also copied (a USB drive), set in the admin through
   * PUT /api/backups/copy-folder, which checks the folder exists and is writable. null = none;
   * absent = BACKUP_COPY_DIR from the environment, if any. Not in the PATCH: an unchecked path
   * would only fail at the night's backup.
   */
  backupCopyDir: z.string().min(1).max(500).nullable().optional(),
  /**
   * The year's public holidays and swapped working days (调休), entered by staff from the State
   * Council's notice; working days (公示 periods, "last working day" series) follow them.
   * Absent = Monday to Friday.
   */
  calendar: workCalendarSchema.optional(),
});

export type Settings = z.infer<typeof settingsSchema>;

export const defaultSettings: Settings = {
  centerName: '志愿驿站',
  timeZone: 'Asia/Shanghai',
  repeatWindowSeconds: 30,
  checkInOpensMinutesBefore: 60,
  hours: { graceMinutes: 30, roundingMinutes: 30, roundingMode: 'down', maxHoursPerAttendance: null },
  autoClose: { enabled: true, credit: 'untilEnd' },
  points: { defaultRule: { kind: 'perHour', pointsPerHour: 1 } },
  stars: { thresholds: [100, 300, 600, 1000, 1500], period: 'lifetime', minPoints: null, minEvaluation: null },
  publicNames: 'masked',
  receiptRetentionDays: 90,
  defaultLanguage: 'zh-CN',
  board: { showRedemptions: false },
  ...defaultOrganizingSettings,
  counterIdleMinutes: 10,
};

/** A PATCH may name any subset, nested groups included; what it leaves out keeps its value. */
export const settingsPatchSchema = z.object({
  centerName: settingsSchema.shape.centerName.optional(),
  timeZone: settingsSchema.shape.timeZone.optional(),
  repeatWindowSeconds: settingsSchema.shape.repeatWindowSeconds.optional(),
  checkInOpensMinutesBefore: settingsSchema.shape.checkInOpensMinutesBefore.optional(),
  hours: settingsSchema.shape.hours.partial().optional(),
  autoClose: settingsSchema.shape.autoClose.partial().optional(),
  points: settingsSchema.shape.points.partial().optional(),
  stars: settingsSchema.shape.stars.partial().optional(),
  publicNames: settingsSchema.shape.publicNames.optional(),
  receiptRetentionDays: settingsSchema.shape.receiptRetentionDays.optional(),
  defaultLanguage: settingsSchema.shape.defaultLanguage.optional(),
  board: settingsSchema.shape.board.partial().optional(),
  ...organizingSettingsPatchShape,
  snaps: snapSettingsSchema.partial().optional(),
  counterIdleMinutes: settingsSchema.shape.counterIdleMinutes,
  calendar: workCalendarSchema.optional(),
});

export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

export function mergeSettings(current: Settings, patch: SettingsPatch): Settings {
  return settingsSchema.parse({
    ...current,
    ...patch,
    hours: { ...current.hours, ...patch.hours },
    autoClose: { ...current.autoClose, ...patch.autoClose },
    points: { ...current.points, ...patch.points },
    stars: { ...current.stars, ...patch.stars },
    board: { ...defaultSettings.board, ...current.board, ...patch.board },
    ...mergeOrganizingSettings(current, patch),
    ...(patch.snaps ? { snaps: { ...snapSettingsOf(current), ...patch.snaps } } : {}),
  });
}

/**
 * Settings saved before a group existed lack it: the group takes its defaults, so an older
 * snapshot still reads. Only whole missing groups are filled; fields are validated as stored.
 */
export function withSettingsDefaults(stored: Partial<Settings> & Omit<Settings, 'board' | keyof typeof organizingSettingsShape>): Settings {
  const withBoard = stored.board ? stored : { ...stored, board: defaultSettings.board };
  return { ...withBoard, ...mergeOrganizingSettings(stored, {}) } as Settings;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The 随手拍 settings in force: stored ones, or the defaults when a center never changed them. */
export function snapSettingsOf(settings: Settings): SnapSettings {
  return settings.snaps ?? defaultSnapSettings;
}
