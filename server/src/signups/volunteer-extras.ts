import type { StationState } from '../store/state.ts';
import { noShowsOf } from './signup-rules.ts';

/**
 * What issue 15 adds to a staff view of a volunteer: no-shows (all, and how many staff
 * excused) and training hours, which are kept apart from service hours and never reach stars.
 */
export function volunteerExtras(state: StationState, volunteerId: string, now: Date) {
  const noShows = noShowsOf(state, volunteerId, now);
  let trainingMinutes = 0;
  for (const training of state.records.trainings.values()) {
    if (training.attendeeIds.includes(volunteerId)) trainingMinutes += Math.round(training.hours * 60);
  }
  return {
    noShows: noShows.length,
    excusedNoShows: noShows.filter((n) => n.excused).length,
    trainingHours: Math.round((trainingMinutes / 60) * 100) / 100,
  };
}
