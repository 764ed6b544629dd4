/**
 * What makes a browser tab behave like a kiosk: the screen stays on, storage is not evicted,
 * the app shell is cached, and gestures that would leave the next volunteer a zoomed or
 * scrolled screen do nothing.
 */

/** Holds a screen wake lock; the browser drops it whenever the page is hidden, so it is taken again on return. */
export function keepScreenAwake(): void {
  if (!('wakeLock' in navigator)) return;
  const acquire = () => {
    if (document.visibilityState === 'visible') navigator.wakeLock.request('screen').catch(() => undefined);
  };
  acquire();
  document.addEventListener('visibilitychange', acquire);
}

/** Asks that the offline queue never be evicted under storage pressure. */
export function requestPersistentStorage(): void {
  navigator.storage?.persist?.().catch(() => undefined);
}

export function registerServiceWorker(): void {
  // Only the built app has a service worker; the dev server has none.
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
  navigator.serviceWorker.register(`${import.meta.env.BASE_URL}sw.js`, { scope: import.meta.env.BASE_URL }).catch(() => undefined);
}

export function blockZoomAndSelection(): void {
  const stop = (event: Event) => event.preventDefault();
  // Pinch zoom on iOS Safari ignores the viewport meta; Ctrl+wheel zooms a desktop browser.
  document.addEventListener('gesturestart', stop);
  document.addEventListener('wheel', (event) => event.ctrlKey && event.preventDefault(), { passive: false });
  // Long presses open the staff settings; the browser's own menu must not appear instead.
  document.addEventListener('contextmenu', stop);
}
