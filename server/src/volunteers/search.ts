import { createRequire } from 'node:module';
import { maskPhone } from '../domain/masking.ts';
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

/**
 * What a staff member typed into a search box for a person (volunteer or resident).
 * Phone numbers are personal data shown in full only through the audited reveal, so a query
 * matches a phone only as a whole number, or by its last 4 digits beside a name: matching any
 * run of digits would let anyone with the search box spell out a number digit by digit (≤ 80
 * requests, issue 11). Card numbers are not secret and match by any part.
 */
export interface PersonQuery {
  /** Name, pinyin initials or card-number text, lower-cased ('' when only a phone was typed). */
  text: string;
  /** A whole mobile number, digits only. */
  phone?: string;
  /** The phone's last 4 digits, typed before or after a name. */
  phoneLast4?: string;
}

export function parsePersonQuery(raw: string): PersonQuery {
  // NFKC: full-width digits from a Chinese keyboard are digits.
  const q = raw.normalize('NFKC').trim().toLowerCase();
  const compact = q.replace(/[\s()-]/g, '').replace(/^(\+86|0086)(?=1\d{10}$)/, '');
  if (/^1\d{10}$/.test(compact)) return { text: '', phone: compact };
  const withDigits = /^(\d{4})\s+(.*\D.*)$/.exec(q) ?? /^(.*\D.*?)\s+(\d{4})$/.exec(q);
  if (withDigits) {
    const [digits, text] = /^\d{4}$/.test(withDigits[1]!) ? [withDigits[1]!, withDigits[2]!] : [withDigits[2]!, withDigits[1]!];
    return { text: text.trim(), phoneLast4: digits };
  }
  return { text: q };
}

/** A search by phone digits is audited: who looked for which number, like a reveal. */
export function searchesByPhone(query: PersonQuery): boolean {
  return query.phone !== undefined || query.phoneLast4 !== undefined;
}

/** The audit summary: the number masked, so the log itself does not hold it in full. */
export function phoneSearchSummary(query: PersonQuery, found: number): string {
  const number = query.phone ? maskPhone(query.phone) : `*******${query.phoneLast4 ?? ''}`;
  return query.text ? `${query.text} + ${number}: ${found} found` : `${number}: ${found} found`;
}

/** A phone matches only whole, or by its last 4 digits when the query also named someone. */
export function phoneMatches(phone: string | undefined, query: PersonQuery): boolean {
  if (!phone) return false;
  if (query.phone !== undefined) return phone === query.phone;
  return query.phoneLast4 !== undefined && phone.endsWith(query.phoneLast4);
}

function matchesText(volunteer: Volunteer, q: string): boolean {
  if (!q) return true;
  if (volunteer.name.toLowerCase().includes(q)) return true;
  if (/^\d+$/.test(q)) return volunteer.cardNo.includes(q);
  return /^[a-z]+$/.test(q) && pinyinInitials(volunteer).startsWith(q);
}

export function matchesQuery(volunteer: Volunteer, query: PersonQuery): boolean {
  if (query.phone !== undefined) return phoneMatches(volunteer.phone, query);
  if (query.phoneLast4 !== undefined) return phoneMatches(volunteer.phone, query) && matchesText(volunteer, query.text);
  return matchesText(volunteer, query.text);
}
