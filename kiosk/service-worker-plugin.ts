import { readFileSync } from 'node:fs';
import type { Plugin } from 'vite';

/**
 * Emits sw.js with the list of every built file written into it. The list changes with every
 * build that changes a hashed asset, so the browser sees a new service worker, installs the new
 * app shell in full and drops the old one: a tablet never runs half of one version.
 */
export function serviceWorkerPlugin(templateFile: string): Plugin {
  let base = '/';
  return {
    name: 'kiosk-service-worker',
    apply: 'build',
    configResolved(config) {
      base = config.base;
    },
    generateBundle(_options, bundle) {
      const files = Object.keys(bundle)
        .filter((name) => !name.endsWith('.map'))
        .map((name) => base + name);
      const shell = [base, ...files, `${base}manifest.webmanifest`, `${base}icon.svg`].sort();
      const source = readFileSync(templateFile, 'utf8').replace('self.__APP_SHELL__', JSON.stringify(shell));
      this.emitFile({ type: 'asset', fileName: 'sw.js', source });
    },
  };
}
