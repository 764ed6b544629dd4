import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { chromiumPath } from './browser.ts';

const run = promisify(execFile);
const installed = (tool: string, flag: string) => !spawnSync(tool, [flag]).error;

/** What a "print to PDF, rasterise, read the QR codes back" test lacks on this machine (empty: it can run). */
export function missingPrintTools(): string[] {
  return [
    !chromiumPath && 'Chromium (set CHROMIUM_PATH or install chromium)',
    !installed('pdftoppm', '-v') && 'pdftoppm (install poppler-utils)',
    !installed('zbarimg', '--version') && 'zbarimg (install zbar-tools)',
  ].filter((tool): tool is string => Boolean(tool));
}

/** zbar's reading of every QR code on one rendered page; exit status 4 means "none found". */
export async function decodeQrCodes(png: string): Promise<string[]> {
  try {
    const { stdout } = await run('zbarimg', ['--raw', '-q', png]);
    return stdout.split('\n').filter(Boolean);
  } catch (error) {
    if ((error as { code?: number }).code === 4) return [];
    throw error;
  }
}
