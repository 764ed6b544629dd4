// `npm run restore -- FILE`: puts a backup (DATA_DIR/backups/*.tar.gz, or a copy from a USB drive)
// in place of the data in DATA_DIR (default ./data). The server must be stopped. The backup is
// checked before anything changes, and the data it replaces is kept in DATA_DIR/replaced/<time>/.
// An encrypted backup (`.tar.gz.enc`) asks for its passphrase: typed unseen at a terminal, or the
// first line of standard input when it is not one (`echo … | npm run restore -- FILE`).
import path from 'node:path';
import { BackupInvalidError } from '../server/src/backup/backup-archive.ts';
import { DataFolderBusyError } from '../server/src/backup/data-lock.ts';
import { describe, restoreBackup } from '../server/src/backup/restore.ts';
import { isEncryptedBackup } from '../server/src/backup/backup-encryption.ts';
import { promises as fs } from 'node:fs';
import { ConfigError, loadConfig } from '../server/src/config.ts';

async function main(): Promise<number> {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  if (args.length !== 1 || args[0] === '--help' || args[0] === '-h') {
    console.error('Usage: npm run restore -- <backup file>\n  e.g. npm run restore -- data/backups/volunteer-station-2025-03-14-080000.tar.gz\nDATA_DIR chooses the data folder (default ./data). Stop the server first.');
    return 2;
  }
  const config = loadConfig(process.env);
  // npm runs scripts at the project root; the file is named relative to where the user typed it.
  const file = path.resolve(process.env.INIT_CWD ?? process.cwd(), args[0]!);
  console.log(`Restoring into ${config.dataDir}`);
  const encrypted = (await fs.stat(file).catch(() => null))?.isFile() ? await isEncryptedBackup(file) : false;
  const passphrase = encrypted ? await askPassphrase('This backup is encrypted. Its passphrase: ') : undefined;
  const result = await restoreBackup(file, config.dataDir, { log: (line) => console.log(line), ...(passphrase !== undefined ? { passphrase } : {}) });
  console.log(`\nDone: the data folder now holds the backup of ${result.backupCreatedAt} (${describe(result.counts)}).`);
  if (result.replacedDir) console.log(`The data that was there is kept in ${result.replacedDir}`);
  if (result.keptLocalCertificates) console.log("The backup had no CA key (it was downloaded), so this PC's HTTPS certificates were kept: tablets that trust this PC go on working.");
  console.log('Start the server again (npm start, or start the service).');
  return 0;
}

/** The passphrase, not echoed at a terminal; from a pipe, its first line. */
async function askPassphrase(prompt: string): Promise<string> {
  const input = process.stdin;
  process.stdout.write(prompt);
  if (!input.isTTY) {
    let text = '';
    for await (const chunk of input) {
      text += String(chunk);
      if (text.includes('\n')) break;
    }
    process.stdout.write('\n');
    return text.split(/\r?\n/)[0] ?? '';
  }
  return new Promise((resolve) => {
    let typed = '';
    input.setRawMode(true);
    input.setEncoding('utf8');
    input.resume();
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') {
          input.off('data', onData);
          input.setRawMode(false);
          input.pause();
          process.stdout.write('\n');
          return resolve(typed);
        }
        if (char === '\u0003') process.exit(130);
        if (char === '\u007f' || char === '\b') typed = [...typed].slice(0, -1).join('');
        else typed += char;
      }
    };
    input.on('data', onData);
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof BackupInvalidError || error instanceof DataFolderBusyError || error instanceof ConfigError) {
      console.error(`\nRestore refused${error instanceof BackupInvalidError ? ` (${error.code})` : ''}: ${error.message}\nNothing was changed.`);
      process.exit(1);
    }
    console.error('\nThe restore stopped with an unexpected error:', error);
    console.error('If it stopped while moving files, run the same command again (the server will not start until it has finished); the data it was replacing is in DATA_DIR/replaced/.');
    process.exit(1);
  },
);
