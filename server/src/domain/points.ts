import type { Activity, LedgerEntry, PointsRule } from '../protocol/model.ts';
import type { Settings } from '../protocol/settings.ts';

/**
 * Points are kept to one decimal place. Sums go through integer tenths so a balance never
 * drifts by binary rounding (0.1 + 0.2 must be 0.3 at the counter).
 */
export function toTenths(points: number): number {
  return Math.round(points * 10);
}

export function fromTenths(tenths: number): number {
  return tenths / 10;
}

export function addPoints(a: number, b: number): number {
  return fromTenths(toTenths(a) + toTenths(b));
}

export function balanceOf(entries: Iterable<Pick<LedgerEntry, 'delta'>>): number {
  let tenths = 0;
  for (const entry of entries) tenths += toTenths(entry.delta);
  return fromTenths(tenths);
}

export function ruleFor(activity: Pick<Activity, 'pointsRule'>, settings: Pick<Settings, 'points'>): PointsRule {
  return activity.pointsRule ?? settings.points.defaultRule;
}

/** Points an attendance earns: per creditable hour, or a fixed amount for any credited attendance. */
export function pointsForAttendance(creditedMinutes: number, rule: PointsRule): number {
  if (rule.kind === 'fixed') return creditedMinutes > 0 ? rule.points : 0;
  return fromTenths(Math.floor((creditedMinutes / 60) * rule.pointsPerHour * 10 + 1e-9));
}
