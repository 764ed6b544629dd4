/**
 * The floor: the least a server can do for "one durable line per scan". A bare Socket.IO server
 * that appends each scan as one JSON line, fdatasyncs and acks, with no rules, no state and no
 * token check. Lines that arrive while a sync is running share the next write and sync (group
 * commit), exactly as the station's journal does, so the comparison is about everything else.
 *
 * `node --import tsx scripts/bench/floor-server.ts DIR` with PORT and HOST in the environment.
 */
import { createServer } from 'node:http';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Server } from 'socket.io';

const dir = process.argv[2];
if (!dir) throw new Error('Usage: floor-server.ts DIR');
const file = await fs.open(path.join(dir, 'floor.jsonl'), 'a');
let queue: { line: string; done: () => void }[] = [];
let flushing = false;

async function flush(): Promise<void> {
  while (queue.length > 0) {
    const batch = queue;
    queue = [];
    await file.write(batch.map((entry) => entry.line).join(''));
    await file.datasync();
    for (const entry of batch) entry.done();
  }
  flushing = false;
}

const http = createServer((req, res) => {
  res.writeHead(req.url === '/api/health' ? 200 : 404, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ status: 'ok' }));
});
const io = new Server(http, { serveClient: false });
io.of('/kiosk').on('connection', (socket) => {
  socket.on('scan', (payload: { scanId?: unknown }, ack: unknown) => {
    if (typeof ack !== 'function') return;
    queue.push({ line: `${JSON.stringify(payload)}\n`, done: () => ack({ ok: true, scanId: payload?.scanId }) });
    if (!flushing) {
      flushing = true;
      setImmediate(() => void flush());
    }
  });
});
http.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
