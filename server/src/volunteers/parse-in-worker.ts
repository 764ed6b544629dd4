import { Worker } from 'node:worker_threads';
import { Semaphore, SemaphoreFullError } from '../security/concurrency.ts';
import { AppError } from '../protocol/errors.ts';
import { RegisterFormatError, RegisterTooLargeError, type ParsedRegister } from './register-import.ts';
import type { RegisterWorkerAnswer, RegisterWorkerInput } from './register-worker.ts';
import type { GridRow } from '../signups/insurance-grid.ts';

const WORKER_ENTRY = new URL('./register-worker-entry.mjs', import.meta.url);
/** A 20,000-row register parses in a few seconds on a slow PC; a minute means something is wrong with the file. */
const PARSE_TIMEOUT_MS = 60_000;
/** exceljs holds the whole workbook in memory; a register needs far less than this. */
const WORKER_HEAP_MB = 768;
/** One parse at a time, register or insurer's list (a second waits): each holds a workbook in memory. */
const parsing = new Semaphore(1, 2);

/**
 * Parses a register in a worker thread, so however large or hostile the file, the event loop
 * that acknowledges scans keeps turning. The worker is stopped when it runs out of its heap or
 * time; either refuses the file as too large.
 */
export async function parseRegisterInWorker(bytes: Buffer, contentType: string | undefined): Promise<ParsedRegister> {
  return (await parseInWorker({ kind: 'register', bytes: new Uint8Array(bytes), contentType })) as ParsedRegister;
}

/** The insurer's XLSX list (signups/insurance-grid.ts), read by the same worker under the same limits. */
export async function parseInsuranceListInWorker(bytes: Buffer): Promise<GridRow[]> {
  return (await parseInWorker({ kind: 'insurance-list', bytes: new Uint8Array(bytes) })) as GridRow[];
}

async function parseInWorker(input: RegisterWorkerInput): Promise<ParsedRegister | GridRow[]> {
  try {
    return await parsing.run(() => runWorker(input));
  } catch (error) {
    if (error instanceof SemaphoreFullError) throw new AppError('RATE_LIMITED', 'Another list is being imported; please try again when it is done', 429);
    throw error;
  }
}

function runWorker(input: RegisterWorkerInput): Promise<ParsedRegister | GridRow[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_ENTRY, { workerData: input, execArgv: [], resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      outcome();
    };
    const timer = setTimeout(() => finish(() => reject(tooLarge('解析超时'))), PARSE_TIMEOUT_MS);
    worker.once('message', (answer: RegisterWorkerAnswer) =>
      finish(() => {
        if (answer.ok) resolve(answer.parsed);
        else if (answer.refused === 'too-large') reject(new RegisterTooLargeError(answer.message));
        else if (answer.refused === 'format') reject(new RegisterFormatError(answer.message));
        else reject(new Error(`The register import worker failed: ${answer.message}`));
      }),
    );
    worker.once('error', (error: Error & { code?: string }) =>
      finish(() => reject(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? tooLarge('内存不足') : error)),
    );
    worker.once('exit', (code) => finish(() => reject(new Error(`The register import worker stopped (exit code ${code}) without an answer`))));
  });
}

function tooLarge(why: string): RegisterTooLargeError {
  return new RegisterTooLargeError(`文件太大，无法读取（${why}），请分成几个文件导入。 / The file is too large to read; split it into smaller files.`);
}
