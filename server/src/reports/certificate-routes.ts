import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { auditChange } from '../audit.ts';
import { actorOf, requirePermission } from '../auth/session.ts';
import { minutesToHours } from '../domain/hours.ts';
import { maskIdNumber, maskName } from '../domain/masking.ts';
import { dayKey, formatTimeIn } from '../domain/time-zone.ts';
import { parseInput } from '../http/validate.ts';
import { AppError } from '../protocol/errors.ts';
import type { Certificate } from '../protocol/model.ts';
import { certificateCreateSchema } from '../protocol/schemas.ts';
import { countedMinutes, type StationState } from '../store/state.ts';
import { findVolunteer } from '../volunteers/volunteer-routes.ts';
import { certificateLookupLimiter } from '../security/throttles.ts';
import { certificateIdentity } from '../signups/certificate-identity.ts';
import { historyOf, yearsOfPeriod } from '../store/archive/history.ts';

export interface ServiceRecord {
  content: string;
  time: string;
  place: string;
  organizer: string;
  hours: number;
}

/** The service records a certificate lists (志愿服务记录与证明出具办法): content, time, place, hours, organizer. */
export function serviceRecords(state: StationState, volunteerId: string, from: string, to: string): ServiceRecord[] {
  const zone = state.settings.timeZone;
  const inPeriod = (at: string) => dayKey(at, zone) >= from && dayKey(at, zone) <= to;
  const attended = state.attendanceIdsOf(volunteerId)
    .map((id) => state.get('attendance', id)!)
    .filter((a) => countedMinutes(a) > 0 && inPeriod(a.checkInAt))
    .map((a) => {
      const activity = state.get('activities', a.activityId);
      return {
        at: a.checkInAt,
        content: activity?.title ?? '',
        time: `${formatTimeIn(a.checkInAt, zone)}–${a.checkOutAt ? formatTimeIn(a.checkOutAt, zone, 'HH:mm') : ''}`,
        place: activity?.place ?? '',
        organizer: activity?.organizer ?? state.settings.centerName,
        hours: minutesToHours(countedMinutes(a)),
      };
    });
  // Completed requests and pairing visits count alike (DESIGN section 8).
  const served = state.serviceRecordsOf(volunteerId)
    .filter((r) => !r.removed && r.creditedMinutes > 0 && inPeriod(r.startedAt))
    .map((r) => ({
      at: r.startedAt,
      content: r.title,
      time: `${formatTimeIn(r.startedAt, zone)}–${formatTimeIn(r.endedAt, zone, 'HH:mm')}`,
      place: r.place ?? '',
      organizer: r.organizer ?? state.settings.centerName,
      hours: minutesToHours(r.creditedMinutes),
    }));
  return [...attended, ...served].sort((a, b) => a.at.localeCompare(b.at)).map(({ at: _at, ...record }) => record);
}

export function certificateRoutes(ctx: AppContext): Router {
  const router = Router();

  router.post('/volunteers/:id/certificates', requirePermission('volunteers:write'), async (req, res) => {
    const { from, to } = parseInput(certificateCreateSchema, req.body);
    const volunteer = findVolunteer(ctx, req.params.id as string);
    const state = ctx.store.state;
    // The period's closed years are read back from their archives; counters and identity come from the live state.
    const records = serviceRecords(await historyOf(ctx.store, yearsOfPeriod({ from, to })), volunteer.id, from, to);
    const hours = Math.round(records.reduce((sum, r) => sum + r.hours, 0) * 100) / 100;
    const now = ctx.clock.now();
    const counters = state.counters;
    // Sequential for the ledger, plus a random part so numbers cannot be enumerated by strangers.
    const number = `${dayKey(now, state.settings.timeZone).slice(0, 4)}${String(counters.certificateNo + 1).padStart(5, '0')}-${randomBytes(3).toString('hex').toUpperCase()}`;
    const certificate: Certificate = { number, volunteerId: volunteer.id, from, to, hours, issuedAt: now.toISOString(), issuedBy: actorOf(req), ...certificateIdentity(state, volunteer) };
    await ctx.store.commit([
      { c: 'config', v: { ...counters, certificateNo: counters.certificateNo + 1 } },
      { c: 'certificates', v: { ...certificate, id: number } },
      auditChange(now, actorOf(req), 'certificate.issued', volunteer.id, `${number}: ${hours} h, ${from}..${to}`, { number, hours, from, to }),
    ]);
    res.status(201).json({
      ...certificate,
      name: volunteer.name,
      idNumber: volunteer.idNumber ? maskIdNumber(volunteer.idNumber) : undefined,
      centerName: state.settings.centerName,
      records,
    });
  });

  router.get('/certificates/:number', certificateLookupLimiter(), (req, res) => {
    const found = publicCertificate(ctx.store.state, String(req.params.number));
    if (!found) throw new AppError('NOT_FOUND', 'No certificate has this number', 404);
    res.json(found);
  });

  return router;
}

/** Public: anyone holding a certificate can check it is genuine. Only a masked name and the figures. */
export function publicCertificate(state: StationState, number: string) {
  const certificate = state.get('certificates', number.trim().toUpperCase());
  if (!certificate) return undefined;
  const volunteer = state.get('volunteers', certificate.volunteerId);
  return {
    number: certificate.number,
    genuine: true as const,
    name: volunteer ? maskName(volunteer.name) : '',
    hours: certificate.hours,
    from: certificate.from,
    to: certificate.to,
    issuedAt: certificate.issuedAt,
    centerName: state.settings.centerName,
  };
}
