import { z } from 'zod';
import { isoTime, phoneSchema } from './schemas.ts';

/**
 * Organizing service (DESIGN section 8): the residents the center serves, their requests
 * (群众点单 → 中心派单 → 志愿者接单 → 群众评单), long-run pairs (爱心结对) with their visits, and
 * the service records that credit hours for all of it.
 */

export const requestStatuses = ['open', 'dispatched', 'accepted', 'done', 'rated', 'cancelled'] as const;
export type RequestStatus = (typeof requestStatuses)[number];

/** Categories the kiosk offers as large buttons; staff may type others. */
export const requestCategories = ['陪伴聊天', '代买代办', '家政保洁', '维修', '陪同就医', '助餐', '学业辅导', '其他'] as const;

/** Tags staff keep on a resident (独居老人…): personal data, never on a kiosk, the board or a public page. */
export const residentTags = ['独居老人', '空巢老人', '残疾人', '留守儿童', '低保户', '特困人员', '优抚对象'] as const;

export interface Resident {
  id: string;
  name: string;
  phone?: string;
  address?: string;
  /** 网格: the community's grid cell, e.g. 二网格. */
  grid?: string;
  tags: string[];
  notes?: string;
  createdAt: string;
  updatedAt: string;
}

export type AssignmentStatus = 'dispatched' | 'accepted' | 'declined';

export interface Assignment {
  volunteerId: string;
  status: AssignmentStatus;
  /** When it was dispatched to them, or when they took an open request themselves. */
  at: string;
  acceptedAt?: string;
  declined?: { at: string; reason: string };
  /** `device:<id>` at a kiosk, `staff:<name>` when accepted on someone's behalf by phone, `volunteer:<id>` from /me/. */
  acceptedVia?: string;
}

export interface StatusStep {
  at: string;
  by: string;
  status: RequestStatus;
  note?: string;
}

export interface ServiceRequest {
  id: string;
  /** Readable aloud: `2026-0042`, per year in the center's zone. */
  number: string;
  category: string;
  details: string;
  residentId?: string;
  /** Who asked, when not (yet) in the register: personal data, staff only. */
  requesterName?: string;
  phone?: string;
  /** Where the help is needed. Personal data: staff only. */
  place?: string;
  skills: string[];
  grid?: string;
  wantedAt?: string;
  status: RequestStatus;
  source: 'staff' | 'kiosk';
  assignments: Assignment[];
  /** Counts reopenings: each round of service credits its own records. */
  round: number;
  completed?: { at: string; by: string; minutes: number; note?: string };
  rating?: { score: number; comment?: string; at: string; by: string };
  cancelled?: { at: string; by: string; reason: string };
  history: StatusStep[];
  createdAt: string;
  createdBy: string;
  updatedAt: string;
}

export interface Pairing {
  id: string;
  residentId: string;
  volunteerIds: string[];
  startsOn: string;
  /** Days between planned visits (7 = weekly). */
  visitEveryDays: number;
  note?: string;
  endedOn?: string;
  createdAt: string;
  createdBy: string;
}

export interface Visit {
  id: string;
  pairingId: string;
  volunteerIds: string[];
  startedAt: string;
  minutes: number;
  note?: string;
  /** Something the center should know (health, safety): staff see it highlighted. */
  concern?: string;
  createdAt: string;
  createdBy: string;
}

/**
 * Hours from service other than activity attendance: one record per volunteer per service. The
 * store counts them in the volunteer's totals like attendance (stars, certificates, reports).
 */
export interface ServiceRecord {
  id: string;
  volunteerId: string;
  kind: 'request' | 'visit';
  /** The request or visit it came from. */
  sourceId: string;
  title: string;
  place?: string;
  startedAt: string;
  endedAt: string;
  minutes: number;
  creditedMinutes: number;
  organizer?: string;
  removed?: { at: string; by: string; reason: string };
}

export interface MatchReason {
  kind: 'skills' | 'grid' | 'availability' | 'load' | 'rating';
  points: number;
  /** Plain words for staff, e.g. "skills: 维修" or "2 tasks in hand". */
  detail: string;
}

export interface Match {
  volunteerId: string;
  name: string;
  score: number;
  reasons: MatchReason[];
}

/** A task as a kiosk shows it: no resident phone, address, tags or full name. */
export interface KioskTask {
  requestId: string;
  number: string;
  category: string;
  details: string;
  /** 张*明, or nothing when the request came without a name. */
  residentName?: string;
  grid?: string;
  wantedAt?: string;
  status: RequestStatus;
  /** `dispatched`: sent to this volunteer; `accepted`: they took it; `open`: anyone may take it. */
  mine: 'dispatched' | 'accepted' | 'open';
}

export interface TaskListSuccess {
  ok: true;
  volunteer: { id: string; displayName: string };
  items: KioskTask[];
}

export interface TaskAcceptSuccess {
  ok: true;
  opId: string;
  requestId: string;
  number: string;
  status: RequestStatus;
  volunteer: { id: string; displayName: string };
  replayed?: boolean;
}

export interface TaskDeclineSuccess {
  ok: true;
  opId: string;
  requestId: string;
  status: RequestStatus;
  replayed?: boolean;
}

export interface HelpRequestSuccess {
  ok: true;
  opId: string;
  requestId: string;
  number: string;
  status: RequestStatus;
  replayed?: boolean;
}

export interface RequestRateSuccess {
  ok: true;
  opId: string;
  number: string;
  status: RequestStatus;
  replayed?: boolean;
}

/** The board's wish wall: categories and masked names only. */
export interface WishWall {
  open: WishCard[];
  inProgress: WishCard[];
  recentlyAccepted: WishCard[];
  month: { completed: number; peopleServed: number; hours: number };
  byCategory: { category: string; open: number; inProgress: number }[];
}

export interface WishCard {
  requestId: string;
  number: string;
  category: string;
  residentName?: string;
  grid?: string;
  status: RequestStatus;
  since: string;
}

const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.string().trim().max(max).optional().transform((v) => (v === '' ? undefined : v));
const id = z.string().min(1).max(64);
const tags = z.array(text(20)).max(20);

export const residentCreateSchema = z.object({
  name: text(40),
  phone: phoneSchema.optional(),
  address: optionalText(200),
  grid: optionalText(40),
  tags: tags.default([]),
  notes: optionalText(1000),
});

export const residentUpdateSchema = z.object({
  name: text(40).optional(),
  phone: phoneSchema.nullable().optional(),
  address: z.string().trim().max(200).nullable().optional(),
  grid: z.string().trim().max(40).nullable().optional(),
  tags: tags.optional(),
  notes: z.string().trim().max(1000).nullable().optional(),
});

export const requestCreateSchema = z.object({
  category: text(20),
  details: text(500),
  residentId: id.optional(),
  requesterName: optionalText(40),
  phone: phoneSchema.optional(),
  place: optionalText(200),
  skills: z.array(text(40)).max(10).default([]),
  grid: optionalText(40),
  wantedAt: isoTime.optional(),
});
export type RequestCreateInput = z.infer<typeof requestCreateSchema>;

/**
 * Staff complete what a resident said at the kiosk (the skills it needs, the grid, the resident
 * it is for, when): the matching can only weigh what the request records. Empty text clears a field.
 */
export const requestUpdateSchema = z.object({
  category: text(20).optional(),
  details: text(500).optional(),
  residentId: id.optional(),
  requesterName: z.string().trim().max(40).optional(),
  place: z.string().trim().max(200).optional(),
  skills: z.array(text(40)).max(10).optional(),
  grid: z.string().trim().max(40).optional(),
  wantedAt: isoTime.optional(),
});
export type RequestUpdateInput = z.infer<typeof requestUpdateSchema>;

export const requestListQuerySchema = z.object({
  status: z.enum(requestStatuses).optional(),
  category: z.string().max(20).optional(),
  residentId: id.optional(),
  volunteerId: id.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

export const dispatchSchema = z.object({ volunteerIds: z.array(id).min(1).max(20) });
export const staffAcceptSchema = z.object({ volunteerId: id });
export const completeSchema = z.object({
  minutes: z.number().int().min(1).max(24 * 60),
  note: optionalText(500),
});
export const ratingSchema = z.object({ score: z.number().int().min(1).max(5), comment: optionalText(500) });
export const reasonSchema = z.object({ reason: text(200) });

export const pairingCreateSchema = z.object({
  residentId: id,
  volunteerIds: z.array(id).min(1).max(10),
  startsOn: z.iso.date().optional(),
  visitEveryDays: z.number().int().min(1).max(90).default(7),
  note: optionalText(500),
});
export const pairingUpdateSchema = z.object({
  volunteerIds: z.array(id).min(1).max(10).optional(),
  visitEveryDays: z.number().int().min(1).max(90).optional(),
  note: z.string().trim().max(500).nullable().optional(),
  endedOn: z.iso.date().nullable().optional(),
});
export const visitCreateSchema = z.object({
  volunteerIds: z.array(id).min(1).max(10),
  startedAt: isoTime,
  minutes: z.number().int().min(1).max(24 * 60),
  note: optionalText(500),
  concern: optionalText(500),
});

const opId = z.string().min(8).max(64);
const code = z.string().trim().min(1).max(200);
const phoneLast4 = z.string().regex(/^\d{4}$/).optional();

export const taskListSchema = z.object({ code, phoneLast4 });
export const taskAcceptSchema = z.object({ opId, code, phoneLast4, requestId: id });
export const taskDeclineSchema = z.object({ opId, code, phoneLast4, requestId: id, reason: text(200) });
/** A resident asking at a kiosk: large buttons, a few words, a phone number, where. */
export const helpRequestSchema = z.object({
  opId,
  category: text(20),
  details: optionalText(500),
  requesterName: optionalText(40),
  phone: phoneSchema,
  place: optionalText(200),
});
export type HelpRequestInput = z.input<typeof helpRequestSchema>;
export const requestRatingSchema = z.object({
  opId,
  number: z.string().trim().regex(/^\d{4}-\d{4,}$/),
  phoneLast4: z.string().regex(/^\d{4}$/),
  score: z.number().int().min(1).max(5),
  comment: optionalText(500),
});
