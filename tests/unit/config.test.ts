import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/src/config.ts';

describe('configuration from the environment', () => {
  it('has the documented defaults', () => {
    expect(loadConfig({})).toMatchObject({ port: 8080, httpsPort: 8443, host: '0.0.0.0', dataDir: path.resolve('./data'), adminPassword: undefined });
  });
  it('reads every setting', () => {
    expect(loadConfig({ PORT: '9000', HTTPS_PORT: '0', HOST: '127.0.0.1', DATA_DIR: '/tmp/x', ADMIN_PASSWORD: 'long-enough' })).toMatchObject({
      port: 9000, httpsPort: 0, host: '127.0.0.1', dataDir: '/tmp/x', adminPassword: 'long-enough',
    });
  });
  it('refuses bad values with a message naming the setting and the value', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT: .*"eighty"/);
    expect(() => loadConfig({ HTTPS_PORT: '70000' })).toThrow(/HTTPS_PORT/);
    expect(() => loadConfig({ ADMIN_PASSWORD: 'short' })).toThrow(/ADMIN_PASSWORD: must have at least 8 characters/);
  });
});
