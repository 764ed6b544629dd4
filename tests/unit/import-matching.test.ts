import { describe, expect, it } from 'vitest';
import type { Volunteer } from '../../server/src/protocol/model.ts';
import { futureBirthOf, PossibleDuplicates } from '../../server/src/volunteers/import-matching.ts';
import type { ImportCandidate } from '../../server/src/volunteers/register-import.ts';

const TODAY = '2026-12-08';

function volunteer(fields: Partial<Volunteer>): Volunteer {
  return { id: fields.cardNo ?? 'v', name: '王秀英', gender: 'female', skills: [], teamIds: [], joinedOn: '2020-01-01', status: 'active', cardNo: '100001', cardSerial: 1, createdAt: '', updatedAt: '', ...fields };
}
function row(fields: Partial<ImportCandidate>): ImportCandidate {
  return { row: 3, name: '王秀英', gender: 'female', skills: [], teamNames: [], ...fields };
}

describe('futureBirthOf', () => {
  it('reports a birth date, a year or an ID number’s date after today, and nothing on or before it', () => {
    expect(futureBirthOf({ birthDate: '2026-12-09' }, TODAY)).toBe('2026-12-09');
    expect(futureBirthOf({ birthDate: TODAY }, TODAY)).toBeUndefined();
    expect(futureBirthOf({ birthYear: 2027 }, TODAY)).toBe('2027');
    expect(futureBirthOf({ birthYear: 2026 }, TODAY)).toBeUndefined();
    // A valid GB 11643 number whose date is 2030-01-01 is still a typo.
    expect(futureBirthOf({ idNumber: '11010520300101001X', birthYear: 2030 }, TODAY)).toBe('2030-01-01');
    expect(futureBirthOf({}, TODAY)).toBeUndefined();
  });
});

describe('PossibleDuplicates', () => {
  const registered = volunteer({ cardNo: '100001', birthDate: '1956-03-12', birthYear: 1956, address: '幸福路1号', grid: '一网格' });
  const lookalikes = new PossibleDuplicates([registered, volunteer({ cardNo: '100002', name: '孙丽', anonymizedAt: '2025-01-01' })]);

  it('matches a row without phone or ID by name, birth and address or grid', () => {
    expect(lookalikes.of(row({ birthDate: '1956-03-12', birthYear: 1956, address: '一网格' }))?.cardNo).toBe('100001');
    expect(lookalikes.of(row({ name: '王 秀英', birthYear: 1956, address: '幸福路 1号' }))?.cardNo).toBe('100001');
  });

  it('does not match another birth, another place, a row with a phone, or an anonymized record', () => {
    expect(lookalikes.of(row({ birthDate: '1956-03-13', birthYear: 1956, address: '一网格' }))).toBeUndefined();
    expect(lookalikes.of(row({ birthYear: 1957, address: '一网格' }))).toBeUndefined();
    expect(lookalikes.of(row({ birthYear: 1956, address: '二网格' }))).toBeUndefined();
    expect(lookalikes.of(row({ birthYear: 1956, address: '一网格', phone: '13800001234' }))).toBeUndefined();
    expect(lookalikes.of(row({ name: '孙丽' }))).toBeUndefined();
  });

  it('matches an earlier row of the same file once it is added', () => {
    const inFile = new PossibleDuplicates([]);
    expect(inFile.of(row({ name: '孙丽' }))).toBeUndefined();
    inFile.add(volunteer({ name: '孙丽', cardNo: '100003' }));
    expect(inFile.of(row({ name: '孙丽' }))?.cardNo).toBe('100003');
  });
});
