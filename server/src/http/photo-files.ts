import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { RequestHandler } from 'express';
import multer from 'multer';
import { AppError } from '../protocol/errors.ts';
import { syncDirectory } from '../store/journal.ts';
import { sniffPhotoType } from './image-types.ts';

/**
 * Photos people send (随手拍 snaps, volunteers' portraits): read from a multipart upload, checked
 * by their first bytes, re-encoded by sharp as a plain JPEG, and written into DATA_DIR whole or
 * not at all. One place for all of it, so a fix to the checks reaches every kind of photo.
 */

/** A decompression bomb (a tiny file that claims a giant canvas) is refused before it is decoded. */
const MAX_INPUT_PIXELS = 50_000_000;

export interface JpegSize {
  /** Longest side kept (never enlarged). */
  maxSide: number;
  quality: number;
  mozjpeg?: boolean;
}

export interface EncodedJpeg {
  data: Buffer;
  width: number;
  height: number;
}

/**
 * Checks the bytes are a JPEG, PNG or WebP and re-encodes them as JPEGs of the given sizes without
 * metadata: EXIF (GPS position, phone model, time) and any other block is gone, the orientation applied.
 */
export async function reencodeAsJpeg(bytes: Buffer, sizes: readonly JpegSize[]): Promise<EncodedJpeg[]> {
  if (!sniffPhotoType(bytes)) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'The photo must be a JPEG, PNG or WebP image', 415);
  // Loaded on the first photo, not at start-up: the native library (libvips, tens of MB) is
  // needed only when someone sends a photo, and a start on the center's old PC stays quick.
  const { default: sharp } = await import('sharp');
  try {
    // rotate() with no angle applies the EXIF orientation before the metadata is dropped (sharp keeps none unless asked).
    const base = sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' }).rotate();
    const encoded: EncodedJpeg[] = [];
    for (const size of sizes) {
      const { data, info } = await base
        .clone()
        .resize({ width: size.maxSide, height: size.maxSide, fit: 'inside', withoutEnlargement: true })
        .jpeg({ quality: size.quality, ...(size.mozjpeg ? { mozjpeg: true } : {}) })
        .toBuffer({ resolveWithObject: true });
      encoded.push({ data, width: info.width, height: info.height });
    }
    return encoded;
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'The photo could not be read as an image', 415);
  }
}

/**
 * temp file, fsync, rename, fsync of the folder: a crash leaves the old file or the new one, never
 * half of one, and the new name survives a power cut (backups skip *.tmp).
 */
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
  await syncDirectory(path.dirname(file));
}

/**
 * Multipart with one photo in `field`, kept in memory (the re-encoded copy is what is stored).
 * The size limit is read per request, so a setting changed in the admin applies at once.
 */
export function photoUpload(options: { field: string; maxBytes: () => number; tooLargeMessage: string; fields?: number }): RequestHandler {
  return (req, res, next) => {
    const fields = options.fields ?? 10;
    const upload = multer({
      storage: multer.memoryStorage(),
      limits: { fileSize: options.maxBytes(), files: 1, fields, fieldSize: 4096, parts: fields + 2 },
    }).single(options.field);
    upload(req, res, (error: unknown) => {
      if (!error) return next();
      if (error instanceof multer.MulterError) {
        if (error.code === 'LIMIT_FILE_SIZE') return next(new AppError('PAYLOAD_TOO_LARGE', options.tooLargeMessage, 413));
        return next(new AppError('VALIDATION_FAILED', `The upload could not be read (${error.code})`, 400));
      }
      // A malformed multipart body is the caller's mistake, not the server's.
      next(new AppError('VALIDATION_FAILED', 'The upload could not be read', 400));
    });
  };
}

/** Reads a stored photo; a file that went missing is a 404, not a 500. */
export async function readPhotoFile(file: string): Promise<Buffer> {
  return fs.readFile(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new AppError('NOT_FOUND', 'The photo file is missing', 404);
    throw error;
  });
}
