import type { Attendance } from '../../protocol/model.ts';
import { countedMinutes } from '../attendance-facts.ts';
import type { IndexHandlers, StateIndex } from './state-index.ts';

export interface DayTotals {
  /** Creditable minutes of the attendance that began at or after the day's start. */
  minutes: number;
  /** People with such an attendance (open ones included). */
  volunteers: number;
}

/**
 * Today's creditable minutes and people, kept as attendance changes: every scan's board event
 * carries them, and counting them from the records made each scan cost more than the one before
 * (a busy day's thousands of sign-ins walked on every scan: 74 s event-loop stalls in the
 * benchmark). Counted from a start instant; asked about another (a new day), it counts again
 * from the records, once.
 */
export class DayTotalsIndex implements StateIndex {
  /** Undefined until the first question: start-up and rebuilds count nothing for a day nobody asked about. */
  #from: number | undefined;
  #minutes = 0;
  readonly #volunteers = new Map<string, number>();

  readonly follows: IndexHandlers = {
    attendance: (old, next) => {
      if (old) this.#count(old, -1);
      if (next) this.#count(next, 1);
    },
  };

  clear(): void {
    this.#from = undefined;
    this.#minutes = 0;
    this.#volunteers.clear();
  }

  since(from: number, records: ReadonlyMap<string, Attendance>): DayTotals {
    if (from !== this.#from) {
      this.clear();
      this.#from = from;
      for (const attendance of records.values()) this.#count(attendance, 1);
    }
    return { minutes: this.#minutes, volunteers: this.#volunteers.size };
  }

  #count(attendance: Attendance, sign: 1 | -1): void {
    if (this.#from === undefined || attendance.removed || Date.parse(attendance.checkInAt) < this.#from) return;
    this.#minutes += sign * countedMinutes(attendance);
    const count = (this.#volunteers.get(attendance.volunteerId) ?? 0) + sign;
    if (count > 0) this.#volunteers.set(attendance.volunteerId, count);
    else this.#volunteers.delete(attendance.volunteerId);
  }
}
