import type { AppContext } from '../context.ts';
import { districtCollections, toDistrictRecord, type CenterRules, type HubLinkStatus, type LinkChange, type LinkPosition, type LinkRecord } from '../protocol/district.ts';
import { DurableStore } from '../store/durable-store.ts';
import type { HubLinkRecord } from '../store/state.ts';
import { JournalCursor } from './journal-cursor.ts';
import type { PendingTransfer } from '../protocol/district-transfers.ts';
import { decideTransfer } from './take-transfer.ts';
import { newEpoch, readOrCreateEpoch } from './link-epoch.ts';

/** What one pull of district requests did (POST /api/hub-link/pull). */
export interface PullResult {
  taken: number;
  refused: number;
}

export interface HubLinkOptions {
  /** Longest wait between retries while the hub cannot be reached (default 5 s: one small request). */
  retryMaxMs?: number;
  /** A contact this often while there is nothing to send, so the district sees the station is alive (default 15 s). */
  heartbeatMs?: number;
}

interface Target {
  url: string;
  joinKey: string;
  source: 'env' | 'settings';
}

class LinkError extends Error {
  constructor(readonly code: string, message: string, readonly details?: Record<string, unknown>) {
    super(message);
  }
}

const MAX_RECORDS = 500;
const BASE_PART = 2000;
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * Sends every committed change to the district hub, in journal order, in batches, after the
 * change is on disk and never in the way of a kiosk: the kiosk's ack waits only for the journal,
 * and this runs beside it. The hub says where it stands (per center, in the same transaction
 * as the rows), so the link resumes exactly there after any outage or restart of either side;
 * while a hub is configured the store keeps the journal files the hub has not confirmed.
 */
export class HubLink {
  readonly #ctx: AppContext;
  readonly #store: DurableStore | null;
  readonly #retryMaxMs: number;
  readonly #heartbeatMs: number;
  readonly #cursor: JournalCursor | null;
  #status: HubLinkStatus = { configured: false, source: null, url: null, state: 'off', stationSeq: 0, hubSeq: null, lag: null, lastContactAt: null, lastError: null };
  #wake: (() => void) | null = null;
  #woken = false;
  #running: Promise<void> | null = null;
  #stopped = false;
  #abort = new AbortController();
  #unsubscribe: (() => void) | null = null;
  /** The hub's last confirmed position (kept across errors, for the journal files the store keeps). */
  #confirmedSeq: number | null = null;
  /** When the link next asks the hub for requests to take a volunteer (every heartbeat, and at once after connecting). */
  #nextPullAt = 0;
  #pulling: Promise<PullResult> | null = null;
  /** This data folder's store epoch (link-epoch.ts); the hub compares sequence numbers only within one. */
  #epoch: string | null = null;
  /** The hub holds another epoch's records of this center (a restore): send the whole state first. */
  #needsBase = false;

  constructor(ctx: AppContext, options: HubLinkOptions = {}) {
    this.#ctx = ctx;
    this.#store = ctx.store instanceof DurableStore ? ctx.store : null;
    this.#cursor = this.#store ? new JournalCursor(this.#store.dir) : null;
    this.#retryMaxMs = options.retryMaxMs ?? 5_000;
    this.#heartbeatMs = options.heartbeatMs ?? 15_000;
  }

  status(): HubLinkStatus {
    const stationSeq = this.#store?.durableSeq ?? this.#ctx.store.state.seq;
    const hubSeq = this.#status.hubSeq;
    return { ...this.#status, stationSeq, lag: hubSeq === null ? null : Math.max(0, stationSeq - hubSeq) };
  }

  start(): void {
    if (this.#running || !this.#store) return;
    this.#stopped = false;
    this.#unsubscribe = this.#store.onDurable(() => this.#poke());
    this.#running = this.#run().finally(() => {
      this.#running = null;
    });
  }

  /** The admin changed the link settings: start over with them. */
  reconfigure(): void {
    this.#status.hubSeq = null;
    this.#confirmedSeq = null;
    this.#nextPullAt = 0;
    this.#abort.abort();
    this.#poke();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#unsubscribe?.();
    this.#abort.abort();
    this.#poke();
    await this.#running;
  }

  #target(): Target | null {
    const { hubUrl, hubJoinKey } = this.#ctx.config;
    if (hubUrl && hubJoinKey) return { url: hubUrl, joinKey: hubJoinKey, source: 'env' };
    const record = this.#ctx.store.state.records.config.get('hubLink') as HubLinkRecord | undefined;
    return record ? { url: record.url, joinKey: record.joinKey, source: 'settings' } : null;
  }

  async #run(): Promise<void> {
    const store = this.#store!;
    let backoff = 500;
    while (!this.#stopped) {
      const target = this.#target();
      this.#status = { ...this.#status, configured: target !== null, source: target?.source ?? null, url: target?.url ?? null };
      if (!target) {
        this.#status = { ...this.#status, state: 'off', hubSeq: null, lastError: null };
        store.retainJournalFrom(undefined);
        await this.#sleep(60_000);
        continue;
      }
      // Nothing the hub has not confirmed may leave the disk, until it says where it stands.
      if (this.#confirmedSeq === null) store.retainJournalFrom(1);
      this.#abort = new AbortController();
      try {
        if (this.#status.hubSeq === null) {
          this.#status.state = 'connecting';
          await this.#hello(target);
        }
        await this.#follow(target);
        backoff = 500;
      } catch (error) {
        if (this.#stopped) break;
        const linkError = error instanceof LinkError ? error : new LinkError('NETWORK', (error as Error).message);
        if (linkError.code === 'LINK_OUT_OF_ORDER' && linkError.details?.epoch !== undefined && linkError.details.epoch !== this.#epoch) {
          // The hub is in another epoch than this batch: say hello again, which decides on a base.
          this.#status.hubSeq = null;
          continue;
        }
        if (linkError.code === 'LINK_OUT_OF_ORDER' && typeof linkError.details?.lastSeq === 'number') {
          this.#confirmed({ centerId: '', lastSeq: linkError.details.lastSeq });
          continue;
        }
        this.#status = { ...this.#status, state: 'error', hubSeq: null, lastError: `${linkError.code}: ${linkError.message}` };
        this.#ctx.logger.warn(`District hub link: ${linkError.code} (${linkError.message}); retrying in ${Math.round(backoff / 1000)} s`);
        await this.#sleep(backoff);
        backoff = Math.min(backoff * 2, this.#retryMaxMs);
      }
    }
  }

  /** Sends what the hub lacks, then waits for the next commit (or the heartbeat), until stopped or reconfigured. */
  async #follow(target: Target): Promise<void> {
    const store = this.#store!;
    while (!this.#stopped && !this.#abort.signal.aborted) {
      if (Date.now() >= this.#nextPullAt) await this.#pullQuietly(target);
      if (this.#needsBase) {
        this.#status.state = 'sending';
        await this.#sendBase(target);
        continue;
      }
      const position = this.#status.hubSeq!;
      const durable = store.durableSeq;
      if (position >= durable) {
        this.#status.state = 'idle';
        if (!(await this.#sleep(this.#heartbeatMs))) await this.#hello(target);
        continue;
      }
      this.#status.state = 'sending';
      const records = await this.#cursor!.read(position + 1, durable, MAX_RECORDS);
      if (records === 'gap') {
        await this.#sendBase(target);
        continue;
      }
      if (records.length === 0) {
        // The next line is not readable yet (still being written): wait for the store.
        await this.#sleep(200);
        continue;
      }
      const toSeq = records.at(-1)!.seq;
      const linkRecords: LinkRecord[] = [];
      for (const record of records) {
        const changes = districtChanges(record.changes);
        if (changes.length > 0) linkRecords.push({ seq: record.seq, at: record.at, changes });
      }
      this.#confirmed(await this.#post<LinkPosition>(target, '/api/link/batch', { fromSeq: position + 1, toSeq, stationSeq: durable, records: linkRecords, epoch: this.#epoch ?? undefined }));
    }
  }

  /**
   * The hub needs records no journal file holds any more (the center joined with history a
   * snapshot already folded in): send the district part of the state as it is now, in parts.
   */
  async #sendBase(target: Target): Promise<void> {
    const store = this.#store!;
    const state = store.state;
    const baseSeq = state.seq;
    const records = state.records as unknown as Record<string, Map<string, { id: string }> | undefined>;
    const changes: LinkChange[] = districtCollections.flatMap((c) => [...(records[c]?.values() ?? [])].map((v) => ({ c, v: toDistrictRecord(c, v) }) as LinkChange));
    // Only what is on disk may reach the district: wait until the captured state is.
    while (store.durableSeq < baseSeq && !this.#stopped) await this.#sleep(100);
    this.#ctx.logger.info(`District hub link: sending this center's ${changes.length} records as of journal record ${baseSeq}`);
    const parts = Math.max(1, Math.ceil(changes.length / BASE_PART));
    for (let part = 0; part < parts; part++) {
      const result = await this.#post<LinkPosition>(target, '/api/link/base', {
        baseSeq, part, final: part === parts - 1, stationSeq: store.durableSeq, changes: changes.slice(part * BASE_PART, (part + 1) * BASE_PART), epoch: this.#epoch ?? undefined,
      });
      if (part === parts - 1 || (result.lastSeq >= baseSeq && result.epoch === this.#epoch)) {
        this.#needsBase = false;
        return this.#confirmed(result);
      }
    }
  }

  /**
   * Takes the volunteers the district asked this center to take (docs/district.md): the hub
   * never dials a station, so the station asks. One pull at a time, so a request is never
   * decided twice at once; a request taken before (its answer lost) is answered again.
   */
  pullNow(): Promise<PullResult> {
    const target = this.#target();
    if (!target) return Promise.reject(new LinkError('NOT_CONFIGURED', 'No district hub is configured'));
    return this.#startPull(target);
  }

  #startPull(target: Target): Promise<PullResult> {
    this.#pulling ??= this.#pull(target).finally(() => {
      this.#pulling = null;
    });
    return this.#pulling;
  }

  async #pull(target: Target): Promise<PullResult> {
    this.#nextPullAt = Date.now() + this.#heartbeatMs;
    const { transfers } = await this.#post<{ transfers: PendingTransfer[] }>(target, '/api/link/transfers', {});
    const result: PullResult = { taken: 0, refused: 0 };
    for (const transfer of transfers) {
      const decision = decideTransfer(this.#ctx.store.state, transfer, this.#ctx.clock.now());
      if (decision.changes.length > 0) await this.#ctx.store.commit(decision.changes);
      await this.#post(target, `/api/link/transfers/${transfer.transferId}/done`, decision.answer);
      if ('refused' in decision.answer) result.refused++;
      else result.taken++;
    }
    if (transfers.length > 0) this.#ctx.logger.info(`District hub link: took ${result.taken} volunteer(s) from the district, refused ${result.refused}`);
    return result;
  }

  /** The pull beside the journal link: its failure (an older hub without transfers) never stops the records. */
  async #pullQuietly(target: Target): Promise<void> {
    try {
      await this.#startPull(target);
    } catch (error) {
      if (this.#stopped || this.#abort.signal.aborted) return;
      this.#nextPullAt = Date.now() + this.#heartbeatMs;
      this.#ctx.logger.warn(`District hub link: requests from the district not read (${(error as Error).message})`);
    }
  }

  /**
   * Where the hub stands, in which epoch. Another epoch than this folder's means the hub holds
   * records this station no longer has, or numbers it will reuse (an older backup restored):
   * the station sends its whole state as a base of its own epoch, which replaces them. The hub
   * ahead of this station in the same epoch means the folder went back without a restore (a
   * copy put back by hand): a new epoch, then the same.
   */
  async #hello(target: Target): Promise<void> {
    const store = this.#store!;
    this.#epoch ??= await readOrCreateEpoch(store.dir);
    this.#needsBase = false;
    const position = await this.#post<LinkPosition>(target, '/api/link/hello', { ...this.#helloBody(), epoch: this.#epoch });
    if (position.epoch !== undefined && position.epoch !== null) {
      if (position.epoch !== this.#epoch) this.#needsBase = true;
      else if (position.lastSeq > store.durableSeq) {
        this.#epoch = await newEpoch(store.dir);
        this.#needsBase = true;
      }
      if (this.#needsBase) this.#ctx.logger.warn(`District hub link: the hub holds records of another history of this center (journal ${position.lastSeq}, here ${store.durableSeq}); sending this station's whole state`);
    }
    this.#confirmed(position);
  }

  #confirmed(position: LinkPosition): void {
    this.#status = { ...this.#status, hubSeq: position.lastSeq, lastContactAt: this.#ctx.clock.now().toISOString(), lastError: null };
    this.#confirmedSeq = position.lastSeq;
    this.#store!.retainJournalFrom(position.lastSeq + 1);
  }

  /** Where the station stands, with the center's rules the district counts its stars by. */
  #helloBody(): { stationSeq: number; rules: CenterRules } {
    const settings = this.#ctx.store.state.settings;
    return { stationSeq: this.#store!.durableSeq, rules: { timeZone: settings.timeZone, stars: settings.stars } };
  }

  async #post<T>(target: Target, path: string, body: unknown): Promise<T> {
    const signal = AbortSignal.any([this.#abort.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]);
    const response = await fetch(new URL(path, target.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${target.joinKey}` },
      body: JSON.stringify(body),
      signal,
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      const error = (parsed as { error?: { code?: string; message?: string; details?: Record<string, unknown> } } | undefined)?.error;
      throw new LinkError(error?.code ?? `HTTP_${response.status}`, error?.message ?? `The hub answered ${response.status}`, error?.details);
    }
    return parsed as T;
  }

  /** Waits for a commit, a reconfiguration, stop, or the time; true when woken. */
  #sleep(ms: number): Promise<boolean> {
    if (this.#woken) {
      this.#woken = false;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#wake = null;
        resolve(false);
      }, ms);
      timer.unref();
      this.#wake = () => {
        clearTimeout(timer);
        this.#wake = null;
        resolve(true);
      };
    });
  }

  #poke(): void {
    if (this.#wake) this.#wake();
    else this.#woken = true;
  }
}

function districtChanges(changes: { c: string; v?: unknown; id?: string; remove?: true }[]): LinkChange[] {
  const wanted = new Set<string>(districtCollections);
  const out: LinkChange[] = [];
  for (const change of changes) {
    if (!wanted.has(change.c)) continue;
    const c = change.c as LinkChange['c'];
    if (change.remove) out.push({ c, id: change.id!, remove: true });
    else out.push({ c, v: toDistrictRecord(c, change.v as { id: string }) } as LinkChange);
  }
  return out;
}
