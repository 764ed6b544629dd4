import express, { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { auditChange } from '../audit.ts';
import { actorOf, requirePermission } from '../auth/session.ts';
import { parseInput } from '../http/validate.ts';
import { newId } from '../ids.ts';
import { AppError } from '../protocol/errors.ts';
import type { Team } from '../protocol/model.ts';
import { volunteerCreateSchema } from '../protocol/schemas.ts';
import type { Change } from '../store/state.ts';
import { parseRegisterInWorker } from './parse-in-worker.ts';
import { RegisterFormatError, RegisterTooLargeError } from './register-import.ts';
import { checkRegisterLimits } from './register-limits.ts';
import { registerTemplateXlsx } from './register-template.ts';
import { maskPhone } from '../domain/masking.ts';
import { buildVolunteer, duplicateOf } from './register-volunteer.ts';
import { futureBirthOf, PossibleDuplicates } from './import-matching.ts';
import { dayKey } from '../domain/time-zone.ts';
import type { ImportReport, ImportRowMessage } from '../protocol/views.ts';

const importQuerySchema = z.object({ dryRun: z.enum(['0', '1', 'true', 'false']).optional() });

/**
 * The Excel register a center already keeps. Valid rows are imported in one transaction (all
 * or nothing); duplicates by phone or ID number, in the file or already registered, are
 * skipped, so importing the same file twice adds nobody the second time.
 */
export function importRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/volunteers/import/template.xlsx', requirePermission('volunteers:write'), async (_req, res) => {
    res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('Content-Disposition', `attachment; filename="register-template.xlsx"; filename*=UTF-8''${encodeURIComponent('志愿者名册模板.xlsx')}`);
    res.send(await registerTemplateXlsx());
  });

  router.post(
    '/volunteers/import',
    requirePermission('volunteers:write'),
    express.raw({ type: () => true, limit: '20mb' }),
    async (req, res) => {
      const { dryRun } = parseInput(importQuerySchema, req.query);
      const body = req.body as unknown;
      if (!Buffer.isBuffer(body) || body.length === 0) throw new AppError('VALIDATION_FAILED', 'Send the XLSX or CSV file as the request body', 400);
      // Cheap checks first (declared zip sizes, row counts), then the parse in a worker thread:
      // no file, however large or hostile, can stall the event loop that acknowledges scans.
      const parsed = await checkRegisterLimits(body)
        .then(() => parseRegisterInWorker(body, req.headers['content-type']))
        .catch((error: unknown) => {
          if (error instanceof RegisterTooLargeError) throw new AppError('PAYLOAD_TOO_LARGE', error.message, 413);
          if (error instanceof RegisterFormatError) throw new AppError('UNSUPPORTED_MEDIA_TYPE', error.message, 415);
          throw error;
        });

      const state = ctx.store.state;
      const now = ctx.clock.now();
      const actor = actorOf(req);
      const errors: ImportRowMessage[] = [...parsed.errors];
      const skipped: ImportRowMessage[] = [];
      const today = dayKey(now, state.settings.timeZone);
      const possibleDuplicates = new PossibleDuplicates(state.records.volunteers.values());
      const teamsByName = new Map([...state.records.teams.values()].map((t) => [t.name, t]));
      const newTeams: Team[] = [];
      const changes: Change[] = [];
      // Team and masked phone let staff check each row before committing; the phone stays masked, as on any list.
      const preview: ImportReport['preview'] = [];
      let counters = state.counters;
      for (const candidate of parsed.candidates) {
        const sameCard = candidate.cardNo ? state.volunteerWithCard(candidate.cardNo) : undefined;
        const existing = duplicateOf(state, candidate) ?? (sameCard?.name === candidate.name ? sameCard : undefined);
        if (existing) {
          skipped.push({ row: candidate.row, message: `第${candidate.row}行 ${candidate.name}：已登记（卡号 ${existing.cardNo}），跳过`, code: 'ALREADY_REGISTERED', details: { cardNo: existing.cardNo, volunteerId: existing.id } });
          continue;
        }
        const futureBirth = futureBirthOf(candidate, today);
        if (futureBirth) {
          errors.push({ row: candidate.row, message: `第${candidate.row}行 ${candidate.name}：出生日期“${futureBirth}”在今天之后，请核对`, code: 'BIRTH_DATE_IN_FUTURE', details: { value: futureBirth } });
          continue;
        }
        const lookalike = possibleDuplicates.of(candidate);
        if (lookalike) {
          skipped.push({
            row: candidate.row,
            message: `第${candidate.row}行 ${candidate.name}：没有手机号和身份证号，姓名、出生日期和住址与已登记的志愿者（卡号 ${lookalike.cardNo}）相同，可能重复，跳过`,
            code: 'POSSIBLE_DUPLICATE',
            details: { cardNo: lookalike.cardNo, volunteerId: lookalike.id },
          });
          continue;
        }
        const teamIds = candidate.teamNames.map((name) => {
          let team = teamsByName.get(name);
          if (!team) {
            team = { id: newId(), name, leaderIds: [], createdAt: now.toISOString() };
            teamsByName.set(name, team);
            newTeams.push(team);
          }
          return team.id;
        });
        const input = volunteerCreateSchema.safeParse({
          ...candidate,
          teamIds,
          ...(candidate.guardianName ? { guardianConsent: { guardianName: candidate.guardianName } } : {}),
        });
        if (!input.success) {
          errors.push({ row: candidate.row, message: `第${candidate.row}行: ${input.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}` });
          continue;
        }
        try {
          const built = buildVolunteer(state, input.data, counters, now, actor);
          counters = built.counters;
          changes.push({ c: 'volunteers', v: built.volunteer });
          possibleDuplicates.add(built.volunteer);
          preview.push({ row: candidate.row, name: built.volunteer.name, cardNo: built.volunteer.cardNo, teams: candidate.teamNames, ...(built.volunteer.phone ? { phone: maskPhone(built.volunteer.phone) } : {}) });
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          errors.push({ row: candidate.row, message: `第${candidate.row}行 ${candidate.name}：未满14岁，需要登记监护人同意`, code: 'GUARDIAN_CONSENT_REQUIRED' });
        }
      }
      const dry = dryRun === '1' || dryRun === 'true';
      if (!dry && changes.length > 0) {
        await ctx.store.commit([
          ...newTeams.map((v) => ({ c: 'teams', v }) as const),
          { c: 'config', v: counters },
          ...changes,
          auditChange(now, actor, 'volunteers.imported', undefined, `${changes.length} imported, ${skipped.length} skipped, ${errors.length} errors`, { imported: changes.length, skipped: skipped.length, errors: errors.length }),
        ]);
      }
      errors.sort((a, b) => a.row - b.row);
      res.json({
        dryRun: dry,
        imported: changes.length,
        skipped: skipped.length,
        errors,
        skippedRows: skipped,
        possibleDuplicates: skipped.filter((row) => row.code === 'POSSIBLE_DUPLICATE').length,
        totalRows: parsed.totalRows,
        columns: parsed.columns,
        preview: preview.slice(0, 200),
      } satisfies ImportReport);
    },
  );

  return router;
}
