import type { Response } from 'express';
import type { AppContext } from '../context.ts';
import { yearsOfPeriod } from '../store/archive/history.ts';
import { startWorker } from '../workers/run-worker.ts';
import { periodOfJob, type ReportJob } from './report-jobs.ts';
import { pipeToResponse, sendState } from './report-stream.ts';
import type { ReportTask } from './report.worker.ts';
import { setDownloadHeaders, type ExportFormat, type ExportName } from './table-export.ts';

const WORKER = new URL('./report.worker.ts', import.meta.url);

/**
 * Starts a report worker (workers/run-worker.ts; in-process from the sources) for the job and
 * sends it the live state in slices. The worker reads the closed years the period reaches from
 * their archive files itself, so neither parsing ten years nor the report over them holds the
 * event loop that acks scans (issue 16).
 */
function startJob(ctx: AppContext, job: ReportJob) {
  const { dir, archives } = ctx.store.archiveFiles?.(yearsOfPeriod(periodOfJob(job))) ?? { dir: '', archives: [] };
  const run = startWorker<unknown>(WORKER, { job, dataDir: dir, archives } satisfies ReportTask);
  // A task that fails ends its run: whoever waits for its next message gets its error instead.
  const failed = run.result.then(() => new Promise<never>(() => undefined));
  failed.catch(() => undefined);
  const next = () => Promise.race([run.port.receive(), failed]);
  return { run, next, sent: sendState(run.port, ctx.store.state) };
}

/** A report's JSON answer (the figures a page shows), computed off the event loop. */
export async function computeOffThread<T>(ctx: AppContext, job: ReportJob): Promise<T> {
  const { run, sent } = startJob(ctx, job);
  await sent;
  return (await run.result) as T;
}

/**
 * A download written off the event loop and streamed to `res` as the worker writes it, at the
 * client's pace. `beforeFirstByte` (an audit entry) runs when the worker has read its data and
 * starts the file: until then a failure (a damaged archive) is still an ordinary error answer.
 * A client that goes away stops the worker.
 */
export async function sendOffThread(ctx: AppContext, res: Response, job: ReportJob & { format: ExportFormat }, filename: ExportName, beforeFirstByte?: () => Promise<void>): Promise<void> {
  const { run, next, sent } = startJob(ctx, job);
  const stopOnClose = () => run.stop();
  res.once('close', stopOnClose);
  try {
    await sent;
    const completed = await pipeToResponse(next, run.port, res, async () => {
      await beforeFirstByte?.();
      setDownloadHeaders(res, job.format, filename);
    });
    if (!completed) return;
    await run.result;
    res.end();
  } catch (error) {
    run.stop();
    // Once the file has begun the error cannot become a JSON answer: cut the download short instead of ending it as if complete.
    if (res.headersSent) res.destroy();
    throw error;
  } finally {
    res.off('close', stopOnClose);
  }
}
