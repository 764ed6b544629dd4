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
  /** MDNS=0 stops announcing the server on the LAN (multicast leaves the PC; tests never send it). */
  MDNS: z.enum(['0', '1', '']).optional().transform((v) => v !== '0'),
  /** ARCHIVE_CLOSED_YEARS=0 keeps closed years in the live state (store/archive/, docs/architecture.md "Closed years"). */
  ARCHIVE_CLOSED_YEARS: z.enum(['0', '1', '']).optional().transform((v) => v !== '0'),
  /** The .local name announced over mDNS and put in the certificate, without ".local". */
  MDNS_NAME: z.string().trim().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i, 'must be letters, digits and hyphens').default('volunteer-station'),
  /** A certificate the center already has, instead of the one the server makes (PEM files). */
  TLS_CERT_FILE: z.string().trim().optional().transform((v) => v || undefined),
  TLS_KEY_FILE: z.string().trim().optional().transform((v) => v || undefined),
  /** A folder (e.g. a USB drive) that receives a copy of every backup. */
  BACKUP_COPY_DIR: z.string().trim().optional().transform((v) => v || undefined),
  /** The district hub this station reports to (docs/district.md), and the join key the district gave it. */
  HUB_URL: z.string().trim().optional().transform((v) => v || undefined).pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s):// address' }).optional()),
  HUB_JOIN_KEY: z.string().trim().optional().transform((v) => v || undefined),
}).refine((v) => !v.TLS_CERT_FILE === !v.TLS_KEY_FILE, { path: ['TLS_CERT_FILE'], message: 'TLS_CERT_FILE and TLS_KEY_FILE go together' })
  .refine((v) => !v.HUB_URL === !v.HUB_JOIN_KEY, { path: ['HUB_URL'], message: 'HUB_URL and HUB_JOIN_KEY go together' });

export interface Config {
  port: number;
  httpsPort: number;
  host: string;
  dataDir: string;
  adminPassword?: string;
  extraHostnames: string[];
  logLevel: 'silent' | 'error' | 'warn' | 'info';
  mdns: boolean;
  mdnsName?: string;
  tlsCertFile?: string;
  tlsKeyFile?: string;
  backupCopyDir?: string;
  /** The district hub (HUB_URL, HUB_JOIN_KEY); when set they win over the admin's link settings. */
  hubUrl?: string;
  hubJoinKey?: string;
  /** Move closed years to their archive files at start and hourly (on unless ARCHIVE_CLOSED_YEARS=0; off when unset, as in tests). */
  archiveClosedYears?: boolean;
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
    mdns: value.MDNS,
    archiveClosedYears: value.ARCHIVE_CLOSED_YEARS,
    mdnsName: value.MDNS_NAME,
    tlsCertFile: value.TLS_CERT_FILE && path.resolve(value.TLS_CERT_FILE),
    tlsKeyFile: value.TLS_KEY_FILE && path.resolve(value.TLS_KEY_FILE),
    backupCopyDir: value.BACKUP_COPY_DIR && path.resolve(value.BACKUP_COPY_DIR),
    hubUrl: value.HUB_URL,
    hubJoinKey: value.HUB_JOIN_KEY,
  };
}
