// `node scripts/run-ts.mjs scripts/bench/kiosk-browser-bench.ts [--scans N]`
// Time from Chromium's fake camera showing a card to the kiosk's result on screen, over a real
// in-process server, and the kiosk bundle size (gzip). Needs Chromium (CHROMIUM_PATH or
// /usr/bin/chromium) and ffmpeg.
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { fakeCameraArgs, launchChromium, makeCardVideo } from '../../tests/support/browser.ts';
import { adminClient, openActivityNow, registerVolunteer, startStation } from '../../tests/support/station.ts';
import { build } from 'vite';

const ROOT = path.resolve(import.meta.dirname, '../..');
const scansWanted = Number(process.argv[process.argv.indexOf('--scans') + 1]) || 24;
const CARDS = 4;

process.env.CHROMIUM_PATH ||= '/usr/bin/chromium';

function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

function bundleSizes() {
  const dist = path.join(ROOT, 'kiosk', 'dist');
  const assets = readdirSync(path.join(dist, 'assets')).map((name) => path.join('assets', name));
  const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
  const gz = (file: string) => gzipSync(readFileSync(path.join(dist, file)), { level: 9 }).length;
  const initial = ['index.html', ...assets.filter((file) => html.includes(file.replace(/\\/g, '/')))];
  const lazy = assets.filter((file) => !initial.includes(file));
  return {
    initialKiB: initial.reduce((sum, file) => sum + gz(file), 0) / 1024,
    cameraKiB: lazy.reduce((sum, file) => sum + gz(file), 0) / 1024,
  };
}

/**
 * Runs in the page: watches the camera's video frame by frame (a card darkens the white picture)
 * and the DOM (a result screen mounts), and pairs each result with the card onset before it.
 * Plain JavaScript text, because tsx's transform of a TypeScript function would not run in the page.
 */
const INSTRUMENT = `
  window.benchSamples = [];
  let cardSince = -1;
  let lastOnset = -1;
  const probe = document.createElement('canvas');
  probe.width = 16;
  probe.height = 12;
  const context = probe.getContext('2d', { willReadFrequently: true });
  const watch = (video) => {
    const onFrame = (now) => {
      context.drawImage(video, 0, 0, 16, 12);
      const pixels = context.getImageData(0, 0, 16, 12).data;
      let sum = 0;
      for (let i = 0; i < pixels.length; i += 4) sum += pixels[i];
      const dark = sum / (pixels.length / 4) < 235;
      if (dark && cardSince < 0) cardSince = lastOnset = now;
      if (!dark) cardSince = -1;
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
    window.benchReady = true;
  };
  new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (!(node instanceof HTMLElement)) continue;
        const video = node.matches('video') ? node : node.querySelector('video');
        if (video) watch(video);
        if (node.matches('[data-screen=result][data-kind=success]')) {
          const onset = lastOnset;
          // The frame after the DOM change is when the volunteer can see it.
          requestAnimationFrame(() => {
            const shownAt = performance.now();
            if (onset > 0 && shownAt - onset < 3000) window.benchSamples.push(shownAt - onset);
          });
        }
      }
    }
  }).observe(document, { childList: true, subtree: true });
`;

const workDir = await mkdtemp(path.join(os.tmpdir(), 'vs-kiosk-bench-'));
// Always a fresh build: the figures are for the source as it is now.
await build({ configFile: path.join(ROOT, 'kiosk', 'vite.config.ts'), root: path.join(ROOT, 'kiosk'), logLevel: 'warn' });
const station = await startStation();
try {
  const api = await adminClient(station);
  await openActivityNow(api, '基准测试');
  await api.patch('/api/settings', { repeatWindowSeconds: 0 });
  const pngs: string[] = [];
  for (let i = 0; i < CARDS; i++) {
    const volunteer = await registerVolunteer(api, `测试${i}号`);
    const response = await fetch(`${station.url}/api/volunteers/${volunteer.id}/qr.png`, { headers: { cookie: api.cookie } });
    const file = path.join(workDir, `card-${i}.png`);
    await writeFile(file, new Uint8Array(await response.arrayBuffer()));
    pngs.push(file);
  }
  const video = path.join(workDir, 'cards.y4m');
  // Each card 1.5 s, then 0.5 s of white: a loop of 8 s, each card back after 6 s.
  await makeCardVideo(pngs, video, { cardSeconds: 1.5, blankSeconds: 0.5, fps: 30 });

  const browser = await launchChromium(fakeCameraArgs(video));
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.addInitScript({ content: INSTRUMENT });
    const device = await api.post('/api/devices', { name: 'bench', mode: 'checkin' });
    await page.goto(`${station.url}/kiosk/?pair=${device.body.pairingCode}`);
    await page.waitForFunction(() => (window as unknown as { benchReady?: boolean }).benchReady === true, null, { timeout: 30_000 });
    const started = Date.now();
    await page.waitForFunction((n) => (window as unknown as { benchSamples: number[] }).benchSamples.length >= n, scansWanted, {
      timeout: (scansWanted * 3 + 30) * 1000,
      polling: 500,
    });
    const samples = (await page.evaluate(() => (window as unknown as { benchSamples: number[] }).benchSamples)).sort((a, b) => a - b);
    const sizes = bundleSizes();
    console.log(`kiosk camera → result on screen (${samples.length} scans in ${((Date.now() - started) / 1000).toFixed(0)} s, headless Chromium, fake camera 640×480 @ 30 fps):`);
    console.log(`  median ${percentile(samples, 50).toFixed(0)} ms, p90 ${percentile(samples, 90).toFixed(0)} ms, min ${samples[0]!.toFixed(0)} ms, max ${samples.at(-1)!.toFixed(0)} ms`);
    console.log(`kiosk bundle (gzip -9): ${sizes.initialKiB.toFixed(1)} KiB at first load, + ${sizes.cameraKiB.toFixed(1)} KiB camera decoder loaded on demand`);
  } finally {
    await browser.close();
  }
} finally {
  await station.destroy();
  await rm(workDir, { recursive: true, force: true });
}
