/**
 * The naive reference: what a typical lowdb app does. lowdb's own JSONFile adapter holds the
 * whole community-10y data set; each scan is pushed into db.data and acknowledged once
 * `await db.write()` has rewritten the whole file. (lowdb serialises the whole state on every
 * write() call and writes via temp file + rename, without fsync: it is not even durable.)
 *
 * `node --import tsx scripts/bench/naive-lowdb-server.ts FILE.json` with PORT and HOST in the environment.
 */
import { createServer } from 'node:http';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { Server } from 'socket.io';

const file = process.argv[2];
if (!file) throw new Error('Usage: naive-lowdb-server.ts FILE.json');
type Data = Record<string, unknown[]> & { scans: unknown[] };
const db = new Low<Data>(new JSONFile<Data>(file), { scans: [] });
await db.read();
db.data.scans ??= [];

const http = createServer((req, res) => {
  res.writeHead(req.url === '/api/health' ? 200 : 404, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ status: 'ok' }));
});
const io = new Server(http, { serveClient: false });
io.of('/kiosk').on('connection', (socket) => {
  socket.on('scan', async (payload: { scanId?: unknown }, ack: unknown) => {
    if (typeof ack !== 'function') return;
    db.data.scans.push({ ...payload, receivedAt: new Date().toISOString() });
    await db.write();
    ack({ ok: true, scanId: payload?.scanId });
  });
});
http.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
