import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminClient, ApiClient, startStation, type TestStation } from '../support/station.ts';

let t: TestStation;
let api: ApiClient;

beforeAll(async () => {
  t = await startStation();
  api = await adminClient(t);
  for (const username of ['amy', 'bob', 'cat']) {
    expect((await api.post('/api/staff', { username, password: `${username}-password`, role: 'staff' })).status).toBe(201);
  }
});
afterAll(async () => {
  await t?.destroy();
});

const login = (username: string, password: string) => new ApiClient(t.url).post('/api/auth/login', { username, password });

describe('login limiter', () => {
  it('counts whitespace, case, full-width and ideographic-space variants of a name as one account', async () => {
    const variants = [' amy', '\tamy', 'amy\u3000', 'AMY', 'ａｍｙ', 'Amy ', '\u3000amy', 'amy\t', ' AMY ', 'aMy'];
    for (const variant of variants) expect((await login(variant, 'wrong-password')).status).toBe(401);
    // Ten failures under ten spellings: the account is locked for every spelling, even with the right password.
    for (const variant of ['amy', ' amy', 'amy\u3000']) {
      expect(await login(variant, 'amy-password')).toMatchObject({ status: 429, body: { error: { code: 'RATE_LIMITED' } } });
    }
    // Another account from the same address is not affected.
    expect((await login('cat', 'cat-password')).status).toBe(200);
  });

  it('does not count successful logins: twelve good logins in a row all succeed', async () => {
    for (let i = 0; i < 12; i++) expect((await login(i % 2 ? ' bob' : 'BOB', 'bob-password')).status).toBe(200);
    for (let i = 0; i < 9; i++) expect((await login('bob', 'wrong-password')).status).toBe(401);
    expect((await login('bob', 'bob-password')).status).toBe(200);
  });

  it('answers an unknown name about as slowly as a wrong password for a known one', async () => {
    const timed = async (username: string) => {
      const started = performance.now();
      expect((await login(username, 'wrong-password')).status).toBe(401);
      return performance.now() - started;
    };
    const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 5; i++) {
      known.push(await timed('cat'));
      unknown.push(await timed(`nobody-${i}`));
    }
    // Both run one scrypt (tens of milliseconds); without the dummy hash an unknown name took ~1 ms.
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.4);
  });
});

describe('first run', () => {
  it('two setups racing create one admin; the other is told setup is done', async () => {
    const fresh = await startStation({ adminPassword: null });
    try {
      const results = await Promise.all(
        ['first', 'second', 'third'].map((username) => new ApiClient(fresh.url).post('/api/auth/setup', { username, password: 'first-run-pass' })),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
      expect(results.filter((r) => r.status === 409).every((r) => r.body.error.code === 'SETUP_ALREADY_DONE')).toBe(true);
      expect(fresh.station.ctx.store.state.records.staff.size).toBe(1);
    } finally {
      await fresh.destroy();
    }
  });
});
