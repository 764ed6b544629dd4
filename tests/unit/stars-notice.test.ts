import { describe, expect, it } from 'vitest';
import { AppError } from '../../server/src/protocol/errors.ts';
import type { Notice } from '../../server/src/protocol/notices.ts';
import {
  addEntry, finalizeIfDue, publish, recordObjection, removeEntry, resolveObjection, withdraw,
} from '../../server/src/notices/notice-rules.ts';
import { draftEntries, standingsFor } from '../../server/src/notices/star-list.ts';
import { isWorkingDay, nextWorkingDay, previousWorkingDay } from '../../server/src/domain/work-calendar.ts';
import { noticeWindow } from '../../server/src/notices/working-days.ts';
import { StateBuilder } from './board-fixtures.ts';

const zone = 'Asia/Shanghai';

describe('notice period in working days', () => {
  it('counts Monday to Friday only', () => {
    expect(isWorkingDay('2025-06-06')).toBe(true); // Friday
    expect(isWorkingDay('2025-06-07')).toBe(false);
    expect(isWorkingDay('2025-06-08')).toBe(false);
  });

  it('five working days from a Wednesday end on the next Tuesday', () => {
    expect(noticeWindow('2025-06-04', 5)).toEqual({ startsOn: '2025-06-04', endsOn: '2025-06-10' });
  });

  it('a period asked to begin on a Saturday begins on Monday', () => {
    expect(noticeWindow('2025-06-07', 3)).toEqual({ startsOn: '2025-06-09', endsOn: '2025-06-11' });
  });

  it('five working days from a Monday end that Friday', () => {
    expect(noticeWindow('2025-06-02', 5)).toEqual({ startsOn: '2025-06-02', endsOn: '2025-06-06' });
  });
});

describe("the center's calendar of holidays and 调休", () => {
  // 2025 国庆节、中秋节: 1–8 October off; Sunday 28 September and Saturday 11 October are working days.
  const national2025 = {
    holidays: ['2025-10-01', '2025-10-02', '2025-10-03', '2025-10-06', '2025-10-07', '2025-10-08'],
    workdays: ['2025-09-28', '2025-10-11'],
  };

  it('a holiday on a weekday is a day off; a swapped weekend day is a working day', () => {
    expect(isWorkingDay('2025-10-01', national2025)).toBe(false);
    expect(isWorkingDay('2025-09-28', national2025)).toBe(true);
    expect(isWorkingDay('2025-10-11', national2025)).toBe(true);
    expect(isWorkingDay('2025-10-09', national2025)).toBe(true);
    expect(isWorkingDay('2025-10-04', national2025)).toBe(false);
  });

  it('a 5-day 公示 published on 26 September runs over the swapped Sunday and past the holiday, not into it', () => {
    // 26 (Fri), 28 (Sun, 调休), 29, 30, then 9 October: the first working day after the holiday.
    expect(noticeWindow('2025-09-26', 5, national2025)).toEqual({ startsOn: '2025-09-26', endsOn: '2025-10-09' });
    // Without the calendar the same period would end on 2 October, in the middle of the holiday.
    expect(noticeWindow('2025-09-26', 5)).toEqual({ startsOn: '2025-09-26', endsOn: '2025-10-02' });
  });

  it('a period asked to begin in the holiday begins on the first working day after it', () => {
    expect(noticeWindow('2025-10-03', 3, national2025)).toEqual({ startsOn: '2025-10-09', endsOn: '2025-10-11' });
  });

  it('finds the working day before or after a day', () => {
    expect(previousWorkingDay('2025-10-05', national2025)).toBe('2025-09-30');
    expect(nextWorkingDay('2025-10-05', national2025)).toBe('2025-10-09');
    expect(nextWorkingDay('2025-10-09', national2025)).toBe('2025-10-09');
  });
});

function yearRules() {
  const b = new StateBuilder({ stars: { thresholds: [10, 20, 30, 40, 50], period: 'calendarYear' } });
  const team = b.team('红马甲');
  const a = b.activity('巡逻', '2024-01-01T00:00:00Z', '2025-12-31T00:00:00Z');
  return { b, team, a };
}

describe('star list drawn from the data', () => {
  it('a year list holds every active star volunteer of that year, by star then hours, in the year of Asia/Shanghai', () => {
    const { b, team, a } = yearRules();
    const zhang = b.volunteer('张小明', { teamIds: [team] });
    const li = b.volunteer('李秀英');
    const wang = b.volunteer('王芳');
    b.attendance(zhang, a, '2024-05-01T01:00:00Z', 21 * 60);
    b.attendance(li, a, '2024-05-01T01:00:00Z', 35 * 60);
    // 00:30 on 1 January 2025 in Beijing: counts for 2025, not 2024.
    b.attendance(wang, a, '2024-12-31T16:30:00Z', 15 * 60);
    const entries = draftEntries(b.state, 'yearStars', { from: '2024-01-01', to: '2024-12-31' });
    expect(entries).toEqual([
      { volunteerId: li, stars: 3, hours: 35, teamNames: [] },
      { volunteerId: zhang, stars: 2, hours: 21, teamNames: ['红马甲'] },
    ]);
    expect(draftEntries(b.state, 'yearStars', { from: '2025-01-01', to: '2025-12-31' })).toEqual([{ volunteerId: wang, stars: 1, hours: 15, teamNames: [] }]);
  });

  it('a new-stars list holds only those whose star rose within the period', () => {
    const { b, a } = yearRules();
    const rose = b.volunteer('张小明');
    const held = b.volunteer('李秀英');
    b.attendance(rose, a, '2025-02-01T01:00:00Z', 8 * 60);
    b.attendance(rose, a, '2025-03-05T01:00:00Z', 4 * 60);
    b.attendance(held, a, '2025-02-01T01:00:00Z', 12 * 60);
    b.attendance(held, a, '2025-03-05T01:00:00Z', 60);
    expect(draftEntries(b.state, 'newStars', { from: '2025-03-01', to: '2025-03-31' })).toEqual([
      { volunteerId: rose, stars: 1, hours: 12, previousStars: 0, teamNames: [] },
    ]);
  });

  it('the points condition is judged on the balance at the end of the period, not today', () => {
    const { b, a } = yearRules();
    b.settings({ stars: { thresholds: [10, 20, 30, 40, 50], period: 'calendarYear', minPoints: 12 } });
    const v = b.volunteer('张小明');
    b.attendance(v, a, '2024-05-01T01:00:00Z', 12 * 60);
    // Spent in 2025: does not take away the 2024 star.
    b.points(v, -12, '2025-01-10T00:00:00Z');
    expect(standingsFor(b.state, { from: '2024-01-01', to: '2024-12-31' }).get(v)).toMatchObject({ stars: 1, hours: 12 });
    // Spent before the end of 2024: it does.
    b.points(v, -1, '2024-12-20T00:00:00Z');
    expect(standingsFor(b.state, { from: '2024-01-01', to: '2024-12-31' }).get(v)).toMatchObject({ stars: 0 });
  });
});

const at = (iso: string) => new Date(iso);
const staff = 'staff:admin';

function draft(): Notice {
  return {
    id: 'n1', kind: 'yearStars', period: { from: '2024-01-01', to: '2024-12-31' }, basis: 'calendarYear', status: 'draft',
    entries: [
      { volunteerId: 'a', stars: 3, hours: 35, teamNames: [] },
      { volunteerId: 'b', stars: 2, hours: 21, teamNames: ['红马甲'] },
    ],
    objections: [], createdAt: '2025-01-02T01:00:00Z', createdBy: staff,
  };
}

function reasonOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return ((error as AppError).details?.reason as string | undefined) ?? (error as AppError).code;
  }
  return undefined;
}

describe('notice lifecycle rules', () => {
  // Wednesday 8 January 2025, 10:00 in Beijing.
  const publishedAt = at('2025-01-08T02:00:00Z');
  const published = () => publish(draft(), { workingDays: 5 }, publishedAt, staff, { timeZone: zone });

  it('publishing fixes the notice period: five working days from today, ending at midnight in Beijing', () => {
    expect(published().published).toMatchObject({ startsOn: '2025-01-08', endsOn: '2025-01-14', workingDays: 5, endsAt: '2025-01-14T16:00:00.000Z' });
  });

  it('review: an entry removed with a reason stays on record, and can be put back', () => {
    const mark = { at: '2025-01-03T00:00:00Z', by: staff, reason: '服务记录有误' };
    const removed = removeEntry(draft(), 'b', mark);
    expect(removed.entries[1]).toMatchObject({ volunteerId: 'b', removed: mark });
    const back = addEntry(removed, { volunteerId: 'b', stars: 2, hours: 21, teamNames: ['红马甲'] }, { ...mark, reason: '已核实' });
    expect(back.entries[1]!.removed).toBeUndefined();
    expect(back.entries[1]!.added).toMatchObject({ reason: '已核实' });
  });

  it('a published notice cannot be edited, an empty one cannot be published, nor can a period begin in the past', () => {
    expect(reasonOf(() => removeEntry(published(), 'a', { at: '', by: staff, reason: 'x' }))).toBe('NOTICE_NOT_DRAFT');
    const empty = removeEntry(removeEntry(draft(), 'a', { at: '', by: staff, reason: 'x' }), 'b', { at: '', by: staff, reason: 'x' });
    expect(reasonOf(() => publish(empty, { workingDays: 5 }, publishedAt, staff, { timeZone: zone }))).toBe('NOTICE_EMPTY');
    expect(reasonOf(() => publish(draft(), { workingDays: 5, startsOn: '2025-01-07' }, publishedAt, staff, { timeZone: zone }))).toBe('VALIDATION_FAILED');
  });

  it('objections are taken until the period ends, and an open one holds the notice from becoming final', () => {
    const objection = { id: 'o1', volunteerId: 'b', content: '时长有出入', receivedAt: '2025-01-09T02:00:00Z', recordedBy: staff };
    const objected = recordObjection(published(), objection, at('2025-01-09T02:00:00Z'));
    expect(reasonOf(() => recordObjection(published(), { ...objection, id: 'o2' }, at('2025-01-14T16:00:00Z')))).toBe('NOTICE_PERIOD_ENDED');
    expect(finalizeIfDue(objected, at('2025-01-20T00:00:00Z'))).toBeNull();
    const dismissed = resolveObjection(objected, 'o1', { outcome: 'dismissed', note: '核实无误', at: '2025-01-21T00:00:00Z', by: staff });
    const due = finalizeIfDue(dismissed, at('2025-01-21T00:00:00Z'));
    expect(due?.notice).toMatchObject({ status: 'final', finalAt: '2025-01-21T00:00:00Z' });
    expect(due?.records.map((r) => [r.volunteerId, r.stars])).toEqual([['a', 3], ['b', 2]]);
  });

  it('an upheld objection takes the entry off the list, and off the star records', () => {
    const objected = recordObjection(published(), { id: 'o1', volunteerId: 'b', content: '不属实', receivedAt: '', recordedBy: staff }, at('2025-01-09T02:00:00Z'));
    const upheld = resolveObjection(objected, 'o1', { outcome: 'upheld', note: '记录重复', at: '2025-01-10T00:00:00Z', by: staff });
    expect(upheld.entries[1]!.removed).toMatchObject({ reason: '记录重复' });
    expect(reasonOf(() => resolveObjection(upheld, 'o1', { outcome: 'dismissed', note: 'x', at: '', by: staff }))).toBe('OBJECTION_RESOLVED');
    expect(finalizeIfDue(upheld, at('2025-01-14T15:59:59Z'))).toBeNull();
    const due = finalizeIfDue(upheld, at('2025-01-14T16:00:00Z'));
    expect(due?.notice.finalAt).toBe('2025-01-14T16:00:00.000Z');
    expect(due?.records.map((r) => r.volunteerId)).toEqual(['a']);
  });

  it('a withdrawn notice never becomes final; a final one cannot be withdrawn', () => {
    const gone = withdraw(published(), { at: '', by: staff, reason: '重新评定' });
    expect(finalizeIfDue(gone, at('2025-02-01T00:00:00Z'))).toBeNull();
    const final = finalizeIfDue(published(), at('2025-02-01T00:00:00Z'))!.notice;
    expect(reasonOf(() => withdraw(final, { at: '', by: staff, reason: 'x' }))).toBe('NOTICE_CLOSED');
  });
});
