/** Photo types the server accepts, recognised by their first bytes: a Content-Type header is only the client's claim. */
export const photoTypes = {
  'image/jpeg': { ext: 'jpg', matches: (b: Buffer) => b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  'image/png': { ext: 'png', matches: (b: Buffer) => b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  'image/webp': { ext: 'webp', matches: (b: Buffer) => b.length >= 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP' },
} as const;
export type PhotoType = keyof typeof photoTypes;
export const isPhotoType = (type: string): type is PhotoType => Object.hasOwn(photoTypes, type);

/** The photo type the bytes really are, or undefined. */
export function sniffPhotoType(bytes: Buffer): PhotoType | undefined {
  return (Object.keys(photoTypes) as PhotoType[]).find((type) => photoTypes[type].matches(bytes));
}
