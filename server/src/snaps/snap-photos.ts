import path from 'node:path';
import { reencodeAsJpeg } from '../http/photo-files.ts';

/** Inside DATA_DIR, so backups (which copy every data entry) carry the photos with their records. */
export const SNAP_PHOTOS_DIR = 'snaps';
/** Longest side kept: enough to see a blocked exit or a dangling cable, small enough for years of reports. */
const MAX_SIDE = 1600;
const THUMB_SIDE = 320;

export interface ProcessedPhoto {
  photo: Buffer;
  thumbnail: Buffer;
  width: number;
  height: number;
}

/** The snap and its thumbnail as JPEGs without metadata (see reencodeAsJpeg). */
export async function processSnapPhoto(bytes: Buffer): Promise<ProcessedPhoto> {
  const [photo, thumbnail] = await reencodeAsJpeg(bytes, [
    { maxSide: MAX_SIDE, quality: 82, mozjpeg: true },
    { maxSide: THUMB_SIDE, quality: 70 },
  ]);
  return { photo: photo!.data, thumbnail: thumbnail!.data, width: photo!.width, height: photo!.height };
}

export function snapPhotoPath(dataDir: string, file: string, size: 'full' | 'thumb'): string {
  return path.join(dataDir, SNAP_PHOTOS_DIR, size === 'full' ? file : file.replace(/\.jpg$/, '.thumb.jpg'));
}
