import type { Attendance } from '../../protocol/model.ts';
import type { ServiceRecord } from '../../protocol/service.ts';
import { toTenths } from '../../domain/points.ts';
import { countedMinutes } from '../attendance-facts.ts';
import type { YearArchive } from '../archive/year-archive.ts';
import type { IndexHandlers, StateIndex } from './state-index.ts';

/** A volunteer's figures: creditable minutes (lifetime and per year in the center's zone) and points balance. */
export interface VolunteerTotals {
  readonly minutes: number;
  readonly minutesByYear: ReadonlyMap<number, number>;
  readonly pointsTenths: number;
}

interface RunningTotals {
  minutes: number;
  minutesByYear: Map<number, number>;
  pointsTenths: number;
}

const NO_TOTALS: VolunteerTotals = Object.freeze({ minutes: 0, minutesByYear: new Map<number, number>(), pointsTenths: 0 });

/**
 * Each volunteer's totals, kept as records change: attendance and service records add their
 * creditable minutes (service hours count exactly like attendance), ledger entries their points,
 * and a closed year's archive record what its records added before they left the live state.
 */
export class TotalsIndex implements StateIndex {
  readonly #byVolunteer = new Map<string, RunningTotals>();

  /** `yearOf`: the calendar year of an instant in the center's zone (its zone can change; the state rebuilds then). */
  constructor(readonly yearOf: (at: string) => number) {}

  readonly follows: IndexHandlers = {
    attendance: (old, next) => {
      if (old) this.#addAttendance(old, -1);
      if (next) this.#addAttendance(next, 1);
    },
    serviceRecords: (old, next) => {
      if (old) this.#addService(old, -1);
      if (next) this.#addService(next, 1);
    },
    // Append-only: an entry is added once and never replaced.
    ledger: (old, next) => {
      if (old) this.#totalsFor(old.volunteerId).pointsTenths -= toTenths(old.delta);
      if (next) this.#totalsFor(next.volunteerId).pointsTenths += toTenths(next.delta);
    },
    // A closed year's totals, carried so the hours, stars and balances stay what they were.
    archives: (_old, next) => {
      if (next) this.#addArchive(next);
    },
  };

  /** The live totals of the volunteer (zero when none), read only. */
  of(volunteerId: string): VolunteerTotals {
    return this.#byVolunteer.get(volunteerId) ?? NO_TOTALS;
  }

  clear(): void {
    this.#byVolunteer.clear();
  }

  #addAttendance(attendance: Attendance, sign: 1 | -1): void {
    const minutes = countedMinutes(attendance);
    if (minutes) this.#addMinutes(attendance.volunteerId, this.yearOf(attendance.checkInAt), sign * minutes);
  }

  #addService(record: ServiceRecord, sign: 1 | -1): void {
    if (!record.removed && record.creditedMinutes) this.#addMinutes(record.volunteerId, this.yearOf(record.startedAt), sign * record.creditedMinutes);
  }

  #addArchive(archive: YearArchive): void {
    for (const [volunteerId, minutes, pointsTenths] of archive.totals) {
      const totals = this.#totalsFor(volunteerId);
      totals.minutes += minutes;
      if (minutes) totals.minutesByYear.set(archive.year, (totals.minutesByYear.get(archive.year) ?? 0) + minutes);
      totals.pointsTenths += pointsTenths;
    }
  }

  #addMinutes(volunteerId: string, year: number, minutes: number): void {
    const totals = this.#totalsFor(volunteerId);
    totals.minutes += minutes;
    totals.minutesByYear.set(year, (totals.minutesByYear.get(year) ?? 0) + minutes);
  }

  #totalsFor(volunteerId: string): RunningTotals {
    let totals = this.#byVolunteer.get(volunteerId);
    if (!totals) {
      totals = { minutes: 0, minutesByYear: new Map(), pointsTenths: 0 };
      this.#byVolunteer.set(volunteerId, totals);
    }
    return totals;
  }
}
