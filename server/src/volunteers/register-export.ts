import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { auditChange } from '../audit.ts';
import { actorOf, requirePermission } from '../auth/session.ts';
import { parseInput } from '../http/validate.ts';
import type { Volunteer } from '../protocol/model.ts';
import { sendTables, sheet, type TableColumn } from '../reports/table-export.ts';
import { teamNamesOf } from '../reports/report-scope.ts';

const querySchema = z.object({ status: z.enum(['active', 'suspended', 'left']).optional(), teamId: z.string().min(1).max(64).optional() });

const genderNames: Record<Volunteer['gender'], string> = { male: '男', female: '女', unspecified: '' };
const statusNames: Record<Volunteer['status'], string> = { active: '在册', suspended: '暂停', left: '退出' };

/**
 * The register with the import template's headers, so an exported file imports again (its
 * people are then skipped as already registered) and a center can keep working in Excel.
 */
export function registerColumns<Row extends Volunteer>(teamNames: (volunteer: Row) => string[]): TableColumn<Row>[] {
  return [
    { header: '卡号', value: (v) => v.cardNo, width: 10 },
    { header: '姓名', value: (v) => v.name, width: 12 },
    { header: '性别', value: (v) => genderNames[v.gender], width: 6 },
    { header: '手机号', value: (v) => v.phone, width: 14 },
    { header: '身份证号', value: (v) => v.idNumber, width: 22 },
    { header: '出生年份', value: (v) => v.birthYear, width: 10 },
    { header: '住址/网格', value: (v) => v.address, width: 24 },
    { header: '技能', value: (v) => v.skills.join('、'), width: 16 },
    { header: '服务队', value: (v) => teamNames(v).join('、'), width: 18 },
    { header: '加入日期', value: (v) => v.joinedOn, width: 12 },
    { header: '状态', value: (v) => statusNames[v.status], width: 8 },
    { header: '备注', value: (v) => v.notes, width: 24 },
    { header: '监护人', value: (v) => v.guardianConsent?.guardianName, width: 10 },
  ];
}

export function registerExportRoutes(ctx: AppContext): Router {
  const router = Router();
  for (const format of ['xlsx', 'csv'] as const) {
    router.get(`/exports/volunteers.${format}`, requirePermission('exports:personal'), async (req, res) => {
      const query = parseInput(querySchema, req.query);
      const state = ctx.store.state;
      const volunteers = [...state.records.volunteers.values()]
        .filter((v) => (!query.status || v.status === query.status) && (!query.teamId || v.teamIds.includes(query.teamId)))
        .sort((a, b) => Number(a.cardNo) - Number(b.cardNo));
      await ctx.store.commit([auditChange(ctx.clock.now(), actorOf(req), 'export.volunteers', undefined, `${format}, ${volunteers.length} volunteers`, { format, count: volunteers.length })]);
      await sendTables(res, format, { name: '志愿者名册', ascii: 'volunteer-register' }, [sheet({ name: '志愿者名册', columns: registerColumns<Volunteer>((v) => teamNamesOf(state, v.teamIds)), rows: volunteers })]);
    });
  }
  return router;
}
