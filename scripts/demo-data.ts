/**
 * `npm run demo [-- --size small|small-3y|community-10y|district --seed N --data-dir DIR --force --until YYYY-MM-DD]`
 *
 * Fills a data folder with a believable community: volunteers with Chinese names (family names by
 * real frequency, an elderly-heavy age mix), teams, activities over the period, attendance at
 * realistic times in Asia/Shanghai, points credited by the server's own rule (`closeAttendance`),
 * manual bonuses, goods and redemptions. Records are written as store changes straight into the
 * durable store, not through the HTTP API: the community-10y set (200,000 attendance records) would
 * take many minutes that way. The same seed and `--until` give the same records.
 *
 * The district size (150,000 volunteers, 2,000,000 attendance over ten years, issue 16's dry run)
 * is written a year at a time and archives each closed year as it goes (the store's own
 * archiveClosedYears, as a running station does on 1 February), so its memory is bounded by about
 * two years of records rather than ten: the folder it leaves is a station whose closed years are
 * already archived.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { closeAttendance } from '../server/src/attendance/close-attendance.ts';
import { hashPassword } from '../server/src/auth/passwords.ts';
import { fromTenths, toTenths } from '../server/src/domain/points.ts';
import type { Activity, Attendance, Device, Goods, LedgerEntry, PointsRule, Redemption, StaffUser, StockMovement, Team, Volunteer } from '../server/src/protocol/model.ts';
import { defaultSettings, type Settings } from '../server/src/protocol/settings.ts';
import { loadOrCreateCardSecret } from '../server/src/card-signing-key.ts';
import { DurableStore } from '../server/src/store/durable-store.ts';
import { listJournalFiles } from '../server/src/store/journal.ts';
import { closesAt } from '../server/src/store/archive/closed-years.ts';
import { yearOf } from '../server/src/domain/time-zone.ts';
import type { Change, CollectionName, StationState } from '../server/src/store/state.ts';
import { addServiceDemo } from './demo-service.ts';

export type DemoSize = 'small' | 'community-10y' | 'small-3y' | 'district';

interface SizePlan {
  volunteers: number;
  years: number;
  activities: number;
  attendance: number;
  bonuses: number;
  redemptions: number;
  teams: number;
  onSiteNow: number;
  /** Write a year at a time and archive closed years on the way (bounded memory; see the file's comment). */
  archiveAsItGoes?: boolean;
}

const SIZES: Record<DemoSize, SizePlan> = {
  small: { volunteers: 60, years: 1, activities: 110, attendance: 1500, bonuses: 25, redemptions: 40, teams: 6, onSiteNow: 6 },
  'community-10y': { volunteers: 2000, years: 10, activities: 5000, attendance: 200_000, bonuses: 3000, redemptions: 2500, teams: 8, onSiteNow: 25 },
  // Three years, small enough for a test: closed years to archive (issue 16).
  'small-3y': { volunteers: 80, years: 3, activities: 240, attendance: 4000, bonuses: 60, redemptions: 90, teams: 6, onSiteNow: 6 },
  // A district's register on one station (issue 16's dry run: where is the next wall?).
  district: { volunteers: 150_000, years: 10, activities: 50_000, attendance: 2_000_000, bonuses: 30_000, redemptions: 20_000, teams: 8, onSiteNow: 40, archiveAsItGoes: true },
};

export const DEMO_SIZES = Object.keys(SIZES) as DemoSize[];

export interface DemoOptions {
  dataDir: string;
  size?: DemoSize;
  seed?: number;
  adminPassword?: string;
  /** Replace the snapshot and journal of a folder that already has data. */
  force?: boolean;
  /** The day the demo history leads up to (default: now). An activity is open now, a few are planned after it. */
  until?: Date;
  /** Changes per journal record while loading. */
  batchSize?: number;
  log?: (line: string) => void;
}

export interface DemoResult {
  dataDir: string;
  size: DemoSize;
  elapsedMs: number;
  /** Records in the live state at the end (closed years archived by the district size are not in it). */
  counts: Record<CollectionName, number>;
  /** Attendance records made, live and archived. */
  attendanceMade: number;
  /** Years moved to archive files while generating (district size). */
  archivedYears: number[];
  /** Cards of the active volunteers, for load generators: the QR text is signCard(secret, cardNo, cardSerial). */
  cards: { volunteerId: string; cardNo: string; cardSerial: number }[];
  openActivityIds: string[];
  /** The state as written, for callers that convert it (the benchmark's naive lowdb reference). */
  state: StationState;
}

const DAY = 86_400_000;
const MINUTE = 60_000;
/** Asia/Shanghai has kept UTC+8 all year since 1991, so local times are a fixed offset here. */
const SHANGHAI_OFFSET = 8 * 3600_000;

// Family names with their share per mille in the 2020 census (王 7.1%, 李 7.0%, …); the tail stands for the rest.
const FAMILY_NAMES: [string, number][] = Object.entries({
  王: 71, 李: 70, 张: 67, 刘: 54, 陈: 45, 杨: 31, 黄: 22, 赵: 20, 吴: 20, 周: 19, 徐: 16, 孙: 15, 马: 14, 朱: 13, 胡: 13, 郭: 12,
  何: 12, 林: 10, 高: 10, 罗: 10, 郑: 10, 梁: 9, 谢: 8, 宋: 7, 唐: 7, 许: 7, 韩: 6, 冯: 6, 邓: 6, 曹: 6, 彭: 5, 曾: 5, 肖: 5,
  田: 5, 董: 5, 袁: 5, 潘: 4, 于: 4, 蒋: 4, 蔡: 4, 余: 4, 杜: 4, 叶: 4, 程: 4, 苏: 4, 魏: 4, 吕: 4, 丁: 4, 任: 4, 沈: 3, 姚: 3,
  卢: 3, 姜: 3, 崔: 3, 钟: 3, 谭: 3, 陆: 3, 汪: 3, 范: 3, 金: 3, 石: 3, 廖: 3, 贾: 3, 夏: 3, 韦: 3, 付: 3, 方: 3, 白: 3, 邹: 3,
  孟: 3, 熊: 3, 秦: 3, 邱: 3, 江: 3, 尹: 3, 薛: 2, 闫: 2, 段: 2, 雷: 2, 侯: 2, 龙: 2, 史: 2, 陶: 2, 黎: 2, 贺: 2, 顾: 2, 毛: 2,
  郝: 2, 龚: 2, 邵: 2, 万: 2, 钱: 2, 严: 2, 武: 2, 戴: 2, 孔: 2, 汤: 2, 欧阳: 1,
});

// Given names follow the fashion of the decade a person was born in.
const GIVEN_NAMES = {
  older: {
    male: '建国 建军 建华 国强 国庆 志强 志刚 德明 德胜 文华 振华 永福 长春 福生 宝山 卫东 红军 桂林 金海 海 军 明 刚 勇 平 华 福'.split(' '),
    female: '秀英 桂英 秀兰 玉兰 桂兰 淑珍 凤英 玉珍 秀珍 丽华 翠兰 淑华 玉梅 桂芳 秀云 凤兰 春梅 素芳 月娥 兰 芳 英 梅 珍'.split(' '),
  },
  middle: {
    male: '伟 磊 勇 涛 斌 鹏 超 杰 军 波 辉 海涛 建平 晓东 志勇 文斌 明亮 立新 春雷 宏伟 国华 永刚'.split(' '),
    female: '丽 娟 敏 静 艳 燕 红 霞 丽娟 晓燕 海燕 丽萍 红梅 雪梅 春燕 慧 玲 婷 晓红 秀梅'.split(' '),
  },
  young: {
    male: '浩 宇 浩然 子轩 宇航 俊杰 梓豪 明轩 博文 一鸣 晨 昊天 子豪 天佑 皓轩 嘉诚'.split(' '),
    female: '欣怡 子涵 雨桐 思涵 梓涵 可欣 诗涵 佳怡 雨萱 婉清 若曦 心怡 静怡 梦瑶 悦 琪'.split(' '),
  },
};

const TEAM_NAMES = ['党员先锋队', '助老服务队', '青年志愿队', '巾帼志愿队', '居民互助队', '文体志愿队', '平安巡逻队', '环保志愿队'];

// Titles may carry the months they happen in: "重阳节敬老文艺汇演@10".
const THEMES: { theme: string; weight: number; titles: string[]; from?: string; to?: string; rule?: PointsRule }[] = [
  { theme: '环境整治', weight: 18, titles: ['小区环境大扫除', '楼道杂物清理', '绿地捡拾垃圾', '清理小广告', '沿河步道保洁'] },
  { theme: '敬老助老', weight: 16, titles: ['探访独居老人', '为高龄老人义务理发', '老年食堂助餐', '陪老人读报聊天', '重阳节敬老文艺汇演@10'] },
  { theme: '文明劝导', weight: 11, titles: ['路口文明交通劝导', '文明养犬宣传', '电动车规范停放劝导', '公交站文明排队引导'], rule: { kind: 'fixed', points: 2 } },
  { theme: '垃圾分类', weight: 14, titles: ['垃圾分类定时定点值守', '垃圾分类入户宣传', '厨余垃圾分拣指导'] },
  { theme: '便民服务', weight: 13, titles: ['便民服务日：义诊量血压', '便民服务日：小家电维修', '磨剪子修雨伞', '老年人智能手机教学', '春节写春联送福字@1,2'] },
  { theme: '疫情防控', weight: 9, titles: ['核酸检测秩序维护', '小区门岗测温登记', '疫苗接种点引导'], from: '2020-01-25', to: '2022-12-07', rule: { kind: 'perHour', pointsPerHour: 2 } },
  { theme: '关爱儿童', weight: 8, titles: ['四点半课堂作业辅导', '暑期托管陪伴@7,8', '儿童防溺水安全宣传@6,7'] },
  { theme: '文体活动', weight: 7, titles: ['广场舞展演服务', '元宵节猜灯谜@2,3', '社区运动会后勤保障', '中秋邻里游园会@9'] },
  { theme: '平安巡逻', weight: 6, titles: ['夜间治安巡逻', '消防安全隐患排查', '防范电信诈骗宣传'] },
];

const PLACES = ['社区党群服务中心', '社区广场', '老年活动室', '幸福里小区东门', '3号楼前空地', '社区卫生服务站', '农贸市场门口', '文化活动中心', '社区图书室', '沿河步道', '幸福里小学门口', '新时代文明实践站'];
const ORGANIZERS = ['幸福里社区居委会', '街道办事处', '社区党支部', '物业服务中心', '社区卫生服务站', '街道新时代文明实践所', '辖区共建单位'];
const SKILLS = ['理发', '医疗护理', '摄影', '书法', '家电维修', '驾驶', '心理咨询', '法律咨询', '烹饪', '文艺表演', '手语', '英语', '电脑'];
const PHONE_PREFIXES = '130 131 132 133 135 136 137 138 139 150 151 152 155 156 157 158 159 166 177 180 181 182 183 186 187 188 189 198 199'.split(' ');
// Region codes of the resident ID (GB/T 2260): most residents are from the city, some moved in from elsewhere.
const REGION_CODES = ['320102', '320102', '320102', '320104', '320106', '320115', '340104', '370102', '410105', '420106', '510107'];
const GOODS: { name: string; category: string; points: number; unit: string; stock: number }[] = [
  { name: '大米 5kg', category: '粮油', points: 30, unit: '袋', stock: 40 },
  { name: '食用油 1.8L', category: '粮油', points: 25, unit: '桶', stock: 30 },
  { name: '挂面', category: '粮油', points: 5, unit: '把', stock: 80 },
  { name: '鸡蛋（10枚）', category: '食品', points: 10, unit: '盒', stock: 40 },
  { name: '毛巾', category: '日用品', points: 5, unit: '条', stock: 100 },
  { name: '洗衣液', category: '日用品', points: 15, unit: '瓶', stock: 60 },
  { name: '牙膏', category: '日用品', points: 6, unit: '支', stock: 100 },
  { name: '香皂', category: '日用品', points: 4, unit: '块', stock: 100 },
  { name: '抽纸', category: '日用品', points: 8, unit: '提', stock: 80 },
  { name: '洗洁精', category: '日用品', points: 8, unit: '瓶', stock: 60 },
  { name: '雨伞', category: '日用品', points: 20, unit: '把', stock: 30 },
  { name: '保温杯', category: '日用品', points: 25, unit: '个', stock: 20 },
];
const BONUS_REASONS: [string, number, number][] = [['年度优秀志愿者', 20, 50], ['协助组织大型活动', 5, 15], ['推荐新志愿者加入', 3, 5], ['服务满一百小时奖励', 10, 20], ['突击任务加分', 3, 10]];

/** mulberry32: small, fast and the same sequence on every platform, so a seed reproduces the data. */
class Random {
  #state: number;
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }
  next(): number {
    return this.#u32() / 4294967296;
  }
  #u32(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let r = this.next() * items.reduce((sum, [, w]) => sum + w, 0);
    for (const [item, weight] of items) if ((r -= weight) < 0) return item;
    return items[items.length - 1]![0];
  }
  normal(mean: number, sd: number): number {
    return mean + sd * Math.sqrt(-2 * Math.log(1 - this.next())) * Math.cos(2 * Math.PI * this.next());
  }
  /** A version-4 shaped UUID from the seeded stream, so ids repeat with the seed too. */
  uuid(): string {
    const words = [this.#u32(), ((this.#u32() & 0xffff0fff) | 0x4000) >>> 0, ((this.#u32() & 0x3fffffff) | 0x80000000) >>> 0, this.#u32()];
    const hex = words.map((w) => HEX[w >>> 24]! + HEX[(w >>> 16) & 255]! + HEX[(w >>> 8) & 255]! + HEX[w & 255]!).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Days since 1970-01-01 in the center's calendar, and instants from a local day and minute. */
const localDay = (ms: number) => Math.floor((ms + SHANGHAI_OFFSET) / DAY);
const at = (day: number, minuteOfDay: number) => day * DAY + minuteOfDay * MINUTE - SHANGHAI_OFFSET;
const iso = (ms: number) => new Date(ms).toISOString();
const dayString = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);
const monthOf = (day: number) => new Date(day * DAY).getUTCMonth() + 1;

/** GB 11643 check digit: weights 2^(17-i) mod 11 over the first 17 digits. */
export function idCheckDigit(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * weights[i]!;
  return '10X98765432'[sum % 11]!;
}

interface Person {
  volunteer: Volunteer;
  age: number;
  propensity: number;
  joinedAt: number;
  leftAt: number;
  busyUntil: number;
}

export async function generateDemoData(options: DemoOptions): Promise<DemoResult> {
  const started = performance.now();
  const size = options.size ?? 'small';
  const plan = SIZES[size];
  const random = new Random(options.seed ?? 1);
  const log = options.log ?? (() => undefined);
  const dataDir = path.resolve(options.dataDir);
  await prepareDataDir(dataDir, options.force ?? false);

  const nowMs = (options.until ?? new Date()).getTime();
  const today = localDay(nowMs);
  const firstDay = today - Math.round(plan.years * 365.25);
  const createdBase = at(firstDay - 30, 9 * 60);
  const admin = 'staff:admin';

  // The store's clock: the generation day, moved to each year's closing day while that year is archived.
  let clockMs = nowMs;
  const store = await DurableStore.open({ dir: dataDir, snapshotAfterBytes: Number.POSITIVE_INFINITY, now: () => new Date(clockMs) });
  await loadOrCreateCardSecret(dataDir);
  let pending: Change[] = [];
  const batchSize = options.batchSize ?? 5000;
  const emit = async (...changes: Change[]) => {
    pending.push(...changes);
    if (pending.length >= batchSize) await flush();
  };
  const flush = async () => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    await store.commit(batch);
  };
  const audit = (ms: number, actor: string, action: string, target?: string, summary?: string): Change =>
    ({ c: 'audit', v: { id: random.uuid(), at: iso(ms), actor, action, target, summary } });

  const settings: Settings = { ...defaultSettings, centerName: '幸福里社区志愿驿站' };
  const staff: StaffUser = {
    id: random.uuid(), username: 'admin', displayName: '管理员', role: 'admin', passwordHash: await hashPassword(options.adminPassword ?? 'admin-pass-1'), disabled: false, createdAt: iso(createdBase),
  };
  await emit({ c: 'config', v: { id: 'settings', settings } }, { c: 'staff', v: staff }, audit(createdBase, 'setup', 'staff.created', staff.id, 'admin (admin)'));
  const devices: Device[] = [['大厅签到机', 'checkin'], ['活动现场平板', 'checkin'], ['爱心超市柜台', 'counter']].map(([name, mode]) => ({
    // Made but not paired: no tablet holds a token for them; staff make a pairing code to use one.
    id: random.uuid(), name: name!, mode: mode as Device['mode'], createdAt: iso(createdBase), createdBy: admin,
  }));
  for (const device of devices) await emit({ c: 'devices', v: device });

  const teams: Team[] = TEAM_NAMES.slice(0, plan.teams).map((name) => ({ id: random.uuid(), name, leaderIds: [], createdAt: iso(createdBase) }));
  const people = makeVolunteers(random, plan, teams, today, firstDay, nowMs);
  for (const team of teams) {
    const members = people.filter((p) => p.volunteer.teamIds.includes(team.id) && p.volunteer.status === 'active').sort((a, b) => b.propensity - a.propensity);
    team.leaderIds = members.slice(0, random.int(1, 2)).map((p) => p.volunteer.id);
    await emit({ c: 'teams', v: team }, audit(createdBase, admin, 'team.created', team.id, team.name));
  }
  for (const { volunteer } of people) {
    await emit({ c: 'volunteers', v: volunteer }, audit(Date.parse(volunteer.createdAt), admin, 'volunteer.registered', volunteer.id, `card ${volunteer.cardNo}`));
  }
  await emit({ c: 'config', v: { id: 'counters', cardNo: 100000 + people.length, receiptNo: 0, certificateNo: 0 } });

  const activities = makeActivities(random, plan, teams, firstDay, today);
  for (const activity of activities) await emit({ c: 'activities', v: activity }, audit(Date.parse(activity.createdAt), admin, 'activity.created', activity.id, activity.title));

  // Who came to what, in the order things happened; each event is written when it happens.
  const events: { t: number; run: () => Promise<void> }[] = [];
  const balances = new Map<string, number>();
  const credit = (volunteerId: string, delta: number) => balances.set(volunteerId, (balances.get(volunteerId) ?? 0) + toTenths(delta));
  const planner = attendancePlanner(random, plan, people, activities, settings, devices[0]!.id, nowMs, (t, changes, volunteerId, points) =>
    events.push({ t, run: async () => { credit(volunteerId, points); await emit(...changes); } }),
  );
  if (!plan.archiveAsItGoes) planner.planUntil(Number.POSITIVE_INFINITY);
  for (let i = 0; i < plan.bonuses; i++) {
    const person = random.pick(people);
    const t = at(random.int(Math.max(firstDay, localDay(person.joinedAt) + 30), today - 1), random.int(9 * 60, 17 * 60));
    if (t >= person.leftAt || t >= nowMs) continue;
    const [reason, min, max] = random.pick(BONUS_REASONS);
    const entry: LedgerEntry = { id: random.uuid(), volunteerId: person.volunteer.id, delta: random.int(min, max), kind: 'manual', reason, at: iso(t), by: admin };
    events.push({ t, run: async () => { credit(entry.volunteerId, entry.delta); await emit({ c: 'ledger', v: entry }, audit(t, admin, 'points.adjusted', entry.volunteerId, `+${entry.delta}: ${reason}`)); } });
  }
  const shop = makeShop(random, plan, people, firstDay, today, createdBase, balances, devices[2]!.id, emit, audit);
  for (const t of shop.redemptionTimes) events.push({ t, run: () => shop.redeemAt(t) });
  for (const change of shop.initialChanges) await emit(change);

  const archivedYears: number[] = [];
  if (plan.archiveAsItGoes) {
    // A year at a time: that year's attendance, with the bonuses and redemptions that fall in it;
    // then the year before it is archived (a year's lag, so late sign-outs and January's
    // corrections of December land before their year closes; 2026-12-08 run: the last closed year
    // archived in the loop refused the service demo's records of it, YEAR_ARCHIVED).
    const others = events.splice(0).sort((a, b) => a.t - b.t);
    let nextOther = 0;
    const zone = settings.timeZone;
    for (let year = yearOf(new Date(at(firstDay, 0)), zone); ; year++) {
      const end = Date.parse(`${year + 1}-01-01T00:00:00+08:00`);
      planner.planUntil(end);
      for (; nextOther < others.length && others[nextOther]!.t < end; nextOther++) events.push(others[nextOther]!);
      events.sort((a, b) => a.t - b.t);
      for (const event of events.splice(0)) await event.run();
      await flush();
      // Only once `year` has closed too: the last year's service records (written after this loop)
      // reach back into the year before, which must still be live then; the end archives it.
      if (closesAt(year, zone).getTime() <= nowMs) {
        clockMs = closesAt(year - 1, zone).getTime() + MINUTE;
        archivedYears.push(...(await store.archiveClosedYears()));
        clockMs = nowMs;
        log(`  ${year}: written; archived ${archivedYears.at(-1) ?? 'nothing yet'}; ${planner.made} attendance so far; heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MB`);
      }
      if (end > nowMs) break;
    }
  } else {
    events.sort((a, b) => a.t - b.t);
    for (const event of events) await event.run();
  }
  // Residents, a year of service requests in every state, pairs and visits (issue 13).
  await flush();
  const service = await addServiceDemo({
    state: () => store.state,
    commit: async (changes) => { await store.commit(changes); },
    uuid: () => random.uuid(),
    int: (min, max) => random.int(min, max),
    volunteerIds: people.filter((p) => p.volunteer.status === 'active').map((p) => p.volunteer.id),
    nowMs,
  });
  log(`  ${service.residents} residents, ${service.requests} service requests, ${service.pairings} pairs with ${service.visits} visits`);
  const openActivityIds = await openNow(random, plan, people, activities, teams, devices[0]!.id, nowMs, emit, audit);
  await flush();
  if (plan.archiveAsItGoes) archivedYears.push(...(await store.archiveClosedYears()));
  await store.close();
  const attendanceCount = planner.made;

  const state = store.state;
  const counts = Object.fromEntries(Object.entries(state.records).map(([name, map]) => [name, map.size])) as Record<CollectionName, number>;
  const elapsedMs = performance.now() - started;
  log(`Demo data (${size}, seed ${options.seed ?? 1}) written to ${dataDir} in ${(elapsedMs / 1000).toFixed(1)} s:`);
  const active = people.filter((p) => p.volunteer.status === 'active').length;
  log(`  ${counts.volunteers} volunteers (${active} active) in ${counts.teams} teams; ${counts.activities} activities (${openActivityIds.length} open now)`);
  log(`  ${counts.attendance} attendance records (${attendanceCount} closed); ${counts.ledger} ledger entries; ${counts.goods} goods; ${counts.redemptions} redemptions (${shop.voided} voided)`);
  if (archivedYears.length > 0) log(`  closed years archived while generating: ${archivedYears.join(', ')} (the counts above are the live state; ${attendanceCount} attendance made in all)`);
  log(`  staff account: admin (password from --admin-password, default admin-pass-1)`);
  return {
    dataDir, size, elapsedMs, counts, state, openActivityIds, attendanceMade: attendanceCount, archivedYears,
    cards: people.filter((p) => p.volunteer.status === 'active').map(({ volunteer: v }) => ({ volunteerId: v.id, cardNo: v.cardNo, cardSerial: v.cardSerial })),
  };
}

/** Refuses a folder that already holds a station's data, unless told to replace it (the card secret and backups stay). */
async function prepareDataDir(dir: string, force: boolean): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  const journals = await listJournalFiles(dir);
  const names = await fs.readdir(dir);
  const hasData = journals.length > 0 || names.includes('snapshot.jsonl');
  if (!hasData) return;
  if (!force) throw new Error(`${dir} already holds data (snapshot or journal). Use another --data-dir, or --force to replace it.`);
  for (const { file } of journals) await fs.rm(file);
  for (const name of ['snapshot.jsonl', 'snapshot.jsonl.tmp']) await fs.rm(path.join(dir, name), { force: true });
}

function makeVolunteers(random: Random, plan: SizePlan, teams: Team[], today: number, firstDay: number, nowMs: number): Person[] {
  const phones = new Set<string>();
  const idNumbers = new Set<string>();
  const currentYear = new Date(nowMs + SHANGHAI_OFFSET).getUTCFullYear();
  const teamId = (name: string) => teams.find((t) => t.name === name)?.id;
  const people: Person[] = [];
  for (let i = 0; i < plan.volunteers; i++) {
    const age = random.weighted([[random.int(16, 22), 8], [random.int(23, 44), 17], [random.int(45, 59), 25], [random.int(60, 82), 50]] as const);
    const birthYear = currentYear - age;
    const gender = random.chance(age >= 45 ? 0.64 : 0.55) ? 'female' : 'male';
    const generation = birthYear < 1966 ? 'older' : birthYear < 1990 ? 'middle' : 'young';
    const given = random.pick(GIVEN_NAMES[generation][gender]);
    const name = random.weighted(FAMILY_NAMES) + given;
    // Nobody joins before 16; a quarter were members before the period began.
    const earliest = Math.max(at(Math.floor(Date.UTC(birthYear + 16, 0, 1) / DAY), 0), at(firstDay - 3 * 365, 0));
    const joinedAt = Math.max(earliest, random.chance(0.25) ? at(firstDay - random.int(1, 3 * 365), 9 * 60) : at(random.int(firstDay, today - 7), random.int(9 * 60, 17 * 60)));
    let phone: string | undefined;
    if (random.chance(age >= 75 ? 0.8 : 0.97)) {
      do phone = random.pick(PHONE_PREFIXES) + String(random.int(0, 99_999_999)).padStart(8, '0');
      while (phones.has(phone));
      phones.add(phone);
    }
    let idNumber: string | undefined;
    if (random.chance(0.4)) {
      do {
        const birth = `${birthYear}${String(random.int(1, 12)).padStart(2, '0')}${String(random.int(1, 28)).padStart(2, '0')}`;
        const sequence = random.int(0, 99) * 10 + (gender === 'male' ? random.pick([1, 3, 5, 7, 9]) : random.pick([0, 2, 4, 6, 8]));
        const first17 = `${random.pick(REGION_CODES)}${birth}${String(sequence).padStart(3, '0')}`;
        idNumber = first17 + idCheckDigit(first17);
      } while (idNumbers.has(idNumber));
      idNumbers.add(idNumber);
    }
    const teamIds = [
      age >= 60 ? random.pick(['助老服务队', '居民互助队', '平安巡逻队', '文体志愿队']) : age < 35 ? random.pick(['青年志愿队', '环保志愿队', '文体志愿队']) : random.pick(['居民互助队', '环保志愿队', '平安巡逻队']),
      ...(gender === 'female' && age >= 30 && random.chance(0.3) ? ['巾帼志愿队'] : []),
      ...(age >= 25 && random.chance(0.18) ? ['党员先锋队'] : []),
    ].map(teamId).filter((id): id is string => id !== undefined);
    const left = random.chance(0.06);
    const suspended = !left && random.chance(0.01);
    const leftAt = left || suspended ? Math.min(nowMs, joinedAt + random.int(120, 2000) * DAY) : Number.POSITIVE_INFINITY;
    const reissued = random.chance(0.03);
    const skills = random.chance(0.35) ? [random.pick(SKILLS), ...(random.chance(0.3) ? [random.pick(SKILLS)] : [])] : [];
    const volunteer: Volunteer = {
      id: random.uuid(), name, gender,
      ...(phone ? { phone } : {}), ...(idNumber ? { idNumber } : {}),
      birthYear,
      address: random.chance(0.8) ? `幸福里小区${random.int(1, 24)}号楼${random.int(1, 4)}单元${random.int(1, 18)}0${random.int(1, 4)}` : `第${random.pick(['一', '二', '三', '四', '五'])}网格`,
      skills: [...new Set(skills)], teamIds: [...new Set(teamIds)],
      joinedOn: dayString(localDay(joinedAt)),
      status: left ? 'left' : suspended ? 'suspended' : 'active',
      ...(random.chance(0.05) ? { notes: random.pick(['腿脚不便，安排室内岗位', '会拉二胡', '退休教师，可辅导作业', '周末有空', '退休医生']) } : {}),
      cardNo: String(100001 + i), cardSerial: reissued ? 2 : 1,
      createdAt: iso(joinedAt), updatedAt: iso(Number.isFinite(leftAt) ? leftAt : joinedAt),
    };
    // Retirees come most often; a few keen ones come several times a week.
    const propensity = Math.exp(random.normal(0, 0.8)) * (age >= 60 ? 1.8 : age < 23 ? 0.8 : 1);
    people.push({ volunteer, age, propensity, joinedAt, leftAt, busyUntil: 0 });
  }
  return people;
}

function makeActivities(random: Random, plan: SizePlan, teams: Team[], firstDay: number, today: number): Activity[] {
  const activities: Activity[] = [];
  const upcoming = Math.max(3, Math.round(plan.activities * 0.002));
  for (let i = 0; i < plan.activities; i++) {
    const future = i >= plan.activities - upcoming;
    let day = future ? today + random.int(1, 14) : random.int(firstDay, today - 1);
    let theme = random.weighted(THEMES.map((t) => [t, t.weight] as const));
    // Seasons: fewer activities over Spring Festival and in the August heat; themes only in their years.
    while ((theme.from && (dayString(day) < theme.from || dayString(day) > theme.to!)) || ([2, 8].includes(monthOf(day)) && random.chance(0.3))) {
      theme = random.weighted(THEMES.map((t) => [t, t.weight] as const));
      if (!future) day = random.int(firstDay, today - 1);
    }
    const titles = theme.titles.filter((t) => !t.includes('@') || t.split('@')[1]!.split(',').map(Number).includes(monthOf(day)));
    const title = random.pick(titles.length > 0 ? titles : theme.titles.filter((t) => !t.includes('@'))).split('@')[0]!;
    const evening = theme.theme === '平安巡逻' || title === '广场舞展演服务';
    const startMinute = evening ? random.pick([18 * 60 + 30, 19 * 60]) : random.chance(0.6) ? random.pick([480, 510, 540, 570]) : random.pick([840, 870, 900]);
    const duration = random.weighted([[60, 1], [90, 2], [120, 5], [150, 2], [180, 3], [240, 1]] as const);
    const start = at(day, startMinute);
    const cancelled = !future && random.chance(0.01);
    const team = random.pick(teams);
    activities.push({
      id: random.uuid(), title, theme: theme.theme, place: random.pick(PLACES), organizer: random.pick(ORGANIZERS), teamIds: [team.id],
      startsAt: iso(start), endsAt: iso(start + duration * MINUTE),
      ...(theme.rule ? { pointsRule: theme.rule } : {}),
      ...(random.chance(0.15) ? { capacity: random.pick([20, 30, 50]) } : {}),
      status: future ? 'planned' : cancelled ? 'cancelled' : 'closed',
      createdAt: iso(start - random.int(2, 14) * DAY),
    });
  }
  return activities.sort((a, b) => a.startsAt.localeCompare(b.startsAt));
}

/**
 * Picks attendees for each past activity (weighted by how keen each volunteer is, never two
 * overlapping activities for one person) and closes each attendance with the server's own rule,
 * so hours and points are what the server would have credited. `planUntil` plans the activities
 * that start before a time (all of them with +Infinity); `made` counts the attendance so far.
 */
function attendancePlanner(
  random: Random, plan: SizePlan, people: Person[], activities: Activity[], settings: Settings, kioskId: string, nowMs: number,
  schedule: (t: number, changes: Change[], volunteerId: string, points: number) => void,
): { made: number; planUntil(untilMs: number): void } {
  const past = activities.filter((a) => a.status === 'closed');
  const cumulative: number[] = [];
  let sum = 0;
  for (const person of people) cumulative.push((sum += person.propensity));
  const draw = () => {
    const r = random.next() * sum;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < r) lo = mid + 1;
      else hi = mid;
    }
    return people[lo]!;
  };
  const membersAt = (t: number) => people.reduce((n, p) => n + (p.joinedAt <= t && p.leftAt > t ? 1 : 0), 0);
  // Bigger turnout as the community grows; sampled every 50 activities, which is plenty.
  const weights: number[] = [];
  let members = 0;
  for (const [i, activity] of past.entries()) {
    if (i % 50 === 0) members = membersAt(Date.parse(activity.startsAt));
    weights.push(Math.max(1, members) * (0.5 + random.next()));
  }
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  let made = 0;
  let weightSoFar = 0;
  let next = 0;
  // Activities in start order, those starting before `untilMs`, carrying on where the last call stopped.
  const planUntil = (untilMs: number) => {
    for (; next < past.length && Date.parse(past[next]!.startsAt) < untilMs; next++) {
      const i = next;
      const activity = past[i]!;
      const start = Date.parse(activity.startsAt);
      const end = Date.parse(activity.endsAt);
      // Aim at the running total, so a shortfall here (a full activity, few members yet) is made up
      // later; aiming a little high lets the last activities make up what the end of the period lacks.
      weightSoFar += weights[i]!;
      const wanted = Math.min(activity.capacity ?? Infinity, plan.attendance - made, Math.round((plan.attendance * 1.002 * weightSoFar) / totalWeight) - made);
      const chosen = new Set<Person>();
      for (let tries = 0; chosen.size < wanted && tries < wanted * 40; tries++) {
        const person = draw();
        if (person.joinedAt > start || person.leftAt <= start || person.busyUntil > start - 30 * MINUTE || chosen.has(person)) continue;
        chosen.add(person);
      }
      for (const person of chosen) {
        const checkIn = start + Math.round(Math.max(-45, Math.min(40, random.normal(-8, 10))) * MINUTE) + random.int(0, 59_000);
        let checkOut = random.chance(0.08)
          ? checkIn + Math.round((end - start) * (0.4 + 0.4 * random.next()))
          : end + Math.round(Math.max(-30, Math.min(35, random.normal(3, 8))) * MINUTE) + random.int(0, 59_000);
        checkOut = Math.max(checkOut, checkIn + 10 * MINUTE);
        const kind = random.weighted([['scan', 94.5], ['forgot', 2.5], ['manual', 3]] as const);
        const attendance: Attendance = {
          id: random.uuid(), volunteerId: person.volunteer.id, activityId: activity.id, checkInAt: iso(checkIn),
          source: kind === 'manual' ? 'manual' : 'scan',
          ...(kind === 'manual' ? {} : { deviceId: kioskId }),
          createdAt: iso(kind === 'manual' ? end + random.int(1, 3) * DAY : checkIn),
        };
        const closeAt = kind === 'forgot' ? end : checkOut;
        const by = kind === 'forgot' ? 'system' : kind === 'manual' ? 'staff:admin' : `device:${kioskId}`;
        const { closed, changes, points } = closeAttendance(attendance, activity, settings, { at: iso(closeAt), by, autoClosed: kind === 'forgot' });
        // Staff have reviewed every automatic sign-out but those of the last month.
        if (kind === 'forgot' && nowMs - closeAt > 30 * DAY) {
          changes[0] = { c: 'attendance', v: { ...closed, needsReview: false } };
          changes.push({ c: 'audit', v: { id: random.uuid(), at: iso(closeAt + 2 * DAY), actor: 'staff:admin', action: 'attendance.reviewed', target: attendance.id } });
        }
        if (kind === 'manual') changes.push({ c: 'audit', v: { id: random.uuid(), at: attendance.createdAt, actor: 'staff:admin', action: 'attendance.added', target: attendance.id, summary: `${activity.title}: 忘记签到，负责人补录` } });
        person.busyUntil = closeAt;
        schedule(closeAt, changes, person.volunteer.id, points);
        made++;
      }
    }
  };
  return { get made() { return made; }, planUntil };
}

/** The points shop: goods with their first stock, and redemptions that never overdraw a balance or the stock. */
function makeShop(
  random: Random, plan: SizePlan, people: Person[], firstDay: number, today: number, createdBase: number, balances: Map<string, number>, counterId: string,
  emit: (...changes: Change[]) => Promise<void>, audit: (ms: number, actor: string, action: string, target?: string, summary?: string) => Change,
) {
  const admin = 'staff:admin';
  const goods: Goods[] = GOODS.map((g) => ({ id: random.uuid(), name: g.name, category: g.category, points: g.points, unit: g.unit, active: true, lowStockThreshold: 5, createdAt: iso(createdBase) }));
  const stock = new Map<string, number>();
  const movement = (goodsId: string, delta: number, kind: StockMovement['kind'], t: number, extra: Partial<StockMovement> = {}): Change => {
    stock.set(goodsId, (stock.get(goodsId) ?? 0) + delta);
    return { c: 'stockMovements', v: { id: random.uuid(), goodsId, delta, kind, at: iso(t), by: admin, ...extra } };
  };
  const initialChanges: Change[] = goods.flatMap((g, i) => [
    { c: 'goods', v: g } as Change,
    movement(g.id, GOODS[i]!.stock, 'initial', createdBase),
    audit(createdBase, admin, 'goods.created', g.id, `${g.name}, ${g.points} pts, stock ${GOODS[i]!.stock}`),
  ]);
  // The shop opens on Friday mornings, 9:00–11:30 (day 0, 1970-01-01, was a Thursday).
  const friday = (day: number) => day - (((day + 4) % 7) - 5 + 7) % 7;
  const redemptionTimes = Array.from({ length: plan.redemptions }, () => at(friday(random.int(firstDay + 60, today - 1)), random.int(540, 690)) + random.int(0, 59_999)).sort((a, b) => a - b);
  let receiptNo = 0;
  const result = {
    initialChanges, redemptionTimes, voided: 0,
    async redeemAt(t: number) {
      const eligible = (p: Person) => p.joinedAt < t && p.leftAt > t && (balances.get(p.volunteer.id) ?? 0) >= 40;
      // A district's 150,000 people: draw until one qualifies instead of filtering them all per receipt.
      const person = plan.archiveAsItGoes ? drawUntil(random, people, eligible) : random.pick(people.filter(eligible));
      if (!person) return;
      let balance = balances.get(person.volunteer.id)!;
      const cart = new Map<Goods, number>();
      for (let n = random.int(1, 3); n > 0; n--) {
        const item = random.pick(goods);
        if (toTenths(item.points) > balance) continue;
        balance -= toTenths(item.points);
        cart.set(item, (cart.get(item) ?? 0) + 1);
      }
      if (cart.size === 0) return;
      const changes: Change[] = [];
      for (const [item, quantity] of cart) {
        if ((stock.get(item.id) ?? 0) < quantity + item.lowStockThreshold) {
          const delta = GOODS[goods.indexOf(item)]!.stock;
          changes.push(movement(item.id, delta, 'received', t - 3600_000, { reason: '街道调拨补货' }), audit(t - 3600_000, admin, 'stock.received', item.id, `${item.name} +${delta}: 街道调拨补货`));
        }
      }
      receiptNo++;
      const day = localDay(t);
      const redemption: Redemption = {
        id: random.uuid(), receiptNo: `${dayString(day).replaceAll('-', '')}-${String(receiptNo).padStart(5, '0')}`, volunteerId: person.volunteer.id,
        items: [...cart].map(([item, quantity]) => ({ goodsId: item.id, name: item.name, quantity, points: item.points })),
        pointsSpent: fromTenths(balances.get(person.volunteer.id)! - balance), at: iso(t), by: admin, deviceId: counterId,
      };
      const ledger: LedgerEntry = { id: random.uuid(), volunteerId: person.volunteer.id, delta: -redemption.pointsSpent, kind: 'redemption', reason: `兑换 ${redemption.receiptNo}`, at: iso(t), by: admin, redemptionId: redemption.id };
      changes.push({ c: 'ledger', v: ledger }, ...redemption.items.map((item) => movement(item.goodsId, -item.quantity, 'redemption', t, { redemptionId: redemption.id })));
      balances.set(person.volunteer.id, balance);
      // A few are voided the same morning: points back as a reversing entry, goods back on the shelf.
      if (random.chance(0.015)) {
        const voidAt = t + 10 * MINUTE;
        const reason = '登记错误，重新兑换';
        redemption.voided = { at: iso(voidAt), by: admin, reason };
        changes.push(
          { c: 'ledger', v: { id: random.uuid(), volunteerId: person.volunteer.id, delta: redemption.pointsSpent, kind: 'reversal', reason: `作废 ${redemption.receiptNo}: ${reason}`, at: iso(voidAt), by: admin, redemptionId: redemption.id, reversesId: ledger.id } },
          ...redemption.items.map((item) => movement(item.goodsId, item.quantity, 'void', voidAt, { reason, redemptionId: redemption.id })),
          audit(voidAt, admin, 'redemption.voided', redemption.id, `${redemption.receiptNo}: ${reason}`),
        );
        balances.set(person.volunteer.id, balance + toTenths(redemption.pointsSpent));
        result.voided++;
      }
      await emit({ c: 'redemptions', v: redemption }, ...changes, { c: 'config', v: { id: 'counters', cardNo: 100000 + people.length, receiptNo, certificateNo: 0 } });
    },
  };
  return result;
}

/** A random element that passes `test`, drawn at most 1,000 times; undefined if none did. */
function drawUntil<T>(random: Random, items: readonly T[], test: (item: T) => boolean): T | undefined {
  for (let i = 0; i < 1000; i++) {
    const item = random.pick(items);
    if (test(item)) return item;
  }
  return undefined;
}

/** An activity open now with a few people on site, so the kiosk and the board have something to show at once. */
async function openNow(
  random: Random, plan: SizePlan, people: Person[], activities: Activity[], teams: Team[], kioskId: string, nowMs: number,
  emit: (...changes: Change[]) => Promise<void>, audit: (ms: number, actor: string, action: string, target?: string, summary?: string) => Change,
): Promise<string[]> {
  const start = Math.floor(nowMs / (30 * MINUTE)) * 30 * MINUTE - 60 * MINUTE;
  const activity: Activity = {
    id: random.uuid(), title: '便民服务日：义诊量血压', theme: '便民服务', place: '社区党群服务中心', organizer: '幸福里社区居委会', teamIds: [teams[0]!.id],
    startsAt: iso(start), endsAt: iso(start + 4 * 60 * MINUTE), status: 'open', createdAt: iso(start - 3 * DAY),
  };
  activities.push(activity);
  await emit({ c: 'activities', v: activity }, audit(start - 3 * DAY, 'staff:admin', 'activity.created', activity.id, activity.title));
  const free = people.filter((p) => p.volunteer.status === 'active' && p.busyUntil < start);
  for (let i = 0; i < Math.min(plan.onSiteNow, free.length); i++) {
    const person = free.splice(random.int(0, free.length - 1), 1)[0]!;
    const checkIn = Math.min(nowMs - MINUTE, start + random.int(-20, 50) * MINUTE);
    await emit({ c: 'attendance', v: { id: random.uuid(), volunteerId: person.volunteer.id, activityId: activity.id, checkInAt: iso(checkIn), source: 'scan', deviceId: kioskId, createdAt: iso(checkIn) } });
  }
  return [activity.id];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: 'small' },
      seed: { type: 'string', default: '1' },
      'data-dir': { type: 'string' },
      'admin-password': { type: 'string', default: 'admin-pass-1' },
      until: { type: 'string' },
      force: { type: 'boolean', default: false },
    },
  });
  if (!DEMO_SIZES.includes(values.size as DemoSize)) throw new Error(`--size is one of ${DEMO_SIZES.join(', ')}, not ${values.size}`);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) throw new Error(`--seed is a whole number, not ${values.seed}`);
  if (values['admin-password'].length < 8) throw new Error('--admin-password needs at least 8 characters');
  const until = values.until ? new Date(`${values.until}T12:00:00+08:00`) : undefined;
  if (until && Number.isNaN(until.getTime())) throw new Error(`--until is a date (YYYY-MM-DD), not ${values.until}`);
  const dataDir = values['data-dir'] ?? process.env.DATA_DIR ?? './data';
  await generateDemoData({ dataDir, size: values.size as DemoSize, seed, adminPassword: values['admin-password'], force: values.force, until, log: (line) => console.log(line) });
  console.log(`\nStart the server on it: DATA_DIR=${dataDir} npm start`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(`\n${(error as Error).message}\n`);
    process.exit(1);
  });
}
