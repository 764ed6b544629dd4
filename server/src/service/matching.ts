import { formatTimeIn } from '../domain/time-zone.ts';
import type { MatchReason } from '../protocol/service.ts';

/**
 * Which volunteers to suggest for a request, best first, each with the reasons for its score so
 * staff can judge the suggestion instead of trusting a number. Pure: the caller gathers each
 * candidate's current load and past ratings from the store.
 */

export interface MatchNeed {
  skills: string[];
  grid?: string;
  wantedAt?: string;
}

export interface MatchCandidate {
  volunteerId: string;
  name: string;
  skills: string[];
  grid?: string;
  /** Times the volunteer said they can help, as `mon-am`, `sat-pm`, `wed-eve`; none recorded = unknown. */
  availability?: string[];
  /** Requests dispatched to or accepted by them and not yet done. */
  activeTasks: number;
  /** Scores (1–5) of the rated requests they served. */
  ratings: number[];
}

export const weights = {
  /** Share of the needed skills the volunteer has, scaled to this. */
  skills: 40,
  sameGrid: 20,
  available: 15,
  /** Said they are free at other times, not this one. */
  unavailable: -15,
  perActiveTask: -8,
  /** Per star away from a middling 3: five stars on average add 10, one star takes 10 away. */
  perRatingStar: 5,
} as const;

const weekdays = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export const availabilitySlots: string[] = weekdays.flatMap((day) => ['am', 'pm', 'eve'].map((part) => `${day}-${part}`));

/** The slot of an instant in the center's zone: morning before 12, afternoon before 18, evening after. */
export function slotOf(at: string, timeZone: string): string {
  const day = Number(formatTimeIn(at, timeZone, 'i')) % 7;
  const hour = Number(formatTimeIn(at, timeZone, 'H'));
  return `${weekdays[day]}-${hour < 12 ? 'am' : hour < 18 ? 'pm' : 'eve'}`;
}

export function scoreCandidate(need: MatchNeed, candidate: MatchCandidate, timeZone: string): { score: number; reasons: MatchReason[] } {
  const reasons: MatchReason[] = [];
  const needed = need.skills.map((s) => s.trim()).filter(Boolean);
  if (needed.length > 0) {
    const has = new Set(candidate.skills);
    const matched = needed.filter((s) => has.has(s));
    if (matched.length > 0) reasons.push({ kind: 'skills', points: Math.round((weights.skills * matched.length) / needed.length), detail: matched.join('、') });
  }
  if (need.grid && candidate.grid && need.grid === candidate.grid) reasons.push({ kind: 'grid', points: weights.sameGrid, detail: need.grid });
  if (need.wantedAt && candidate.availability && candidate.availability.length > 0) {
    const slot = slotOf(need.wantedAt, timeZone);
    reasons.push(candidate.availability.includes(slot)
      ? { kind: 'availability', points: weights.available, detail: slot }
      : { kind: 'availability', points: weights.unavailable, detail: `not ${slot}` });
  }
  if (candidate.activeTasks > 0) reasons.push({ kind: 'load', points: weights.perActiveTask * candidate.activeTasks, detail: `${candidate.activeTasks}` });
  if (candidate.ratings.length > 0) {
    const average = candidate.ratings.reduce((sum, r) => sum + r, 0) / candidate.ratings.length;
    const points = Math.round((average - 3) * weights.perRatingStar);
    if (points !== 0) reasons.push({ kind: 'rating', points, detail: `${average.toFixed(1)} (${candidate.ratings.length})` });
  }
  return { score: reasons.reduce((sum, r) => sum + r.points, 0), reasons };
}

/** Best first; equal scores put the less busy, then the name, first so the order is stable. */
export function rankCandidates(need: MatchNeed, candidates: MatchCandidate[], timeZone: string) {
  return candidates
    .map((candidate) => ({ candidate, ...scoreCandidate(need, candidate, timeZone) }))
    .sort((a, b) => b.score - a.score || a.candidate.activeTasks - b.candidate.activeTasks || a.candidate.name.localeCompare(b.candidate.name, 'zh-CN'))
    .map(({ candidate, score, reasons }) => ({ volunteerId: candidate.volunteerId, name: candidate.name, score, reasons }));
}
