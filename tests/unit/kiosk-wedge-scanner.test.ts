import { describe, expect, test } from 'vitest';
import { WedgeDetector } from '../../kiosk/src/wedge-scanner.ts';

/** Feeds `text` then Enter, one key every `gapMs` (or per-key gaps), starting at `start`; returns what the detector reported. */
function type(detector: WedgeDetector, text: string, gapMs: number | number[], start = 10_000): (string | null)[] {
  const keys = [...text, 'Enter'];
  const results: (string | null)[] = [];
  let at = start;
  keys.forEach((key, i) => {
    results.push(detector.key(key, at));
    at += Array.isArray(gapMs) ? (gapMs[i] ?? gapMs[gapMs.length - 1]!) : gapMs;
  });
  return results;
}

const card = 'VS1.100023.1.Ab3dEf9hIjKl';

describe('wedge scanner detection', () => {
  test('fast keystrokes ending in Enter are a scan', () => {
    const results = type(new WedgeDetector(), card, 8);
    expect(results.slice(0, -1).every((r) => r === null)).toBe(true);
    expect(results.at(-1)).toBe(card);
  });

  test('a person typing the same characters slowly is not a scan', () => {
    expect(type(new WedgeDetector(), card, 140).at(-1)).toBeNull();
    expect(type(new WedgeDetector(), '100023', 110).at(-1)).toBeNull();
  });

  test('full-width characters from a Chinese IME come out as plain ASCII', () => {
    expect(type(new WedgeDetector(), 'ＶＳ１．１０００２３．１．Ａｂ３ｄＥｆ９ｈＩｊＫｌ', 6).at(-1)).toBe(card);
    expect(type(new WedgeDetector(), '１０００２３', 6).at(-1)).toBe('100023');
  });

  test('one stalled key in the middle of a scan does not break it', () => {
    const gaps = [...card].map((_, i) => (i === 5 ? 220 : 9));
    expect(type(new WedgeDetector(), card, gaps).at(-1)).toBe(card);
  });

  test('a pause before the scan separates it from keys pressed earlier', () => {
    const detector = new WedgeDetector();
    expect(detector.key('7', 1000)).toBeNull();
    expect(detector.key('x', 1150)).toBeNull();
    expect(type(detector, card, 8, 3000).at(-1)).toBe(card);
  });

  test('Enter alone, or after too few characters, is not a scan', () => {
    expect(type(new WedgeDetector(), '', 5).at(-1)).toBeNull();
    expect(type(new WedgeDetector(), '12', 5).at(-1)).toBeNull();
  });

  test('Shift and other keys that type nothing are ignored', () => {
    const detector = new WedgeDetector();
    let at = 0;
    for (const ch of card) {
      if (ch >= 'A' && ch <= 'Z') expect(detector.key('Shift', (at += 3))).toBeNull();
      expect(detector.key(ch, (at += 6))).toBeNull();
    }
    expect(detector.key('Enter', at + 6)).toBe(card);
  });
});
