import { dayKey } from '../domain/time-zone.ts';
import type { Training, TrainingPhase } from '../protocol/organizing.ts';

/**
 * Where a training stands at the kiosk, the way an activity's 开始签到 / 结束 works: staff open it
 * by hand and close it by hand, and it accepts sign-ins by scan only in between. An opened
 * training also closes by itself when its day is over (like an open activity at its end), so a
 * forgotten 结束 never leaves yesterday's training taking scans. A training never opened is
 * `planned` on or before its day and `closed` after. (Activities' `acceptsCheckIn` is not
 * reused: it opens a planned activity by its start time, and a training has a day, no times.)
 */
export function trainingPhase(training: Pick<Training, 'date' | 'status'>, now: Date, timeZone: string): TrainingPhase {
  const today = dayKey(now, timeZone);
  if (training.date < today || training.status === 'closed') return 'closed';
  if (training.status === 'open' && training.date === today) return 'open';
  return 'planned';
}

/** Whether staff may open it now: on its own day, whether never opened or closed too early. */
export function canOpenTraining(training: Pick<Training, 'date'>, now: Date, timeZone: string): boolean {
  return training.date === dayKey(now, timeZone);
}
