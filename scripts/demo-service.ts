import { monthKey, startOfDayIn, yearOf } from '../server/src/domain/time-zone.ts';
import type { Pairing, Resident, ServiceRequest, Visit } from '../server/src/protocol/service.ts';
import * as rules from '../server/src/service/request-rules.ts';
import { creditService } from '../server/src/service/service-records.ts';
import type { Change, StationState } from '../server/src/store/state.ts';

/**
 * Demo data for organizing service (issue 13): residents, a year of requests in every state, pairs
 * and their visits, all made with the same pure rules and crediting as the live server, so the
 * figures add up. Written after the attendance, in time order.
 */
export interface DemoServiceDeps {
  state: () => StationState;
  commit: (changes: Change[]) => Promise<void>;
  uuid: () => string;
  int: (min: number, max: number) => number;
  volunteerIds: string[];
  nowMs: number;
}

const SURNAMES = ['刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡'];
const GIVEN = ['桂兰', '秀英', '建华', '玉珍', '德明', '淑芬', '志强', '国庆', '凤英', '长海'];
const GRIDS = ['一网格', '二网格', '三网格', '四网格'];
const TAGS = ['独居老人', '空巢老人', '残疾人', '留守儿童', '低保户'];
const NEEDS: [string, string, string[]][] = [
  ['维修', '厨房水龙头漏水', ['维修']],
  ['代买代办', '帮忙买米和油', []],
  ['陪同就医', '下周去医院复查，需要人陪同', []],
  ['陪伴聊天', '想找人聊聊天', []],
  ['家政保洁', '打扫卫生', []],
  ['学业辅导', '孩子数学作业辅导', ['辅导']],
  ['助餐', '送午餐', []],
];
const HOUR = 3600_000;
const DAY = 24 * HOUR;

export async function addServiceDemo(deps: DemoServiceDeps): Promise<{ residents: number; requests: number; pairings: number; visits: number }> {
  const { int, uuid, nowMs } = deps;
  const pick = <T>(items: readonly T[]) => items[int(0, items.length - 1)]!;
  const iso = (ms: number) => new Date(ms).toISOString();
  const by = 'staff:admin';
  const residents: Resident[] = [];
  for (let i = 0; i < 24; i++) {
    const created = iso(nowMs - 400 * DAY);
    residents.push({
      id: uuid(), name: `${pick(SURNAMES)}${pick(GIVEN)}`, phone: `139${String(10000000 + i * 7919).slice(0, 8)}`,
      address: `幸福里${int(1, 20)}号楼${int(1, 6)}0${int(1, 4)}室`, grid: pick(GRIDS), tags: [pick(TAGS)], createdAt: created, updatedAt: created,
    });
  }
  await deps.commit(residents.map((r) => ({ c: 'residents', v: r }) as Change));
  if (deps.volunteerIds.length < 3) return { residents: residents.length, requests: 0, pairings: 0, visits: 0 };

  // About 160 requests over the last year, oldest first; the recent ones are still under way.
  let requests = 0;
  for (let daysAgo = 360; daysAgo >= 0; daysAgo -= int(1, 4)) {
    const state = deps.state();
    const createdMs = nowMs - daysAgo * DAY - int(1, 8) * HOUR;
    const resident = pick(residents);
    const [category, details, skills] = pick(NEEDS);
    const year = yearOf(new Date(createdMs), state.settings.timeZone);
    let request: ServiceRequest = {
      id: uuid(), number: rules.requestNumber(year, state.lastRequestNumber(year)), category, details, residentId: resident.id, skills,
      ...(resident.grid ? { grid: resident.grid } : {}), wantedAt: iso(createdMs + 2 * DAY), status: 'open', source: int(0, 4) === 0 ? 'kiosk' : 'staff',
      assignments: [], round: 0, history: [{ at: iso(createdMs), by, status: 'open' }], createdAt: iso(createdMs), createdBy: by, updatedAt: iso(createdMs),
    };
    const changes: Change[] = [];
    // The last few days hold requests in every early state; older ones mostly finished.
    const fate = daysAgo < 6 ? pick(['open', 'dispatched', 'accepted'] as const) : pick(['rated', 'rated', 'rated', 'done', 'cancelled'] as const);
    if (fate !== 'open') {
      const volunteers = [pick(deps.volunteerIds), pick(deps.volunteerIds)].filter((v, i, all) => all.indexOf(v) === i);
      request = rules.dispatch(request, volunteers, iso(createdMs + int(1, 6) * HOUR), by);
      if (fate === 'cancelled') request = rules.cancel(request, '居民已自行解决', iso(createdMs + DAY), by);
      else if (fate !== 'dispatched') {
        request = rules.accept(request, volunteers[0]!, iso(createdMs + 8 * HOUR), 'device:demo');
        if (fate !== 'accepted') {
          const minutes = pick([30, 60, 90, 120]);
          const doneAt = iso(createdMs + DAY + 4 * HOUR);
          const credit = creditService(state, {
            kind: 'request', sourceId: request.id, round: 0, title: `${category}（${request.number}）`, place: request.grid,
            startedAt: iso(Date.parse(doneAt) - minutes * 60_000), minutes, volunteerIds: rules.acceptedVolunteers(request), at: doneAt, by,
          });
          request = rules.complete(request, minutes, doneAt, by);
          changes.push(...credit.changes);
          if (fate === 'rated') request = rules.rate(request, pick([5, 5, 5, 4, 4, 3, 2]), iso(createdMs + 3 * DAY), by, '电话回访');
        }
      }
    }
    await deps.commit([{ c: 'serviceRequests', v: request }, ...changes]);
    requests++;
  }
  requests += await addTodaysService(deps, residents);

  // Pairs: 一助一 and 多助一, weekly visits; one pair has missed its visit.
  let visits = 0;
  const pairings = residents.slice(0, 6);
  for (const [index, resident] of pairings.entries()) {
    const volunteerIds = index % 2 === 0 ? [pick(deps.volunteerIds)] : [pick(deps.volunteerIds), pick(deps.volunteerIds)].filter((v, i, all) => all.indexOf(v) === i);
    const startsMs = nowMs - 120 * DAY;
    const pairing: Pairing = { id: uuid(), residentId: resident.id, volunteerIds, startsOn: iso(startsMs).slice(0, 10), visitEveryDays: 7, createdAt: iso(startsMs), createdBy: by };
    await deps.commit([{ c: 'pairings', v: pairing }]);
    const lastVisitDaysAgo = index === 0 ? 20 : int(1, 6);
    for (let daysAgo = 118; daysAgo >= lastVisitDaysAgo; daysAgo -= 7) {
      const startedMs = nowMs - daysAgo * DAY;
      const visit: Visit = { id: uuid(), pairingId: pairing.id, volunteerIds, startedAt: iso(startedMs), minutes: pick([45, 60, 90]), note: '聊天、打扫、量血压', createdAt: iso(startedMs + 2 * HOUR), createdBy: by };
      const credit = creditService(deps.state(), { kind: 'visit', sourceId: visit.id, title: `结对探访（${resident.grid}）`, place: resident.grid, startedAt: visit.startedAt, minutes: visit.minutes, volunteerIds, at: visit.createdAt, by });
      await deps.commit([{ c: 'visits', v: visit }, ...credit.changes]);
      visits++;
    }
  }
  return { residents: residents.length, requests, pairings: pairings.length, visits };
}

/**
 * The random year above may leave no request `accepted` and, early in a month, none completed
 * this month: then the wish wall's 已接单 and 本月 tiles and the month's report are empty, and a
 * new user never sees them work. So the last hours always hold a request in every live state:
 * three completed this month (one awaiting its rating, two rated), two accepted, one dispatched
 * and one open, all inside the current month in the center's zone, in time order after the
 * year's requests.
 */
async function addTodaysService(deps: DemoServiceDeps, residents: Resident[]): Promise<number> {
  const { nowMs } = deps;
  const iso = (ms: number) => new Date(ms).toISOString();
  const by = 'staff:admin';
  const timeZone = deps.state().settings.timeZone;
  const monthStartMs = startOfDayIn(`${monthKey(new Date(nowMs), timeZone)}-01`, timeZone).getTime();
  // Up to six hours back, never before the month began (a demo made just after midnight on the 1st).
  const fromMs = Math.max(monthStartMs, nowMs - 6 * HOUR, Math.max(...[...deps.state().records.serviceRequests.values()].map((r) => Date.parse(r.createdAt))) + 60_000);
  const stepMs = Math.max(0, nowMs - 60_000 - fromMs) / 28;
  const at = (step: number) => iso(Math.min(fromMs + step * stepMs, nowMs));
  const plans: { category: string; details: string; fate: 'open' | 'dispatched' | 'accepted' | 'done' | 'rated'; score?: number; comment?: string }[] = [
    { category: '代买代办', details: '帮忙取药', fate: 'rated', score: 5, comment: '很及时，谢谢' },
    { category: '维修', details: '卫生间灯不亮了', fate: 'rated', score: 4, comment: '电话回访' },
    { category: '陪伴聊天', details: '想找人聊聊天', fate: 'done' },
    { category: '陪同就医', details: '明天上午去医院复查，需要人陪同', fate: 'accepted' },
    { category: '家政保洁', details: '周末打扫卫生', fate: 'accepted' },
    { category: '助餐', details: '这几天腿脚不便，想请人送午餐', fate: 'dispatched' },
    { category: '维修', details: '窗户关不严，漏风', fate: 'open' },
  ];
  for (const [index, plan] of plans.entries()) {
    const state = deps.state();
    const resident = residents[(index * 5 + 3) % residents.length]!;
    const base = index * 4;
    const volunteers = [deps.volunteerIds[index % deps.volunteerIds.length]!];
    let request: ServiceRequest = {
      id: deps.uuid(), number: rules.requestNumber(yearOf(at(base), timeZone), state.lastRequestNumber(yearOf(at(base), timeZone))),
      category: plan.category, details: plan.details, residentId: resident.id, skills: [], ...(resident.grid ? { grid: resident.grid } : {}),
      wantedAt: iso(nowMs + DAY), status: 'open', source: 'staff', assignments: [], round: 0,
      history: [{ at: at(base), by, status: 'open' }], createdAt: at(base), createdBy: by, updatedAt: at(base),
    };
    if (plan.fate !== 'open') request = rules.dispatch(request, volunteers, at(base + 1), by);
    if (plan.fate !== 'open' && plan.fate !== 'dispatched') request = rules.accept(request, volunteers[0]!, at(base + 2), 'device:demo');
    const changes: Change[] = [];
    if (plan.fate === 'done' || plan.fate === 'rated') {
      const doneAt = at(base + 3);
      // An hour's service, but begun this month too: the month's figures count a record by its start.
      const minutes = Math.max(1, Math.min(60, Math.floor((Date.parse(doneAt) - monthStartMs) / 60_000)));
      const credit = creditService(state, {
        kind: 'request', sourceId: request.id, round: 0, title: `${plan.category}（${request.number}）`, place: request.grid,
        startedAt: iso(Date.parse(doneAt) - minutes * 60_000), minutes, volunteerIds: rules.acceptedVolunteers(request), at: doneAt, by,
      });
      request = rules.complete(request, minutes, doneAt, by);
      changes.push(...credit.changes);
      if (plan.fate === 'rated') request = rules.rate(request, plan.score!, at(base + 3.5), by, plan.comment);
    }
    await deps.commit([{ c: 'serviceRequests', v: request }, ...changes]);
  }
  return plans.length;
}
