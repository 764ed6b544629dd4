import { promises as fs } from 'node:fs';
import path from 'node:path';
import { crc32, gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { Attendance, AuditEntry, LedgerEntry, Redemption, StockMovement } from '../../server/src/protocol/model.ts';
import { archiveFileName, loadArchiveFile, writeArchiveFile, type ArchivedRecords } from '../../server/src/store/archive/archive-file.ts';
import { closesAt, lastClosedYear } from '../../server/src/store/archive/closed-years.ts';
import { StoreDamagedError } from '../../server/src/store/journal.ts';
import { makeDataDir } from '../support/station.ts';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => fs.rm(dir, { recursive: true, force: true })));
});
async function tempDir(): Promise<string> {
  const dir = await makeDataDir();
  dirs.push(dir);
  return dir;
}

function records(n: number): ArchivedRecords {
  const attendance: Attendance[] = Array.from({ length: n }, (_, i) => ({
    id: `a${i}`, volunteerId: `v${i % 7}`, activityId: 'act', checkInAt: '2019-03-01T01:00:00.000Z', checkOutAt: '2019-03-01T03:00:00.000Z',
    creditedMinutes: 120, pointsCredited: 2, source: 'scan', createdAt: '2019-03-01T01:00:00.000Z',
  }));
  const ledger: LedgerEntry[] = Array.from({ length: n }, (_, i) => ({ id: `l${i}`, volunteerId: `v${i % 7}`, delta: 2, kind: 'attendance', reason: `签到${'志愿服务'.repeat(i % 40)}`, at: '2019-03-01T03:00:00.000Z', by: 'system', attendanceId: `a${i}` }));
  const audit: AuditEntry[] = Array.from({ length: n }, (_, i) => ({ id: `au${i}`, at: '2019-03-01T03:00:00.000Z', actor: 'staff:admin', action: 'attendance.corrected', target: `a${i}`, summary: '更正' }));
  const redemptions: Redemption[] = [{ id: 'r1', receiptNo: 'R000001', volunteerId: 'v1', items: [{ goodsId: 'g1', name: '毛巾', quantity: 2, points: 2 }], pointsSpent: 4, at: '2019-05-01T03:00:00.000Z', by: 'staff:admin' }];
  const stockMovements: StockMovement[] = [{ id: 's1', goodsId: 'g1', delta: -2, kind: 'redemption', at: '2019-05-01T03:00:00.000Z', by: 'staff:admin', redemptionId: 'r1' }];
  return { attendance, ledger, serviceRecords: [], audit, redemptions, stockMovements };
}

describe('archive files', () => {
  it('round-trips a year of records, checked against the recorded size and sha256', async () => {
    const dir = await tempDir();
    const written = records(2500);
    const facts = await writeArchiveFile(dir, 2019, written, new Date('2020-02-01T00:00:00Z'));
    expect(facts.file).toBe(archiveFileName(2019));
    expect(facts.counts).toEqual({ attendance: 2500, ledger: 2500, serviceRecords: 0, audit: 2500, redemptions: 1, stockMovements: 1 });
    expect((await fs.stat(path.join(dir, facts.file))).size).toBe(facts.bytes);
    // No temp file left behind; the file is private.
    expect(await fs.readdir(path.join(dir, 'archive'))).toEqual(['2019.jsonl.gz']);
    if (process.platform !== 'win32') expect((await fs.stat(path.join(dir, facts.file))).mode & 0o777).toBe(0o600);
    const read = await loadArchiveFile(dir, { ...facts, year: 2019 });
    expect(read).toEqual(written);
  });

  it('refuses an altered, truncated, foreign or mismatched file with the file named', async () => {
    const dir = await tempDir();
    const facts = await writeArchiveFile(dir, 2019, records(50), new Date());
    const file = path.join(dir, facts.file);
    const original = await fs.readFile(file);
    const text = gunzipSync(original).toString('utf8');
    const expectDamaged = async (expected: Parameters<typeof loadArchiveFile>[1], pattern: RegExp) => {
      const error = await loadArchiveFile(dir, expected).then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(StoreDamagedError);
      expect(String((error as Error).message)).toMatch(pattern);
      expect(String((error as Error).message)).toContain('2019.jsonl.gz');
    };

    // One credited minute changed, re-gzipped: the line checksum catches it.
    await fs.writeFile(file, gzipSync(Buffer.from(text.replace('"creditedMinutes":120', '"creditedMinutes":121'))));
    await expectDamaged({ file: facts.file }, /altered/);
    // A line dropped.
    const lines = text.split('\n');
    await fs.writeFile(file, gzipSync(Buffer.from([...lines.slice(0, 5), ...lines.slice(6)].join('\n'))));
    await expectDamaged({ file: facts.file }, /incomplete or altered/);
    // Cut mid-way (a torn copy).
    await fs.writeFile(file, original.subarray(0, Math.floor(original.length / 2)));
    await expectDamaged({ file: facts.file }, /cannot be read|incomplete/);
    // Whole and valid, but not the file the state recorded.
    await fs.writeFile(file, original);
    await expectDamaged({ ...facts, sha256: '0'.repeat(64) }, /checksum/);
    await expectDamaged({ ...facts, bytes: facts.bytes + 1 }, /bytes/);
    await expectDamaged({ ...facts, year: 2020 }, /expected year/);
    await fs.writeFile(file, gzipSync(Buffer.from('{"format":"something-else","version":1}\n')));
    await expectDamaged({ file: facts.file }, /known version/);
    // The original still reads.
    await fs.writeFile(file, original);
    expect((await loadArchiveFile(dir, facts)).ledger).toHaveLength(50);
  });

  it('still reads a file of version 1 (attendance, ledger and service records only) and refuses a later collection in it', async () => {
    const dir = await tempDir();
    const { attendance, ledger } = records(3);
    const lines = [...attendance.map((v) => JSON.stringify({ c: 'attendance', v })), ...ledger.map((v) => JSON.stringify({ c: 'ledger', v }))];
    const fileOf = (body: string[]) => {
      const crc = body.reduce((sum, line) => crc32(line, sum), 0);
      return gzipSync(Buffer.from([JSON.stringify({ format: 'volunteer-station-archive', version: 1, year: 2019, createdAt: '2020-02-01T00:00:00.000Z' }), ...body, JSON.stringify({ end: true, count: body.length, crc })].join('\n') + '\n'));
    };
    await fs.mkdir(path.join(dir, 'archive'));
    await fs.writeFile(path.join(dir, archiveFileName(2019)), fileOf(lines));
    const read = await loadArchiveFile(dir, { file: archiveFileName(2019), year: 2019 });
    expect(read).toEqual({ attendance, ledger, serviceRecords: [], audit: [], redemptions: [], stockMovements: [] });
    await fs.writeFile(path.join(dir, archiveFileName(2019)), fileOf([...lines, JSON.stringify({ c: 'audit', v: records(1).audit[0] })]));
    await expect(loadArchiveFile(dir, { file: archiveFileName(2019), year: 2019 })).rejects.toThrow(/unknown kind/);
  });
});

describe('when a year closes', () => {
  for (const zone of ['Asia/Shanghai', 'America/Los_Angeles', 'Pacific/Kiritimati']) {
    it(`on 1 February of the next year at 00:00 in the center's zone (${zone})`, () => {
      const at = closesAt(2025, zone);
      expect(lastClosedYear(new Date(at.getTime() - 1), zone)).toBe(2024);
      expect(lastClosedYear(at, zone)).toBe(2025);
      // All of January is grace for the year before; by December the year before last is still the last closed.
      expect(lastClosedYear(closesAt(2024, zone), zone)).toBe(2024);
      expect(lastClosedYear(new Date(closesAt(2025, zone).getTime() - 40 * 86400_000), zone)).toBe(2024);
    });
  }
});
