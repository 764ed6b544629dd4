import { promises as fs } from 'node:fs';
import path from 'node:path';
import { journalFileName, listJournalFiles } from '../../server/src/store/journal.ts';

/** A small fetch client that keeps the session cookie. Only 127.0.0.1 is ever called. */
export class Api {
  #cookie = '';
  constructor(readonly baseUrl: string) {}

  async call<T = any>(method: string, pathName: string, body?: unknown, expect = [200, 201], timeoutMs = 30_000): Promise<T> {
    const response = await fetch(`${this.baseUrl}${pathName}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(this.#cookie ? { cookie: this.#cookie } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) this.#cookie = setCookie.split(';')[0]!;
    const text = await response.text();
    if (!expect.includes(response.status)) throw new Error(`${method} ${pathName} → ${response.status} ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  login(username: string, password: string) {
    return this.call('POST', '/api/auth/login', { username, password });
  }

  /** Creates a device and trades its one-time code for a token, as a tablet would. */
  async pair(name: string, mode: 'checkin' | 'counter' | 'board'): Promise<string> {
    const created = await this.call<{ pairingCode: string }>('POST', '/api/devices', { name, mode });
    const paired = await new Api(this.baseUrl).call<{ token: string }>('POST', '/api/devices/pair', { pairingCode: created.pairingCode });
    return paired.token;
  }

  /** An activity open for sign-in now: started an hour ago, ends in three hours. */
  async openActivity(title: string, place: string): Promise<string> {
    const now = Date.now();
    const created = await this.call<{ id: string }>('POST', '/api/activities', {
      title, place, theme: '便民服务', status: 'open',
      startsAt: new Date(now - 3600_000).toISOString(), endsAt: new Date(now + 3 * 3600_000).toISOString(),
    });
    return created.id;
  }
}

/**
 * Watches a data folder for snapshots (the store writes `snapshot.jsonl.tmp`, then renames it),
 * so the report can say whether a snapshot ran during a measured phase and how long it took.
 */
export class SnapshotWatcher {
  readonly intervals: { start: number; end?: number }[] = [];
  #timer: NodeJS.Timeout;
  #lastMtime = 0;

  constructor(readonly dir: string) {
    this.#timer = setInterval(() => void this.#poll(), 25);
    this.#timer.unref();
  }

  async #poll(): Promise<void> {
    const now = performance.timeOrigin + performance.now();
    const temp = await fs.stat(path.join(this.dir, 'snapshot.jsonl.tmp')).catch(() => null);
    const snapshot = await fs.stat(path.join(this.dir, 'snapshot.jsonl')).catch(() => null);
    const renamed = this.#lastMtime !== 0 && snapshot !== null && snapshot.mtimeMs !== this.#lastMtime;
    if (snapshot) this.#lastMtime = snapshot.mtimeMs;
    const last = this.intervals.at(-1);
    const open = last && last.end === undefined ? last : undefined;
    if (open && (!temp || renamed)) open.end = now;
    // A snapshot too short to be seen in progress still shows as a new snapshot file.
    else if (!open && renamed && !temp) this.intervals.push({ start: now, end: now });
    if (temp && (!open || open.end !== undefined) && !renamed) this.intervals.push({ start: now });
  }

  async idle(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      await this.#poll();
      const open = this.intervals.at(-1);
      if (!open || open.end !== undefined) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  within(start: number, end: number) {
    return this.intervals.filter((i) => i.start < end && (i.end ?? end) > start);
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}

/** Bytes journalled since the last snapshot: the store rotates to a new journal file at each snapshot and at start-up. */
export async function journalBytesSinceSnapshot(dir: string): Promise<number> {
  const files = await listJournalFiles(dir);
  const newest = files.at(-1);
  if (!newest) return 0;
  const stat = await fs.stat(path.join(dir, journalFileName(newest.firstSeq))).catch(() => null);
  return stat?.size ?? 0;
}

/** Device and filesystem of a folder, from /proc/mounts (Linux); "unknown" elsewhere. */
export async function diskOf(dir: string): Promise<string> {
  try {
    const mounts = (await fs.readFile('/proc/mounts', 'utf8')).split('\n').map((line) => line.split(' '));
    const real = await fs.realpath(dir);
    const best = mounts.filter(([, mount]) => mount && (real === mount || real.startsWith(mount.endsWith('/') ? mount : `${mount}/`))).sort((a, b) => b[1]!.length - a[1]!.length)[0];
    return best ? `${best[0]} (${best[2]}, mounted at ${best[1]})` : 'unknown';
  } catch {
    return 'unknown';
  }
}
