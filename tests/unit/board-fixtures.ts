import { randomUUID } from 'node:crypto';
import type { Activity, Attendance, Volunteer } from '../../server/src/protocol/model.ts';
import { defaultSettings, type Settings } from '../../server/src/protocol/settings.ts';
import { StationState } from '../../server/src/store/state.ts';

/** Builds a StationState by applying records, as the store would, for the pure board and star rules. */
export class StateBuilder {
  readonly state = new StationState();

  constructor(settings: Partial<Settings> = {}) {
    this.settings(settings);
  }

  settings(patch: Partial<Settings>): this {
    this.state.apply({ c: 'config', v: { id: 'settings', settings: { ...this.state.settings, ...patch, stars: { ...defaultSettings.stars, ...patch.stars } } } });
    return this;
  }

  team(name: string): string {
    const id = randomUUID();
    this.state.apply({ c: 'teams', v: { id, name, leaderIds: [], createdAt: '2024-01-01T00:00:00Z' } });
    return id;
  }

  volunteer(name: string, extra: Partial<Volunteer> = {}): string {
    const id = extra.id ?? randomUUID();
    this.state.apply({
      c: 'volunteers',
      v: {
        id, name, gender: 'unspecified', skills: [], teamIds: [], joinedOn: '2024-01-01', status: 'active',
        cardNo: String(100000 + this.state.records.volunteers.size), cardSerial: 1, createdAt: '2024-01-01T00:00:00Z', updatedAt: '2024-01-01T00:00:00Z',
        ...extra,
      },
    });
    return id;
  }

  activity(title: string, startsAt: string, endsAt: string, extra: Partial<Activity> = {}): string {
    const id = randomUUID();
    this.state.apply({ c: 'activities', v: { id, title, teamIds: [], startsAt, endsAt, status: 'planned', createdAt: startsAt, ...extra } });
    return id;
  }

  /** A closed attendance credits `minutes` (and as many points per hour) unless `open`. */
  attendance(volunteerId: string, activityId: string, checkInAt: string, minutes: number | 'open', extra: Partial<Attendance> = {}): string {
    const id = randomUUID();
    const closed = minutes === 'open' ? {} : {
      checkOutAt: new Date(Date.parse(checkInAt) + minutes * 60_000).toISOString(),
      creditedMinutes: minutes,
      pointsCredited: minutes / 60,
    };
    this.state.apply({ c: 'attendance', v: { id, volunteerId, activityId, checkInAt, source: 'scan', createdAt: checkInAt, ...closed, ...extra } });
    if (minutes !== 'open' && minutes > 0) this.points(volunteerId, minutes / 60, closed.checkOutAt!, id);
    return id;
  }

  points(volunteerId: string, delta: number, at: string, attendanceId?: string): void {
    this.state.apply({ c: 'ledger', v: { id: randomUUID(), volunteerId, delta, kind: attendanceId ? 'attendance' : 'manual', reason: 'test', at, by: 'test', ...(attendanceId ? { attendanceId } : {}) } });
  }

  evaluation(volunteerId: string, score: number): void {
    this.state.apply({ c: 'evaluations', v: { id: volunteerId, volunteerId, score, at: '2024-01-01T00:00:00Z', by: 'test' } });
  }
}
