import { describe, expect, it } from 'vitest';
import type { Activity, Volunteer } from '../../server/src/protocol/model.ts';
import { defaultSettings, type Settings } from '../../server/src/protocol/settings.ts';
import { checkGates, gatePassIdOf, trainingValidUntil, validTrainingCategories } from '../../server/src/signups/gate-rules.ts';
import { ageOf, ageOn, birthDateOf } from '../../server/src/signups/minors.ts';
import { StationState } from '../../server/src/store/state.ts';

const v1: Volunteer = { id: 'v1', name: '张三', gender: 'unspecified', skills: [], teamIds: ['t1'], joinedOn: '2026-01-01', status: 'active', cardNo: '1', cardSerial: 1, createdAt: '', updatedAt: '' };
// 2026-03-10 10:00 Beijing.
const at = new Date('2026-03-10T02:00:00.000Z');

function station(activity: Partial<Activity>, settings: Settings = defaultSettings, volunteer: Volunteer = v1): { state: StationState; activity: Activity } {
  const state = new StationState();
  state.apply({ c: 'config', v: { id: 'settings', settings } });
  state.apply({ c: 'volunteers', v: volunteer });
  const full: Activity = { id: 'a1', title: '河道巡查', teamIds: [], startsAt: '2026-03-10T01:00:00.000Z', endsAt: '2026-03-10T03:00:00.000Z', status: 'planned', createdAt: '', ...activity };
  state.apply({ c: 'activities', v: full });
  return { state, activity: full };
}
const code = (fn: () => void) => {
  try {
    fn();
    return 'passed';
  } catch (error) {
    return (error as { code: string }).code;
  }
};
const pass = (state: StationState, gate: 'INSURANCE_REQUIRED' | 'TRAINING_REQUIRED' | 'SIGNUP_REQUIRED' | 'GUARDIAN_REQUIRED') =>
  state.apply({ c: 'gatePasses', v: { id: gatePassIdOf('a1', 'v1', gate), activityId: 'a1', volunteerId: 'v1', code: gate, reason: '已核实', at: '', by: 'staff:admin' } });

describe('the kiosk gate', () => {
  it('an activity with no requirements lets everyone in (walk-ins)', () => {
    const { state, activity } = station({});
    expect(code(() => checkGates(state, v1, activity, at))).toBe('passed');
  });

  it('INSURANCE_REQUIRED until a policy covers the day (own or through a team); a staff pass lets one through', () => {
    const { state, activity } = station({ requiresInsurance: true });
    expect(code(() => checkGates(state, v1, activity, at))).toBe('INSURANCE_REQUIRED');
    state.apply({ c: 'insurance', v: { id: 'p1', insurer: '人保', policyNo: 'X1', from: '2025-03-10', to: '2026-03-09', volunteerIds: ['v1'], teamIds: [], createdAt: '', createdBy: '' } });
    expect(code(() => checkGates(state, v1, activity, at))).toBe('INSURANCE_REQUIRED');
    state.apply({ c: 'insurance', v: { id: 'p2', insurer: '人保', policyNo: 'G1', from: '2026-03-10', to: '2027-03-09', volunteerIds: [], teamIds: ['t1'], createdAt: '', createdBy: '' } });
    expect(code(() => checkGates(state, v1, activity, at))).toBe('passed');
    const { state: other, activity: same } = station({ requiresInsurance: true });
    pass(other, 'INSURANCE_REQUIRED');
    expect(code(() => checkGates(other, v1, same, at))).toBe('passed');
  });

  it('TRAINING_REQUIRED names the missing categories; an expired first-aid course does not count', () => {
    const { state, activity } = station({ requiredTrainings: ['急救', '消防'] });
    const training = (id: string, category: string, date: string) =>
      state.apply({ c: 'trainings', v: { id, title: category, category, date, hours: 2, attendeeIds: ['v1'], createdAt: '', createdBy: '' } });
    training('t1', '急救', '2024-03-10');
    training('t2', '消防', '2020-01-01');
    let error: unknown;
    try {
      checkGates(state, v1, activity, at);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'TRAINING_REQUIRED', details: { missing: ['急救'] } });
    training('t3', '急救', '2026-03-01');
    expect(code(() => checkGates(state, v1, activity, at))).toBe('passed');
  });

  it('a training is valid for its months up to the day before the anniversary', () => {
    expect(trainingValidUntil({ category: '急救', date: '2024-03-10' }, { 急救: 24 })).toBe('2026-03-09');
    expect(trainingValidUntil({ category: '消防', date: '2024-03-10' }, { 急救: 24 })).toBeUndefined();
    const { state } = station({});
    state.apply({ c: 'trainings', v: { id: 't1', title: '急救', category: '急救', date: '2024-03-10', hours: 2, attendeeIds: ['v1'], createdAt: '', createdBy: '' } });
    expect(validTrainingCategories(state, 'v1', '2026-03-09').has('急救')).toBe(true);
    expect(validTrainingCategories(state, 'v1', '2026-03-10').has('急救')).toBe(false);
    // Not before it took place either.
    expect(validTrainingCategories(state, 'v1', '2024-03-09').has('急救')).toBe(false);
  });

  it('SIGNUP_REQUIRED on a sign-up-only activity without a confirmed sign-up', () => {
    const { state, activity } = station({ signupOnly: true });
    expect(code(() => checkGates(state, v1, activity, at))).toBe('SIGNUP_REQUIRED');
    state.apply({ c: 'signups', v: { id: 'a1:v1', activityId: 'a1', volunteerId: 'v1', status: 'waitlisted', number: 1, signedUpAt: '', by: '' } });
    expect(code(() => checkGates(state, v1, activity, at))).toBe('SIGNUP_REQUIRED');
    state.apply({ c: 'signups', v: { id: 'a1:v1', activityId: 'a1', volunteerId: 'v1', status: 'confirmed', number: 1, signedUpAt: '', by: '' } });
    expect(code(() => checkGates(state, v1, activity, at))).toBe('passed');
  });

  it('GUARDIAN_REQUIRED below the age in settings, decided on the birthday in the center’s zone', () => {
    const settings = { ...defaultSettings, minors: { guardianPresentBelowAge: 14 } };
    // Turns 14 on 2026-03-10 (Beijing). At 2026-03-09T16:30Z it is already the 10th in Beijing.
    const minor = { ...v1, birthDate: '2012-03-10' };
    const { state, activity } = station({}, settings, minor);
    expect(code(() => checkGates(state, minor, activity, new Date('2026-03-09T15:59:59.000Z')))).toBe('GUARDIAN_REQUIRED');
    expect(code(() => checkGates(state, minor, activity, new Date('2026-03-09T16:00:00.000Z')))).toBe('passed');
    pass(state, 'GUARDIAN_REQUIRED');
    expect(code(() => checkGates(state, minor, activity, new Date('2026-03-09T15:59:59.000Z')))).toBe('passed');
  });
});

describe('age at the edges of the birthday', () => {
  it('the birthday itself counts as the new year; the day before does not', () => {
    expect(ageOn('2012-03-10', '2026-03-09')).toBe(13);
    expect(ageOn('2012-03-10', '2026-03-10')).toBe(14);
    expect(ageOn('2012-03-10', '2026-12-31')).toBe(14);
    expect(ageOn('2012-12-31', '2026-12-30')).toBe(13);
  });
  it('born on 29 February: a year older on 1 March in a common year', () => {
    expect(ageOn('2012-02-29', '2026-02-28')).toBe(13);
    expect(ageOn('2012-02-29', '2026-03-01')).toBe(14);
    expect(ageOn('2012-02-29', '2028-02-29')).toBe(16);
  });
  it('reads the birth date from an ID number entered by hand, and rejects impossible dates', () => {
    expect(birthDateOf({ idNumber: '11010520120310002X' })).toBe('2012-03-10');
    expect(birthDateOf({ idNumber: '110105201302300011' })).toBeUndefined();
    expect(birthDateOf({ birthDate: '2010-01-01', idNumber: '11010520120310002X' })).toBe('2010-01-01');
  });
  it('with only a birth year, takes the youngest the volunteer can be', () => {
    expect(ageOf({ birthYear: 2012 }, '2026-12-31')).toBe(13);
    expect(ageOf({}, '2026-12-31')).toBeUndefined();
  });
});
