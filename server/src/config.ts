import path from 'node:path';
import { z } from 'zod';

const port = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v === '' ? fallback : Number(v)))
    .pipe(z.number({ error: 'must be a number' }).int('must be a whole number').min(0).max(65535, 'must be at most 65535'));

const envSchema = z.object({
  PORT: port(8080),
  HTTPS_PORT: port(8443),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().trim().min(1).default('./data'),
  ADMIN_PASSWORD: z.string().min(8, 'must have at least 8 characters').optional().or(z.literal('').transform(() => undefined)),
  /** Extra names the HTTPS certificate covers, comma-separated (e.g. a name the center's router gives the PC). */
  EXTRA_HOSTNAMES: z.string().optional().transform((v) => (v ? v.split(',').map((h) => h.trim()).filter(Boolean) : [])),
  LOG_LEVEL: z.enum(['silent', 'error', 'warn', 'info']).default('info'),
});

export interface Config {
  port: number;
  httpsPort: number;
  host: string;
  dataDir: string;
  adminPassword?: string;
  extraHostnames: string[];
  logLevel: 'silent' | 'error' | 'warn' | 'info';
}

export class ConfigError extends Error {}

/** Reads the environment once, in the entry point; everything else receives a Config. */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message} (got ${JSON.stringify(env[String(issue.path[0])])})`);
    throw new ConfigError(`The environment has settings the server cannot use:\n${problems.join('\n')}`);
  }
  const value = result.data;
  return {
    port: value.PORT,
    httpsPort: value.HTTPS_PORT,
    host: value.HOST,
    dataDir: path.resolve(value.DATA_DIR),
    adminPassword: value.ADMIN_PASSWORD,
    extraHostnames: value.EXTRA_HOSTNAMES,
    logLevel: value.LOG_LEVEL,
  };
}
