import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { isPortEnvelope, type PortEnvelope, type WorkerReply } from './run-worker.ts';
import { MessageQueue, type TaskPort } from './task-port.ts';

/**
 * The last line of a `*.worker.ts` module: in a worker thread, runs `task` on the input
 * runWorker() sent and posts the result or the error back. Imported in the main thread (the
 * sources run their tasks in-process, see runWorker), it does nothing. A task that talks with
 * its caller while it runs (startWorker) uses its second argument.
 */
export function serveWorkerTask<I, O>(task: (input: I, port: TaskPort) => Promise<O>): void {
  const port = parentPort;
  if (isMainThread || !port) return;
  const input = (workerData as { input: I }).input;
  const inbox = new MessageQueue();
  let listening = false;
  const taskPort: TaskPort = {
    post: (message, transfer) => port.postMessage({ port: message } satisfies PortEnvelope, transfer),
    receive: () => {
      // Listening keeps the thread alive; a task that never receives ends as soon as it returns.
      if (!listening) port.on('message', (message: unknown) => isPortEnvelope(message) && inbox.push(message.port));
      listening = true;
      return inbox.receive();
    },
  };
  task(input, taskPort).then(
    (value) => port.postMessage({ ok: true, value } satisfies WorkerReply<O>),
    (error: unknown) => {
      const { name = 'Error', message = String(error), code } = (error ?? {}) as { name?: string; message?: string; code?: string };
      port.postMessage({ ok: false, error: { name, message, ...(typeof code === 'string' ? { code } : {}) } } satisfies WorkerReply<O>);
    },
  );
}
