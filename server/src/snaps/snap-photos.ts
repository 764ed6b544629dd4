import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { sniffPhotoType } from '../http/image-types.ts';
import { AppError } from '../protocol/errors.ts';

/** Inside DATA_DIR, so backups (which copy every data entry) carry the photos with their records. */
export const SNAP_PHOTOS_DIR = 'snaps';
/** Longest side kept: enough to see a blocked exit or a dangling cable, small enough for years of reports. */
const MAX_SIDE = 1600;
const THUMB_SIDE = 320;
/** A decompression bomb (a tiny file that claims a giant canvas) is refused before it is decoded. */
const MAX_INPUT_PIXELS = 50_000_000;

export interface ProcessedPhoto {
  photo: Buffer;
  thumbnail: Buffer;
  width: number;
  height: number;
}

/**
 * Checks the bytes are a JPEG, PNG or WebP and re-encodes them as a JPEG without metadata:
 * EXIF (GPS position, phone model, time) and any other block is gone, the orientation applied.
 */
export async function processSnapPhoto(bytes: Buffer): Promise<ProcessedPhoto> {
  if (!sniffPhotoType(bytes)) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'The photo must be a JPEG, PNG or WebP image', 415);
  // Loaded on the first photo, not at start-up: the native library (libvips, tens of MB) is
  // needed only when someone sends a snap, and a start on the center's old PC stays quick.
  const { default: sharp } = await import('sharp');
  try {
    // rotate() with no angle applies the EXIF orientation before the metadata is dropped (sharp keeps none unless asked).
    const base = sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' }).rotate();
    const { data, info } = await base.clone().resize({ width: MAX_SIDE, height: MAX_SIDE, fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 82, mozjpeg: true }).toBuffer({ resolveWithObject: true });
    const thumbnail = await base.clone().resize({ width: THUMB_SIDE, height: THUMB_SIDE, fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 70 }).toBuffer();
    return { photo: data, thumbnail, width: info.width, height: info.height };
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'The photo could not be read as an image', 415);
  }
}

/** temp file, fsync, rename: a crash leaves the old file or the new one, never half of one (backups skip *.tmp). */
export async function writeFileAtomically(file: string, bytes: Buffer): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const handle = await fs.open(temporary, 'w', 0o600);
    try {
      await handle.writeFile(bytes);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await fs.rename(temporary, file);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw error;
  }
}

export function snapPhotoPath(dataDir: string, file: string, size: 'full' | 'thumb'): string {
  return path.join(dataDir, SNAP_PHOTOS_DIR, size === 'full' ? file : file.replace(/\.jpg$/, '.thumb.jpg'));
}
