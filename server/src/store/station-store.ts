import type { StationState, Change } from './state.ts';
import type { YearRange } from './archive/history.ts';
import type { ArchivedRecords } from './archive/archive-file.ts';
import type { YearArchive } from './archive/year-archive.ts';

/**
 * What the server needs from storage. The durable lowdb + journal store implements it for one
 * center; a PostgreSQL store could implement it for a district (commit = one transaction).
 */
export interface StationStore {
  /** The current state. Read it and decide synchronously, then commit in the same tick, so nothing interleaves. */
  readonly state: StationState;
  /**
   * Applies the changes to memory at once (later decisions see them) and resolves once they are
   * on disk. A rejection means the store has failed and the server is stopping: never acknowledge.
   */
  commit(changes: Change[]): Promise<void>;
  snapshot(): Promise<void>;
  /**
   * The state with closed years (store/archive/) read back, for reports, certificates, exports and
   * histories: all archived years, or those of `years`. Read only. Absent: the live state is all.
   */
  history?(years?: YearRange): Promise<StationState>;
  /**
   * One closed year's archived records as read from its file (kept parsed a few minutes, shared
   * with `history`), for readers that need a few records of it (a volunteer's own history, an
   * overlap check) without building a whole history view. Empty for a year that is not archived.
   */
  archivedRecords?(year: number): Promise<ArchivedRecords>;
  /**
   * Where the archive files of the closed years of `years` (all when omitted) are, for a worker
   * thread that reads them itself (reports/report-offthread.ts). Absent: nothing is archived.
   */
  archiveFiles?(years?: YearRange): { dir: string; archives: YearArchive[] };
  close(): Promise<void>;
}
