// Reports and exports computed in a worker thread (run by report-offthread.ts): the closed years'
// archive files are read here (gunzip, JSON lines, checksums), the same readers as before run
// over the merged history, and a download's XLSX or CSV is written here and streamed back.
import { serveWorkerTask } from '../workers/worker-task.ts';
import type { TaskPort } from '../workers/task-port.ts';
import { loadArchiveFile, type ArchivedRecords } from '../store/archive/archive-file.ts';
import { historyView } from '../store/archive/history.ts';
import { StationState } from '../store/state.ts';
import { computeJob, type ReportJob } from './report-jobs.ts';
import { PortWritable, type StateSlice } from './report-stream.ts';
import type { YearArchive } from '../store/archive/year-archive.ts';

export interface ReportTask {
  job: ReportJob;
  /** DATA_DIR, where the archive files are. */
  dataDir: string;
  /** The closed years the job's period reaches, as the live state records them. */
  archives: YearArchive[];
}

/** The live state, sent in slices by sendState (report-stream.ts): indexes are rebuilt here, off the loop. */
async function receiveState(port: TaskPort): Promise<StationState> {
  const live = new StationState();
  for (;;) {
    const slice = (await port.receive()) as StateSlice;
    if ('seq' in slice) {
      live.seq = slice.seq;
      return live;
    }
    const target = live.records[slice.c] as Map<string, { id: string }>;
    for (const record of slice.v as { id: string }[]) target.set(record.id, record);
  }
}

export async function task(input: ReportTask, port: TaskPort): Promise<unknown> {
  const live = await receiveState(port);
  const loaded = new Map<number, ArchivedRecords>();
  for (const archive of input.archives) loaded.set(archive.year, await loadArchiveFile(input.dataDir, archive));
  let state = live;
  if (loaded.size > 0) state = historyView(live, loaded);
  else live.rebuildIndexes();
  const out = new PortWritable(port);
  const answer = await computeJob(state, input.job, out);
  if (answer.kind === 'json') return answer.value;
  await out.finished();
  return undefined;
}

serveWorkerTask(task);
