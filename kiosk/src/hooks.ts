import { useEffect, useRef } from 'preact/hooks';
import { WedgeDetector } from './wedge-scanner.ts';

/**
 * Fires `onHold` once a press has lasted `ms`. Staff settings hide behind a hold so a volunteer's
 * tap never opens them.
 */
export function useLongPress(ms: number, onHold: () => void) {
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const cancel = () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
  };
  useEffect(() => cancel, []);
  return {
    onPointerDown: () => {
      cancel();
      timer.current = setTimeout(() => {
        timer.current = null;
        onHold();
      }, ms);
    },
    onPointerUp: cancel,
    onPointerLeave: cancel,
    onPointerCancel: cancel,
  };
}

/**
 * Listens for a keyboard-wedge scanner anywhere on the page. Keys go to the detector, never to
 * the page: an Enter from the scanner must not press whichever button happens to have focus.
 */
export function useWedgeScanner(enabled: boolean, onScan: (text: string) => void): void {
  const latest = useRef(onScan);
  latest.current = onScan;
  useEffect(() => {
    if (!enabled) return;
    const detector = new WedgeDetector();
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.isComposing || event.ctrlKey || event.altKey || event.metaKey) return;
      if (event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement) return;
      const text = detector.key(event.key, event.timeStamp);
      if (event.key === 'Enter' || [...event.key].length === 1) event.preventDefault();
      if (text) latest.current(text);
    };
    window.addEventListener('keydown', onKeyDown, { capture: true });
    return () => window.removeEventListener('keydown', onKeyDown, { capture: true });
  }, [enabled]);
}
