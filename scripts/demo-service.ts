import { yearOf } from '../server/src/domain/time-zone.ts';
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
