import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { normalizeDigits, parseCode, signCard } from '../../server/src/domain/card-code.ts';

const secret = randomBytes(32);

describe('card codes', () => {
  it('a signed card verifies with the same secret', () => {
    const code = signCard(secret, '100023', 1);
    expect(code).toMatch(/^VS1\.100023\.1\.[A-Za-z0-9_-]{12}$/);
    expect(parseCode(secret, code)).toEqual({ kind: 'card', cardNo: '100023', serial: 1, valid: true });
  });
  it('a card signed with another secret or a changed number is forged', () => {
    const other = signCard(randomBytes(32), '100023', 1);
    expect(parseCode(secret, other)).toMatchObject({ valid: false });
    const tampered = signCard(secret, '100023', 1).replace('100023', '100024');
    expect(parseCode(secret, tampered)).toMatchObject({ cardNo: '100024', valid: false });
  });
  it('a reissued card has a new serial, so both codes are distinguishable', () => {
    expect(signCard(secret, '100023', 2)).not.toBe(signCard(secret, '100023', 1));
    expect(parseCode(secret, signCard(secret, '100023', 2))).toMatchObject({ serial: 2, valid: true });
  });
  it('a bare number is a card number to be confirmed with phone digits; full-width digits are accepted', () => {
    expect(parseCode(secret, '１０００２３')).toEqual({ kind: 'cardNumber', cardNo: '100023' });
    expect(normalizeDigits('１２a')).toBe('12a');
  });
  it('anything else is unknown', () => {
    expect(parseCode(secret, 'https://example.com')).toEqual({ kind: 'unknown' });
    expect(parseCode(secret, '')).toEqual({ kind: 'unknown' });
  });
});
