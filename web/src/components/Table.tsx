import type { KeyboardEvent, ReactNode } from 'react';

export interface Column<T> {
  key: string;
  header: ReactNode;
  render: (row: T) => ReactNode;
  className?: string;
  width?: number | string;
}

interface TableProps<T> {
  columns: Array<Column<T>>;
  rows: T[];
  rowKey: (row: T) => string | number;
  /** Makes rows clickable and reachable with Tab; Enter opens them too. */
  onRowClick?: (row: T) => void;
  rowClassName?: (row: T) => string;
  rowLabel?: (row: T) => string;
  compact?: boolean;
  caption?: string;
}

export function Table<T>({
  columns,
  rows,
  rowKey,
  onRowClick,
  rowClassName,
  rowLabel,
  compact,
  caption,
}: TableProps<T>) {
  const onKeyDown = (event: KeyboardEvent<HTMLTableRowElement>, row: T) => {
    if (event.target !== event.currentTarget) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onRowClick?.(row);
    }
  };

  return (
    <div className="table-wrap">
      <table className={compact ? 'table table-compact' : 'table'}>
        {caption && <caption className="visually-hidden">{caption}</caption>}
        <thead>
          <tr>
            {columns.map((column) => (
              <th
                key={column.key}
                scope="col"
                style={column.width ? { width: column.width } : undefined}
                className={column.className}
              >
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const classes = [
              onRowClick ? 'clickable' : '',
              rowClassName?.(row) ?? '',
            ].filter(Boolean).join(' ');
            return (
              <tr
                key={rowKey(row)}
                className={classes || undefined}
                tabIndex={onRowClick ? 0 : undefined}
                aria-label={rowLabel?.(row)}
                onClick={onRowClick ? () => onRowClick(row) : undefined}
                onKeyDown={onRowClick ? (event) => onKeyDown(event, row) : undefined}
              >
                {columns.map((column) => (
                  <td key={column.key} className={column.className}>
                    {column.render(row)}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Stops a click inside a row (a button, a link) from also opening the row. */
export function stopRowClick(event: { stopPropagation: () => void }): void {
  event.stopPropagation();
}
