import { createRequire } from 'node:module';
import { scanRGBABuffer, ZBarSymbolType } from '@undecaf/zbar-wasm';
import { PNG } from 'pngjs';
import QRCode, { type BitMatrix, type QRCodeMaskPattern } from 'qrcode';

/**
 * Card QR codes, made so that every printed card scans (DESIGN section 7).
 *
 * The ZXing inside html5-qrcode misreads about 5% of valid codes from `qrcode` (data modules that
 * look like a finder pattern), and such a card fails on every frame. Another mask pattern has cured
 * every case seen, so each code is checked with the kiosk's own ZXing and with zbar, and the first
 * mask both read is used. The PNG and the admin print page's SVG must use the same mask:
 * `QRCode.toString(text, { type: 'svg', errorCorrectionLevel, maskPattern: await chooseReadableMask(text, errorCorrectionLevel) })`.
 */

export type CardErrorCorrectionLevel = 'Q' | 'H';

export interface CardQrImage {
  png: Buffer;
  maskPattern: QRCodeMaskPattern;
  /** Modules per side of the symbol, quiet zone excluded. */
  modules: number;
}

export class QrUnreadableError extends Error {
  override name = 'QrUnreadableError';
}

/** The QR specification's minimum; below it zbar and ZXing both start missing codes. */
const QUIET_ZONE_MODULES = 4;
/** 296 px for a card code: about 2.5 cm at 300 dpi. */
const DEFAULT_SCALE = 8;
const MIN_SCALE = 3;
const MAX_SCALE = 40;
/**
 * Pixels per module the kiosk camera sees on a held-up card or phone screen. Whether ZXing reads a
 * code also depends on how its row-skipping finder search lines up with module edges: some masks
 * read at 8 px but not at 5–7 px, so a mask must read at each of these scales.
 */
const CAMERA_SCALES = [3, 4, 5, 6, 7, 8] as const;
/** zbar read all of 3,000 random card codes, so one small (fast) rendering is enough. */
const ZBAR_CHECK_SCALE = 4;
const MASK_CACHE_LIMIT = 5000;

/**
 * Renders the QR text as a PNG that both the kiosk's ZXing and zbar decode to exactly `text`. The
 * mask is `chooseReadableMask`'s, so an SVG made with it has the same modules; the returned PNG's
 * own pixels are decoded too. Throws QrUnreadableError if they do not decode (never expected for
 * scales 3–8, the ones `chooseReadableMask` checks).
 */
export async function renderCardQr(
  text: string,
  options: { scale?: number; errorCorrectionLevel?: CardErrorCorrectionLevel } = {},
): Promise<CardQrImage> {
  const { scale = DEFAULT_SCALE, errorCorrectionLevel = 'Q' } = options;
  if (!Number.isInteger(scale) || scale < MIN_SCALE || scale > MAX_SCALE) {
    throw new RangeError(`QR scale must be a whole number of pixels per module from ${MIN_SCALE} to ${MAX_SCALE}`);
  }
  const maskPattern = await chooseReadableMask(text, errorCorrectionLevel);
  const { modules } = createCode(text, errorCorrectionLevel, maskPattern);
  const image = renderModules(modules, scale);
  const readByZxing = decodeWithKioskZxing(image.data, image.width, image.height) === text;
  if (!readByZxing || (await decodeWithZbar(image.data, image.width, image.height)) !== text) {
    throw new QrUnreadableError(`mask ${maskPattern} does not decode at ${scale} px per module; use one of ${CAMERA_SCALES.join(', ')}`);
  }
  const png = new PNG({ width: image.width, height: image.height });
  png.data = image.data;
  // Grayscale with the "up" filter: a fifth of the RGBA size, and pngjs writes it twice as fast
  // as when it tries every filter on every row.
  return { png: PNG.sync.write(png, { colorType: 0, filterType: 2 }), maskPattern, modules: modules.size };
}

const chosenMasks = new Map<string, QRCodeMaskPattern>();

/**
 * The first mask pattern, starting from the one `qrcode` would choose and going round 0..7, whose
 * code the kiosk's ZXing reads at every camera scale and zbar reads too. Throws QrUnreadableError
 * if there is none (never expected).
 */
export async function chooseReadableMask(
  text: string,
  errorCorrectionLevel: CardErrorCorrectionLevel = 'Q',
): Promise<QRCodeMaskPattern> {
  const key = `${errorCorrectionLevel}:${text}`;
  const cached = chosenMasks.get(key);
  if (cached !== undefined) {
    // Re-inserting moves the key to the end of the Map's order, which makes the eviction below LRU.
    chosenMasks.delete(key);
    chosenMasks.set(key, cached);
    return cached;
  }
  for (const maskPattern of masksToTry(text, errorCorrectionLevel)) {
    if (await readsEverywhere(createCode(text, errorCorrectionLevel, maskPattern).modules, text)) {
      chosenMasks.set(key, maskPattern);
      if (chosenMasks.size > MASK_CACHE_LIMIT) {
        const oldest = chosenMasks.keys().next().value;
        if (oldest !== undefined) chosenMasks.delete(oldest);
      }
      return maskPattern;
    }
  }
  // The text is a card's credential, so it stays out of the message (and any log it reaches).
  throw new QrUnreadableError('no QR mask pattern decodes in both the kiosk ZXing and zbar');
}

function masksToTry(text: string, errorCorrectionLevel: CardErrorCorrectionLevel): QRCodeMaskPattern[] {
  const preferred = QRCode.create(text, { errorCorrectionLevel }).maskPattern ?? 0;
  return Array.from({ length: 8 }, (_, step) => ((preferred + step) % 8) as QRCodeMaskPattern);
}

function createCode(text: string, errorCorrectionLevel: CardErrorCorrectionLevel, maskPattern: QRCodeMaskPattern) {
  return QRCode.create(text, { errorCorrectionLevel, maskPattern });
}

async function readsEverywhere(modules: BitMatrix, text: string): Promise<boolean> {
  for (const scale of CAMERA_SCALES) {
    const image = renderModules(modules, scale);
    if (decodeWithKioskZxing(image.data, image.width, image.height) !== text) return false;
  }
  const image = renderModules(modules, ZBAR_CHECK_SCALE);
  return (await decodeWithZbar(image.data, image.width, image.height)) === text;
}

interface RgbaImage {
  data: Buffer;
  width: number;
  height: number;
}

/** Opaque black on opaque white, so no page background or print driver can change what was checked. */
function renderModules(modules: BitMatrix, scale: number): RgbaImage {
  const side = (modules.size + 2 * QUIET_ZONE_MODULES) * scale;
  const rowBytes = side * 4;
  const data = Buffer.alloc(side * rowBytes, 255);
  for (let row = 0; row < modules.size; row++) {
    const top = (row + QUIET_ZONE_MODULES) * scale * rowBytes;
    for (let column = 0; column < modules.size; column++) {
      if (!modules.get(row, column)) continue;
      const left = top + (column + QUIET_ZONE_MODULES) * scale * 4;
      for (let pixel = left; pixel < left + scale * 4; pixel += 4) data[pixel] = data[pixel + 1] = data[pixel + 2] = 0;
    }
    for (let copy = 1; copy < scale; copy++) data.copy(data, top + copy * rowBytes, top, top + rowBytes);
  }
  return { data, width: side, height: side };
}

/** The part of html5-qrcode's bundled ZXing (a UMD build without usable typings) that its decoder uses. */
interface KioskZxing {
  BarcodeFormat: { QR_CODE: number };
  DecodeHintType: { POSSIBLE_FORMATS: number; TRY_HARDER: number };
  HTMLCanvasElementLuminanceSource: {
    toGrayscaleBuffer(rgba: Uint8ClampedArray | Buffer, width: number, height: number): Uint8ClampedArray;
  };
  RGBLuminanceSource: new (luminances: Uint8ClampedArray, width: number, height: number) => object;
  HybridBinarizer: new (source: object) => object;
  BinaryBitmap: new (binarizer: object) => object;
  MultiFormatReader: new (verbose: boolean, hints: Map<number, unknown>) => { decode(bitmap: object): { text: string } };
  NotFoundException: new () => Error;
  ChecksumException: new () => Error;
  FormatException: new () => Error;
}

// The very file html5-qrcode imports in the kiosk bundle, so the check runs the kiosk's ZXing version
// rather than a newer @zxing/library that may read (or miss) different codes.
const zxing: KioskZxing = createRequire(import.meta.url)('html5-qrcode/third_party/zxing-js.umd.js');

/** The hints html5-qrcode sets when the kiosk asks for QR codes only; no TRY_HARDER, as on the kiosk. */
const kioskHints = new Map<number, unknown>([
  [zxing.DecodeHintType.POSSIBLE_FORMATS, [zxing.BarcodeFormat.QR_CODE]],
  [zxing.DecodeHintType.TRY_HARDER, false],
]);

/** Decodes RGBA pixels the way html5-qrcode decodes a camera frame; null when nothing is read. */
export function decodeWithKioskZxing(rgba: Uint8ClampedArray | Buffer, width: number, height: number): string | null {
  // The kiosk's grayscale conversion (the one its canvas source uses), not RGBLuminanceSource's own.
  const luminances = zxing.HTMLCanvasElementLuminanceSource.toGrayscaleBuffer(rgba, width, height);
  const bitmap = new zxing.BinaryBitmap(new zxing.HybridBinarizer(new zxing.RGBLuminanceSource(luminances, width, height)));
  try {
    return new zxing.MultiFormatReader(false, kioskHints).decode(bitmap).text;
  } catch (error) {
    if (
      error instanceof zxing.NotFoundException ||
      error instanceof zxing.ChecksumException ||
      error instanceof zxing.FormatException
    ) {
      return null;
    }
    throw error;
  }
}

/** Decodes RGBA pixels with zbar; null unless exactly one QR code is found. */
export async function decodeWithZbar(rgba: Uint8ClampedArray | Buffer, width: number, height: number): Promise<string | null> {
  // A copy, because a pooled Buffer's ArrayBuffer also holds unrelated bytes around the pixels.
  const pixels = new Uint8Array(rgba).buffer;
  const symbols = (await scanRGBABuffer(pixels, width, height)).filter((symbol) => symbol.type === ZBarSymbolType.ZBAR_QRCODE);
  const [only, ...others] = symbols;
  return only && others.length === 0 ? only.decode() : null;
}
