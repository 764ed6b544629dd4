import { describe, expect, test } from 'vitest';
import type { WireError } from '../../server/src/protocol/errors.ts';
import type { RosterEntry, ScanAck } from '../../server/src/protocol/events.ts';
import type { ScanInput } from '../../server/src/protocol/schemas.ts';
import { replayQueue, replayVerdict, type AttentionItem, type QueuedScan } from '../../kiosk/src/queue-replay.ts';
import { ScanService, type ScanConnection, type ScanStore } from '../../kiosk/src/scan-service.ts';

/** The IndexedDB store's behaviour, in memory. */
class MemoryStore implements ScanStore {
  queue: QueuedScan[] = [];
  attentionItems: AttentionItem[] = [];
  roster = new Map<string, RosterEntry>();
  #seq = 0;

  async enqueue(scan: ScanInput, displayName?: string) {
    this.queue.push({ seq: ++this.#seq, scan, queuedAt: 0, attempts: 0, ...(displayName ? { displayName } : {}) });
    return this.queue.length;
  }
  async list() {
    return [...this.queue];
  }
  async count() {
    return this.queue.length;
  }
  async remove(seq: number) {
    this.queue = this.queue.filter((item) => item.seq !== seq);
  }
  async recordAttempt(item: QueuedScan) {
    this.queue = this.queue.map((queued) => (queued.seq === item.seq ? { ...queued, attempts: queued.attempts + 1 } : queued));
  }
  async moveToAttention(item: QueuedScan, error: WireError) {
    this.attentionItems.push({ scanId: item.scan.scanId, scan: item.scan, error });
    await this.remove(item.seq);
  }
  async rosterEntry(cardNo: string) {
    return this.roster.get(cardNo);
  }
  async markOnSite(cardNo: string, onSite: boolean) {
    const entry = this.roster.get(cardNo);
    if (entry) this.roster.set(cardNo, { ...entry, onSite });
  }
}

const scan = (code: string): ScanInput => ({ scanId: crypto.randomUUID(), code, scannedAt: '2026-05-01T08:00:00.000Z' });
const ok = (input: ScanInput): ScanAck =>
  ({ ok: true, scanId: input.scanId, action: 'check-in', at: input.scannedAt, volunteer: { id: 'v', displayName: '张*明', stars: 0, totalHours: 0, periodHours: 0, points: 0 }, activity: { id: 'a', title: 'A' }, attendanceId: 'x', todayHours: 0 }) as ScanAck;
const refused = (input: ScanInput, code: WireError['code']): ScanAck => ({ ok: false, scanId: input.scanId, error: { code, message: code } });

async function storeWith(...codes: string[]): Promise<MemoryStore> {
  const store = new MemoryStore();
  for (const code of codes) await store.enqueue(scan(code));
  return store;
}

describe('offline queue replay', () => {
  test('an ok ack, a repeat included, takes a scan off the queue', () => {
    const input = scan('a');
    expect(replayVerdict(ok(input), 0)).toBe('done');
    expect(replayVerdict({ ...(ok(input) as Extract<ScanAck, { ok: true }>), action: 'repeat' }, 0)).toBe('done');
  });

  test('no answer keeps the scan; a definitive refusal goes to staff; a full store is retried', () => {
    const input = scan('a');
    expect(replayVerdict(null, 0)).toBe('retry-later');
    expect(replayVerdict(refused(input, 'CARD_FORGED'), 0)).toBe('attention');
    expect(replayVerdict(refused(input, 'ACTIVITY_REQUIRED'), 0)).toBe('attention');
    expect(replayVerdict(refused(input, 'STORE_UNAVAILABLE'), 9)).toBe('retry-later');
  });

  test('an internal error is retried a few times, then shown to staff so it cannot block the queue forever', () => {
    const input = scan('a');
    expect(replayVerdict(refused(input, 'INTERNAL_ERROR'), 0)).toBe('retry-later');
    expect(replayVerdict(refused(input, 'INTERNAL_ERROR'), 1)).toBe('retry-later');
    expect(replayVerdict(refused(input, 'INTERNAL_ERROR'), 2)).toBe('attention');
  });

  test('scans are sent in the order they were made, each once', async () => {
    const store = await storeWith('first', 'second', 'third');
    const sent: string[] = [];
    const report = await replayQueue(store, async (input) => {
      sent.push(input.code);
      return ok(input);
    });
    expect(sent).toEqual(['first', 'second', 'third']);
    expect(report).toEqual({ delivered: 3, toAttention: 0, remaining: 0 });
    expect(store.queue).toEqual([]);
  });

  test('replay stops at the first scan without an answer, so nothing later overtakes it', async () => {
    const store = await storeWith('first', 'second', 'third');
    const sent: string[] = [];
    const report = await replayQueue(store, async (input) => {
      sent.push(input.code);
      return input.code === 'second' ? null : ok(input);
    });
    expect(sent).toEqual(['first', 'second']);
    expect(report).toEqual({ delivered: 1, toAttention: 0, remaining: 2 });
    expect(store.queue.map((item) => item.scan.code)).toEqual(['second', 'third']);
    expect(store.queue[0]!.attempts).toBe(0);
  });

  test('a refused scan moves to the staff list and the rest go on', async () => {
    const store = await storeWith('good', 'forged', 'good-too');
    const report = await replayQueue(store, async (input) => (input.code === 'forged' ? refused(input, 'CARD_FORGED') : ok(input)));
    expect(report).toEqual({ delivered: 2, toAttention: 1, remaining: 0 });
    expect(store.attentionItems.map((item) => [item.scan.code, item.error.code])).toEqual([['forged', 'CARD_FORGED']]);
  });

  test('a retried internal error counts its attempts on the queued scan', async () => {
    const store = await storeWith('flaky');
    for (let attempt = 0; attempt < 3; attempt++) await replayQueue(store, async (input) => refused(input, 'INTERNAL_ERROR'));
    expect(store.queue).toEqual([]);
    expect(store.attentionItems).toHaveLength(1);
  });
});

describe('scan service', () => {
  const clock = { now: () => new Date('2026-05-01T08:00:00.000Z') };
  const events = { queueChanged: () => undefined };

  function fakeConnection(answer: (input: ScanInput) => ScanAck | null = ok) {
    const sent: ScanInput[] = [];
    const connection: ScanConnection & { sent: ScanInput[]; online: boolean } = {
      online: true,
      sent,
      scan: async (input) => {
        sent.push(input);
        return connection.online ? answer(input) : null;
      },
      lookup: async () => null,
    };
    return connection;
  }

  test('offline, a scan is queued and the volunteer is greeted from the cached roster', async () => {
    const store = new MemoryStore();
    store.roster.set('100023', { cardNo: '100023', displayName: '张*明', stars: 2, onSite: false });
    const connection = fakeConnection();
    connection.online = false;
    const service = new ScanService(store, clock, () => connection, events);
    const outcome = await service.submit({ code: 'ＶＳ１．100023.1.Ab3dEf9hIjKl' });
    expect(outcome).toEqual({ kind: 'queued', queueLength: 1, displayName: '张*明', stars: 2 });
    expect(store.queue[0]!.scan).toMatchObject({ code: 'VS1.100023.1.Ab3dEf9hIjKl', scannedAt: '2026-05-01T08:00:00.000Z' });
    expect(connection.sent).toEqual([]);
  });

  test('back online, queued scans go out before the new one', async () => {
    const store = await storeWith('queued-1', 'queued-2');
    const connection = fakeConnection();
    const service = new ScanService(store, clock, () => connection, events);
    const outcome = await service.submit({ code: 'live' });
    expect(outcome.kind).toBe('success');
    expect(connection.sent.map((input) => input.code)).toEqual(['queued-1', 'queued-2', 'live']);
    expect(store.queue).toEqual([]);
  });

  test('a scan whose ack does not come in time is queued with the same scanId', async () => {
    const store = new MemoryStore();
    const connection = fakeConnection(() => null);
    const service = new ScanService(store, clock, () => connection, events);
    const outcome = await service.submit({ code: '100023', phoneLast4: '8001' });
    expect(outcome).toMatchObject({ kind: 'queued', queueLength: 1 });
    expect(store.queue[0]!.scan.scanId).toBe(connection.sent[0]!.scanId);
    expect(store.queue[0]!.scan.phoneLast4).toBe('8001');
  });

  test('when the server asks for an activity, the choice is re-sent under a new scanId with the original time', async () => {
    const store = new MemoryStore();
    const connection = fakeConnection((input) =>
      input.activityId
        ? ok(input)
        : { ok: false, scanId: input.scanId, error: { code: 'ACTIVITY_REQUIRED', message: '', details: { openActivities: [{ id: 'a1', title: '清洁' }, { id: 'a2', title: '探访', place: '敬老院' }, { bogus: true }] } } },
    );
    const service = new ScanService(store, clock, () => connection, events);
    const outcome = await service.submit({ code: 'card' });
    if (outcome.kind !== 'choose') throw new Error(`expected a choice, got ${outcome.kind}`);
    expect(outcome.activities).toEqual([{ id: 'a1', title: '清洁' }, { id: 'a2', title: '探访', place: '敬老院' }]);
    const chosen = await service.submit(outcome.entry, { activityId: 'a2', scannedAt: outcome.scannedAt });
    expect(chosen.kind).toBe('success');
    const [first, second] = connection.sent;
    expect(second!.scanId).not.toBe(first!.scanId);
    expect(second).toMatchObject({ activityId: 'a2', scannedAt: first!.scannedAt });
  });

  test('offline with several activities open, the volunteer chooses before the scan is queued', async () => {
    const store = new MemoryStore();
    const connection = fakeConnection();
    connection.online = false;
    const service = new ScanService(store, clock, () => connection, events);
    service.setOpenActivities([
      { id: 'a1', title: '清洁', startsAt: '', endsAt: '', onSite: 0 },
      { id: 'a2', title: '探访', startsAt: '', endsAt: '', onSite: 0 },
    ]);
    const outcome = await service.submit({ code: 'card' });
    expect(outcome.kind).toBe('choose');
    if (outcome.kind !== 'choose') return;
    await service.submit(outcome.entry, { activityId: 'a1', scannedAt: outcome.scannedAt });
    expect(store.queue.map((item) => item.scan.activityId)).toEqual(['a1']);
  });

  describe('offline with several activities open, someone leaving is not asked which activity', () => {
    const twoOpen = [
      { id: 'a1', title: '清洁', startsAt: '', endsAt: '', onSite: 0 },
      { id: 'a2', title: '探访', startsAt: '', endsAt: '', onSite: 0 },
    ];
    const card = 'VS1.100023.1.Ab3dEf9hIjKl';
    function offlineService(onSite: boolean) {
      const store = new MemoryStore();
      store.roster.set('100023', { cardNo: '100023', displayName: '张*明', stars: 2, onSite });
      const connection = fakeConnection();
      connection.online = false;
      const service = new ScanService(store, clock, () => connection, events);
      service.setOpenActivities(twoOpen);
      return { store, connection, service };
    }

    test('the roster shows them on site: the scan is queued without an activity (the server signs out the open attendance)', async () => {
      const { store, service } = offlineService(true);
      expect(await service.submit({ code: card })).toMatchObject({ kind: 'queued', displayName: '张*明' });
      expect(store.queue[0]!.scan.activityId).toBeUndefined();
    });

    test('signed in offline earlier (a queued scan of the card), their next scan is a sign-out; the one after asks again', async () => {
      const { store, service } = offlineService(false);
      const first = await service.submit({ code: '100023', phoneLast4: '8001' });
      if (first.kind !== 'choose') throw new Error(`expected a choice, got ${first.kind}`);
      await service.submit(first.entry, { activityId: 'a2', scannedAt: first.scannedAt });
      expect(await service.submit({ code: card })).toMatchObject({ kind: 'queued', queueLength: 2 });
      expect((await service.submit({ code: card })).kind).toBe('choose');
      expect(store.queue.map((item) => item.scan.activityId)).toEqual(['a2', undefined]);
    });

    test("a sign-in acked online updates the tablet's roster, so the same person leaving after the Wi-Fi dropped is not asked", async () => {
      const { store, connection, service } = offlineService(false);
      connection.online = true;
      expect((await service.submit({ code: card })).kind).toBe('success');
      await expect.poll(() => store.roster.get('100023')?.onSite).toBe(true);
      connection.online = false;
      expect(await service.submit({ code: card })).toMatchObject({ kind: 'queued' });
      expect(store.queue[0]!.scan.activityId).toBeUndefined();
    });

    test('a card the roster does not know is asked, as before', async () => {
      const { service } = offlineService(true);
      expect((await service.submit({ code: '999999', phoneLast4: '1234' })).kind).toBe('choose');
    });
  });
});
