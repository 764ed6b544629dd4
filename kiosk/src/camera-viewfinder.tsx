import { useEffect, useRef, useState } from 'preact/hooks';
import { useMessages } from './i18n/index.ts';

const ELEMENT_ID = 'camera-feed';
/** Decode attempts per second: each takes ~20–40 ms on a tablet, so this keeps a core mostly free. */
const FRAMES_PER_SECOND = 15;
/**
 * The decoder's picture, in CSS pixels. html5-qrcode sizes its scan canvas from the video's box
 * once, when the video starts, and maps every later frame through the box's current size: when
 * the box changed (a tablet turned, the activity line arriving after the camera started) it
 * scanned a corner of the picture and never read a card again. So the box never changes: it is
 * always this size, and only scaled on screen (a transform leaves clientWidth alone).
 */
const FEED_WIDTH = 640;
const FEED_HEIGHT = 480;

// A restart (front ↔ back camera) must wait until the previous camera has been released.
let released: Promise<unknown> = Promise.resolve();

/**
 * The camera picture with a frame to aim at, decoding every frame. No `qrbox`: a box smaller
 * than the card's code on screen never decodes (DESIGN §7), so the whole picture is searched
 * and the frame is only a guide for the volunteer.
 */
export function CameraViewfinder({ facing, onCode }: { facing: 'user' | 'environment'; onCode: (text: string) => void }) {
  const messages = useMessages();
  const latest = useRef(onCode);
  latest.current = onCode;
  const [unavailable, setUnavailable] = useState(false);
  const frame = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = frame.current;
    if (!element) return;
    // Cover the viewfinder, as object-fit: cover would.
    const fit = () => element.style.setProperty('--feed-scale', String(Math.max(element.clientWidth / FEED_WIDTH, element.clientHeight / FEED_HEIGHT)));
    fit();
    const observer = new ResizeObserver(fit);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    let active = true;
    const start = released.then(async () => {
      // Loaded on demand: the decoder is most of the bundle, and the wedge scanner and keypad work without it.
      const { Html5Qrcode, Html5QrcodeSupportedFormats } = await import('html5-qrcode');
      if (!active) return null;
      const scanner = new Html5Qrcode(ELEMENT_ID, { verbose: false, formatsToSupport: [Html5QrcodeSupportedFormats.QR_CODE] });
      // A card is never shown mirrored; trying a flipped copy of every frame would double the work.
      await scanner.start({ facingMode: facing }, { fps: FRAMES_PER_SECOND, disableFlip: true }, (text) => latest.current(text), () => undefined);
      setUnavailable(false);
      return scanner;
    });
    start.catch(() => active && setUnavailable(true));
    return () => {
      active = false;
      released = start.then((scanner) => scanner?.stop()).catch(() => undefined);
    };
  }, [facing]);

  return (
    <div class="viewfinder" ref={frame}>
      <div id={ELEMENT_ID} class="camera-feed" style={{ width: `${FEED_WIDTH}px`, height: `${FEED_HEIGHT}px` }} />
      <div class="viewfinder-frame" aria-hidden="true" />
      {unavailable && <p class="camera-unavailable">{messages.scanning.cameraUnavailable}</p>}
    </div>
  );
}
