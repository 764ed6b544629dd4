import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { createLogger } from '../../server/src/logger.ts';
import { createPool } from './db.ts';
import { createHub } from './hub.ts';
import { migrate } from './migrate.ts';

const envSchema = z.object({
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres://… address'),
  PORT: z.string().optional().transform((v) => (v ? Number(v) : 8090)).pipe(z.number().int().min(0).max(65535)),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  HUB_ADMIN_PASSWORD: z.string().min(8, 'must have at least 8 characters'),
  HUB_VIEWER_PASSWORD: z.string().min(8, 'must have at least 8 characters').optional().or(z.literal('').transform(() => undefined)),
  HUB_TIME_ZONE: z.string().default('Asia/Shanghai'),
  LOG_LEVEL: z.enum(['silent', 'error', 'warn', 'info']).default('info'),
});

/** The hub's entry point: `DATABASE_URL=postgres://… PORT=… HUB_ADMIN_PASSWORD=… npm run hub`. */
async function main(): Promise<void> {
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    console.error(`\nThe environment has settings the hub cannot use:\n${parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n')}\n`);
    process.exit(78);
  }
  const env = parsed.data;
  const logger = createLogger(env.LOG_LEVEL);
  const pool = createPool(env.DATABASE_URL);
  pool.on('error', (error) => logger.warn(`PostgreSQL connection lost: ${error.message}`));
  const applied = await migrate(pool);
  if (applied.length > 0) logger.info(`Applied migrations: ${applied.join(', ')}`);
  const hub = createHub({ pool, passwords: { admin: env.HUB_ADMIN_PASSWORD, viewer: env.HUB_VIEWER_PASSWORD }, logger, timeZone: env.HUB_TIME_ZONE });
  await new Promise<void>((resolve, reject) => {
    hub.httpServer.once('error', reject);
    hub.httpServer.listen(env.PORT, env.HOST, resolve);
  });
  const { port } = hub.httpServer.address() as AddressInfo;
  logger.info(`District hub listening on port ${port}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: stopping the hub…`);
    await hub.close();
    await pool.end();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
