import { execFile, spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import {
  chooseReadableMask,
  decodeWithKioskZxing,
  decodeWithZbar,
  renderCardQr,
} from '../../server/src/cards/qr-image.ts';

// A fresh seed each run widens coverage over time; QR_TEST_SEED replays a failing run.
const seed = Number(process.env.QR_TEST_SEED ?? randomInt(2 ** 31));
const random = seededRandom(seed);
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The shape of `signCard` output: prefix, 6-digit card number, serial, 12 base64url chars of HMAC. */
function randomCardText(): string {
  const cardNo = 100000 + Math.floor(random() * 900000);
  const serial = 1 + Math.floor(random() * 9);
  const mac = Array.from({ length: 12 }, () => BASE64URL[Math.floor(random() * BASE64URL.length)]).join('');
  return `VS1.${cardNo}.${serial}.${mac}`;
}

/** mulberry32: tiny, and good enough to spread card texts. */
function seededRandom(state: number): () => number {
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const cardTexts = Array.from({ length: 300 }, randomCardText);
const zbarimgInstalled = !spawnSync('zbarimg', ['--version']).error;

/** What `qrcode` makes on its own (its own mask choice), drawn at the default card size of 8 px per module. */
function defaultMaskReadsInKioskZxing(text: string): boolean {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'Q' });
  const scale = 8;
  const side = (modules.size + 8) * scale;
  const rgba = Buffer.alloc(side * side * 4, 255);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const [row, column] = [Math.floor(y / scale) - 4, Math.floor(x / scale) - 4];
      const inSymbol = row >= 0 && column >= 0 && row < modules.size && column < modules.size;
      if (inSymbol && modules.get(row, column)) rgba.fill(0, (y * side + x) * 4, (y * side + x) * 4 + 3);
    }
  }
  return decodeWithKioskZxing(rgba, side, side) === text;
}

describe(`card QR images (QR_TEST_SEED=${seed})`, () => {
  it('prints PNGs that the kiosk ZXing and zbar both decode to the exact card text', async () => {
    const misread: string[] = [];
    for (const [index, text] of cardTexts.entries()) {
      // Every scale chooseReadableMask checks, the default 8 among them.
      const scale = 3 + (index % 6);
      const { data, width, height } = PNG.sync.read((await renderCardQr(text, { scale })).png);
      const byZxing = decodeWithKioskZxing(data, width, height);
      const byZbar = await decodeWithZbar(data, width, height);
      if (byZxing !== text || byZbar !== text) misread.push(`${text} at ${scale} px: zxing ${byZxing}, zbar ${byZbar}`);
    }
    expect(misread).toEqual([]);
  }, 180_000);

  it('moves a code off the mask qrcode picks when the kiosk ZXing cannot read that mask', async () => {
    const unreadableByDefault: string[] = [];
    for (const text of cardTexts) {
      if (!defaultMaskReadsInKioskZxing(text)) unreadableByDefault.push(text);
    }
    // DESIGN says about 5% fail, so 300 texts without one are very unlikely; search further only as a fallback.
    for (let extra = 0; unreadableByDefault.length === 0 && extra < 2700; extra++) {
      const text = randomCardText();
      if (!defaultMaskReadsInKioskZxing(text)) unreadableByDefault.push(text);
    }
    expect(unreadableByDefault.length).toBeGreaterThan(0);

    for (const text of unreadableByDefault) {
      const defaultMask = QRCode.create(text, { errorCorrectionLevel: 'Q' }).maskPattern;
      const { png, maskPattern } = await renderCardQr(text);
      expect(maskPattern).not.toBe(defaultMask);
      const { data, width, height } = PNG.sync.read(png);
      expect(decodeWithKioskZxing(data, width, height)).toBe(text);
    }
  });

  it('gives the print page an SVG with the same modules as the PNG', async () => {
    const text = cardTexts[0]!;
    const maskPattern = await chooseReadableMask(text, 'Q');
    const image = await renderCardQr(text);
    expect(image.maskPattern).toBe(maskPattern);
    const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'Q', maskPattern });
    // qrcode's SVG viewBox is the symbol plus its 4-module margin.
    expect(svg).toContain(`viewBox="0 0 ${image.modules + 8} ${image.modules + 8}"`);
    const reference = PNG.sync.read(await QRCode.toBuffer(text, { errorCorrectionLevel: 'Q', maskPattern, scale: 8, margin: 4 }));
    expect(PNG.sync.read(image.png).data.equals(reference.data)).toBe(true);
  });

  it('uses level H when asked, and rejects scales too small to check', async () => {
    const text = cardTexts[1]!;
    const high = await renderCardQr(text, { errorCorrectionLevel: 'H', scale: 5 });
    const maskPattern = await chooseReadableMask(text, 'H');
    const reference = PNG.sync.read(await QRCode.toBuffer(text, { errorCorrectionLevel: 'H', maskPattern, scale: 5, margin: 4 }));
    expect(PNG.sync.read(high.png).data.equals(reference.data)).toBe(true);
    await expect(renderCardQr(text, { scale: 2 })).rejects.toThrow(RangeError);
  });

  it.skipIf(!zbarimgInstalled)('real zbarimg reads the printed PNGs (skipped without zbarimg: apt install zbar-tools)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'card-qr-'));
    try {
      for (const [index, text] of cardTexts.slice(0, 25).entries()) {
        const file = join(dir, `card-${index}.png`);
        await writeFile(file, (await renderCardQr(text)).png);
        const { stdout } = await promisify(execFile)('zbarimg', ['--raw', '-q', file]);
        expect(stdout.trim()).toBe(text);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
