import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function sourcesUnder(folder: string): string[] {
  return readdirSync(path.join(ROOT, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name) && !entry.parentPath.includes(`${path.sep}dist`))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

function importsOf(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((match) => match[1]!);
}

/**
 * scripts/build-apps.mjs rebuilds an app when its folder or server/src/protocol changes, and
 * nothing else of the server: an app reaching past `@protocol` into server code would be served
 * stale after that code changed.
 */
describe('what the apps take from the server', () => {
  test('the apps import server code only through @protocol', () => {
    const reaching = ['admin', 'kiosk', 'board', 'me'].flatMap((app) =>
      sourcesUnder(`${app}/src`).flatMap((file) => importsOf(file).filter((spec) => spec.includes('server/')).map((spec) => `${path.relative(ROOT, file)}: ${spec}`)));
    expect(reaching).toEqual([]);
  });

  test('server/src/protocol imports nothing from the rest of the server', () => {
    const leaving = sourcesUnder('server/src/protocol').flatMap((file) =>
      importsOf(file).filter((spec) => spec.startsWith('..')).map((spec) => `${path.relative(ROOT, file)}: ${spec}`));
    expect(leaving).toEqual([]);
  });
});
