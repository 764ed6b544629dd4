import { describe, expect, it } from 'vitest';
import { defaultSnapSettings, type Snap } from '../../server/src/protocol/me.ts';
import { boardSnaps, decideResolve, decideReview, snapMonthReport } from '../../server/src/snaps/snap-rules.ts';

const now = new Date('2026-12-07T08:00:00Z');
const snap = (over: Partial<Snap> = {}): Snap => ({
  id: 's1', volunteerId: 'v1', category: 'lighting', place: '3号楼', createdAt: '2026-12-05T02:00:00Z', status: 'pending',
  photo: { file: 's1.jpg', type: 'image/jpeg', width: 10, height: 10, bytes: 100 }, ...over,
});

describe('snap rules', () => {
  it('accepting without a figure credits the category’s default from the settings, as one ledger entry tied to the snap', () => {
    const { snap: reviewed, ledger } = decideReview(snap(), { accepted: true }, defaultSnapSettings, now, 'staff:amy', 'L1');
    expect(reviewed).toMatchObject({ status: 'accepted', review: { accepted: true, points: 3, ledgerId: 'L1', by: 'staff:amy' } });
    expect(ledger).toMatchObject({ id: 'L1', volunteerId: 'v1', delta: 3, kind: 'snap', snapId: 's1' });
  });

  it('a figure given by staff wins; zero points or a decline writes no ledger entry', () => {
    expect(decideReview(snap(), { accepted: true, points: 2.5 }, defaultSnapSettings, now, 'x', 'L').ledger?.delta).toBe(2.5);
    expect(decideReview(snap(), { accepted: true, points: 0 }, defaultSnapSettings, now, 'x', 'L').ledger).toBeUndefined();
    const declined = decideReview(snap(), { accepted: false, note: '看不清' }, defaultSnapSettings, now, 'x', 'L');
    expect(declined.ledger).toBeUndefined();
    expect(declined.snap).toMatchObject({ status: 'declined', review: { points: 0, note: '看不清' } });
  });

  it('a reviewed snap cannot be reviewed again; handled only after a review and only once', () => {
    for (const status of ['accepted', 'declined', 'handled'] as const) {
      expect(() => decideReview(snap({ status }), { accepted: true }, defaultSnapSettings, now, 'x', 'L')).toThrow(expect.objectContaining({ code: 'SNAP_STATE' }));
    }
    expect(() => decideResolve(snap(), 'done', now, 'x')).toThrow(expect.objectContaining({ code: 'SNAP_STATE' }));
    expect(decideResolve(snap({ status: 'declined' }), 'done', now, 'x')).toMatchObject({ status: 'handled', resolution: { note: 'done' } });
    expect(() => decideResolve(snap({ status: 'handled' }), 'done', now, 'x')).toThrow(expect.objectContaining({ code: 'SNAP_STATE' }));
  });

  it('months are the center’s: a snap at 23:30 on 30 November UTC is December in Shanghai', () => {
    const snaps = [
      snap({ id: 'a', createdAt: '2026-11-30T23:30:00Z', status: 'accepted', review: { at: '', by: '', accepted: true, points: 3 } }),
      snap({ id: 'b', createdAt: '2026-11-30T10:00:00Z' }),
      snap({ id: 'c', createdAt: '2026-12-03T10:00:00Z', category: 'rubbish', status: 'handled', review: { at: '', by: '', accepted: false, points: 0, note: 'dup' }, resolution: { at: '2026-12-04T00:00:00Z', by: '', note: 'ok' } }),
    ];
    const report = snapMonthReport(snaps, '2026-12', 'Asia/Shanghai');
    expect(report).toMatchObject({ count: 2, accepted: 1, declined: 1, handled: 1, pending: 0, points: 3 });
    expect(boardSnaps(snaps, now, 'Asia/Shanghai', false)).toEqual({ monthCount: 2, latestHandled: [{ id: 'c', category: 'rubbish', place: '3号楼', resolvedAt: '2026-12-04T00:00:00Z' }] });
  });
});
