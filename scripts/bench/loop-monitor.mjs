// Preloaded into a server the benchmark starts (`node --import tsx --import loop-monitor.mjs …`):
// measures the event-loop delay inside that process without adding anything to the server's code
// or endpoints, and answers the benchmark over the IPC channel. Does nothing when started without one.
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const WINDOW_MS = 100;
const MAX_WINDOWS = 20_000;

if (process.send) {
  const total = monitorEventLoopDelay({ resolution: 1 });
  const window = monitorEventLoopDelay({ resolution: 1 });
  total.enable();
  window.enable();
  /** [epoch ms at the end of the window, max delay in it in ms]: lets the benchmark see a stall next to a snapshot. */
  const windows = [];
  const timer = setInterval(() => {
    windows.push([performance.timeOrigin + performance.now(), window.max / 1e6]);
    if (windows.length > MAX_WINDOWS) windows.splice(0, windows.length - MAX_WINDOWS);
    window.reset();
  }, WINDOW_MS);
  timer.unref();

  // CPU time of the main thread alone (Linux: /proc/thread-self/schedstat, ns on a CPU), read every
  // 10 ms: the most it used between two reads bounds the longest synchronous stretch from above
  // (plus up to ~10 ms of other callbacks), and unlike the delay it does not grow while the
  // thread merely waits for a core on a busy machine. null elsewhere.
  const threadCpuNs = () => {
    try {
      return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]);
    } catch {
      return null;
    }
  };
  let lastCpu = threadCpuNs();
  let heldMaxMs = lastCpu === null ? null : 0;
  if (lastCpu !== null) {
    const cpuTimer = setInterval(() => {
      const now = threadCpuNs();
      heldMaxMs = Math.max(heldMaxMs, (now - lastCpu) / 1e6);
      lastCpu = now;
    }, 10);
    cpuTimer.unref();
  }

  process.on('message', (message) => {
    if (message?.type === 'monitor:reset') {
      total.reset();
      if (heldMaxMs !== null) heldMaxMs = 0;
      process.send({ type: 'monitor:reset', id: message.id });
    } else if (message?.type === 'monitor:gc') {
      // Only with --expose-gc: tells live data from garbage not yet collected.
      globalThis.gc?.();
      process.send({ type: 'monitor:gc', id: message.id, heapUsed: process.memoryUsage().heapUsed, rss: process.memoryUsage().rss });
    } else if (message?.type === 'monitor:read') {
      const since = message.since ?? 0;
      process.send({
        type: 'monitor',
        id: message.id,
        maxMs: total.max / 1e6,
        p99Ms: total.percentile(99) / 1e6,
        meanMs: total.mean / 1e6,
        heldMaxMs,
        rss: process.memoryUsage().rss,
        heapUsed: process.memoryUsage().heapUsed,
        windows: windows.filter(([at]) => at >= since),
      });
    }
  });
  // The IPC channel must not keep a server alive that was asked to stop.
  process.channel?.unref();
}
