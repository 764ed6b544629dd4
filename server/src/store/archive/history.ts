import { collectionNames, StationState } from '../state.ts';
import type { StationStore } from '../station-store.ts';
import { archivedCollections, loadArchiveFile, type ArchivedCollection, type ArchivedRecords } from './archive-file.ts';
import type { YearArchive } from './year-archive.ts';

/** Calendar years in the center's zone, both ends included. */
export interface YearRange {
  from: number;
  to: number;
}

/** The years of a `YYYY-MM-DD` period (reports, certificates, exports). */
export function yearsOfPeriod(period: { from: string; to: string }): YearRange {
  return { from: Number(period.from.slice(0, 4)), to: Number(period.to.slice(0, 4)) };
}

/**
 * The state with the closed years of `years` (all when omitted) read back from their archive
 * files, for reports, certificates, exports and a volunteer's history: the existing readers run
 * on it unchanged. Read only — never commit from it (counters and the like come from the live
 * state). A store without archives (or a range without archived years) answers its live state.
 */
export function historyOf(store: StationStore, years?: YearRange): Promise<StationState> {
  return store.history ? store.history(years) : Promise.resolve(store.state);
}

/**
 * The archived records of one collection (all archived years, or those of `years`), oldest year
 * first, without building a merged state: for lists that need no other collection (stock
 * movements, a receipt looked up by number). Empty for a store without archives.
 */
export async function archivedListOf<C extends ArchivedCollection>(store: StationStore, collection: C, years?: YearRange): Promise<ArchivedRecords[C]> {
  if (!store.archivedRecords) return [];
  const out: unknown[] = [];
  for (const year of store.state.archivedYears()) {
    if (years && (year < years.from || year > years.to)) continue;
    out.push(...((await store.archivedRecords(year))[collection] as unknown[]));
  }
  return out as ArchivedRecords[C];
}

/**
 * Builds the view: every live record, plus for each loaded year its archived records in place of
 * its `archives` summary (never both, so no total counts a year twice). Archived records come
 * first, oldest year first, so per-volunteer lists stay in time order as they were before.
 */
export function historyView(live: StationState, loaded: ReadonlyMap<number, ArchivedRecords>): StationState {
  const view = new StationState();
  view.seq = live.seq;
  const years = [...loaded.keys()].sort((a, b) => a - b);
  for (const name of collectionNames) {
    const target = view.records[name] as Map<string, unknown>;
    if ((archivedCollections as readonly string[]).includes(name)) {
      for (const year of years) for (const record of loaded.get(year)![name as keyof ArchivedRecords]) target.set(record.id, record);
    }
    for (const [id, record] of live.records[name] as Map<string, unknown>) {
      if (name === 'archives' && loaded.has((record as YearArchive).year)) continue;
      target.set(id, record);
    }
  }
  view.rebuildIndexes();
  return view;
}

/** How long a closed year read for a report stays parsed after its last use. */
const KEEP_MS = 5 * 60_000;

/**
 * Closed years read on demand and kept a few minutes (a report and its export, a certificate
 * after a look at the record), then let go, so memory holds only what is hot.
 */
export class ArchiveCache {
  readonly #entries = new Map<number, { sha256: string; records: Promise<ArchivedRecords>; timer?: NodeJS.Timeout }>();
  constructor(readonly dir: string) {}

  load(archive: YearArchive): Promise<ArchivedRecords> {
    let entry = this.#entries.get(archive.year);
    if (!entry || entry.sha256 !== archive.sha256) {
      const records = loadArchiveFile(this.dir, archive);
      entry = { sha256: archive.sha256, records };
      this.#entries.set(archive.year, entry);
      // A damaged file is not kept: the next request reads it again (and reports it again).
      records.catch(() => this.#entries.delete(archive.year));
    }
    if (entry.timer) clearTimeout(entry.timer);
    const kept = entry;
    kept.timer = setTimeout(() => {
      if (this.#entries.get(archive.year) === kept) this.#entries.delete(archive.year);
    }, KEEP_MS);
    kept.timer.unref();
    return kept.records;
  }

  clear(): void {
    for (const entry of this.#entries.values()) if (entry.timer) clearTimeout(entry.timer);
    this.#entries.clear();
  }
}
