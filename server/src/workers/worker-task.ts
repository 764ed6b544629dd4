import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { WorkerReply } from './run-worker.ts';

/**
 * The last line of a `*.worker.ts` module: in a worker thread, runs `task` on the input
 * runWorker() sent and posts the result or the error back. Imported in the main thread (the
 * sources run their tasks in-process, see runWorker), it does nothing.
 */
export function serveWorkerTask<I, O>(task: (input: I) => Promise<O>): void {
  const port = parentPort;
  if (isMainThread || !port) return;
  const input = (workerData as { input: I }).input;
  task(input).then(
    (value) => port.postMessage({ ok: true, value } satisfies WorkerReply<O>),
    (error: unknown) => {
      const { name = 'Error', message = String(error), code } = (error ?? {}) as { name?: string; message?: string; code?: string };
      port.postMessage({ ok: false, error: { name, message, ...(typeof code === 'string' ? { code } : {}) } } satisfies WorkerReply<O>);
    },
  );
}
