import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { boardState } from '../../server/src/board/board-state.ts';
import type { Redemption } from '../../server/src/protocol/model.ts';
import { defaultSettings, type Settings } from '../../server/src/protocol/settings.ts';
import { parseStoredSettings, StationState } from '../../server/src/store/state.ts';
import { StateBuilder } from './board-fixtures.ts';

// 10:00 on 15 April 2025 in Beijing.
const now = new Date('2025-04-15T02:00:00Z');
const board = (b: StateBuilder) => boardState({ state: b.state, now, version: 1, notice: null });

function redeem(b: StateBuilder, volunteerId: string, at: string, extra: Partial<Redemption> = {}): string {
  const id = randomUUID();
  b.state.apply({
    c: 'redemptions',
    v: { id, receiptNo: `R-${id.slice(0, 6)}`, volunteerId, items: [{ goodsId: 'g1', name: '大米', quantity: 1, points: 5 }], pointsSpent: 5, at, by: 'staff', ...extra },
  });
  return id;
}

function counterMorning(showRedemptions: boolean) {
  const b = new StateBuilder({ board: { showRedemptions } });
  const zhang = b.volunteer('张小明', { phone: '13800001111', idNumber: '110101199003074514' });
  const li = b.volunteer('李秀英');
  return { b, zhang, li };
}

describe('board state: public redemption list', () => {
  it('leaves the list out while the center has not chosen to show redemptions', () => {
    const { b, zhang } = counterMorning(false);
    redeem(b, zhang, '2025-04-15T01:00:00Z');
    expect(board(b)).not.toHaveProperty('redemptions');
  });

  it('lists today’s redemptions newest first with masked names, goods and points, leaving out voided ones and earlier days', () => {
    const { b, zhang, li } = counterMorning(true);
    // 23:30 on 14 April in Beijing: yesterday.
    redeem(b, zhang, '2025-04-14T15:30:00Z');
    const first = redeem(b, zhang, '2025-04-15T00:30:00Z', { items: [{ goodsId: 'g1', name: '大米', quantity: 1, points: 5 }, { goodsId: 'g2', name: '食用油', quantity: 2, points: 8 }], pointsSpent: 21 });
    redeem(b, li, '2025-04-15T01:00:00Z', { voided: { at: '2025-04-15T01:05:00Z', by: 'staff', reason: 'mistake' } });
    const second = redeem(b, li, '2025-04-15T01:30:00Z');
    const list = board(b).redemptions;
    expect(list).toEqual([
      { redemptionId: second, displayName: '李*英', items: ['大米×1'], points: 5, at: '2025-04-15T01:30:00Z' },
      { redemptionId: first, displayName: '张*明', items: ['大米×1', '食用油×2'], points: 21, at: '2025-04-15T00:30:00Z' },
    ]);
    const text = JSON.stringify(list);
    for (const secret of ['13800001111', '110101199003074514', b.state.get('volunteers', zhang)!.cardNo, 'R-']) expect(text).not.toContain(secret);
  });

  it('shows full names only when the center chose full public names, and at most ten lines', () => {
    const { b, zhang } = counterMorning(true);
    b.settings({ publicNames: 'full' });
    for (let minute = 10; minute < 22; minute++) redeem(b, zhang, `2025-04-15T01:${minute}:00Z`);
    const list = board(b).redemptions!;
    expect(list).toHaveLength(10);
    expect(list[0]).toMatchObject({ displayName: '张小明', at: '2025-04-15T01:21:00Z' });
  });
});

describe('settings stored before the board group existed', () => {
  const { board: _omitted, ...older } = defaultSettings;

  it('read with the board group at its defaults', () => {
    const state = new StationState();
    state.apply({ c: 'config', v: { id: 'settings', settings: { ...older, centerName: '老驿站' } as Settings } });
    expect(state.settings.board).toEqual({ showRedemptions: false });
    expect(state.settings.centerName).toBe('老驿站');
    expect(parseStoredSettings(older)).toEqual(defaultSettings);
  });
});
