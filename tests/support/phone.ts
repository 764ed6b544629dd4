import sharp from 'sharp';
import type { Socket } from 'socket.io-client';
import type { MeLinkAck } from '../../server/src/protocol/events.ts';
import { ApiClient, emitWithAck } from './station.ts';

/** A phone with a volunteer session: me:link at the kiosk, then the link opened as a phone's browser would. */
export async function linkPhone(kiosk: Socket, baseUrl: string, cardCode: string): Promise<ApiClient> {
  const ack = await emitWithAck<MeLinkAck>(kiosk, 'me:link', { code: cardCode });
  if (!ack.ok) throw new Error(`me:link failed: ${JSON.stringify(ack)}`);
  const response = await fetch(ack.url, { redirect: 'manual' });
  const cookie = response.headers.get('set-cookie')?.split(';')[0];
  if (!cookie) throw new Error(`the link gave no cookie (${response.status} ${response.headers.get('location')})`);
  const phone = new ApiClient(baseUrl);
  phone.cookie = cookie;
  return phone;
}

/** Sends a 随手拍 the way the /me/ page does: multipart with photo, category, place and note. */
export async function sendSnap(phone: ApiClient, fields: { photo?: Buffer; type?: string; filename?: string; category?: string; place?: string; note?: string; clientId?: string }) {
  const form = new FormData();
  if (fields.photo) form.append('photo', new Blob([new Uint8Array(fields.photo)], { type: fields.type ?? 'image/jpeg' }), fields.filename ?? 'photo.jpg');
  for (const key of ['category', 'place', 'note', 'clientId'] as const) if (fields[key] !== undefined) form.append(key, fields[key]!);
  const response = await fetch(`${phone.baseUrl}/api/me/snaps`, { method: 'POST', body: form, headers: phone.cookie ? { cookie: phone.cookie } : {} });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** Real encoded images, made by an encoder rather than hand-written bytes. */
export async function testImage(format: 'png' | 'jpeg' | 'webp', options: { width?: number; height?: number; gps?: boolean } = {}): Promise<Buffer> {
  let image = sharp({ create: { width: options.width ?? 320, height: options.height ?? 240, channels: 3, background: { r: 210, g: 90, b: 40 } } });
  if (options.gps) {
    image = image.withExif({
      IFD0: { Make: 'TestPhone', Model: 'GPS-1' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '31/1 14/1 1234/100', GPSLongitudeRef: 'E', GPSLongitude: '121/1 28/1 5678/100' },
    });
  }
  return format === 'png' ? image.png().toBuffer() : format === 'webp' ? image.webp().toBuffer() : image.jpeg().toBuffer();
}

/**
 * Whether an EXIF block (as sharp's metadata returns it, "Exif\0\0" + TIFF) points to a GPS IFD
 * (tag 0x8825 in IFD0). A tiny reader, so the test does not trust the code it checks.
 */
export function exifHasGps(exif: Buffer | undefined): boolean {
  if (!exif) return false;
  const tiff = exif.subarray(exif.toString('latin1', 0, 4) === 'Exif' ? 6 : 0);
  const little = tiff.toString('latin1', 0, 2) === 'II';
  const u16 = (at: number) => (little ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number) => (little ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  const ifd0 = u32(4);
  const count = u16(ifd0);
  for (let i = 0; i < count; i++) if (u16(ifd0 + 2 + i * 12) === 0x8825) return true;
  return false;
}
