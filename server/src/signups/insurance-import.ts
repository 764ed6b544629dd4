import express, { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { auditChange } from '../audit.ts';
import { actorOf, requirePermission } from '../auth/session.ts';
import { parseInput } from '../http/validate.ts';
import { newId } from '../ids.ts';
import { AppError } from '../protocol/errors.ts';
import type { Volunteer } from '../protocol/model.ts';
import type { InsuranceImportField, InsuranceImportReport, InsurancePolicy, InsuranceRowError, InsuranceRowProblem } from '../protocol/organizing.ts';
import type { Change, StationState } from '../store/state.ts';
import { cellText, isEmptyCell, readDay, readIdNumber, readPhone, toHalfWidth } from '../volunteers/register-cells.ts';
import { RegisterFormatError, RegisterTooLargeError } from '../volunteers/register-import.ts';
import { checkRegisterLimits } from '../volunteers/register-limits.ts';
import { parseInsuranceListInWorker } from '../volunteers/parse-in-worker.ts';
import type { GridRow } from './insurance-grid.ts';

/**
 * The insurer's list of insured people (被保险人清单), as the XLSX the insurer sends back after a
 * group accident policy is bought (志愿服务条例 art. 17). Each row names a person and, in most
 * files, the policy number, insurer and cover period; what the file leaves out comes from the
 * form (query parameters). Rows are matched to volunteers by ID number, phone, card number or
 * a name that only one volunteer has. `dryRun=1` previews; the commit makes one group policy per
 * policy number and period, or adds to the one already recorded, so importing the same file
 * twice adds nobody the second time.
 */

type Field = InsuranceImportField;

/** Header words as insurers spell them, most specific first. */
const headerWords: [Field, RegExp][] = [
  ['policyNo', /保单号|保险单号|保单编号/],
  ['insurer', /保险公司|承保公司|承保机构|^保险人$/],
  ['from', /起保|保险起期|生效日期|起始日期|开始日期|起期/],
  ['to', /终保|保险止期|到期|终止日期|截止日期|结束日期|止期/],
  ['cover', /保险责任|保障|险种|保额|保险金额|方案/],
  ['idNumber', /证件号|身份证/],
  ['phone', /手机|电话/],
  ['cardNo', /卡号|志愿者编号/],
  ['name', /姓名|被保险人/],
];

const messages: Record<InsuranceRowProblem, string> = {
  'no-identity': '没有姓名、身份证号、手机号或卡号，无法对应到志愿者',
  'volunteer-not-found': '在志愿者名册中找不到这个人',
  'ambiguous-name': '名册中有几位同名志愿者，请在文件中填写身份证号或手机号',
  'bad-id-number': '身份证号码无效',
  'bad-phone': '手机号码无效',
  'no-policy-number': '没有保单号（文件中没有，表单中也没有填写）',
  'no-insurer': '没有保险公司（文件中没有，表单中也没有填写）',
  'bad-date': '日期无法识别',
  'no-period': '没有保险起止日期（文件中没有，表单中也没有填写）',
  'period-reversed': '保险止期早于起期',
  'duplicate-row': '与前面一行重复（同一人、同一保单）',
};

const day = z.iso.date();
export const insuranceImportQuerySchema = z.object({
  dryRun: z.enum(['0', '1', 'true', 'false']).optional(),
  insurer: z.string().trim().max(100).optional(),
  policyNo: z.string().trim().max(60).optional(),
  cover: z.string().trim().max(200).optional(),
  from: day.optional().or(z.literal('')),
  to: day.optional().or(z.literal('')),
});
type Defaults = z.output<typeof insuranceImportQuerySchema>;

async function readGrid(bytes: Buffer): Promise<GridRow[]> {
  const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
  if (!isZip) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the insurer’s list as an .xlsx file', 415);
  try {
    await checkRegisterLimits(bytes);
  } catch (error) {
    if (error instanceof RegisterTooLargeError) throw new AppError('PAYLOAD_TOO_LARGE', error.message, 413);
    if (error instanceof RegisterFormatError) throw new AppError('UNSUPPORTED_MEDIA_TYPE', error.message, 415);
    throw error;
  }
  // The parse itself in the register importer's worker thread (one mechanism for both lists).
  let rows: GridRow[];
  try {
    rows = await parseInsuranceListInWorker(bytes);
  } catch (error) {
    if (error instanceof RegisterTooLargeError) throw new AppError('PAYLOAD_TOO_LARGE', error.message, 413);
    if (error instanceof RegisterFormatError) throw new AppError('UNSUPPORTED_MEDIA_TYPE', error.message, 415);
    throw error;
  }
  if (rows.length === 0) throw new AppError('VALIDATION_FAILED', 'The file is empty', 400);
  return rows;
}

/** The header row: the first of the top rows that names a person column and at least one other. */
export function findColumns(rows: GridRow[]): { headerIndex: number; columns: Map<Field, number>; headers: Partial<Record<Field, string>> } | undefined {
  for (const [index, row] of rows.slice(0, 10).entries()) {
    const columns = new Map<Field, number>();
    const headers: Partial<Record<Field, string>> = {};
    row.cells.forEach((cell, column) => {
      const text = toHalfWidth(cellText(cell)).replace(/[\s*＊:：]|[(（][^)）]*[)）]/g, '');
      if (!text || text.length > 20) return;
      const found = headerWords.find(([field, words]) => !columns.has(field) && words.test(text));
      if (found) {
        columns.set(found[0], column);
        headers[found[0]] = cellText(cell);
      }
    });
    if ((columns.has('name') || columns.has('idNumber')) && columns.size >= 2) return { headerIndex: index, columns, headers };
  }
  return undefined;
}

interface Planned {
  row: number;
  volunteer: Volunteer;
  insurer: string;
  policyNo: string;
  from: string;
  to: string;
  cover?: string;
}

function samePolicy(policy: InsurancePolicy, p: Pick<Planned, 'insurer' | 'policyNo' | 'from' | 'to'>): boolean {
  return !policy.removed && policy.insurer === p.insurer && policy.policyNo === p.policyNo && policy.from === p.from && policy.to === p.to;
}

/** Reads, matches and groups the rows. Pure over the state: the route commits what it returns. */
export function planInsuranceImport(state: StationState, rows: GridRow[], defaults: Defaults) {
  const header = findColumns(rows);
  if (!header) throw new AppError('VALIDATION_FAILED', 'No header row with 姓名 or 身份证号 and another column was found in the first 10 rows', 400);
  const { columns, headers } = header;
  const cellOf = (row: GridRow, field: Field) => (columns.has(field) ? row.cells[columns.get(field)!] ?? null : null);
  const textOf = (row: GridRow, field: Field) => toHalfWidth(cellText(cellOf(row, field)));
  const byName = new Map<string, Volunteer[]>();
  for (const v of state.records.volunteers.values()) {
    if (v.anonymizedAt) continue;
    byName.set(v.name, [...(byName.get(v.name) ?? []), v]);
  }
  const errors: InsuranceRowError[] = [];
  const planned: Planned[] = [];
  const seen = new Set<string>();
  const data = rows.slice(header.headerIndex + 1);
  for (const row of data) {
    const fail = (problem: InsuranceRowProblem, field?: Field) => {
      const value = field ? cellText(cellOf(row, field)) : undefined;
      errors.push({ row: row.number, problem, ...(field && headers[field] ? { column: headers[field] } : {}), ...(value ? { value } : {}), message: `第${row.number}行：${field && headers[field] ? `${headers[field]}“${value ?? ''}”` : ''}${messages[problem]}` });
    };
    const name = textOf(row, 'name').replace(/\s+/g, '');
    // A footer such as 合计 or a note below the table: no person, no policy. Skip it quietly.
    const lead = cellText(row.cells.find((c) => !isEmptyCell(c)) ?? null);
    if (/^(合计|总计|小计|备注|说明|注[:：])/.test(lead)) continue;
    let volunteer: Volunteer | undefined;
    const idCell = cellOf(row, 'idNumber');
    const phoneCell = cellOf(row, 'phone');
    const cardNo = textOf(row, 'cardNo').replace(/\s+/g, '');
    if (!isEmptyCell(idCell)) {
      const reading = readIdNumber(idCell);
      if (reading.problem !== undefined) {
        fail('bad-id-number', 'idNumber');
        continue;
      }
      volunteer = state.volunteerWithIdNumber(reading.value);
    }
    if (!volunteer && !isEmptyCell(phoneCell)) {
      const reading = readPhone(phoneCell);
      if (reading.problem !== undefined) {
        fail('bad-phone', 'phone');
        continue;
      }
      volunteer = state.volunteerWithPhone(reading.value);
    }
    if (!volunteer && cardNo) {
      volunteer = state.volunteerWithCard(cardNo);
    }
    if (!volunteer && name && isEmptyCell(idCell) && isEmptyCell(phoneCell) && !cardNo) {
      const namesakes = byName.get(name) ?? [];
      if (namesakes.length > 1) {
        fail('ambiguous-name', 'name');
        continue;
      }
      volunteer = namesakes[0];
    }
    if (!volunteer) {
      if (!name && isEmptyCell(idCell) && isEmptyCell(phoneCell) && !cardNo) fail('no-identity');
      else fail('volunteer-not-found', name ? 'name' : isEmptyCell(idCell) ? 'phone' : 'idNumber');
      continue;
    }
    const policyNo = textOf(row, 'policyNo').replace(/\s+/g, '') || defaults.policyNo || '';
    if (!policyNo) {
      fail('no-policy-number');
      continue;
    }
    const insurer = textOf(row, 'insurer') || defaults.insurer || '';
    if (!insurer) {
      fail('no-insurer');
      continue;
    }
    const dayOf = (field: 'from' | 'to'): string | null | undefined => {
      const cell = cellOf(row, field);
      if (isEmptyCell(cell)) return defaults[field] || undefined;
      const reading = readDay(cell);
      return reading.problem === undefined ? reading.value : null;
    };
    const from = dayOf('from');
    const to = dayOf('to');
    if (from === null || to === null) {
      fail('bad-date', from === null ? 'from' : 'to');
      continue;
    }
    if (!from || !to) {
      fail('no-period');
      continue;
    }
    if (from > to) {
      fail('period-reversed', 'to');
      continue;
    }
    const key = `${volunteer.id}|${insurer}|${policyNo}|${from}|${to}`;
    if (seen.has(key)) {
      fail('duplicate-row');
      continue;
    }
    seen.add(key);
    const cover = textOf(row, 'cover') || defaults.cover || undefined;
    planned.push({ row: row.number, volunteer, insurer, policyNo, from, to, ...(cover ? { cover } : {}) });
  }

  // One group policy per insurer, number and period: the one on record gains the new people.
  const groups = new Map<string, { planned: Planned[]; existing?: InsurancePolicy }>();
  for (const p of planned) {
    const key = `${p.insurer}|${p.policyNo}|${p.from}|${p.to}`;
    const group = groups.get(key) ?? { planned: [], existing: [...state.records.insurance.values()].find((policy) => samePolicy(policy, p)) };
    group.planned.push(p);
    groups.set(key, group);
  }
  let alreadyCovered = 0;
  const policies: InsuranceImportReport['policies'] = [];
  const updates: { existing?: InsurancePolicy; first: Planned; add: string[] }[] = [];
  for (const { planned: members, existing } of groups.values()) {
    const add = members.map((p) => p.volunteer.id).filter((id) => !existing?.volunteerIds.includes(id));
    alreadyCovered += members.length - add.length;
    const first = members[0]!;
    policies.push({ insurer: first.insurer, policyNo: first.policyNo, from: first.from, to: first.to, ...(first.cover ? { cover: first.cover } : {}), volunteers: members.length, added: add.length, ...(existing ? { existingPolicyId: existing.id } : {}) });
    updates.push({ ...(existing ? { existing } : {}), first, add });
  }
  return {
    report: {
      totalRows: data.length,
      matched: planned.length,
      alreadyCovered,
      errors,
      columns: headers,
      policies,
      rows: planned.map((p) => ({ row: p.row, name: p.volunteer.name, cardNo: p.volunteer.cardNo, volunteerId: p.volunteer.id, policyNo: p.policyNo, from: p.from, to: p.to })),
    },
    updates,
  };
}

export function insuranceImportRoutes(ctx: AppContext): Router {
  const router = Router();
  router.post('/insurance/import', requirePermission('volunteers:write'), express.raw({ type: () => true, limit: '10mb' }), async (req, res) => {
    const query = parseInput(insuranceImportQuerySchema, req.query);
    const dryRun = query.dryRun === '1' || query.dryRun === 'true';
    const body = req.body as unknown;
    if (!Buffer.isBuffer(body) || body.length === 0) throw new AppError('VALIDATION_FAILED', 'Send the insurer’s XLSX file as the request body', 400);
    const rows = await readGrid(body);
    // Planned and committed in one step after the parse: nothing can change the register in between.
    const { report, updates } = planInsuranceImport(ctx.store.state, rows, query);
    const result: InsuranceImportReport = { dryRun, ...report };
    if (!dryRun && updates.some((u) => u.add.length > 0)) {
      const now = ctx.clock.now();
      const actor = actorOf(req);
      const changes: Change[] = [];
      for (const { existing, first, add } of updates) {
        if (add.length === 0) continue;
        const policy: InsurancePolicy = existing
          ? { ...existing, volunteerIds: [...existing.volunteerIds, ...add] }
          : { id: newId(), insurer: first.insurer, policyNo: first.policyNo, ...(first.cover ? { cover: first.cover } : {}), from: first.from, to: first.to, volunteerIds: add, teamIds: [], createdAt: now.toISOString(), createdBy: actor };
        changes.push({ c: 'insurance', v: policy }, auditChange(now, actor, 'insurance.imported', policy.id, `${policy.insurer} ${policy.policyNo}: ${add.length} volunteer(s) from the insurer's list`));
      }
      await ctx.store.commit(changes);
    }
    res.json(result);
  });
  return router;
}
