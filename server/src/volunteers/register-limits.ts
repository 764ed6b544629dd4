import yauzl from 'yauzl';
import { MAX_DATA_ROWS, RegisterTooLargeError, RegisterFormatError } from './register-import.ts';

/**
 * Cheap checks of an uploaded register before anything parses it, so a zip bomb or a sheet of a
 * hundred thousand rows is refused in milliseconds instead of inflating in memory.
 *
 * Sized from real registers: 20,000 rows of 13 columns make a worksheet of about 12 MB of XML.
 */
const MAX_ZIP_ENTRIES = 1000;
const MAX_ENTRY_BYTES = 40 * 1024 * 1024;
const MAX_TOTAL_BYTES = 80 * 1024 * 1024;
/**
 * Raw rows a sheet may hold: the data rows, plus title, header, footer and blank formatted rows
 * (Excel writes a `<row>` for an empty row that has a height or a style).
 */
export const MAX_SHEET_ROWS = MAX_DATA_ROWS * 2;

const tooManyRows = () =>
  new RegisterTooLargeError(`文件超过${MAX_DATA_ROWS}行，请分成几个文件导入。 / The file has more than ${MAX_DATA_ROWS} rows; split it into smaller files.`);
const tooBig = () =>
  new RegisterTooLargeError('这个 Excel 文件解压后太大，不像志愿者名册，请删去多余的工作表或空行后再导入。 / The XLSX file is far larger once unpacked than a register can be; remove extra sheets or blank rows and try again.');
const unreadable = () => new RegisterFormatError('无法读取这个 Excel 文件，它可能已损坏。 / The XLSX file could not be read; it may be damaged.');

const WORKSHEET = /^xl\/worksheets\/[^/]+\.xml$/i;
// Some writers (the OpenXML SDK) prefix the tags: <x:row>, <x:dimension>.
const ROW_TAG = /<(?:\w+:)?row[\s>/]/g;
const DIMENSION = /<(?:\w+:)?dimension\s+ref="[A-Z]+(\d+)(?::[A-Z]+(\d+))?"/;

/** Refuses, before parsing, an upload a register cannot be: a zip bomb, or a sheet or CSV with far too many rows. */
export async function checkRegisterLimits(bytes: Buffer): Promise<void> {
  const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
  if (isZip) await checkWorkbook(bytes);
  else checkTextLines(bytes);
}

/** A CSV line is at most one row (a quoted cell may span lines, so this can only overcount). */
function checkTextLines(bytes: Buffer): void {
  let lines = 0;
  for (let at = bytes.indexOf(0x0a); at !== -1; at = bytes.indexOf(0x0a, at + 1)) {
    if (++lines > MAX_SHEET_ROWS) throw tooManyRows();
  }
}

function openZip(bytes: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    // validateEntrySizes: an entry that inflates beyond the size it declares fails its stream.
    yauzl.fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: true }, (error, zip) => (error || !zip ? reject(unreadable()) : resolve(zip)));
  });
}

/**
 * The declared sizes come from the central directory, read without inflating anything. Each
 * worksheet is then inflated as a stream and its rows counted, stopping at the limit; the
 * stream cannot inflate past its declared size, so a lying header cannot get round the limits.
 */
async function checkWorkbook(bytes: Buffer): Promise<void> {
  const zip = await openZip(bytes);
  try {
    if (zip.entryCount > MAX_ZIP_ENTRIES) throw tooBig();
    let total = 0;
    for (;;) {
      const entry = await nextEntry(zip);
      if (!entry) break;
      total += entry.uncompressedSize;
      if (entry.uncompressedSize > MAX_ENTRY_BYTES || total > MAX_TOTAL_BYTES) throw tooBig();
      if (WORKSHEET.test(entry.fileName)) await countRows(zip, entry);
    }
  } finally {
    zip.close();
  }
}

function nextEntry(zip: yauzl.ZipFile): Promise<yauzl.Entry | null> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      zip.off('entry', onEntry);
      zip.off('end', onEnd);
      zip.off('error', onError);
    };
    const onEntry = (entry: yauzl.Entry) => (cleanup(), resolve(entry));
    const onEnd = () => (cleanup(), resolve(null));
    const onError = () => (cleanup(), reject(unreadable()));
    zip.on('entry', onEntry);
    zip.on('end', onEnd);
    zip.on('error', onError);
    zip.readEntry();
  });
}

async function countRows(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<void> {
  const stream = await new Promise<NodeJS.ReadableStream & { destroy(): void }>((resolve, reject) => {
    zip.openReadStream(entry, (error, readable) => (error || !readable ? reject(unreadable()) : resolve(readable)));
  });
  let rows = 0;
  let head = '';
  let carry = '';
  try {
    for await (const chunk of stream) {
      const text = carry + (chunk as Buffer).toString('latin1');
      // <dimension> sits near the top of the sheet: it gives the last row before any row is read.
      if (head.length < 4096) {
        head += text.slice(0, 4096);
        const dimension = DIMENSION.exec(head);
        if (dimension && Number(dimension[2] ?? dimension[1]) > MAX_SHEET_ROWS) throw tooManyRows();
      }
      rows += text.match(ROW_TAG)?.length ?? 0;
      if (rows > MAX_SHEET_ROWS) throw tooManyRows();
      // A tag cut in two by the chunk boundary is counted with the next chunk, and only there.
      const cut = text.lastIndexOf('<');
      carry = cut >= 0 && text.length - cut < 16 && !text.slice(cut).includes('>') ? text.slice(cut) : '';
      if (carry) rows -= text.slice(cut).match(ROW_TAG)?.length ?? 0;
    }
  } catch (error) {
    if (error instanceof RegisterFormatError) throw error;
    // yauzl's size validation: the entry inflates beyond what it declared.
    throw tooBig();
  } finally {
    stream.destroy();
  }
}
