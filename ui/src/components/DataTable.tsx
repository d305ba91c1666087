import {
  Checkbox,
  Menu,
  MenuItemCheckbox,
  MenuList,
  MenuPopover,
  MenuTrigger,
  SearchBox,
  Skeleton,
  SkeletonItem,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Toolbar,
  ToolbarButton,
  makeStyles,
  mergeClasses,
  tokens,
} from "@fluentui/react-components";
import { ArrowDownloadRegular, ColumnTripleEditRegular } from "@fluentui/react-icons";
import { type Column, type Row, flexRender } from "@tanstack/react-table";
import { type VirtualItem, useVirtualizer } from "@tanstack/react-virtual";
import { type CSSProperties, type KeyboardEvent, type ReactNode, type RefObject, useEffect, useRef, useState } from "react";
import { saveCsv } from "../api";
import { DoneBar } from "./DoneBar";
import { ErrorMessageBar } from "./ErrorMessageBar";
import type { DataTableModel } from "./useDataTable";

const useStyles = makeStyles({
  wrap: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM, flex: 1, minHeight: 0 },
  compactWrap: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalS },
  bar: { display: "flex", alignItems: "center", columnGap: tokens.spacingHorizontalM, rowGap: tokens.spacingVerticalS, flexWrap: "wrap" },
  toolbar: { display: "flex", alignItems: "center", columnGap: tokens.spacingHorizontalM, flexWrap: "wrap", padding: 0, flex: "1 1 auto" },
  search: { width: "300px", maxWidth: "100%" },
  count: { color: tokens.colorNeutralForeground2, marginLeft: "auto" },
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
  compactRoot: { flex: "none" },
  table: { display: "flex", flexDirection: "column", flex: 1, minHeight: 0, tableLayout: "auto" },
  header: {
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  headerRow: { borderBottom: "none" },
  scroll: { flex: 1, minHeight: 0, overflowY: "auto", overflowX: "hidden" },
  body: { position: "relative", width: "100%" },
  row: { position: "absolute", top: 0, left: 0, width: "100%", boxSizing: "border-box" },
  cell: { minWidth: 0, overflow: "hidden", boxSizing: "border-box" },
  check: { flex: "0 0 44px", minWidth: "44px" },
  clickable: { cursor: "pointer" },
  pending: { color: tokens.colorNeutralForeground3 },
  skeleton: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM, padding: tokens.spacingVerticalM },
});

function columnStyle<T>(column: Column<T>): CSSProperties {
  const grow = column.columnDef.meta?.grow ?? 1;
  // Fixed columns (grow 0: time, status, badges) keep their width; the others share what is left.
  const fixed = grow === 0;
  // Flexible columns shrink to 72 px (text ellipsed), so eight of them and the tick box fit a
  // 1,280-pixel window beside the navigation without widening the page.
  return { flex: `${grow} ${fixed ? 0 : 1} ${column.getSize()}px`, minWidth: fixed ? column.getSize() : Math.min(column.getSize(), 72) };
}

function headerText<T>(column: Column<T>): string {
  return typeof column.columnDef.header === "string" ? column.columnDef.header : column.id;
}

/** A column's value as CSV text (accessors return text; anything else is left empty). */
function cellText(value: unknown): string {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? String(value) : "";
}

/** A CSV column that is not shown in the table (the object id, a description). */
export type CsvExtra<T> = { header: string; value: (row: T) => string | null };

/**
 * The cells of `rows` for a CSV file: the visible columns that have a value (in the order shown), then
 * `extra`. Rust writes the file (the one place the app writes a table as CSV).
 */
export function tableCells<T>(model: DataTableModel<T>, rows: readonly T[], extra: readonly CsvExtra<T>[] = []) {
  const columns = model.table.getVisibleLeafColumns().filter((c) => c.accessorFn !== undefined);
  return {
    header: [...columns.map(headerText), ...extra.map((e) => e.header)],
    rows: rows.map((row, index) => [...columns.map((c) => cellText(c.accessorFn?.(row, index))), ...extra.map((e) => e.value(row))]),
  };
}

type Props<T> = {
  model: DataTableModel<T>;
  ariaLabel: string;
  /** The toolbar's name for assistive technology (default: `ariaLabel`). */
  toolbarLabel?: string;
  rowHeight: number;
  testId: string;
  rowTestId: string;
  /** The search box. */
  search?: { label: string; placeholder: string };
  /** The page's own toolbar items, after the search box. */
  actions?: ReactNode;
  /** The count at the end of the toolbar ("8 users · as of 10:42"). */
  countText?: ReactNode;
  /** An Export CSV button: every matching row (or the ticked ones), the visible columns in order, then `extra`. */
  csv?: { fileName: string; extra?: CsvExtra<T>[] };
  /** A tick box per row (click, Shift+click for a range, Space on the focused row) and Select all. */
  selectable?: { rowLabel: (row: T) => string };
  /** A click on a row, or Enter on the focused row, opens it (details). */
  onRowActivate?: (row: T) => void;
  /** Shown inside the table frame when there are no rows. */
  empty?: ReactNode;
  /** Title of the message shown when the rows cannot be read (none: the page shows it). */
  errorTitle?: string;
  /** The placeholder's name while the first rows are read. */
  loadingLabel: string;
  /** Shown between the toolbar and the table (an advanced search). */
  panel?: ReactNode;
  /** In a drawer: the table is only as tall as its rows, up to this many pixels. */
  maxHeight?: number;
};

/**
 * The one table of the app: a Fluent UI table over a TanStack Table model (`useClientTable` or
 * `useWindowedTable`), virtualized with TanStack Virtual so only the rows in view (plus a margin) are in
 * the DOM. A windowed model's scroll area is `count` rows tall, rows not read yet show "Loading…", and the
 * rows in view ask for their window. Search box, sortable headers, column menu, CSV export, selection;
 * arrow keys, Page Up/Down, Home and End move between rows, Enter opens one, Space ticks it.
 */
export function DataTable<T>(props: Props<T>) {
  const { model, ariaLabel, toolbarLabel, rowHeight, search, actions, countText, csv, selectable, onRowActivate } = props;
  const { errorTitle, loadingLabel, panel, maxHeight } = props;
  const styles = useStyles();
  const { scrollRef, virtualizer, items } = useRowsInView(model, rowHeight);
  const keyboard = useRowKeyboard({
    model,
    scrollRef,
    rowHeight,
    scrollToIndex: (index) => virtualizer.scrollToIndex(index, { align: "auto" }),
    selectable: selectable !== undefined,
    onRowActivate,
  });
  const exporting = useCsvExport(model, csv);
  const compact = maxHeight !== undefined;

  return (
    <div className={compact ? styles.compactWrap : styles.wrap}>
      {errorTitle && model.error && <ErrorMessageBar error={model.error} title={errorTitle} />}
      <TableToolbar
        model={model}
        search={search}
        actions={actions}
        countText={countText}
        csv={csv}
        ariaLabel={toolbarLabel ?? ariaLabel}
        exporting={exporting}
      />
      {exporting.error != null && <ErrorMessageBar error={exporting.error} title="Couldn't export the CSV file" />}
      {exporting.savedTo !== null && <DoneBar message={`Saved to ${exporting.savedTo}`} onDismiss={exporting.dismiss} />}
      {panel}
      {model.isPending ? (
        <Skeleton aria-label={loadingLabel} className={styles.skeleton}>
          {Array.from({ length: compact ? 3 : 8 }, (_, i) => (
            <SkeletonItem key={i} size={24} />
          ))}
        </Skeleton>
      ) : (
        <TableFrame {...props} scrollRef={scrollRef} items={items} totalSize={virtualizer.getTotalSize()} keyboard={keyboard} />
      )}
    </div>
  );
}

/**
 * The rows in view: TanStack Virtual over the scroll area, which tells the model the range in
 * view (a windowed model reads the window around it) and returns to the top on a new search or sort.
 */
function useRowsInView<T>(model: DataTableModel<T>, rowHeight: number) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- we do not use the React Compiler
  const virtualizer = useVirtualizer({
    count: model.count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 10,
  });
  const items = virtualizer.getVirtualItems();
  const firstInView = items[0]?.index ?? 0;
  const lastInView = items.at(-1)?.index ?? 0;
  const { onRangeChange } = model;
  useEffect(() => {
    onRangeChange?.(firstInView, lastInView);
  }, [onRangeChange, firstInView, lastInView]);

  // A new search or sort starts at the top.
  const viewKey = JSON.stringify([model.search.trim(), model.table.getState().sorting]);
  useEffect(() => {
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
  }, [viewKey]);
  return { scrollRef, virtualizer, items };
}

type FrameProps<T> = Props<T> & {
  scrollRef: RefObject<HTMLDivElement | null>;
  /** The rows in view (plus a margin) and the height of all rows, from the virtualizer. */
  items: VirtualItem[];
  totalSize: number;
  keyboard: ReturnType<typeof useRowKeyboard<T>>;
};

/** The table itself: the header row, then the scroll area with the rows in view. */
function TableFrame<T>({ model, ariaLabel, testId, rowHeight, maxHeight, empty, scrollRef, items, totalSize, keyboard, ...rowProps }: FrameProps<T>) {
  const styles = useStyles();
  const { count, offset } = model;
  const rows = model.table.getRowModel().rows;
  const compact = maxHeight !== undefined;
  return (
    <div className={mergeClasses(styles.root, compact && styles.compactRoot)} data-testid={testId}>
      <Table noNativeElements sortable aria-label={ariaLabel} aria-rowcount={count + 1} className={styles.table}>
        <TableHead model={model} selectable={rowProps.selectable !== undefined} />
        <div
          ref={scrollRef}
          className={styles.scroll}
          style={compact ? { flex: "none", height: count === 0 ? undefined : Math.min(count * rowHeight, maxHeight) } : undefined}
        >
          {count === 0 && empty}
          <TableBody className={styles.body} style={{ height: totalSize }} onKeyDown={keyboard.onKeyDown}>
            {items.map((item) => (
              <DataRow
                key={rows[item.index - offset]?.id ?? `pending-${item.index}`}
                model={model}
                tableRow={rows[item.index - offset]}
                index={item.index}
                start={item.start}
                rowHeight={rowHeight}
                focusable={item.index === keyboard.current}
                onFocus={() => keyboard.setActiveIndex(item.index)}
                rowTestId={rowProps.rowTestId}
                selectable={rowProps.selectable}
                onRowActivate={rowProps.onRowActivate}
              />
            ))}
          </TableBody>
        </div>
      </Table>
    </div>
  );
}

/**
 * Keyboard: one row is in the Tab order (roving tabindex); arrows, Page Up/Down, Home and End move
 * between rows, scrolling rows that are not rendered yet into view first; Enter opens the focused
 * row, Space ticks it.
 */
function useRowKeyboard<T>({
  model,
  scrollRef,
  rowHeight,
  scrollToIndex,
  selectable,
  onRowActivate,
}: {
  model: DataTableModel<T>;
  scrollRef: RefObject<HTMLDivElement | null>;
  rowHeight: number;
  scrollToIndex: (index: number) => void;
  selectable: boolean;
  onRowActivate?: (row: T) => void;
}) {
  const { count, offset, selection } = model;
  const rows = model.table.getRowModel().rows;
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
    const onRow = event.target === event.currentTarget.querySelector(`[data-index="${from}"]`);
    if (event.key === "Enter" && onRowActivate && onRow) {
      const row = rows[from - offset];
      if (row) {
        event.preventDefault();
        onRowActivate(row.original);
      }
      return;
    }
    if (event.key === " " && selectable && onRow) {
      event.preventDefault();
      void selection.toggle(from, event.shiftKey);
      return;
    }
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? rowHeight) / rowHeight) - 1);
    const target: Record<string, number> = {
      ArrowDown: from + 1,
      ArrowUp: from - 1,
      PageDown: from + page,
      PageUp: from - page,
      Home: 0,
      End: lastIndex,
    };
    const wanted = target[event.key];
    if (wanted === undefined) return;
    event.preventDefault();
    const next = Math.min(Math.max(wanted, 0), lastIndex);
    setActiveIndex(next);
    scrollToIndex(next);
    if (!focusRow(next)) pendingFocus.current = next;
  };
  return { current, setActiveIndex, onKeyDown };
}

/**
 * CSV: the ticked rows when there are some, otherwise every matching row (read from the copy a window at a
 * time). The person chooses where in the system's save dialog; Rust writes the file.
 */
function useCsvExport<T>(model: DataTableModel<T>, csv: Props<T>["csv"]) {
  const [error, setError] = useState<unknown>(null);
  const [running, setRunning] = useState(false);
  const [savedTo, setSavedTo] = useState<string | null>(null);
  const run = async () => {
    if (!csv) return;
    setRunning(true);
    setError(null);
    setSavedTo(null);
    try {
      const { selection, count } = model;
      const chosen = selection.count > 0 ? await selection.rows() : await model.readRange(0, count - 1);
      const { header, rows } = tableCells(model, chosen, csv.extra);
      setSavedTo(await saveCsv(`${csv.fileName}-${new Date().toISOString().slice(0, 10)}.csv`, header, rows));
    } catch (caught) {
      setError(caught);
    } finally {
      setRunning(false);
    }
  };
  return { run, running, error, savedTo, dismiss: () => setSavedTo(null) };
}

type ToolbarProps<T> = Pick<Props<T>, "model" | "search" | "actions" | "countText" | "csv"> & {
  ariaLabel: string;
  exporting: ReturnType<typeof useCsvExport<T>>;
};

/** The search box, then the toolbar: the page's actions, Export CSV, the column menu and the count. */
function TableToolbar<T>({ model, search, actions, countText, csv, ariaLabel, exporting }: ToolbarProps<T>) {
  const styles = useStyles();
  const { table, selection, count } = model;
  const hideable = table.getAllLeafColumns().filter((c) => c.getCanHide() && c.accessorFn !== undefined);
  const hasToolbar = search !== undefined || actions !== undefined || csv !== undefined || countText !== undefined || hideable.length >= 2;
  if (!hasToolbar) return null;
  return (
    // The search box is a Tab stop of its own, before the toolbar: a toolbar is one Tab stop whose
    // items are reached with the arrow keys, and it remembers the last item used, so a search box
    // inside it could not be reached with Tab after a click on New user (seen in the e2e keyboard check).
    <div className={styles.bar}>
      {search && (
        <SearchBox
          className={styles.search}
          placeholder={search.placeholder}
          aria-label={search.label}
          value={model.search}
          onChange={(_, data) => model.setSearch(data.value)}
        />
      )}
      <Toolbar className={styles.toolbar} aria-label={ariaLabel}>
        {actions}
        {csv && (
          <ToolbarButton icon={<ArrowDownloadRegular />} onClick={() => void exporting.run()} disabled={count === 0 || exporting.running}>
            {selection.count > 0 ? `Export ${selection.count.toLocaleString()} selected` : "Export CSV"}
          </ToolbarButton>
        )}
        {hideable.length >= 2 && <ColumnMenu model={model} hideable={hideable} />}
        {(countText !== undefined || selection.count > 0) && (
          <Text className={styles.count} aria-live="polite">
            {[selection.count > 0 ? `${selection.count.toLocaleString()} selected` : null, countText].filter(Boolean).map((part, i) => (
              <span key={i}>
                {i > 0 && " · "}
                {part}
              </span>
            ))}
          </Text>
        )}
      </Toolbar>
    </div>
  );
}

/** Columns: a tick per column that can be hidden. */
function ColumnMenu<T>({ model, hideable }: { model: DataTableModel<T>; hideable: Column<T>[] }) {
  return (
    <Menu
      checkedValues={{ columns: hideable.filter((c) => c.getIsVisible()).map((c) => c.id) }}
      onCheckedValueChange={(_, data) => {
        const visible = new Set(data.checkedItems);
        model.table.setColumnVisibility(Object.fromEntries(hideable.map((c) => [c.id, visible.has(c.id)])));
      }}
    >
      <MenuTrigger disableButtonEnhancement>
        <ToolbarButton icon={<ColumnTripleEditRegular />}>Columns</ToolbarButton>
      </MenuTrigger>
      <MenuPopover>
        <MenuList>
          {hideable.map((column) => (
            <MenuItemCheckbox key={column.id} name="columns" value={column.id}>
              {headerText(column)}
            </MenuItemCheckbox>
          ))}
        </MenuList>
      </MenuPopover>
    </Menu>
  );
}

/** The header row: Select all (when rows can be ticked), then a sortable header per visible column. */
function TableHead<T>({ model, selectable }: { model: DataTableModel<T>; selectable: boolean }) {
  const styles = useStyles();
  const { table, selection, count } = model;
  const allTicked = selection.state.all ? (selection.state.rows.size === 0 ? true : "mixed") : selection.state.rows.size > 0 ? "mixed" : false;
  const headerGroup = table.getHeaderGroups().at(-1);
  return (
    <TableHeader className={styles.header}>
      <TableRow aria-rowindex={1} className={styles.headerRow}>
        {selectable && (
          // Not sortable (the table is): a sortable header cell is a button, and a checkbox inside a
          // button is a control nested in a control (axe: nested-interactive).
          <TableHeaderCell className={mergeClasses(styles.cell, styles.check)} sortable={false}>
            <Checkbox aria-label="Select all" checked={allTicked} disabled={count === 0} onChange={() => selection.toggleAll()} />
          </TableHeaderCell>
        )}
        {headerGroup?.headers.map((header) => {
          const sorted = header.column.getIsSorted();
          return (
            <TableHeaderCell
              key={header.id}
              style={columnStyle(header.column)}
              className={styles.cell}
              sortable={header.column.getCanSort()}
              sortDirection={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}
              onClick={header.column.getCanSort() ? header.column.getToggleSortingHandler() : undefined}
            >
              {flexRender(header.column.columnDef.header, header.getContext())}
            </TableHeaderCell>
          );
        })}
      </TableRow>
    </TableHeader>
  );
}

type RowProps<T> = Pick<Props<T>, "model" | "rowHeight" | "rowTestId" | "selectable" | "onRowActivate"> & {
  /** The row at `index`, when its window has been read. */
  tableRow: Row<T> | undefined;
  /** The row's position among all rows (not only those read). */
  index: number;
  /** Its offset from the top of the scroll area, in pixels. */
  start: number;
  /** The row in the Tab order. */
  focusable: boolean;
  onFocus: () => void;
};

/** One row in view: its tick box and cells, or "Loading…" while its window is read. */
function DataRow<T>({ model, tableRow, index, start, rowHeight, focusable, onFocus, rowTestId, selectable, onRowActivate }: RowProps<T>) {
  const styles = useStyles();
  const { selection } = model;
  const position = {
    "aria-rowindex": index + 2,
    "data-index": index,
    tabIndex: focusable ? 0 : -1,
    onFocus,
    style: { height: rowHeight, transform: `translateY(${start}px)` },
  };
  if (!tableRow) {
    return (
      <TableRow {...position} className={styles.row}>
        <TableCell className={mergeClasses(styles.cell, styles.pending)}>Loading…</TableCell>
      </TableRow>
    );
  }
  const row = tableRow.original;
  return (
    <TableRow
      {...position}
      data-testid={rowTestId}
      aria-selected={selectable ? selection.isSelected(row) : undefined}
      onClick={onRowActivate ? () => onRowActivate(row) : undefined}
      className={mergeClasses(styles.row, onRowActivate && styles.clickable)}
    >
      {selectable && (
        <TableCell className={mergeClasses(styles.cell, styles.check)}>
          <Checkbox
            aria-label={`Select ${selectable.rowLabel(row)}`}
            checked={selection.isSelected(row)}
            tabIndex={-1}
            onClick={(event) => {
              event.stopPropagation();
              void selection.toggle(index, event.shiftKey);
            }}
          />
        </TableCell>
      )}
      {tableRow.getVisibleCells().map((cell) => (
        <TableCell key={cell.id} style={columnStyle(cell.column)} className={styles.cell}>
          {flexRender(cell.column.columnDef.cell, cell.getContext())}
        </TableCell>
      ))}
    </TableRow>
  );
}
