import { describe, expect, test } from 'vitest';
import { describeAudit } from '../../admin/src/pages/audit-describe.ts';
import { en } from '../../admin/src/i18n/en.ts';
import { zhCN } from '../../admin/src/i18n/zh-CN.ts';
import type { AuditEntry } from '../../server/src/protocol/model.ts';

const format = { dateTime: (iso: string | undefined) => (iso ?? '').slice(0, 16).replace('T', ' '), date: (iso: string | undefined) => (iso ?? '').slice(0, 10) };
const entry = (action: string, details: AuditEntry['details']): AuditEntry => ({ id: 'a1', at: '2027-03-01T02:00:00.000Z', actor: 'staff:admin', action, target: 'series-id-0001', summary: '读报', details });
const names = { 'series-id-0001': '读报（下午）' };

describe('series operations in the audit log, in plain language (issue 12)', () => {
  test('created, changed from an occurrence on and cancelled read as sentences with labels, not keys', () => {
    expect(describeAudit(zhCN, format, entry('series.created', { count: 6, first: '2027-03-08T01:00:00.000Z', last: '2027-05-28T01:00:00.000Z' }), names)).toBe('读报（下午），共 6 次（2027-03-08 01:00至2027-05-28 01:00）');
    expect(describeAudit(zhCN, format, entry('series.updated', { from: '2027-03-28T01:00:00.000Z', fields: ['title', 'startsAt', 'endsAt', 'place'], count: 3, kept: 2 }), names)).toBe(
      '读报（下午）：自 2027-03-28 01:00 起改了名称、时间、地点，共 3 次；2 次已有报名、签到或已开始，未改',
    );
    expect(describeAudit(zhCN, format, entry('series.cancelled', { from: '2027-04-30T01:00:00.000Z', count: 3, kept: 0 }), names)).toBe('读报（下午）：自 2027-04-30 01:00 起取消 3 次');
    expect(describeAudit(en, format, entry('series.updated', { from: '2027-03-28T01:00:00.000Z', fields: ['capacity'], count: 1, kept: 0 }), names)).toBe('读报（下午）: from 2027-03-28 01:00 changed capacity on 1');
  });
});
