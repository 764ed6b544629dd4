import type { ComponentChildren } from 'preact';
import { useMessages } from '../i18n/index.tsx';

export interface Column<T> {
  key: string;
  header: ComponentChildren;
  cell: (row: T) => ComponentChildren;
  /** 'num' right-aligns figures; 'actions' keeps buttons together; 'text' may wrap (cells stay on one line otherwise). */
  kind?: 'num' | 'actions' | 'text';
}

export interface Selection {
  selected: ReadonlySet<string>;
  onChange(selected: Set<string>): void;
}

/** The one table of the admin: columns, an empty message, optional row selection and row links. */
export function DataTable<T>({
  columns,
  rows,
  rowKey,
  empty,
  selection,
  rowClass,
  label,
}: {
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  empty?: ComponentChildren;
  selection?: Selection;
  rowClass?: (row: T) => string | undefined;
  label?: string;
}) {
  const m = useMessages();
  const keys = rows.map(rowKey);
  const allSelected = selection !== undefined && keys.length > 0 && keys.every((k) => selection.selected.has(k));
  const toggle = (key: string) => {
    const next = new Set(selection!.selected);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    selection!.onChange(next);
  };
  return (
    <div class="table-wrap">
      <table class="table" aria-label={label}>
        <thead>
          <tr>
            {selection && (
              <th class="table__check">
                <input
                  type="checkbox"
                  aria-label={m.common.selectAll}
                  checked={allSelected}
                  onChange={() => {
                    const next = new Set(selection.selected);
                    for (const key of keys) {
                      if (allSelected) next.delete(key);
                      else next.add(key);
                    }
                    selection.onChange(next);
                  }}
                />
              </th>
            )}
            {columns.map((column) => (
              <th key={column.key} class={column.kind ? `table__${column.kind}` : undefined}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td class="table__empty" colSpan={columns.length + (selection ? 1 : 0)}>
                {empty ?? m.common.nothingYet}
              </td>
            </tr>
          ) : (
            rows.map((row) => {
              const key = rowKey(row);
              return (
                <tr key={key} class={rowClass?.(row)} data-key={key}>
                  {selection && (
                    <td class="table__check">
                      <input type="checkbox" aria-label={m.common.select} checked={selection.selected.has(key)} onChange={() => toggle(key)} />
                    </td>
                  )}
                  {columns.map((column) => (
                    <td key={column.key} class={column.kind ? `table__${column.kind}` : undefined}>
                      {column.cell(row)}
                    </td>
                  ))}
                </tr>
              );
            })
          )}
        </tbody>
      </table>
    </div>
  );
}
