import { useState } from 'preact/hooks';
import { api } from '../api/client.ts';
import type { ImportReport, ImportRowMessage as RowMessage } from '../api/types.ts';
import { DataTable } from '../components/data-table.tsx';
import { ErrorNotice } from '../components/notice.tsx';
import { Page } from '../components/page.tsx';
import { useMessages } from '../i18n/index.tsx';
import { Link } from '../router.tsx';
import { useAction } from '../use-resource.ts';

/** The server's messages start with the row (第43行) for API callers; the table has a row column already. */
function withoutRowPrefix(message: string): string {
  return message.replace(/^第\d+行[:：]?\s*/u, '');
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Browsers on Windows label CSV files as Excel files, so the type is taken from the file name. */
function contentTypeOf(file: File): string {
  return /\.csv$/i.test(file.name) ? 'text/csv' : XLSX_TYPE;
}

/**
 * The register a center already keeps, in three steps: a dry run shows what would happen row by
 * row; staff confirm; the report says what was done. Duplicates are skipped by the server, so
 * confirming twice adds nobody twice.
 */
export function ImportPage() {
  const m = useMessages();
  const [file, setFile] = useState<File>();
  const [preview, setPreview] = useState<ImportReport>();
  const [report, setReport] = useState<ImportReport>();
  const { run, busy, failure } = useAction();

  const send = (dryRun: boolean) =>
    run(async () => {
      if (!file) return;
      // A new check replaces what was shown, so an old result never stands for the new file.
      if (dryRun) {
        setPreview(undefined);
        setReport(undefined);
      }
      const result = await api.post<ImportReport>(`/volunteers/import${dryRun ? '?dryRun=1' : ''}`, file, { contentType: contentTypeOf(file) });
      if (dryRun) setPreview(result);
      else setReport(result);
    });

  const rowColumns = [
    { key: 'row', header: m.importer.row, kind: 'num' as const, cell: (r: RowMessage) => r.row },
    {
      key: 'message',
      header: m.importer.message,
      kind: 'text' as const,
      // A row the server explains with a code is said in the reader's language; the rest are the server's Chinese sentences.
      cell: (r: RowMessage) => (r.code ? m.importer.rowCodes[r.code](r.details ?? {}) : withoutRowPrefix(r.message)),
    },
  ];
  const shown = report ?? preview;
  const lookalikes = shown?.skippedRows.filter((r) => r.code === 'POSSIBLE_DUPLICATE') ?? [];
  const registered = shown?.skippedRows.filter((r) => r.code !== 'POSSIBLE_DUPLICATE') ?? [];

  return (
    <Page
      title={m.importer.title}
      subtitle={<Link to="/volunteers">← {m.nav.volunteers}</Link>}
      actions={
        <a class="button" href="/api/volunteers/import/template.xlsx" download>
          {m.importer.template}
        </a>
      }
    >
      <ol class="steps">
        <li class={!preview ? 'steps__item steps__item--on' : 'steps__item'}>{m.importer.stepChoose}</li>
        <li class={preview && !report ? 'steps__item steps__item--on' : 'steps__item'}>{m.importer.stepCheck}</li>
        <li class={report ? 'steps__item steps__item--on' : 'steps__item'}>{m.importer.stepDone}</li>
      </ol>

      <section class="panel">
        <p class="muted">{m.importer.intro}</p>
        <div class="toolbar">
          {/* The native file button speaks the browser's language and is small; this one is large and in the app's. */}
          <label class="button file-pick">
            <input
              type="file"
              class="visually-hidden"
              accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
              onChange={(event) => {
                setFile(event.currentTarget.files?.[0]);
                setPreview(undefined);
                setReport(undefined);
                // Choosing the same file again (edited in Excel meanwhile) must fire a change too.
                event.currentTarget.value = '';
              }}
            />
            {m.importer.chooseFile}
          </label>
          <span class={file ? 'file-pick__name' : 'muted'}>{file?.name ?? m.importer.noFile}</span>
          <button class="button button--primary" disabled={!file || busy} aria-busy={busy} onClick={() => void send(true)}>
            {busy ? m.importer.checking : m.importer.check}
          </button>
        </div>
        <ErrorNotice error={failure} />
      </section>

      {shown && (
        <section class="panel" aria-live="polite">
          <h2>{report ? m.importer.reportTitle : m.importer.previewTitle}</h2>
          <div class="tiles">
            <div class="tile">
              <span class="tile__label">{m.importer.totalRows}</span>
              <strong class="tile__value">{shown.totalRows}</strong>
            </div>
            <div class="tile tile--ok">
              <span class="tile__label">{report ? m.importer.imported : m.importer.toImport}</span>
              <strong class="tile__value" data-testid="import-count">
                {shown.imported}
              </strong>
            </div>
            <div class="tile">
              <span class="tile__label">{m.importer.skipped}</span>
              <strong class="tile__value">{shown.skipped - shown.possibleDuplicates}</strong>
            </div>
            {shown.possibleDuplicates > 0 && (
              <div class="tile tile--warn">
                <span class="tile__label">{m.importer.possibleDuplicates}</span>
                <strong class="tile__value" data-testid="possible-duplicates">
                  {shown.possibleDuplicates}
                </strong>
              </div>
            )}
            <div class={`tile${shown.errors.length ? ' tile--warn' : ''}`}>
              <span class="tile__label">{m.importer.errors}</span>
              <strong class="tile__value">{shown.errors.length}</strong>
            </div>
          </div>
          {Object.keys(shown.columns).length > 0 && (
            <p class="muted">
              {/* The catalog carries its own spacing: none after a full-width colon. */}
              {m.importer.columnsFound}
              {Object.entries(shown.columns)
                .map(([field, header]) => `${header} → ${(m.importer.fields as Record<string, string>)[field] ?? field}`)
                .join(' · ')}
            </p>
          )}
          {!report && (
            <div class="form__actions form__actions--start">
              <button class="button button--primary" disabled={busy || shown.imported === 0} onClick={() => void send(false)}>
                {m.importer.confirm(shown.imported)}
              </button>
              {shown.imported === 0 && <span class="muted">{m.importer.nothingToImport}</span>}
            </div>
          )}
          {report && (
            <p class="notice notice--ok">
              {m.importer.done(report.imported)} <Link to="/print?all=1">{m.volunteers.printAll}</Link>
            </p>
          )}
          {shown.errors.length > 0 && (
            <>
              <h3>{m.importer.errorRows}</h3>
              <DataTable label={m.importer.errorRows} columns={rowColumns} rows={shown.errors} rowKey={(r) => `${r.row}:${r.message}`} />
            </>
          )}
          {lookalikes.length > 0 && (
            <>
              <h3>{m.importer.possibleDuplicateRows}</h3>
              <DataTable label={m.importer.possibleDuplicateRows} columns={rowColumns} rows={lookalikes} rowKey={(r) => `${r.row}:${r.message}`} />
            </>
          )}
          {registered.length > 0 && (
            <>
              <h3>{m.importer.skippedRows}</h3>
              <DataTable label={m.importer.skippedRows} columns={rowColumns} rows={registered} rowKey={(r) => `${r.row}:${r.message}`} />
            </>
          )}
          {shown.preview.length > 0 && (
            <>
              <h3>{report ? m.importer.importedRows : m.importer.previewRows}</h3>
              <DataTable
                label={m.importer.previewRows}
                columns={[
                  { key: 'row', header: m.importer.row, kind: 'num', cell: (r) => r.row },
                  { key: 'name', header: m.volunteers.name, cell: (r) => r.name },
                  { key: 'teams', header: m.importer.team, cell: (r) => (r.teams ?? []).join('、') },
                  { key: 'phone', header: m.importer.phone, cell: (r) => <span class="mono">{r.phone ?? ''}</span> },
                  { key: 'cardNo', header: report ? m.volunteers.cardNo : m.importer.cardNoToBe, cell: (r) => <span class="mono">{r.cardNo}</span> },
                ]}
                rows={shown.preview}
                rowKey={(r) => String(r.row)}
              />
            </>
          )}
        </section>
      )}
    </Page>
  );
}
