import type { Settings } from '../protocol/settings.ts';

/**
 * Star level 0–5 from creditable hours: level n when hours reach the n-th threshold
 * (national default 100/300/600/1000/1500 h, 志愿服务记录办法). Reaching a threshold exactly counts.
 */
export function starLevel(hours: number, thresholds: Settings['stars']['thresholds']): number {
  let level = 0;
  for (const threshold of thresholds) {
    if (hours + 1e-9 >= threshold) level++;
    else break;
  }
  return level;
}

/** What a star is decided on: hours in the center's star period, the points balance, the latest staff evaluation. */
export interface StarStanding {
  periodHours: number;
  points: number;
  /** 0–100; absent when staff never evaluated the volunteer. */
  evaluation?: number;
}

/**
 * The star a volunteer holds under the center's rules: the level the hours reach, withheld
 * entirely (0) while an optional condition is unmet. A volunteer never evaluated does not meet
 * an evaluation condition: the star then waits for the staff's score.
 */
export function starsEarned(standing: StarStanding, rules: Settings['stars']): number {
  if (rules.minPoints != null && standing.points + 1e-9 < rules.minPoints) return 0;
  if (rules.minEvaluation != null && (standing.evaluation === undefined || standing.evaluation + 1e-9 < rules.minEvaluation)) return 0;
  return starLevel(standing.periodHours, rules.thresholds);
}
