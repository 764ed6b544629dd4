/** Longest side sent: the server keeps 1600 px, so more is only upload time on a weak signal. */
const MAX_SIDE = 1600;
const QUALITY = 0.82;

/**
 * Shrinks a camera photo (often 4–12 MB) to a JPEG of at most 1600 px before it is sent or
 * queued. Drawing onto a canvas also drops the file's EXIF; the server strips it again anyway.
 * Any failure (an old browser without toBlob, an image it cannot decode) sends the original.
 */
export async function shrinkPhoto(file: Blob): Promise<Blob> {
  try {
    const url = URL.createObjectURL(file);
    try {
      const image = await new Promise<HTMLImageElement>((resolve, reject) => {
        const img = new Image();
        img.onload = () => resolve(img);
        img.onerror = () => reject(new Error('decode'));
        img.src = url;
      });
      const scale = Math.min(1, MAX_SIDE / Math.max(image.naturalWidth, image.naturalHeight));
      if (scale === 1 && file.type === 'image/jpeg' && file.size < 1_500_000) return file;
      const canvas = document.createElement('canvas');
      canvas.width = Math.max(1, Math.round(image.naturalWidth * scale));
      canvas.height = Math.max(1, Math.round(image.naturalHeight * scale));
      canvas.getContext('2d')!.drawImage(image, 0, 0, canvas.width, canvas.height);
      const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', QUALITY));
      return blob && blob.size > 0 ? blob : file;
    } finally {
      URL.revokeObjectURL(url);
    }
  } catch {
    return file;
  }
}
