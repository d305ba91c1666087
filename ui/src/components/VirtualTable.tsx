import {
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  mergeClasses,
  tokens,
} from "@fluentui/react-components";
import { type Column, type RowData, type Table as TanstackTable, flexRender } from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import { type CSSProperties, type KeyboardEvent, type ReactNode, useEffect, useRef, useState } from "react";

declare module "@tanstack/react-table" {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface ColumnMeta<TData extends RowData, TValue> {
    /** How much of the spare width this column takes (flex-grow); its `size` is the basis in px. */
    grow?: number;
  }
}

const useStyles = makeStyles({
  root: {
    display: "flex",
    flexDirection: "column",
    flex: 1,
    minHeight: 0,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1,
    overflow: "hidden",
  },
  table: { display: "flex", flexDirection: "column", flex: 1, minHeight: 0, tableLayout: "auto" },
  header: {
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  headerRow: { borderBottom: "none" },
  scroll: { flex: 1, minHeight: 0, overflowY: "auto", overflowX: "hidden" },
  body: { position: "relative", width: "100%" },
  row: { position: "absolute", top: 0, left: 0, width: "100%", boxSizing: "border-box" },
  cell: { minWidth: 0, overflow: "hidden" },
  clickable: { cursor: "pointer" },
  pending: { color: tokens.colorNeutralForeground3 },
});

function columnStyle<T>(column: Column<T>): CSSProperties {
  const grow = column.columnDef.meta?.grow ?? 1;
  // Fixed columns (grow 0: time, status, badges) keep their width; the others share what is left.
  const fixed = grow === 0;
  return { flex: `${grow} ${fixed ? 0 : 1} ${column.getSize()}px`, minWidth: fixed ? column.getSize() : Math.min(column.getSize(), 96) };
}

type Props<T> = {
  table: TanstackTable<T>;
  ariaLabel: string;
  rowHeight: number;
  testId: string;
  rowTestId: string;
  /** Shown inside the table frame when there are no rows. */
  empty?: ReactNode;
  /** A click on a row, or Enter on the focused row, opens it (details). */
  onRowActivate?: (row: T) => void;
  /**
   * A window of a longer list read from Rust: the table model holds the rows from `offset` on, the
   * scroll area is as tall as `total` rows, and rows not read yet show as placeholders until
   * `onRangeChange` (the rows in view) has brought their window.
   */
  windowed?: { total: number; offset: number; onRangeChange: (first: number, last: number) => void };
};

/** Which window of a long list to read for the rows in view: blocks of 100, one block of margin either side. */
export const WINDOW_BLOCK = 100;
export const WINDOW_SIZE = 300;
export function windowOffset(firstVisible: number): number {
  return Math.max(0, Math.floor(firstVisible / WINDOW_BLOCK) * WINDOW_BLOCK - WINDOW_BLOCK);
}

/**
 * A Fluent UI table over a TanStack Table model, virtualized so 100,000 rows scroll smoothly:
 * only the rows in view (plus a few) are in the DOM. Headers sort on click; arrow keys, Page Up/Down,
 * Home and End move between rows.
 */
export function VirtualTable<T>({ table, ariaLabel, rowHeight, testId, rowTestId, empty, onRowActivate, windowed }: Props<T>) {
  const styles = useStyles();
  const scrollRef = useRef<HTMLDivElement>(null);
  const rows = table.getRowModel().rows;
  const offset = windowed?.offset ?? 0;
  const count = windowed ? windowed.total : rows.length;
  const rowAt = (index: number) => rows[index - offset];
  // eslint-disable-next-line react-hooks/incompatible-library -- we do not use the React Compiler
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 10,
  });
  const items = virtualizer.getVirtualItems();
  const firstInView = items[0]?.index ?? 0;
  const lastInView = items.at(-1)?.index ?? 0;
  const onRangeChange = windowed?.onRangeChange;
  useEffect(() => {
    onRangeChange?.(firstInView, lastInView);
  }, [onRangeChange, firstInView, lastInView]);
  const headerGroup = table.getHeaderGroups().at(-1);

  // Keyboard: one row is in the Tab order (roving tabindex); arrows, Page Up/Down, Home and End move
  // between rows, scrolling rows that are not rendered yet into view first.
  const [activeIndex, setActiveIndex] = useState(0);
  const pendingFocus = useRef<number | null>(null);
  const focusRow = (index: number) => {
    const element = scrollRef.current?.querySelector<HTMLElement>(`[data-index="${index}"]`);
    if (!element) return false;
    element.focus({ preventScroll: true });
    return true;
  };
  useEffect(() => {
    if (pendingFocus.current !== null && focusRow(pendingFocus.current)) pendingFocus.current = null;
  });
  const lastIndex = count - 1;
  const current = Math.min(activeIndex, Math.max(lastIndex, 0));
  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    const from = Number((event.target as HTMLElement).closest("[data-index]")?.getAttribute("data-index"));
    if (Number.isNaN(from) || lastIndex < 0) return;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? rowHeight) / rowHeight) - 1);
    const target: Record<string, number> = {
      ArrowDown: from + 1,
      ArrowUp: from - 1,
      PageDown: from + page,
      PageUp: from - page,
      Home: 0,
      End: lastIndex,
    };
    if (event.key === "Enter" && onRowActivate && event.target === event.currentTarget.querySelector(`[data-index="${from}"]`)) {
      const row = rowAt(from);
      if (row) {
        event.preventDefault();
        onRowActivate(row.original);
      }
      return;
    }
    const wanted = target[event.key];
    if (wanted === undefined) return;
    event.preventDefault();
    const next = Math.min(Math.max(wanted, 0), lastIndex);
    setActiveIndex(next);
    virtualizer.scrollToIndex(next, { align: "auto" });
    if (!focusRow(next)) pendingFocus.current = next;
  };

  return (
    <div className={styles.root} data-testid={testId}>
      <Table noNativeElements sortable aria-label={ariaLabel} aria-rowcount={count + 1} className={styles.table}>
        <TableHeader className={styles.header}>
          <TableRow aria-rowindex={1} className={styles.headerRow}>
            {headerGroup?.headers.map((header) => {
              const sorted = header.column.getIsSorted();
              return (
                <TableHeaderCell
                  key={header.id}
                  style={columnStyle(header.column)}
                  className={styles.cell}
                  sortDirection={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}
                  onClick={header.column.getCanSort() ? header.column.getToggleSortingHandler() : undefined}
                >
                  {flexRender(header.column.columnDef.header, header.getContext())}
                </TableHeaderCell>
              );
            })}
          </TableRow>
        </TableHeader>
        <div ref={scrollRef} className={styles.scroll}>
          {count === 0 && empty}
          <TableBody className={styles.body} style={{ height: virtualizer.getTotalSize() }} onKeyDown={onKeyDown}>
            {items.map((item) => {
              const row = rowAt(item.index);
              if (!row) {
                return (
                  <TableRow
                    key={`pending-${item.index}`}
                    aria-rowindex={item.index + 2}
                    data-index={item.index}
                    tabIndex={item.index === current ? 0 : -1}
                    onFocus={() => setActiveIndex(item.index)}
                    className={styles.row}
                    style={{ height: rowHeight, transform: `translateY(${item.start}px)` }}
                  >
                    <TableCell className={mergeClasses(styles.cell, styles.pending)}>Loading…</TableCell>
                  </TableRow>
                );
              }
              return (
                <TableRow
                  key={row.id}
                  data-testid={rowTestId}
                  aria-rowindex={item.index + 2}
                  data-index={item.index}
                  tabIndex={item.index === current ? 0 : -1}
                  onFocus={() => setActiveIndex(item.index)}
                  onClick={onRowActivate ? () => onRowActivate(row.original) : undefined}
                  className={mergeClasses(styles.row, onRowActivate && styles.clickable)}
                  style={{ height: rowHeight, transform: `translateY(${item.start}px)` }}
                >
                  {row.getVisibleCells().map((cell) => (
                    <TableCell key={cell.id} style={columnStyle(cell.column)} className={styles.cell}>
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </TableCell>
                  ))}
                </TableRow>
              );
            })}
          </TableBody>
        </div>
      </Table>
    </div>
  );
}
