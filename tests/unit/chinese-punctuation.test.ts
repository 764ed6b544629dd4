import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** Every catalog a Chinese reader sees, and the server-rendered pages' texts. */
const CATALOGS = ['kiosk/src/i18n/zh-CN.ts', 'admin/src/i18n/zh-CN.ts', 'board/src/i18n/zh-CN.ts'];

const CJK = /[\u3400-\u9fff]/u;
const HALF_WIDTH = /[,;:!?()]/u;
const FULL_WIDTH_STOPS = /[。，；：！？、（）]/u;

/** The Chinese text of a catalog's string literals, `${…}` placeholders replaced by X. */
function chineseLiterals(source: string): string[] {
  const literals = source.match(/'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`/gu) ?? [];
  return literals
    .map((literal) => literal.slice(1, -1).replace(/\$\{[^}]*\}/gu, 'X'))
    .filter((text) => CJK.test(text));
}

/**
 * What GB/T 15834 (《标点符号用法》) asks of Chinese text that a catalog can get wrong: a
 * half-width , ; : ! ? ( ) touching a Chinese character, and a space beside full-width
 * punctuation (which carries its own spacing).
 */
function punctuationProblems(text: string): string[] {
  const problems: string[] = [];
  const chars = [...text];
  const neighbour = (i: number, step: 1 | -1) => {
    for (let j = i + step; j >= 0 && j < chars.length; j += step) if (chars[j] !== ' ') return chars[j]!;
    return '';
  };
  chars.forEach((ch, i) => {
    if (HALF_WIDTH.test(ch) && (CJK.test(neighbour(i, -1)) || CJK.test(neighbour(i, 1)) || FULL_WIDTH_STOPS.test(neighbour(i, 1)))) {
      problems.push(`half-width “${ch}” in Chinese: ${text}`);
    }
    if (FULL_WIDTH_STOPS.test(ch) && (chars[i + 1] === ' ' || chars[i - 1] === ' ')) problems.push(`space beside “${ch}”: ${text}`);
  });
  return problems;
}

describe('Chinese catalogs follow GB/T 15834', () => {
  test('the rule itself catches what the walk-through found', () => {
    expect(punctuationProblems('(卡号 100004),跳过')).toHaveLength(2);
    expect(punctuationProblems('已保存。 请刷新')).toHaveLength(1);
    expect(punctuationProblems('时间 10:30，地点（社区广场）')).toEqual([]);
  });

  test.each(CATALOGS)('%s: full-width punctuation, no stray spaces', (file) => {
    const problems = chineseLiterals(readFileSync(path.join(ROOT, file), 'utf8')).flatMap(punctuationProblems);
    expect(problems).toEqual([]);
  });
});
