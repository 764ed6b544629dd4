import type { Attendance } from '../../protocol/model.ts';
import { isOpen } from '../attendance-facts.ts';
import type { IndexHandlers, StateIndex } from './state-index.ts';

/**
 * Who is signed in now: the open attendance of each volunteer (at most one), and how many people
 * are on site per activity, kept as they change so a scan need not walk them all.
 */
export class PresenceIndex implements StateIndex {
  readonly #openByVolunteer = new Map<string, string>();
  readonly #activityByVolunteer = new Map<string, string>();
  readonly #countByActivity = new Map<string, number>();

  readonly follows: IndexHandlers = {
    attendance: (old, next) => this.#change(old, next),
  };

  openAttendanceIdOf(volunteerId: string): string | undefined {
    return this.#openByVolunteer.get(volunteerId);
  }

  isOnSite(volunteerId: string): boolean {
    return this.#openByVolunteer.has(volunteerId);
  }

  /** The open attendances' ids, one per volunteer signed in. */
  openAttendanceIds(): IterableIterator<string> {
    return this.#openByVolunteer.values();
  }

  onSiteCount(activityId: string): number {
    return this.#countByActivity.get(activityId) ?? 0;
  }

  /** People on site per activity with anyone on site: the live map, read only. */
  get onSiteCounts(): ReadonlyMap<string, number> {
    return this.#countByActivity;
  }

  clear(): void {
    this.#openByVolunteer.clear();
    this.#activityByVolunteer.clear();
    this.#countByActivity.clear();
  }

  #change(old: Attendance | undefined, next: Attendance | undefined): void {
    if (old && isOpen(old) && this.#openByVolunteer.get(old.volunteerId) === old.id) {
      this.#openByVolunteer.delete(old.volunteerId);
      this.#leaveSite(old.volunteerId);
    }
    if (next && isOpen(next)) {
      this.#openByVolunteer.set(next.volunteerId, next.id);
      this.#leaveSite(next.volunteerId);
      this.#activityByVolunteer.set(next.volunteerId, next.activityId);
      this.#countByActivity.set(next.activityId, (this.#countByActivity.get(next.activityId) ?? 0) + 1);
    }
  }

  #leaveSite(volunteerId: string): void {
    const activityId = this.#activityByVolunteer.get(volunteerId);
    if (activityId === undefined) return;
    this.#activityByVolunteer.delete(volunteerId);
    const count = (this.#countByActivity.get(activityId) ?? 0) - 1;
    if (count > 0) this.#countByActivity.set(activityId, count);
    else this.#countByActivity.delete(activityId);
  }
}
