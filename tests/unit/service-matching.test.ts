import { describe, expect, it } from 'vitest';
import { rankCandidates, scoreCandidate, slotOf, weights, type MatchCandidate } from '../../server/src/service/matching.ts';

const zone = 'Asia/Shanghai';
/** Tuesday 2026-03-03 15:00 in Beijing: a Tuesday afternoon. */
const tuesdayAfternoon = '2026-03-03T07:00:00.000Z';

function candidate(extra: Partial<MatchCandidate> = {}): MatchCandidate {
  return { volunteerId: 'v', name: '王芳', skills: [], activeTasks: 0, ratings: [], ...extra };
}

describe('matching score', () => {
  it('slots follow the center’s zone: morning, afternoon, evening of the local weekday', () => {
    expect(slotOf(tuesdayAfternoon, zone)).toBe('tue-pm');
    expect(slotOf('2026-03-03T01:00:00.000Z', zone)).toBe('tue-am');
    expect(slotOf('2026-03-03T11:00:00.000Z', zone)).toBe('tue-eve');
    // 23:30 UTC on Sunday is Monday morning in Beijing.
    expect(slotOf('2026-03-01T23:30:00.000Z', zone)).toBe('mon-am');
  });

  it('skills: points for the share of needed skills the volunteer has, naming them', () => {
    const { score, reasons } = scoreCandidate({ skills: ['维修', '电工'] }, candidate({ skills: ['维修'] }), zone);
    expect(reasons).toEqual([{ kind: 'skills', points: weights.skills / 2, detail: '维修' }]);
    expect(score).toBe(weights.skills / 2);
    expect(scoreCandidate({ skills: ['维修'] }, candidate({ skills: ['剪发'] }), zone).reasons).toEqual([]);
  });

  it('grid: the same grid cell adds points, another adds none', () => {
    expect(scoreCandidate({ skills: [], grid: '二网格' }, candidate({ grid: '二网格' }), zone).reasons).toEqual([{ kind: 'grid', points: weights.sameGrid, detail: '二网格' }]);
    expect(scoreCandidate({ skills: [], grid: '二网格' }, candidate({ grid: '三网格' }), zone).reasons).toEqual([]);
  });

  it('availability: free at the wanted time adds, free only at other times takes away, unknown is neutral', () => {
    const need = { skills: [], wantedAt: tuesdayAfternoon };
    expect(scoreCandidate(need, candidate({ availability: ['tue-pm'] }), zone).reasons).toEqual([{ kind: 'availability', points: weights.available, detail: 'tue-pm' }]);
    expect(scoreCandidate(need, candidate({ availability: ['sat-am'] }), zone).reasons).toEqual([{ kind: 'availability', points: weights.unavailable, detail: 'not tue-pm' }]);
    expect(scoreCandidate(need, candidate(), zone).reasons).toEqual([]);
  });

  it('load: each task in hand lowers the score', () => {
    expect(scoreCandidate({ skills: [] }, candidate({ activeTasks: 2 }), zone)).toEqual({ score: 2 * weights.perActiveTask, reasons: [{ kind: 'load', points: 2 * weights.perActiveTask, detail: '2' }] });
  });

  it('ratings: a good average adds, a poor one takes away, a middling 3 is neutral', () => {
    expect(scoreCandidate({ skills: [] }, candidate({ ratings: [5, 5] }), zone).reasons).toEqual([{ kind: 'rating', points: 2 * weights.perRatingStar, detail: '5.0 (2)' }]);
    expect(scoreCandidate({ skills: [] }, candidate({ ratings: [1] }), zone).reasons).toEqual([{ kind: 'rating', points: -2 * weights.perRatingStar, detail: '1.0 (1)' }]);
    expect(scoreCandidate({ skills: [] }, candidate({ ratings: [3] }), zone).reasons).toEqual([]);
  });

  it('ranks best first; three tasks in hand weigh less than a missing skill', () => {
    const ranked = rankCandidates({ skills: ['维修'], grid: '二网格' }, [
      candidate({ volunteerId: 'busy', name: '甲', skills: ['维修'], grid: '二网格', activeTasks: 3 }),
      candidate({ volunteerId: 'near', name: '乙', grid: '二网格' }),
      candidate({ volunteerId: 'best', name: '丙', skills: ['维修'], grid: '二网格' }),
      candidate({ volunteerId: 'tie', name: '丁', skills: ['维修'] }),
      candidate({ volunteerId: 'tie-busy', name: '戊', skills: ['维修'], grid: '三网格', activeTasks: 0, ratings: [3] }),
    ], zone);
    expect(ranked.map((m) => m.volunteerId)).toEqual(['best', 'tie', 'tie-busy', 'busy', 'near']);
    expect(ranked[0]).toMatchObject({ score: weights.skills + weights.sameGrid, reasons: [{ kind: 'skills' }, { kind: 'grid' }] });
  });
});
