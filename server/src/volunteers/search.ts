import { pinyin } from 'pinyin-pro';
import type { Volunteer } from '../protocol/model.ts';

// Records are replaced on every change, so a WeakMap keyed by record never serves stale initials.
const initialsCache = new WeakMap<Volunteer, string>();

/** 张小明 → "zxm": staff type initials on a Chinese keyboard faster than the characters. */
export function pinyinInitials(volunteer: Volunteer): string {
  let initials = initialsCache.get(volunteer);
  if (initials === undefined) {
    initials = pinyin(volunteer.name, { pattern: 'first', toneType: 'none', type: 'array' }).join('').toLowerCase();
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
