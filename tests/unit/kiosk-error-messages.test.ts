import { describe, expect, test } from 'vitest';
import { errorCodes } from '../../server/src/protocol/errors.ts';
import { catalogs, errorText, type Language } from '../../kiosk/src/i18n/index.ts';

describe('kiosk error messages', () => {
  for (const language of Object.keys(catalogs) as Language[]) {
    const messages = catalogs[language];
    test.each([...errorCodes])(`${language}: %s has a plain sentence and what to do next`, (code) => {
      const text = errorText(messages, code);
      expect(Object.hasOwn(messages.errors, code)).toBe(true);
      expect(text.message.trim().length).toBeGreaterThan(3);
      expect(text.next.trim().length).toBeGreaterThan(3);
      // Never a code or a stack trace in front of a volunteer.
      expect(`${text.message} ${text.next}`).not.toMatch(/[A-Z]{2,}_[A-Z]+|Error|undefined/);
    });
  }

  test('a code newer than the kiosk still gets a plain sentence', () => {
    expect(errorText(catalogs['zh-CN'], 'SOMETHING_NEW')).toBe(catalogs['zh-CN'].unknownError);
    expect(errorText(catalogs.en, 'toString')).toBe(catalogs.en.unknownError);
  });

  test('Chinese messages are in Chinese and English ones in English', () => {
    for (const code of errorCodes) {
      expect(errorText(catalogs['zh-CN'], code).message).toMatch(/[\u4e00-\u9fff]/);
      expect(errorText(catalogs.en, code).message).not.toMatch(/[\u4e00-\u9fff]/);
    }
  });
});
