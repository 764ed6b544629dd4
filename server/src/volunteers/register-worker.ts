import { parentPort, workerData } from 'node:worker_threads';
import { parseRegister, RegisterFormatError, RegisterTooLargeError, type ParsedRegister } from './register-import.ts';

/** What the import worker posts back: the parsed register, or why the file was refused. */
export type RegisterWorkerAnswer =
  | { ok: true; parsed: ParsedRegister }
  | { ok: false; refused: 'format' | 'too-large'; message: string }
  | { ok: false; refused: 'crash'; message: string };

export interface RegisterWorkerInput {
  bytes: Uint8Array;
  contentType: string | undefined;
}

// Runs in a worker thread (see parse-in-worker.ts): started through register-worker-entry.mjs.
const input = workerData as RegisterWorkerInput;
let answer: RegisterWorkerAnswer;
try {
  answer = { ok: true, parsed: await parseRegister(Buffer.from(input.bytes.buffer, input.bytes.byteOffset, input.bytes.byteLength), input.contentType) };
} catch (error) {
  answer =
    error instanceof RegisterFormatError
      ? { ok: false, refused: error instanceof RegisterTooLargeError ? 'too-large' : 'format', message: error.message }
      : { ok: false, refused: 'crash', message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
}
parentPort!.postMessage(answer);
