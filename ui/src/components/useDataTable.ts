import { useQuery } from "@tanstack/react-query";
import {
  type ColumnDef,
  type RowData,
  type SortingState,
  type Table,
  type VisibilityState,
  getCoreRowModel,
  getFilteredRowModel,
  getSortedRowModel,
  useReactTable,
} from "@tanstack/react-table";
import { useCallback, useDeferredValue, useMemo, useState } from "react";
import { type AppError, type DirectoryQuery, type LocalCriterion, type WindowPage, type WindowedSource, readRange } from "../api";
import { useDebounced } from "../lib/useDebounced";

declare module "@tanstack/react-table" {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface ColumnMeta<TData extends RowData, TValue> {
    /** How much of the spare width this column takes (flex-grow); its `size` is the basis in px. */
    grow?: number;
  }
}

/**
 * Which window of a long list to read for the rows in view: blocks of 50, at least one block of margin
 * above and 50 rows below however the view sits in its block, so up to 100 rows in view are always
 * covered (a tall screen shows about 40). 200 rows cross IPC (~83 KiB at 100,000 people).
 */
export const WINDOW_BLOCK = 50;
export const WINDOW_SIZE = 200;
export function windowOffset(firstVisible: number): number {
  return Math.max(0, Math.floor(firstVisible / WINDOW_BLOCK) * WINDOW_BLOCK - WINDOW_BLOCK);
}

/**
 * Which rows are ticked. While `all` is false, `rows` holds the ticked rows; after "Select all", `all` is
 * true and `rows` holds the ones unticked since (every row matching the search, except those).
 */
export type SelectionState<T> = { all: boolean; rows: ReadonlyMap<string, T> };

export type Selection<T> = {
  state: SelectionState<T>;
  /** How many rows are ticked. */
  count: number;
  isSelected: (row: T) => boolean;
  /** Ticks or unticks the row at `index`; with `range` (Shift), ticks every row from the last one clicked to it. */
  toggle: (index: number, range?: boolean) => Promise<void>;
  /** Ticks every matching row, or clears the selection when every row is ticked already. */
  toggleAll: () => void;
  clear: () => void;
  /** The ticked rows themselves, in the order shown (reading the matching rows after "Select all"). */
  rows: () => Promise<T[]>;
};

/** The state of one DataTable, whichever way its rows are read. Pair it with `<DataTable model={…} />`. */
export type DataTableModel<T> = {
  table: Table<T>;
  mode: "client" | "windowed";
  /** What is in the search box, as typed. */
  search: string;
  setSearch: (value: string) => void;
  /** Whether the rows shown are narrowed by the search box. */
  searching: boolean;
  /** How many rows the table scrolls through (after the search). */
  count: number;
  /** The position of the first row of `table`'s row model (windowed: the window read). */
  offset: number;
  isPending: boolean;
  isFetching: boolean;
  error: AppError | null;
  /** Reported by DataTable: the rows in view (windowed: they choose the window read). */
  onRangeChange?: (first: number, last: number) => void;
  /** The rows from position `from` to `to` in the order shown (CSV export, Shift+click ranges). */
  readRange: (from: number, to: number) => Promise<T[]>;
  selection: Selection<T>;
};

type Common<T> = {
  columns: ColumnDef<T, string>[];
  getRowId: (row: T) => string;
  initialSort?: SortingState;
};

function none<T>(): SelectionState<T> {
  return { all: false, rows: new Map<string, T>() };
}

/** Search, sort, column visibility and selection: what both kinds of table keep. */
function useTableState<T>(initialSort: SortingState | undefined) {
  const [search, setSearch] = useState("");
  const [sorting, setSorting] = useState<SortingState>(initialSort ?? []);
  const [columnVisibility, setColumnVisibility] = useState<VisibilityState>({});
  const [selection, setSelection] = useState<SelectionState<T>>(none);
  const [anchor, setAnchor] = useState<number | null>(null);
  return { search, setSearch, sorting, setSorting, columnVisibility, setColumnVisibility, selection, setSelection, anchor, setAnchor };
}

function useSelection<T>(
  state: ReturnType<typeof useTableState<T>>,
  count: number,
  getRowId: (row: T) => string,
  rowAt: (index: number) => T | undefined,
  readRange: (from: number, to: number) => Promise<T[]>,
): Selection<T> {
  const { selection, setSelection, anchor, setAnchor } = state;
  const isSelected = (row: T) => selection.all !== selection.rows.has(getRowId(row));
  return {
    state: selection,
    count: selection.all ? Math.max(count - selection.rows.size, 0) : selection.rows.size,
    isSelected,
    toggle: async (index, range = false) => {
      const row = rowAt(index);
      if (row === undefined) return;
      if (range && anchor !== null && anchor !== index) {
        const picked = await readRange(Math.min(anchor, index), Math.max(anchor, index));
        setSelection((prev) => {
          const rows = new Map(prev.rows);
          // Ticking a range: add the rows, or (after "Select all") take them out of the exceptions.
          for (const r of picked) {
            if (prev.all) rows.delete(getRowId(r));
            else rows.set(getRowId(r), r);
          }
          return { all: prev.all, rows };
        });
        return;
      }
      setAnchor(index);
      setSelection((prev) => {
        const rows = new Map(prev.rows);
        if (rows.has(getRowId(row))) rows.delete(getRowId(row));
        else rows.set(getRowId(row), row);
        return { all: prev.all, rows };
      });
    },
    toggleAll: () => {
      setAnchor(null);
      setSelection((prev) => (prev.all && prev.rows.size === 0 ? none<T>() : { all: true, rows: new Map() }));
    },
    clear: () => {
      setAnchor(null);
      setSelection(none<T>());
    },
    rows: async () => {
      if (!selection.all) return [...selection.rows.values()];
      return (await readRange(0, count - 1)).filter((r) => !selection.rows.has(getRowId(r)));
    },
  };
}

/** A new search means a new choice: "Select all" meant the rows of the old one. */
function searchSetter<T>(state: ReturnType<typeof useTableState<T>>, also?: () => void) {
  return (value: string) => {
    state.setSearch(value);
    state.setAnchor(null);
    state.setSelection((prev) => (prev.all ? none<T>() : prev));
    also?.();
  };
}

/**
 * A short list held whole here (Activity, a role's holders, the roles): searched with `searchText` and
 * sorted in the window. The rows come from the caller, already narrowed by any other filters it has.
 */
export function useClientTable<T>(
  options: Common<T> & {
    rows: readonly T[] | undefined;
    /** The text the search box looks in; without it, the table has no search. */
    searchText?: (row: T) => string;
    /** The query the rows come from (pending, fetching, error). */
    status?: { isPending: boolean; isFetching: boolean; error: AppError | null };
  },
): DataTableModel<T> {
  const state = useTableState<T>(options.initialSort);
  const needle = useDeferredValue(state.search.trim().toLowerCase());
  const { searchText } = options;
  // Each row's search text, lower-cased once (the filter asks per column).
  const [texts] = useState(() => new WeakMap<object, string>());
  const textOf = (row: T) => {
    if (typeof row !== "object" || row === null) return String(searchText?.(row) ?? "").toLowerCase();
    let text = texts.get(row);
    if (text === undefined) texts.set(row, (text = (searchText?.(row) ?? "").toLowerCase()));
    return text;
  };
  // eslint-disable-next-line react-hooks/incompatible-library -- we do not use the React Compiler
  const table = useReactTable<T>({
    data: options.rows as T[] | undefined ?? [],
    columns: options.columns,
    state: { sorting: state.sorting, columnVisibility: state.columnVisibility, globalFilter: needle },
    onSortingChange: state.setSorting,
    onColumnVisibilityChange: state.setColumnVisibility,
    globalFilterFn: (row, _columnId, wanted: string) => !wanted || searchText === undefined || textOf(row.original).includes(wanted),
    getColumnCanGlobalFilter: () => true,
    getCoreRowModel: getCoreRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getRowId: options.getRowId,
  });
  const rows = table.getRowModel().rows;
  const readRows = (from: number, to: number) => Promise.resolve(rows.slice(from, to + 1).map((r) => r.original));
  return {
    table,
    mode: "client",
    search: state.search,
    setSearch: searchSetter(state),
    searching: needle !== "",
    count: rows.length,
    offset: 0,
    isPending: options.status?.isPending ?? false,
    isFetching: options.status?.isFetching ?? false,
    error: options.status?.error ?? null,
    readRange: readRows,
    selection: useSelection(state, rows.length, options.getRowId, (index) => rows[index]?.original, readRows),
  };
}

// Long: the query, the window in view, the read and the selection are one state; split, each part would take
// and hand back all of it.
/**
 * A long list in the local copy (Users, Groups, a group's members, a licence's holders): the search box (after
 * 100 ms without typing), the sort and any advanced `criteria` become one `DirectoryQuery`, and the rows in
 * view choose the window read (at most WINDOW_SIZE rows cross IPC). Rust sorts and filters, so the table model holds
 * only the current window; the previous window stays shown while the next is read.
 */
export function useWindowedTable<T, P extends WindowPage<T>>(
  options: Common<T> & {
    source: WindowedSource<T, P>;
    /** Column ids the local copy sorts by; the other columns do not sort. */
    sortable: ReadonlySet<string>;
    /** Advanced search (only those with a value are sent, 100 ms after the last change). */
    criteria?: LocalCriterion[];
  },
): DataTableModel<T> & { page: P | undefined; query: DirectoryQuery } {
  const state = useTableState<T>(options.initialSort);
  const [offset, setOffset] = useState(0);
  const text = useDebounced(state.search.trim(), 100);
  // Debounced as text: a new (equal) array each render would restart the timer and re-render forever.
  const criteriaKey = useDebounced(JSON.stringify((options.criteria ?? []).filter((c) => c.value.trim() !== "")), 100);
  const criteria = useMemo(() => JSON.parse(criteriaKey) as LocalCriterion[], [criteriaKey]);
  const sort = state.sorting[0];
  const query: DirectoryQuery = {
    text: text || null,
    criteria,
    sort: sort?.id ?? null,
    descending: sort?.desc ?? false,
    offset,
    limit: WINDOW_SIZE,
  };
  const { source, sortable } = options;
  const columns = useMemo(
    () => options.columns.map((c) => ({ ...c, enableSorting: c.id !== undefined && sortable.has(c.id) })),
    [options.columns, sortable],
  );
  const result = useQuery<P, AppError>({
    queryKey: source.queryKey(query),
    queryFn: () => source.read(query),
    placeholderData: (previous) => previous,
  });
  const page = result.data;

  // Other criteria: read from the top again ("Select all" meant the rows of the old ones).
  const [seenCriteria, setSeenCriteria] = useState(criteriaKey);
  if (seenCriteria !== criteriaKey) {
    setSeenCriteria(criteriaKey);
    setOffset(0);
    state.setAnchor(null);
    state.setSelection((prev) => (prev.all ? none<T>() : prev));
  }

  // eslint-disable-next-line react-hooks/incompatible-library -- we do not use the React Compiler
  const table = useReactTable<T>({
    data: page?.rows ?? [],
    columns,
    state: { sorting: state.sorting, columnVisibility: state.columnVisibility },
    manualSorting: true,
    manualFiltering: true,
    onSortingChange: (updater) => {
      state.setSorting(updater);
      setOffset(0);
    },
    onColumnVisibilityChange: state.setColumnVisibility,
    getCoreRowModel: getCoreRowModel(),
    getRowId: options.getRowId,
  });
  const onRangeChange = useCallback((first: number) => setOffset(windowOffset(first)), []);
  const count = page?.total ?? 0;
  const at = page?.offset ?? 0;
  const readRows = (from: number, to: number) => readRange(source, query, from, to);
  return {
    table,
    mode: "windowed",
    search: state.search,
    setSearch: searchSetter(state, () => setOffset(0)),
    searching: query.text !== null,
    count,
    offset: at,
    isPending: result.isPending,
    isFetching: result.isFetching,
    error: result.error,
    onRangeChange,
    readRange: readRows,
    selection: useSelection(state, count, options.getRowId, (index) => page?.rows[index - at], readRows),
    page,
    query,
  };
}
