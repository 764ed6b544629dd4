import { describe, expect, it } from 'vitest';
import { AppError } from '../../server/src/protocol/errors.ts';
import { requestStatuses, type RequestStatus, type ServiceRequest } from '../../server/src/protocol/service.ts';
import {
  accept, acceptedVolunteers, canApply, cancel, complete, decline, dispatch, rate, reopen, requestNumber, urgencyOf, type RequestAction,
} from '../../server/src/service/request-rules.ts';

const T0 = '2026-03-02T02:00:00.000Z';
const T1 = '2026-03-02T03:00:00.000Z';

function request(status: RequestStatus, extra: Partial<ServiceRequest> = {}): ServiceRequest {
  return {
    id: 'r1', number: '2026-0042', category: '维修', details: '水龙头漏水', skills: [], status, source: 'staff', assignments: [], round: 0,
    history: [{ at: T0, by: 'staff:a', status: 'open' }], createdAt: T0, createdBy: 'staff:a', updatedAt: T0, ...extra,
  };
}

/** A request in each status, shaped as it would be after the actions that lead there. */
function inStatus(status: RequestStatus): ServiceRequest {
  const accepted = { volunteerId: 'v1', status: 'accepted' as const, at: T0, acceptedAt: T0 };
  switch (status) {
    case 'open': return request('open');
    case 'dispatched': return request('dispatched', { assignments: [{ volunteerId: 'v1', status: 'dispatched', at: T0 }] });
    case 'accepted': return request('accepted', { assignments: [accepted] });
    case 'done': return request('done', { assignments: [accepted], completed: { at: T0, by: 'staff:a', minutes: 60 } });
    case 'rated': return request('rated', { assignments: [accepted], completed: { at: T0, by: 'staff:a', minutes: 60 }, rating: { score: 1, at: T0, by: 'staff:a' } });
    case 'cancelled': return request('cancelled', { cancelled: { at: T0, by: 'staff:a', reason: 'x' } });
  }
}

const run: Record<RequestAction, (r: ServiceRequest) => ServiceRequest> = {
  dispatch: (r) => dispatch(r, ['v2'], T1, 'staff:a'),
  accept: (r) => accept(r, r.status === 'open' ? 'v2' : 'v1', T1, 'device:k'),
  decline: (r) => decline(r, 'v1', '没空', T1, 'device:k'),
  complete: (r) => complete(r, 90, T1, 'staff:a'),
  rate: (r) => rate(r, 5, T1, 'staff:a'),
  cancel: (r) => cancel(r, '已解决', T1, 'staff:a'),
  reopen: (r) => reopen(r, '评价差，重新安排', T1, 'staff:a'),
};

/** Every status × action: the allowed ones lead where the diagram says, the others are refused with REQUEST_STATE. */
const expected: Record<RequestStatus, Partial<Record<RequestAction, RequestStatus>>> = {
  open: { dispatch: 'dispatched', accept: 'accepted', cancel: 'cancelled' },
  dispatched: { dispatch: 'dispatched', accept: 'accepted', decline: 'open', cancel: 'cancelled' },
  accepted: { dispatch: 'accepted', accept: 'accepted', decline: 'open', complete: 'done', cancel: 'cancelled' },
  done: { rate: 'rated' },
  rated: { reopen: 'open' },
  cancelled: {},
};

describe('service request status rules', () => {
  for (const status of requestStatuses) {
    for (const action of Object.keys(run) as RequestAction[]) {
      const target = expected[status][action];
      if (target) {
        it(`${action} on a ${status} request leads to ${target}`, () => {
          expect(canApply(status, action)).toBe(true);
          const before = inStatus(status);
          const next = run[action](before);
          expect(next.status).toBe(target);
          if (next !== before) expect(next.history.at(-1)).toMatchObject({ at: T1, status: target });
        });
      } else {
        it(`${action} on a ${status} request is refused with REQUEST_STATE`, () => {
          expect(canApply(status, action)).toBe(false);
          let caught: unknown;
          try {
            run[action](inStatus(status));
          } catch (error) {
            caught = error;
          }
          expect(caught).toBeInstanceOf(AppError);
          expect((caught as AppError).code).toBe('REQUEST_STATE');
          expect((caught as AppError).status).toBe(409);
        });
      }
    }
  }

  it('completing twice is refused: the second completion finds the request done', () => {
    const done = complete(inStatus('accepted'), 60, T1, 'staff:a');
    expect(() => complete(done, 60, T1, 'staff:a')).toThrow(expect.objectContaining({ code: 'REQUEST_STATE' }));
  });

  it('completion needs someone who accepted', () => {
    const dispatchedThenAll = request('accepted', { assignments: [{ volunteerId: 'v1', status: 'declined', at: T0 }] });
    expect(() => complete(dispatchedThenAll, 60, T1, 'staff:a')).toThrow(expect.objectContaining({ code: 'REQUEST_STATE' }));
  });

  it('a volunteer not dispatched cannot take a request sent to others', () => {
    expect(() => accept(inStatus('dispatched'), 'v9', T1, 'device:k')).toThrow(expect.objectContaining({ code: 'REQUEST_STATE' }));
  });

  it('accepting again changes nothing', () => {
    const accepted = inStatus('accepted');
    expect(accept(accepted, 'v1', T1, 'device:k')).toBe(accepted);
  });

  it('a decline keeps the request with whoever still holds it', () => {
    const two = dispatch(inStatus('open'), ['v1', 'v2'], T0, 'staff:a');
    const oneDeclined = decline(two, 'v1', '生病', T1, 'device:k');
    expect(oneDeclined.status).toBe('dispatched');
    expect(oneDeclined.assignments.find((a) => a.volunteerId === 'v1')).toMatchObject({ status: 'declined', declined: { reason: '生病' } });
    const accepted = accept(oneDeclined, 'v2', T1, 'device:k');
    expect(acceptedVolunteers(accepted)).toEqual(['v2']);
  });

  it('dispatching to the same volunteers again is refused; a volunteer who declined may be asked again', () => {
    const sent = dispatch(inStatus('open'), ['v1'], T0, 'staff:a');
    expect(() => dispatch(sent, ['v1'], T1, 'staff:a')).toThrow(expect.objectContaining({ code: 'REQUEST_STATE' }));
    const declined = decline(sent, 'v1', '没空', T1, 'device:k');
    expect(dispatch(declined, ['v1'], T1, 'staff:a').assignments).toEqual([expect.objectContaining({ volunteerId: 'v1', status: 'dispatched' })]);
  });

  it('only a badly rated request can be reopened, and it starts a new round without the old volunteers', () => {
    const well = rate(complete(inStatus('accepted'), 60, T1, 'staff:a'), 4, T1, 'staff:a');
    expect(() => reopen(well, '想再来', T1, 'staff:a')).toThrow(expect.objectContaining({ code: 'REQUEST_STATE' }));
    const reopened = reopen(inStatus('rated'), '不满意', T1, 'staff:a');
    expect(reopened).toMatchObject({ status: 'open', round: 1, assignments: [] });
    expect(reopened.completed).toBeUndefined();
    expect(reopened.rating).toBeUndefined();
  });

  it('numbers read aloud: year and a four-digit sequence', () => {
    expect(requestNumber(2026, 41)).toBe('2026-0042');
    expect(requestNumber(2027, 0)).toBe('2027-0001');
  });

  it('overdue once the wanted time passed; unanswered a day after it was made', () => {
    const now = new Date('2026-03-03T03:00:01.000Z');
    expect(urgencyOf({ status: 'open', createdAt: T0, wantedAt: T1 }, now)).toEqual({ overdue: true, unanswered: true });
    expect(urgencyOf({ status: 'accepted', createdAt: T0 }, now)).toEqual({ overdue: false, unanswered: false });
    expect(urgencyOf({ status: 'done', createdAt: T0, wantedAt: T1 }, now)).toEqual({ overdue: false, unanswered: false });
    expect(urgencyOf({ status: 'open', createdAt: '2026-03-03T00:00:00.000Z' }, now)).toEqual({ overdue: false, unanswered: false });
  });
});
