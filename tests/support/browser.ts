import { execFile, execFileSync } from 'node:child_process';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';

/** CHROMIUM_PATH is set by scripts/test.mjs; empty when no Chromium was found, and browser tests then skip. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '';
export const skipWithoutChromium = !chromiumPath;
export const noChromiumMessage = 'Chromium not found (set CHROMIUM_PATH or install the Debian package chromium): browser tests skipped';

const ARTIFACTS = path.resolve(import.meta.dirname, '../../test-artifacts');

/**
 * Debian's Chromium, headless. The background-networking flags matter: without them Chromium
 * dials out (updates, sync, safe browsing) and tests must never reach beyond 127.0.0.1.
 */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  // Read at launch, not import, so a script can set it after its imports.
  const executablePath = process.env.CHROMIUM_PATH;
  if (!executablePath) throw new Error(noChromiumMessage);
  return chromium.launch({
    executablePath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-default-apps',
      '--disable-domain-reliability',
      ...extraArgs,
    ],
  });
}

/** Chromium flags for a fake camera that plays `y4mFile` in a loop, with camera permission granted. */
export function fakeCameraArgs(y4mFile?: string): string[] {
  return [
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    ...(y4mFile ? [`--use-file-for-fake-video-capture=${y4mFile}`] : []),
  ];
}

/**
 * Types a card the way a keyboard-wedge scanner does: every key within a millisecond, then Enter.
 * The keys are dispatched in one step inside the page, because keys sent one at a time over the
 * DevTools protocol can arrive hundreds of milliseconds apart on a loaded machine, and the kiosk
 * then rightly reads them as a person typing.
 */
export async function typeLikeScanner(page: Page, code: string): Promise<void> {
  await page.evaluate((text) => {
    const target = document.activeElement ?? document.body;
    for (const key of [...text, 'Enter']) target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
  }, code);
}

export async function saveScreenshot(page: Page, name: string): Promise<string> {
  const dir = path.join(ARTIFACTS, 'screenshots');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/**
 * Watches a kiosk page so a failed camera test says what the tablet did: every result screen it
 * showed (kind and text), console errors, page errors, and the camera picture's state. Camera
 * tests failed in CI with nothing but "timed out", and passed on every run by hand.
 */
export async function watchKiosk(page: Page, name: string): Promise<() => Promise<string>> {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console.${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  await page.evaluate(() => {
    const screens: string[] = [];
    let last = '';
    (window as unknown as { screens: string[] }).screens = screens;
    const record = () => {
      const result = document.querySelector('[data-screen=result]');
      // The clock on the result ticks every second; only a new kind or text is news.
      const seen = result ? `${result.getAttribute('data-kind')}: ${(result.textContent ?? '').replace(/\d\d:\d\d/g, '').slice(0, 40)}` : '-';
      if (last !== seen) screens.push(`${new Date().toISOString().slice(11, 23)} ${seen}`);
      last = seen;
    };
    new MutationObserver(record).observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true });
  });
  return async () => {
    const inPage = await page
      .evaluate(() => {
        const video = document.querySelector('video');
        return {
          screens: (window as unknown as { screens?: string[] }).screens ?? [],
          video: video ? { width: video.videoWidth, height: video.videoHeight, box: [video.clientWidth, video.clientHeight], readyState: video.readyState, paused: video.paused, time: video.currentTime } : null,
          scanCanvas: [...document.querySelectorAll('canvas')].map((canvas) => [canvas.width, canvas.height]),
          body: (document.body.textContent ?? '').replace(/\s+/g, ' ').slice(0, 300),
        };
      })
      .catch((error: unknown) => ({ screens: [], video: null, scanCanvas: [], body: `page unreadable: ${String(error)}` }));
    const shot = await saveScreenshot(page, `failed-${name}`).catch(() => 'no screenshot');
    return [
      `video: ${JSON.stringify(inPage.video)}, canvases: ${JSON.stringify(inPage.scanCanvas)}`,
      `screens (${inPage.screens.length}): ${inPage.screens.slice(-30).join(' | ')}`,
      `page text: ${inPage.body}`,
      `problems: ${problems.slice(-20).join(' | ') || 'none'}`,
      `screenshot: ${shot}`,
    ].join('\n');
  };
}

/** Runs `wait`; when it fails, adds what `explain` reports to the error. */
export async function explainFailure(wait: () => Promise<unknown>, explain: () => Promise<string>): Promise<void> {
  try {
    await wait();
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${await explain()}`, { cause: error });
  }
}

const DOCS_SCREENSHOTS = path.resolve(import.meta.dirname, '../../docs/screenshots');

/** Saved for the test run and, where an issue asks for it, copied into docs/screenshots. */
export async function saveDocsScreenshot(page: Page, name: string): Promise<void> {
  const file = await saveScreenshot(page, name);
  await mkdir(DOCS_SCREENSHOTS, { recursive: true });
  await copyFile(file, path.join(DOCS_SCREENSHOTS, `${name}.png`));
}

/** Whether ffmpeg runs here; fake-camera videos need it. */
export const hasFfmpeg = (() => {
  try {
    execFileSync('ffmpeg', ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

export interface CardVideoOptions {
  /** Seconds each card is shown. */
  cardSeconds?: number;
  /** Seconds of blank (white) picture between cards, so the same card can be read again on the next loop. */
  blankSeconds?: number;
  /**
   * Heights of the card image on the 640×480 picture, in turn, as a hand brings the card closer.
   * One fixed size is not how a card reaches a camera, and the kiosk's ZXing misses some codes at
   * some sizes (its finder search skips rows): a card shown at one size only might never be read.
   */
  cardPixels?: readonly number[];
  fps?: number;
}

/**
 * A Y4M for Chromium's fake camera: each card PNG in turn on a white 640×480 picture, growing
 * through `cardPixels`, with blank frames between cards. Chromium loops the file, so every card
 * comes round again.
 */
export async function makeCardVideo(pngFiles: string[], outFile: string, options: CardVideoOptions = {}): Promise<void> {
  const { cardSeconds = 2, blankSeconds = 1, cardPixels = [300, 330, 360, 390], fps = 15 } = options;
  const stepSeconds = (cardSeconds / cardPixels.length).toFixed(3);
  const inputs: string[] = [];
  const filters: string[] = [];
  const parts: string[] = [];
  pngFiles.forEach((file, card) => {
    cardPixels.forEach((pixels, step) => {
      const input = card * cardPixels.length + step;
      inputs.push('-loop', '1', '-t', stepSeconds, '-framerate', String(fps), '-i', file);
      filters.push(`[${input}:v]scale=-2:${pixels},pad=640:480:(ow-iw)/2:(oh-ih)/2:white,setsar=1,fps=${fps},format=yuv420p[c${input}]`);
      parts.push(`[c${input}]`);
    });
    filters.push(`color=c=white:s=640x480:r=${fps}:d=${blankSeconds},format=yuv420p[b${card}]`);
    parts.push(`[b${card}]`);
  });
  filters.push(`${parts.join('')}concat=n=${parts.length}:v=1:a=0[out]`);
  await promisify(execFile)('ffmpeg', ['-y', '-loglevel', 'error', ...inputs, '-filter_complex', filters.join(';'), '-map', '[out]', '-pix_fmt', 'yuv420p', '-f', 'yuv4mpegpipe', outFile]);
}

/** Writes a downloaded file (e.g. a card PNG from the API) for ffmpeg to read. */
export async function writeArtifact(file: string, data: ArrayBuffer): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, new Uint8Array(data));
}
