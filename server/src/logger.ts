export type LogLevel = 'silent' | 'error' | 'warn' | 'info';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

const rank: Record<LogLevel, number> = { silent: 0, error: 1, warn: 2, info: 3 };

/** Logs go to the console of the center's PC; no personal data (names, phones, ID numbers) is ever passed here. */
export function createLogger(level: LogLevel): Logger {
  const at = (wanted: LogLevel) => rank[level] >= rank[wanted];
  return {
    info: (message) => at('info') && console.log(`${new Date().toISOString()} ${message}`),
    warn: (message) => at('warn') && console.warn(`${new Date().toISOString()} WARN ${message}`),
    error: (message, error) => at('error') && console.error(`${new Date().toISOString()} ERROR ${message}`, error instanceof Error ? error.stack : (error ?? '')),
  };
}
