import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** Set to true by scripts/build-server.mjs in the bundle; undeclared (so `typeof` is 'undefined') when running from the sources. */
declare const __VS_BUNDLED__: boolean | undefined;
const bundled = typeof __VS_BUNDLED__ !== 'undefined' && __VS_BUNDLED__;

/** What a worker module posts back: its task's result, or the error it threw (name and message survive the thread boundary). */
export type WorkerReply<T> = { ok: true; value: T } | { ok: false; error: { name: string; message: string; code?: string } };

/**
 * Runs one task in a new worker thread and resolves with what it returns, so CPU-heavy work
 * (a backup's check and gzip) never holds the event loop that acks scans.
 * `source` is the worker module's source file, `new URL('./x.worker.ts', import.meta.url)`:
 * name worker modules `*.worker.ts` (scripts/build-server.mjs makes each an entry of the bundle),
 * export the task as `task` and end with `serveWorkerTask(task)`. From the bundle (npm start, the
 * tests that spawn the server) the thread runs `<bundle>/x.worker.mjs`. From the sources (tsx,
 * vitest in-process) the task runs in this thread: a thread would have to compile the
 * TypeScript again, seconds on a loaded machine, for no gain in development.
 * A thrown error comes back as an Error with the same name, message and code.
 */
export async function runWorker<T>(source: URL, input: unknown): Promise<T> {
  if (!bundled) {
    const module = (await import(source.href)) as { task: (input: unknown) => Promise<T> };
    // A copy, as a thread would get: the task cannot keep or change the caller's objects.
    return module.task(structuredClone(input));
  }
  const worker = new Worker(pathToFileURL(path.join(import.meta.dirname, path.basename(fileURLToPath(source)).replace(/\.tsx?$/, '.mjs'))), { workerData: { input } });
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    worker.once('message', (reply: WorkerReply<T>) => {
      settled = true;
      if (reply.ok) return resolve(reply.value);
      reject(Object.assign(new Error(reply.error.message), { name: reply.error.name, code: reply.error.code }));
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`The worker ${path.basename(source.pathname)} stopped (exit code ${code}) without an answer`));
    });
  });
}
