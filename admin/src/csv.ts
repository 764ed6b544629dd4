/**
 * A small CSV for the browser to save, for figures that only the admin holds on screen (the
 * close-out has no server export). The BOM makes Excel read the Chinese as UTF-8.
 */
export function csvBlob(rows: (string | number)[][]): Blob {
  const cell = (value: string | number) => {
    const text = String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return new Blob(['\uFEFF', rows.map((row) => row.map(cell).join(',')).join('\r\n'), '\r\n'], { type: 'text/csv;charset=utf-8' });
}

/** Saves a blob under a name through the browser's download, as a link to a file would. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  // Revoked a moment later: some browsers cancel a download whose URL is revoked at once.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
