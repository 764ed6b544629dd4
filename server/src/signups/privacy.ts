import { createHash } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { auditChange } from '../audit.ts';
import { actorOf, requirePermission } from '../auth/session.ts';
import { parseInput } from '../http/validate.ts';
import { AppError } from '../protocol/errors.ts';
import type { GuardianConsent, Volunteer } from '../protocol/model.ts';
import type { ConsentRecord } from '../protocol/organizing.ts';
import { findVolunteer } from '../volunteers/volunteer-routes.ts';
import { deleteVolunteerPhotoFile } from '../volunteer-photos/volunteer-photo-files.ts';

/**
 * Personal information under PIPL: consents recorded with the notice version they were given
 * to (art. 14, and separately for the ID number as sensitive information, art. 29), and the
 * anonymization of a volunteer who leaves (art. 47: delete when the purpose is served), which
 * keeps their service records and ledger under a pseudonym so every total stays right.
 */

export function guardianConsentOf(input: { guardianName: string; relation?: string; phone?: string; date?: string }, at: string, actor: string): GuardianConsent {
  return {
    guardianName: input.guardianName,
    ...(input.relation ? { relation: input.relation } : {}),
    ...(input.phone ? { phone: input.phone } : {}),
    ...(input.date ? { date: input.date } : {}),
    recordedAt: at,
    recordedBy: actor,
  };
}

export function consentsOf(given: { processing?: boolean; idNumber?: boolean } | undefined, noticeVersion: string, at: string, actor: string): { consents?: Volunteer['consents'] } {
  if (!given?.processing && !given?.idNumber) return {};
  const record: ConsentRecord = { noticeVersion, at, by: actor };
  return { consents: { ...(given.processing ? { processing: record } : {}), ...(given.idNumber ? { idNumber: record } : {}) } };
}

/** A stable pseudonym from the volunteer's id: the same person reads the same in every old report, and nobody can read the name back. */
export function pseudonymOf(volunteer: Pick<Volunteer, 'id'>): string {
  return `已注销志愿者${createHash('sha256').update(volunteer.id).digest('hex').slice(0, 6).toUpperCase()}`;
}

/**
 * The volunteer with name and contacts removed. The id and card number stay (every attendance,
 * ledger entry, sign-up and service record points at the id, so totals are unchanged); the card
 * serial goes up so the old card stops working.
 */
export function anonymized(volunteer: Volunteer, at: string): Volunteer {
  const { phone: _phone, idNumber: _id, address: _address, notes: _notes, birthDate: _birth, guardianConsent: _guardian, nationalVolunteerNo: _no, idType: _type, photo: _photo, ...kept } = volunteer;
  return { ...kept, name: pseudonymOf(volunteer), skills: [], status: 'left', cardSerial: volunteer.cardSerial + 1, anonymizedAt: at, updatedAt: at };
}

const anonymizeSchema = z.object({ reason: z.string().trim().min(1).max(200) });
const consentSchema = z.object({ processing: z.boolean().optional(), idNumber: z.boolean().optional() });

export function privacyRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/privacy/notice', requirePermission('volunteers:read'), (_req, res) => {
    const { noticeVersion, noticeText } = ctx.store.state.settings.privacy;
    res.json({ noticeVersion, noticeText });
  });

  // Consent given after registration (or renewed for a new notice version).
  router.post('/volunteers/:id/consents', requirePermission('volunteers:write'), async (req, res) => {
    const given = parseInput(consentSchema, req.body);
    const volunteer = findVolunteer(ctx, req.params.id as string);
    const now = ctx.clock.now();
    const actor = actorOf(req);
    const { consents } = consentsOf(given, ctx.store.state.settings.privacy.noticeVersion, now.toISOString(), actor);
    if (!consents) throw new AppError('VALIDATION_FAILED', 'Name the consent given: processing and/or idNumber', 400);
    const updated: Volunteer = { ...volunteer, consents: { ...volunteer.consents, ...consents }, updatedAt: now.toISOString() };
    await ctx.store.commit([{ c: 'volunteers', v: updated }, auditChange(now, actor, 'volunteer.consent-recorded', volunteer.id, Object.keys(consents).join(', '), { keys: Object.keys(consents) })]);
    res.json({ consents: updated.consents });
  });

  router.post('/volunteers/:id/anonymize', requirePermission('volunteers:write'), async (req, res) => {
    const { reason } = parseInput(anonymizeSchema, req.body);
    const volunteer = findVolunteer(ctx, req.params.id as string);
    if (volunteer.anonymizedAt) throw new AppError('CONFLICT', 'This volunteer was already anonymized', 409);
    if (ctx.store.state.isOnSite(volunteer.id)) throw new AppError('CONFLICT', 'This volunteer is signed in now; sign them out first', 409);
    const now = ctx.clock.now();
    const updated = anonymized(volunteer, now.toISOString());
    // The audit names the pseudonym, never the name that was removed.
    await ctx.store.commit([{ c: 'volunteers', v: updated }, auditChange(now, actorOf(req), 'volunteer.anonymized', volunteer.id, `${updated.name}: ${reason}`, { reason })]);
    // The photo's file goes with the name (issue 12); the reference went in the commit above.
    await deleteVolunteerPhotoFile(ctx.config.dataDir, volunteer.id, volunteer.photo);
    res.json({ id: updated.id, name: updated.name, status: updated.status, anonymizedAt: updated.anonymizedAt });
  });

  return router;
}
