import { createRequire } from 'node:module';
import type { Volunteer } from '../protocol/model.ts';

type PinyinModule = typeof import('pinyin-pro');
let pinyinModule: PinyinModule | undefined;
/** pinyin-pro's dictionary costs ~0.13 s of CPU to load: loaded (synchronously, its CommonJS build) at the first search by initials, not at every start. */
function pinyinLib(): PinyinModule {
  pinyinModule ??= createRequire(import.meta.url)('pinyin-pro') as PinyinModule;
  return pinyinModule;
}

// Records are replaced on every change, so a WeakMap keyed by record never serves stale initials.
const initialsCache = new WeakMap<Volunteer, string>();

/** 张小明 → "zxm": staff type initials on a Chinese keyboard faster than the characters. */
export function pinyinInitials(volunteer: Volunteer): string {
  let initials = initialsCache.get(volunteer);
  if (initials === undefined) {
    initials = pinyinLib().pinyin(volunteer.name, { pattern: 'first', toneType: 'none', type: 'array' }).join('').toLowerCase();
    initialsCache.set(volunteer, initials);
  }
  return initials;
}

export function matchesQuery(volunteer: Volunteer, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  if (volunteer.name.toLowerCase().includes(q)) return true;
  if (/^\d+$/.test(q)) return volunteer.cardNo.includes(q) || (!!volunteer.phone && volunteer.phone.includes(q));
  return /^[a-z]+$/.test(q) && pinyinInitials(volunteer).startsWith(q);
}
