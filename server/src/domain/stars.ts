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
