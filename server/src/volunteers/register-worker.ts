import { parentPort, workerData } from 'node:worker_threads';
import { parseRegister, RegisterFormatError, RegisterTooLargeError, type ParsedRegister } from './register-import.ts';
import { readInsuranceGrid, type GridRow } from '../signups/insurance-grid.ts';

/** What the import worker posts back: the parsed register, or why the file was refused. */
export type RegisterWorkerAnswer =
  | { ok: true; parsed: ParsedRegister | GridRow[] }
  | { ok: false; refused: 'format' | 'too-large'; message: string }
  | { ok: false; refused: 'crash'; message: string };

/** The volunteer register (XLSX or CSV), or the insurer's list of insured people (issue 15). */
export type RegisterWorkerInput = { kind: 'register'; bytes: Uint8Array; contentType: string | undefined } | { kind: 'insurance-list'; bytes: Uint8Array };

// Runs in a worker thread (see parse-in-worker.ts): started through register-worker-entry.mjs.
const input = workerData as RegisterWorkerInput;
let answer: RegisterWorkerAnswer;
try {
  const bytes = Buffer.from(input.bytes.buffer, input.bytes.byteOffset, input.bytes.byteLength);
  answer = { ok: true, parsed: input.kind === 'insurance-list' ? await readInsuranceGrid(bytes) : await parseRegister(bytes, input.contentType) };
} catch (error) {
  answer =
    error instanceof RegisterFormatError
      ? { ok: false, refused: error instanceof RegisterTooLargeError ? 'too-large' : 'format', message: error.message }
      : { ok: false, refused: 'crash', message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
}
parentPort!.postMessage(answer);
