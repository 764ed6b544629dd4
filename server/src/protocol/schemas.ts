import { z } from 'zod';
import { pointsRuleSchema } from './settings.ts';

/**
 * Inputs at the edge. zod objects drop unknown fields; every problem is reported at once.
 * Text limits are generous for people and small for attackers.
 */

const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.string().trim().max(max).optional().transform((v) => (v === '' ? undefined : v));
/** Any ISO time with an offset, stored as UTC so times compare as strings and read the same everywhere. */
export const isoTime = z.iso.datetime({ offset: true }).transform((value) => new Date(value).toISOString());
export const dayString = z.iso.date();
const id = z.string().min(1).max(64);

export const phoneSchema = z.string().trim().regex(/^1\d{10}$/, 'A mainland mobile number has 11 digits and starts with 1');
/** 18-character resident ID; the check digit is verified so a typo is caught at entry. */
export const idNumberSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^\d{17}[\dX]$/, 'An ID number has 18 characters: 17 digits and a digit or X')
  .refine(isValidIdChecksum, 'The ID number’s check digit does not match; please check it');

export const loginSchema = z.object({ username: text(64), password: z.string().min(1).max(256) });
export const setupSchema = z.object({ username: text(64), password: z.string().min(8).max(256), displayName: optionalText(64) });

/** Who the guardian is to the child, a phone to reach them, and the day they consented (issue 15). */
const guardianDetails = {
  relation: optionalText(20),
  phone: phoneSchema.optional(),
  date: dayString.optional(),
};
/** Issue 15: a full birth date (age rules), the ID type and national volunteer number (national export, certificates). */
const volunteerRecordFields = {
  birthDate: dayString.optional(),
  idType: optionalText(20),
  nationalVolunteerNo: optionalText(40),
};

export const volunteerCreateSchema = z.object({
  name: text(40),
  gender: z.enum(['male', 'female', 'unspecified']).default('unspecified'),
  phone: phoneSchema.optional(),
  idNumber: idNumberSchema.optional(),
  birthYear: z.number().int().min(1900).max(2100).optional(),
  address: optionalText(200),
  skills: z.array(text(40)).max(30).default([]),
  teamIds: z.array(id).max(30).default([]),
  joinedOn: dayString.optional(),
  notes: optionalText(1000),
  guardianConsent: z.object({ guardianName: text(40), ...guardianDetails }).optional(),
  grid: optionalText(40),
  availability: z.array(z.string().regex(/^(mon|tue|wed|thu|fri|sat|sun)-(am|pm|eve)$/)).max(21).optional(),
  ...volunteerRecordFields,
  /** PIPL consent given at registration to the notice in settings.privacy: to the processing, and separately to the ID number. */
  consent: z.object({ processing: z.boolean().optional(), idNumber: z.boolean().optional() }).optional(),
});
export type VolunteerCreateInput = z.infer<typeof volunteerCreateSchema>;

/** A field left out keeps its value; an optional field sent as null is cleared. */
export const volunteerUpdateSchema = z.object({
  name: text(40).optional(),
  gender: z.enum(['male', 'female', 'unspecified']).optional(),
  phone: phoneSchema.nullable().optional(),
  idNumber: idNumberSchema.nullable().optional(),
  birthYear: z.number().int().min(1900).max(2100).nullable().optional(),
  address: z.string().trim().max(200).nullable().optional(),
  skills: z.array(text(40)).max(30).optional(),
  teamIds: z.array(id).max(30).optional(),
  joinedOn: dayString.optional(),
  notes: z.string().trim().max(1000).nullable().optional(),
  guardianConsent: z.object({ guardianName: text(40), ...guardianDetails }).nullable().optional(),
  status: z.enum(['active', 'suspended', 'left']).optional(),
  grid: z.string().trim().max(40).nullable().optional(),
  availability: z.array(z.string().regex(/^(mon|tue|wed|thu|fri|sat|sun)-(am|pm|eve)$/)).max(21).nullable().optional(),
  birthDate: dayString.nullable().optional(),
  idType: z.string().trim().max(20).nullable().optional(),
  nationalVolunteerNo: z.string().trim().max(40).nullable().optional(),
});
export type VolunteerUpdateInput = z.infer<typeof volunteerUpdateSchema>;

export const cardsPrintedSchema = z.object({ ids: z.array(z.string().min(1).max(64)).min(1).max(5000) });

export const pointsAdjustSchema = z.object({
  delta: z
    .number()
    .refine((n) => n !== 0, 'A points change cannot be zero')
    .refine((n) => Math.abs(n) <= 100000, 'At most 100000 points at once')
    .refine((n) => Number.isInteger(n * 10), 'Points have at most one decimal place'),
  reason: text(200),
});

export const teamCreateSchema = z.object({ name: text(40), leaderIds: z.array(id).max(10).default([]) });
export const teamUpdateSchema = z.object({ name: text(40).optional(), leaderIds: z.array(id).max(10).optional() });

const activityFields = {
  title: text(100),
  theme: optionalText(40),
  place: optionalText(100),
  organizer: optionalText(100),
  teamIds: z.array(id).max(30).default([]),
  startsAt: isoTime,
  endsAt: isoTime,
  pointsRule: pointsRuleSchema.optional(),
  capacity: z.number().int().positive().max(100000).optional(),
  maxHours: z.number().positive().max(24).optional(),
  // Sign-ups and the kiosk gate (issue 15).
  signupDeadline: isoTime.optional(),
  signupOnly: z.boolean().optional(),
  requiresInsurance: z.boolean().optional(),
  requiredTrainings: z.array(text(40)).max(10).optional(),
};
export const activityCreateSchema = z
  .object({ ...activityFields, status: z.enum(['planned', 'open', 'closed', 'cancelled']).default('planned') })
  .refine((a) => Date.parse(a.endsAt) > Date.parse(a.startsAt), { message: 'An activity must end after it starts', path: ['endsAt'] })
  .refine((a) => Date.parse(a.endsAt) - Date.parse(a.startsAt) <= 7 * 24 * 3600_000, { message: 'An activity lasts at most 7 days', path: ['endsAt'] });
export type ActivityCreateInput = z.infer<typeof activityCreateSchema>;

export const activityUpdateSchema = z
  .object({
    title: activityFields.title.optional(),
    theme: activityFields.theme,
    place: activityFields.place,
    organizer: activityFields.organizer,
    teamIds: z.array(id).max(30).optional(),
    startsAt: isoTime.optional(),
    endsAt: isoTime.optional(),
    pointsRule: pointsRuleSchema.optional(),
    capacity: activityFields.capacity,
    maxHours: activityFields.maxHours,
    status: z.enum(['planned', 'open', 'closed', 'cancelled']).optional(),
    signupDeadline: activityFields.signupDeadline,
    signupOnly: activityFields.signupOnly,
    requiresInsurance: activityFields.requiresInsurance,
    requiredTrainings: activityFields.requiredTrainings,
  });

export const deviceCreateSchema = z.object({ name: text(60), mode: z.enum(['checkin', 'counter', 'board']) });
export const deviceUpdateSchema = z.object({ name: text(60) });
export const pairSchema = z.object({ pairingCode: z.string().trim().min(4).max(32) });

export const staffCreateSchema = z.object({
  username: z.string().trim().regex(/^[A-Za-z0-9_.-]{2,32}$/, 'Usernames use 2–32 letters, digits, dot, dash or underscore'),
  displayName: optionalText(64),
  role: z.enum(['admin', 'staff', 'counter', 'viewer']),
  password: z.string().min(8, 'Passwords have at least 8 characters').max(256),
});
export const staffUpdateSchema = z.object({
  displayName: optionalText(64),
  role: z.enum(['admin', 'staff', 'counter', 'viewer']).optional(),
  disabled: z.boolean().optional(),
  password: z.string().min(8, 'Passwords have at least 8 characters').max(256).optional(),
  /** A short PIN to unlock a counter tablet; null removes it. */
  pin: z.string().regex(/^\d{4,8}$/, 'A PIN has 4 to 8 digits').nullable().optional(),
});

export const passwordChangeSchema = z.object({ current: z.string().min(1).max(256), next: z.string().min(8, 'Passwords have at least 8 characters').max(256) });

export const counterUnlockSchema = z.object({ username: z.string().trim().min(1).max(64), secret: z.string().min(4).max(256) });

export const attendanceCheckoutSchema = z.object({ checkOutAt: isoTime, reason: text(200) });
export const attendanceManualSchema = z.object({
  volunteerId: id,
  activityId: id,
  checkInAt: isoTime,
  checkOutAt: isoTime,
  reason: text(200),
}).refine((a) => Date.parse(a.checkOutAt) > Date.parse(a.checkInAt), { message: 'Sign-out must come after sign-in', path: ['checkOutAt'] });
export const reasonSchema = z.object({ reason: text(200) });

export const goodsCreateSchema = z.object({
  name: text(60),
  category: optionalText(40),
  points: z.number().positive().max(100000).refine((n) => Number.isInteger(n * 10), 'Points have at most one decimal place'),
  stock: z.number().int().min(0).max(1_000_000),
  unit: optionalText(10),
  lowStockThreshold: z.number().int().min(0).max(100000).default(5),
  active: z.boolean().default(true),
});

/** No defaults here: a field left out of a PATCH keeps its value (zod would fill defaults inside .partial()). */
export const goodsUpdateSchema = z.object({
  name: goodsCreateSchema.shape.name.optional(),
  category: z.string().trim().max(40).nullable().optional(),
  points: goodsCreateSchema.shape.points.optional(),
  unit: z.string().trim().max(10).nullable().optional(),
  lowStockThreshold: z.number().int().min(0).max(100000).optional(),
  active: z.boolean().optional(),
});

export const certificateCreateSchema = z
  .object({ from: dayString, to: dayString })
  .refine((c) => c.from <= c.to, { message: 'The period must end on or after its start', path: ['to'] });

export const exportRangeSchema = z
  .object({ from: dayString, to: dayString })
  .refine((c) => c.from <= c.to, { message: 'The period must end on or after its start', path: ['to'] });

export const listQuerySchema = z.object({
  q: z.string().trim().max(60).optional(),
  teamId: id.optional(),
  status: z.enum(['active', 'suspended', 'left']).optional(),
  /** 'false': volunteers whose current card has not been printed yet (new, or reissued). */
  cardPrinted: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

// Socket payloads. scanId and redemptionId are made by the kiosk so a retry is recognised.
export const scanSchema = z.object({
  scanId: z.uuid(),
  code: z.string().trim().min(1).max(200),
  scannedAt: isoTime,
  activityId: id.optional(),
  /** Required when `code` is a plain card number (forgotten card): the last 4 digits of the phone. */
  phoneLast4: z.string().regex(/^\d{4}$/, 'The last 4 digits of the phone number').optional(),
});
export type ScanInput = z.infer<typeof scanSchema>;

export const redeemSchema = z.object({
  redemptionId: z.uuid(),
  code: z.string().trim().min(1).max(200),
  phoneLast4: z.string().regex(/^\d{4}$/).optional(),
  items: z
    .array(z.object({ goodsId: id, quantity: z.number().int().min(1).max(1000) }))
    .min(1, 'The cart is empty')
    .max(50),
});
export type RedeemInput = z.infer<typeof redeemSchema>;

export const lookupSchema = z.object({ code: z.string().trim().min(1).max(200), phoneLast4: z.string().regex(/^\d{4}$/).optional() });

function isValidIdChecksum(value: string): boolean {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const checks = '10X98765432';
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(value[i]) * weights[i]!;
  return checks[sum % 11] === value[17];
}
