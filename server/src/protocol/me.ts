import { z } from 'zod';

/**
 * The volunteer's own phone (`/me/`, DESIGN §8): one-time links made at a kiosk, the phone's
 * volunteer session, and 随手拍 snaps with their review. Declared once for the server, the
 * `/me/` app and the admin.
 */

/** A one-time link a kiosk shows as a QR code; a phone opening it gets a volunteer session. */
export interface MeLink {
  /** sha256 of the token in the URL: the token itself is never stored. */
  id: string;
  volunteerId: string;
  /** The card serial at the time: a reissued card makes an unused link worthless too. */
  cardSerial: number;
  deviceId: string;
  createdAt: string;
  expiresAt: string;
}

/** A phone holding a volunteer session. Its id is the sha256 of the cookie's token, so a lookup needs no index. */
export interface PhoneSession {
  id: string;
  /** A short public handle staff use to revoke it (the id is a token hash and stays server-side). */
  handle: string;
  volunteerId: string;
  /** Sessions die with the card they were made from: reissuing the card revokes every phone. */
  cardSerial: number;
  /** The phone's browser as it introduced itself, so staff can tell two phones apart. */
  label: string;
  createdAt: string;
  expiresAt: string;
  lastSeenAt?: string;
  revokedAt?: string;
  revokedBy?: string;
}

export const meLinkSchema = z.object({ code: z.string().trim().min(1).max(200) });
export type MeLinkInput = z.infer<typeof meLinkSchema>;

/** A phone as staff see it in a volunteer's record. */
export interface PhoneView {
  handle: string;
  label: string;
  createdAt: string;
  expiresAt: string;
  lastSeenAt?: string;
  /** 'active', or why it no longer works. */
  state: 'active' | 'revoked' | 'card-reissued' | 'expired';
  revokedAt?: string;
}

export interface MeRecord {
  kind: 'attendance' | 'service';
  title: string;
  at: string;
  endedAt?: string;
  hours?: number;
}

export interface MeRedemption {
  receiptNo: string;
  at: string;
  pointsSpent: number;
  items: { name: string; quantity: number }[];
  voided: boolean;
}

/** `GET /api/me`: the volunteer's own figures and nothing of anyone else. */
export interface MeView {
  id: string;
  displayName: string;
  cardNo: string;
  centerName: string;
  hours: number;
  /** Creditable hours in the current calendar year (center's time zone). */
  yearHours: number;
  /** Hours in the star period (lifetime or this year, by the center's rules). */
  periodHours: number;
  points: number;
  stars: number;
  /** What the next star needs; null at the top level. */
  nextStar: { level: number; hoursNeeded: number; threshold: number } | null;
  starPeriod: 'lifetime' | 'calendarYear';
  records: MeRecord[];
  redemptions: MeRedemption[];
  snapCategories: SnapCategorySetting[];
}

// ---- 随手拍 snaps ----

export const snapCategoryKeys = ['fire-safety', 'ebike-charging', 'lighting', 'rubbish', 'facilities', 'other'] as const;
export type SnapCategory = (typeof snapCategoryKeys)[number];

/** The categories' names, once for the server's export, the admin and the phone page (their catalogs point here). */
export const snapCategoryNames: Record<'zh-CN' | 'en', Record<SnapCategory, string>> = {
  'zh-CN': {
    'fire-safety': '消防通道/安全',
    'ebike-charging': '电动车飞线充电',
    lighting: '楼道照明',
    rubbish: '垃圾未清运',
    facilities: '公共设施损坏',
    other: '其他',
  },
  en: {
    'fire-safety': 'Fire exit / safety',
    'ebike-charging': 'E-bike charging cable',
    lighting: 'Stairwell lighting',
    rubbish: 'Rubbish not collected',
    facilities: 'Broken facilities',
    other: 'Other',
  },
};

export interface SnapCategorySetting {
  key: SnapCategory;
  /** Points an accepted snap of this category earns unless staff give another figure. */
  points: number;
}

export type SnapStatus = 'pending' | 'accepted' | 'declined' | 'handled';

export interface Snap {
  id: string;
  volunteerId: string;
  category: SnapCategory;
  place: string;
  note?: string;
  /** The re-encoded photo (EXIF stripped) in DATA_DIR/snaps/<file>. */
  photo: { file: string; type: 'image/jpeg'; width: number; height: number; bytes: number };
  createdAt: string;
  status: SnapStatus;
  review?: { at: string; by: string; accepted: boolean; points: number; note?: string; ledgerId?: string };
  resolution?: { at: string; by: string; note: string };
  clientId?: string;
}

export const snapUploadSchema = z.object({
  /** Made by the phone for each snap, so a resend from its offline queue is taken once. */
  clientId: z.uuid().optional(),
  category: z.enum(snapCategoryKeys),
  place: z.string().trim().min(1, 'Say where').max(100),
  note: z.string().trim().max(500).optional().transform((v) => v || undefined),
});

export const snapReviewSchema = z
  .object({
    accepted: z.boolean(),
    points: z.number().min(0).max(1000).multipleOf(0.1).optional(),
    note: z.string().trim().max(300).optional().transform((v) => v || undefined),
  })
  .refine((v) => v.accepted || v.note, { message: 'Give the reason when a snap is not accepted', path: ['note'] });

export const snapResolveSchema = z.object({ note: z.string().trim().min(1).max(500) });

export const snapListQuerySchema = z.object({
  status: z.enum(['pending', 'accepted', 'declined', 'handled']).optional(),
  category: z.enum(snapCategoryKeys).optional(),
  month: z.string().regex(/^\d{4}-\d{2}$/).optional(),
});

/** A snap as its volunteer sees it: the feedback loop 发现 → 处置 → 反馈 → 激励. */
export interface MySnapView {
  id: string;
  category: SnapCategory;
  place: string;
  note?: string;
  createdAt: string;
  status: SnapStatus;
  photoUrl: string;
  points?: number;
  reviewNote?: string;
  resolution?: string;
  resolvedAt?: string;
}

/** A snap as staff see it in the review queue. */
export interface StaffSnapView extends MySnapView {
  volunteer: { id: string; name: string; cardNo: string };
  reviewedBy?: string;
  reviewedAt?: string;
  accepted?: boolean;
}

export interface SnapMonthReport {
  month: string;
  count: number;
  accepted: number;
  declined: number;
  pending: number;
  handled: number;
  points: number;
  byCategory: { category: SnapCategory; count: number; accepted: number; points: number }[];
  byPlace: { place: string; count: number }[];
}

/** What the public board shows: counts and category/place only, never names or faces. */
export interface BoardSnaps {
  monthCount: number;
  latestHandled: { id: string; category: SnapCategory; place: string; resolvedAt: string; thumbnailUrl?: string }[];
}

export const defaultSnapCategories: SnapCategorySetting[] = [
  { key: 'fire-safety', points: 5 },
  { key: 'ebike-charging', points: 5 },
  { key: 'lighting', points: 3 },
  { key: 'rubbish', points: 2 },
  { key: 'facilities', points: 3 },
  { key: 'other', points: 2 },
];

export const snapSettingsSchema = z.object({
  categories: z.array(z.object({ key: z.enum(snapCategoryKeys), points: z.number().min(0).max(1000) })).min(1),
  /** Thumbnails of handled snaps on the public board; off by default (faces, plates, doors). */
  boardThumbnails: z.boolean(),
  /** Largest upload accepted, in bytes (phones shrink photos first). */
  maxUploadBytes: z.number().int().min(100_000).max(20_000_000),
});
export type SnapSettings = z.infer<typeof snapSettingsSchema>;
export const defaultSnapSettings: SnapSettings = { categories: defaultSnapCategories, boardThumbnails: false, maxUploadBytes: 8_000_000 };

// ---- Sign-ups and tasks on the phone (the volunteer always comes from the phone session) ----

const meId = z.string().min(1).max(64);
const meOpId = z.string().min(8).max(64);

/** Strict: a body naming a volunteer is refused, the phone acts only for its own. */
export const meSignupSchema = z.strictObject({ activityId: meId });
export const meTaskAcceptSchema = z.strictObject({ opId: meOpId });
export const meTaskDeclineSchema = z.strictObject({ opId: meOpId, reason: z.string().trim().min(1, 'Say why').max(200) });

/** An activity as the phone shows it: times, place and places left; nothing of the other volunteers. */
export interface MeActivity {
  id: string;
  title: string;
  place?: string;
  startsAt: string;
  endsAt: string;
  signupDeadline: string;
  /** null: no limit. */
  capacity: number | null;
  placesLeft: number | null;
  waitlisted: number;
  /** Whether a new sign-up is still taken (status, deadline). */
  open: boolean;
  /** This volunteer's own sign-up, when they hold one that is not cancelled. */
  mine?: { status: 'confirmed' | 'waitlisted'; signedUpAt: string };
}

/** `GET /api/me/activities`: upcoming activities open for sign-up, and the volunteer's own sign-ups not yet over. */
export interface MeActivitiesView {
  items: MeActivity[];
  mine: MeActivity[];
}
