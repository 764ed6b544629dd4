import type { Attendance } from '../../protocol/model.ts';
import type { IndexHandlers, StateIndex } from './state-index.ts';

/**
 * The attendance that began at or after a floor that only moves forward (to the start of the
 * day asked about). Today's figures walk these instead of every attendance of today's
 * activities: an activity that takes thousands of sign-ins in a day made each scan's board
 * event cost more than the one before (measured: 74 s event-loop stalls in the benchmark).
 */
export class RecentAttendanceIndex implements StateIndex {
  /** Instant (ms) before which nothing is kept; -Infinity until the first question. */
  #floor = Number.NEGATIVE_INFINITY;
  readonly #ids = new Set<string>();

  readonly follows: IndexHandlers = {
    attendance: (old, next) => this.#change(old, next),
  };

  clear(): void {
    this.#ids.clear();
    this.#floor = Number.NEGATIVE_INFINITY;
  }

  /**
   * Ids of the attendance that began at or after `from` (ms), read only. Asked about an earlier
   * instant than before (a clock set back), it starts again from every record, once.
   */
  since(from: number, records: ReadonlyMap<string, Attendance>): ReadonlySet<string> {
    if (from < this.#floor) {
      this.#ids.clear();
      for (const attendance of records.values()) if (Date.parse(attendance.checkInAt) >= from) this.#ids.add(attendance.id);
    } else if (from > this.#floor) {
      for (const id of this.#ids) {
        const attendance = records.get(id);
        if (!attendance || Date.parse(attendance.checkInAt) < from) this.#ids.delete(id);
      }
    }
    this.#floor = from;
    return this.#ids;
  }

  #change(old: Attendance | undefined, next: Attendance | undefined): void {
    if (next && Date.parse(next.checkInAt) >= this.#floor) this.#ids.add(next.id);
    else this.#ids.delete((next ?? old)!.id);
  }
}
