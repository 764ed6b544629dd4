import { z } from 'zod';
import type { MeActivity } from './me.ts';

/**
 * Records and inputs of recruiting, training, insuring and the kiosk gate (issue 15): sign-ups
 * with a waiting list, trainings, insurance policies and the staff's gate passes. Kept apart
 * from model.ts so the feature reads as one piece; the store's collections import these.
 */

export type SignupStatus = 'confirmed' | 'waitlisted' | 'cancelled';

/** One volunteer's sign-up for one activity; id = `<activityId>:<volunteerId>`, replaced on each change. */
export interface Signup {
  id: string;
  activityId: string;
  volunteerId: string;
  status: SignupStatus;
  /** Order of arrival within the activity (1, 2, …): the waiting list is promoted in this order. */
  number: number;
  signedUpAt: string;
  /** Who signed up: `staff:<name>`, `device:<id>` or `volunteer:<id>` (the phone page). */
  by: string;
  cancelledAt?: string;
  cancelledBy?: string;
  promotedAt?: string;
  /** A no-show staff forgave (illness, a call beforehand): it no longer counts towards the pause. */
  excused?: { at: string; by: string; reason: string };
}

export interface Training {
  id: string;
  title: string;
  /** 急救, 消防, 助老护理, 心理疏导 …: what an activity can require, and what can expire. */
  category: string;
  /** The day it took place (YYYY-MM-DD, the center's zone). */
  date: string;
  trainer?: string;
  /** Training hours: kept apart from service hours, never in stars or service totals. */
  hours: number;
  place?: string;
  attendeeIds: string[];
  createdAt: string;
  createdBy: string;
  /** Opened and closed at the kiosk by staff (开始签到 / 结束签到); absent = never opened. */
  status?: 'open' | 'closed';
  openedAt?: string;
  closedAt?: string;
}

/** A training at the kiosk now (signups/training-phase.ts): `open` only between staff's open and close, on its day. */
export type TrainingPhase = 'planned' | 'open' | 'closed';

/** An accident insurance policy: one volunteer's, or a group policy naming volunteers and/or teams. */
export interface InsurancePolicy {
  id: string;
  insurer: string;
  policyNo: string;
  cover?: string;
  /** First and last day covered (YYYY-MM-DD, inclusive, the center's zone). */
  from: string;
  to: string;
  volunteerIds: string[];
  teamIds: string[];
  createdAt: string;
  createdBy: string;
  removed?: { at: string; by: string; reason: string };
}

export const gateCodes = ['INSURANCE_REQUIRED', 'TRAINING_REQUIRED', 'SIGNUP_REQUIRED', 'GUARDIAN_REQUIRED'] as const;
export type GateCode = (typeof gateCodes)[number];

/** A staff member let one volunteer through one gate of one activity, with a reason (audited). */
export interface GatePass {
  id: string;
  activityId: string;
  volunteerId: string;
  code: GateCode;
  reason: string;
  at: string;
  by: string;
}

/** Consent under PIPL art. 14/29: to the center's processing, and separately to the ID number (sensitive). */
export interface ConsentRecord {
  noticeVersion: string;
  at: string;
  by: string;
}

const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.string().trim().max(max).optional().transform((v) => (v === '' ? undefined : v));
const id = z.string().min(1).max(64);
const day = z.iso.date();

export const signupCreateSchema = z.object({ volunteerId: id });
export const signupExcuseSchema = z.object({ reason: text(200) });

export const trainingCreateSchema = z.object({
  title: text(100),
  category: text(40),
  date: day,
  hours: z.number().min(0).max(200).default(0),
  trainer: optionalText(60),
  place: optionalText(100),
});
export const trainingAttendeesSchema = z.object({ volunteerIds: z.array(id).min(1).max(2000) });

const policyFields = {
  insurer: text(100),
  policyNo: text(60),
  cover: optionalText(200),
  from: day,
  to: day,
};
const periodOk = (p: { from: string; to: string }) => p.from <= p.to;
export const insuranceCreateSchema = z.object(policyFields).refine(periodOk, { message: 'The cover must end on or after it starts', path: ['to'] });
export const groupInsuranceCreateSchema = z
  .object({ ...policyFields, volunteerIds: z.array(id).max(5000).default([]), teamIds: z.array(id).max(100).default([]) })
  .refine(periodOk, { message: 'The cover must end on or after it starts', path: ['to'] })
  .refine((p) => p.volunteerIds.length + p.teamIds.length > 0, { message: 'A group policy names volunteers or teams', path: ['volunteerIds'] });

export const gatePassCreateSchema = z.object({ volunteerId: id, code: z.enum(gateCodes), reason: text(200) });

/** GET /api/activities/:id/signups: the organizer's list (staff only). */
export interface SignupListView {
  activityId: string;
  capacity: number | null;
  signupDeadline: string;
  signupOnly: boolean;
  confirmed: number;
  waitlisted: number;
  items: (Signup & { name: string; cardNo: string; phone?: string; attended: boolean; noShow: boolean })[];
}

// ---- The kiosk side of sign-ups and trainings (issue 15): after a scan, a volunteer signs up for
// an upcoming activity; a training dated today is opened at the kiosk and attendance taken by scan.

const kioskCode = z.string().trim().min(1).max(512);
const kioskOpId = z.string().min(8).max(64);
const phoneLast4 = z.string().regex(/^\d{4}$/).optional();

export const kioskSignupListSchema = z.object({ code: kioskCode, phoneLast4 });
export const kioskSignupCreateSchema = z.object({ opId: kioskOpId, code: kioskCode, phoneLast4, activityId: id });
export const kioskTrainingAttendSchema = z.object({ opId: kioskOpId, code: kioskCode, phoneLast4, trainingId: id });

/** An upcoming activity as a kiosk shows it after a scan: the phone's view, counts only, never who else signed up. */
export type KioskSignupActivity = MeActivity;

export interface KioskSignupListSuccess {
  ok: true;
  volunteer: { id: string; displayName: string };
  /** Open for sign-up and not yet signed up for, soonest first. */
  items: KioskSignupActivity[];
  /** The volunteer's own sign-ups of activities not yet over. */
  mine: KioskSignupActivity[];
}

export interface KioskSignupCreateSuccess {
  ok: true;
  opId: string;
  activity: KioskSignupActivity;
  /** Their place on the waiting list (1 = next), when waitlisted. */
  position?: number;
  replayed?: boolean;
}

/** A training offered at a check-in kiosk today (the center's day): staff open it like an activity. */
export interface KioskTraining {
  id: string;
  title: string;
  category: string;
  hours: number;
  place?: string;
}

export interface KioskTrainingAttendSuccess {
  ok: true;
  opId: string;
  volunteer: { id: string; displayName: string };
  training: KioskTraining;
  /** True when the volunteer was on the list already: nothing changed. */
  alreadyAttended: boolean;
  attendeeCount: number;
  replayed?: boolean;
}

// ---- Staff views of issue 15's records, as the routes answer them (the admin reads these types).

export type TrainingView = Training & { attendeeCount: number; validUntil: string | null; phase: TrainingPhase; canOpen: boolean };
export type TrainingDetailView = TrainingView & { attendees: { volunteerId: string; name: string; cardNo: string }[] };
export interface TrainingHolderView { volunteerId: string; name: string; cardNo: string; category: string; trainedOn: string; trainingTitle: string; validUntil: string | null; valid: boolean }
export interface VolunteerTrainingView { id: string; title: string; category: string; date: string; hours: number; trainer?: string; validUntil: string | null; valid: boolean }
export type PolicyView = InsurancePolicy & { volunteers: { id: string; name: string }[]; teams: { id: string; name: string }[]; daysLeft: number };
export type VolunteerPolicyView = InsurancePolicy & { group: boolean; coversToday: boolean };
export type GatePassView = GatePass & { name: string };
export interface NoShowView { activityId: string; title: string; endsAt: string; excused?: Signup['excused'] }

export type InsuranceImportField = 'name' | 'idNumber' | 'phone' | 'cardNo' | 'policyNo' | 'insurer' | 'from' | 'to' | 'cover';
export type InsuranceRowProblem =
  | 'no-identity'
  | 'volunteer-not-found'
  | 'ambiguous-name'
  | 'bad-id-number'
  | 'bad-phone'
  | 'no-policy-number'
  | 'no-insurer'
  | 'bad-date'
  | 'no-period'
  | 'period-reversed'
  | 'duplicate-row';

export interface InsuranceRowError {
  row: number;
  problem: InsuranceRowProblem;
  /** The cell as the file has it, when one cell is the problem. */
  value?: string;
  /** The column's header in the file. */
  column?: string;
  message: string;
}

/** `POST /api/insurance/import`: what the insurer's list holds and, unless a dry run, what was recorded. */
export interface InsuranceImportReport {
  dryRun: boolean;
  totalRows: number;
  matched: number;
  /** Matched rows whose volunteer the policy already covers: nothing to add. */
  alreadyCovered: number;
  errors: InsuranceRowError[];
  columns: Partial<Record<InsuranceImportField, string>>;
  policies: { insurer: string; policyNo: string; from: string; to: string; cover?: string; volunteers: number; added: number; existingPolicyId?: string }[];
  rows: { row: number; name: string; cardNo: string; volunteerId: string; policyNo: string; from: string; to: string }[];
}
