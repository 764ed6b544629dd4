import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type Transferable } from 'node:worker_threads';
import { MessageQueue, type TaskPort } from './task-port.ts';

/** Set to true by scripts/build-server.mjs in the bundle; undeclared (so `typeof` is 'undefined') when running from the sources. */
declare const __VS_BUNDLED__: boolean | undefined;
const bundled = typeof __VS_BUNDLED__ !== 'undefined' && __VS_BUNDLED__;

/** What a worker module posts back: its task's result, or the error it threw (name and message survive the thread boundary). */
export type WorkerReply<T> = { ok: true; value: T } | { ok: false; error: { name: string; message: string; code?: string } };
/** A message of the task's port (see TaskPort), told apart from the one reply. */
export interface PortEnvelope {
  port: unknown;
}
export function isPortEnvelope(message: unknown): message is PortEnvelope {
  return typeof message === 'object' && message !== null && 'port' in message;
}

/** A task under way: its result, its port to talk with it while it runs, and a way to stop it. */
export interface WorkerRun<T> {
  result: Promise<T>;
  port: TaskPort;
  /** Ends the thread (a download whose client went away); from the sources, tells the task to stop at its next receive. */
  stop(): void;
}

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
  return startWorker<T>(source, input).result;
}

/**
 * runWorker() for a task that talks with its caller while it runs (a report worker receives the
 * live state in slices and streams its file back): the task gets a TaskPort as its second
 * argument, the caller `run.port`. Messages are copied (structured clone) both ways, also from
 * the sources, so a task behaves the same in a thread and in-process; `transfer` moves buffers.
 */
export function startWorker<T>(source: URL, input: unknown): WorkerRun<T> {
  const toCaller = new MessageQueue();
  if (!bundled) {
    const toTask = new MessageQueue();
    const taskPort: TaskPort = { post: (message) => toCaller.push(structuredClone(message)), receive: () => toTask.receive() };
    const result = import(source.href).then((module: { task: (input: unknown, port: TaskPort) => Promise<T> }) =>
      // A copy, as a thread would get: the task cannot keep or change the caller's objects.
      module.task(structuredClone(input), taskPort),
    );
    return {
      result,
      port: { post: (message) => toTask.push(structuredClone(message)), receive: () => toCaller.receive() },
      stop: () => toTask.close(new Error('The task was stopped')),
    };
  }
  const worker = new Worker(pathToFileURL(path.join(import.meta.dirname, path.basename(fileURLToPath(source)).replace(/\.tsx?$/, '.mjs'))), { workerData: { input } });
  const result = new Promise<T>((resolve, reject) => {
    let settled = false;
    worker.on('message', (message: WorkerReply<T> | PortEnvelope) => {
      if (isPortEnvelope(message)) return toCaller.push(message.port);
      settled = true;
      // The thread has nothing left to do; its port listener would otherwise keep it alive.
      void worker.terminate();
      if (message.ok) return resolve(message.value);
      reject(Object.assign(new Error(message.error.message), { name: message.error.name, code: message.error.code }));
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      toCaller.close(new Error(`The worker ${path.basename(source.pathname)} stopped (exit code ${code})`));
      if (!settled) reject(new Error(`The worker ${path.basename(source.pathname)} stopped (exit code ${code}) without an answer`));
    });
  });
  return {
    result,
    port: { post: (message, transfer?: Transferable[]) => worker.postMessage({ port: message } satisfies PortEnvelope, transfer), receive: () => toCaller.receive() },
    stop: () => void worker.terminate(),
  };
}
