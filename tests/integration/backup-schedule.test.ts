import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupsToKeep, BackupService } from '../../server/src/backup/backup-service.ts';
import { createLogger } from '../../server/src/logger.ts';
import { startStation, type TestStation } from '../support/station.ts';

const name = (day: string, time = '080000') => `volunteer-station-${day}-${time}.tar.gz`;

function days(from: string, count: number): string[] {
  const start = new Date(`${from}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) => new Date(start.getTime() + i * 86400_000).toISOString().slice(0, 10));
}

describe('backup rotation', () => {
  it('keeps the newest backup of each of the last 14 days and of each of the last 12 months, and all of today', () => {
    // A backup every day for 500 days, two on the last day (the daily one and a "back up now").
    const all = days('2025-01-01', 500).map((day) => name(day));
    const lastDay = all.at(-1)!.slice(18, 28);
    all.push(name(lastDay, '153000'));
    const keep = backupsToKeep(all);

    const dailies = days('2025-01-01', 500).slice(-14);
    for (const day of dailies.slice(0, -1)) expect(keep).toContain(name(day));
    // Both of today: an afternoon "back up now" does not push out the morning's backup.
    expect(keep).toContain(name(lastDay, '153000'));
    expect(keep).toContain(name(lastDay));
    // Months: the newest of each, twelve months back; nothing older.
    const months = [...keep].map((n) => n.slice(18, 25));
    expect(new Set(months).size).toBe(12);
    expect(keep).toContain(name('2026-03-31'));
    expect(keep).toContain(name('2025-06-30'));
    expect(keep).not.toContain(name('2025-05-31'));
    expect(keep.size).toBe(14 + 11 + 1);
  });

  it('ignores files that are not backups, and orders two made in the same second', () => {
    expect(backupsToKeep(['notes.txt', name('2026-01-01')])).toEqual(new Set([name('2026-01-01')]));
    const older = name('2025-12-01');
    const second = name('2025-12-01').replace('.tar.gz', '-2.tar.gz');
    expect(backupsToKeep([older, second, name('2026-01-01')], 1, 2)).toEqual(new Set([name('2026-01-01'), second]));
  });
});

describe('daily schedule and USB copy', () => {
  const clock = { time: new Date('2026-05-04T00:30:00.000Z'), now() { return new Date(this.time); } };
  let t: TestStation;
  let usb: string;

  beforeAll(async () => {
    t = await startStation({ clock });
    usb = await fs.mkdtemp(path.join(os.tmpdir(), 'vs-usb-'));
  });
  afterAll(async () => {
    await t?.destroy();
    if (usb) await fs.rm(usb, { recursive: true, force: true });
  });

  const service = (copyDir: string) =>
    new BackupService({ store: t.station.ctx.store, dataDir: t.dataDir, copyDir, clock, logger: createLogger('silent'), timeZone: () => 'Asia/Shanghai' });

  it('backs up at start when there is none of today (in the center’s time zone), once, and copies it to the USB folder', async () => {
    const backups = service(usb);
    // Half-made leftovers of a backup cut off by a power cut are cleared.
    await fs.mkdir(path.join(backups.dir, '.staging-dead'), { recursive: true });
    await fs.writeFile(path.join(backups.dir, `${name('2026-05-03')}.tmp`), 'partial');

    await backups.startDailySchedule().stop();
    await backups.startDailySchedule().stop();
    const listed = await backups.list();
    expect(listed.map((b) => b.name)).toEqual([expect.stringMatching(/^volunteer-station-2026-05-04-083000\.tar\.gz$/)]);
    expect(await fs.readdir(backups.dir)).toEqual([listed[0]!.name]);
    expect(await fs.readdir(usb)).toEqual([listed[0]!.name]);
    expect(backups.lastCopyError).toBeNull();
    const audit = [...t.station.ctx.store.state.records.audit.values()].filter((e) => e.action === 'backup.created');
    expect(audit).toEqual([expect.objectContaining({ actor: 'system', target: listed[0]!.name })]);

    // Next day: a new one.
    clock.time = new Date('2026-05-05T01:00:00.000Z');
    await backups.startDailySchedule().stop();
    expect((await backups.list()).map((b) => b.day)).toEqual(['2026-05-05', '2026-05-04']);
  });

  it('keeps the backup and says why when the USB drive is not there', async () => {
    const backups = service(path.join(usb, 'unplugged'));
    const created = await backups.create('staff:admin');
    expect(created.copiedTo).toBeNull();
    expect(backups.lastCopyError).toMatch(/unplugged/);
    expect(await backups.fileOf(created.name)).toBeTruthy();
    // No folder is made in its place on the PC's own disk.
    await expect(fs.stat(path.join(usb, 'unplugged'))).rejects.toThrow();
  });

  it('makes one backup at a time when asked twice at once', async () => {
    const backups = service(usb);
    const [a, b] = await Promise.all([backups.create('staff:admin'), backups.create('staff:admin')]);
    expect(a.name).not.toBe(b.name);
    expect(await backups.fileOf(a.name)).toBeTruthy();
    expect(await backups.fileOf(b.name)).toBeTruthy();
  });
});
