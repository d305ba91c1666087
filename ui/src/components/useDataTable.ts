import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  type ColumnDef,
  type Row,
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
import { type AppError, MAX_WINDOW, type WindowPage, type WindowRequest, type WindowedSource } from "../api";
import { useDebounced } from "../lib/useDebounced";

declare module "@tanstack/react-table" {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface ColumnMeta<TData extends RowData, TValue> {
    /** How much of the spare width this column takes (flex-grow); its `size` is the basis in px. */
    grow?: number;
  }
}

/** Rows are read in windows of this many; the rows in view plus a margin decide which windows. */
export const WINDOW_BLOCK = 200;
/** Rows above and below the view that are read ahead. */
const MARGIN = 50;

/** The state every table query reflects: what is typed in the search box and the sort. */
export type DataView = { text: string | null; sort: string | null; descending: boolean };

/** What a query result looks like to the table (a TanStack `UseQueryResult` fits). */
type QueryState<T> = { data: T | undefined; isPending: boolean; isError: boolean; error: AppError | null };

type Common<T> = {
  columns: ColumnDef<T, string>[];
  getRowId: (row: T) => string;
  initialSort?: SortingState;
};

/** A short list held whole in the window: searched with `searchText` and sorted here. */
export type ClientOptions<T> = Common<T> & {
  rows: QueryState<readonly T[]>;
  /** The text the search box looks in (lower case is not needed); without it, the table has no search. */
  searchText?: (row: T) => string;
};

/** A long list read a window at a time: the search (after 100 ms without typing) and the sort go to Rust. */
export type WindowedOptions<T, P extends WindowPage<T>> = Common<T> & {
  source: WindowedSource<T, P>;
  /** Column ids Rust can sort by; the other columns do not sort. */
  sortable?: ReadonlySet<string>;
  /** Changes when the source reads other rows (Advanced search criteria): the table starts again at the top. */
  filterKey?: string;
};

/**
 * Which rows are selected. While `all` is false, `rows` holds the selected rows; once "Select all" is chosen,
 * `all` is true and `rows` holds the ones unticked since (every row matching the search, except those).
 */
export type SelectionState<T> = { all: boolean; rows: ReadonlyMap<string, T> };

export type Selection<T> = {
  state: SelectionState<T>;
  count: number;
  isSelected: (row: T) => boolean;
  /** Ticks or unticks the row at `index`; with `range`, ticks every row from the last one clicked to it. */
  toggle: (index: number, range?: boolean) => Promise<void>;
  /** Selects every matching row, or clears the selection when all are selected already. */
  toggleAll: () => void;
  clear: () => void;
  /** The selected rows themselves (reading the matching rows when "Select all" was chosen). */
  rows: () => Promise<T[]>;
};

export type DataTableModel<T, P extends WindowPage<T> = WindowPage<T>> = {
  table: Table<T>;
  mode: "client" | "windowed";
  /** What is in the search box (as typed), and the view the rows reflect. */
  search: string;
  setSearch: (value: string) => void;
  hasSearch: boolean;
  view: DataView;
  /** Changes whenever the rows may be others (search, sort, filter): the table scrolls back to the top. */
  viewKey: string;
  /** Rows the table has (after the search): its scroll height. */
  count: number;
  /** Client mode: every row before the search. Windowed: the same as `count` (Rust counts the matches). */
  total: number;
  /** The window first in view (windowed mode: `asOf`, `syncing` and whatever else the page carries). */
  page: P | undefined;
  isPending: boolean;
  error: AppError | null;
  /** The row at a position, or undefined while its window is being read. */
  rowAt: (index: number) => Row<T> | undefined;
  /** Reported by DataTable: the rows in view. */
  onRangeChange: (first: number, last: number) => void;
  /** Every matching row in the order shown (CSV export), reading every window in windowed mode. */
  readAll: () => Promise<T[]>;
  selection: Selection<T>;
};

type Blocks = { head: number; tail: number };

function none<T>(): SelectionState<T> {
  return { all: false, rows: new Map<string, T>() };
}

/**
 * The state of one DataTable: search, sort, column visibility, selection and, for a windowed source,
 * which windows are read. Pair it with `<DataTable model={…} />`.
 */
export function useDataTable<T>(options: ClientOptions<T>): DataTableModel<T>;
export function useDataTable<T, P extends WindowPage<T>>(options: WindowedOptions<T, P>): DataTableModel<T, P>;
export function useDataTable<T, P extends WindowPage<T>>(options: ClientOptions<T> | WindowedOptions<T, P>): DataTableModel<T, P> {
  const windowed = "source" in options ? options : null;
  const client = "rows" in options ? options : null;
  const queryClient = useQueryClient();
  const [search, setSearchNow] = useState("");
  const [sorting, setSortingNow] = useState<SortingState>(options.initialSort ?? []);
  const [columnVisibility, setColumnVisibility] = useState<VisibilityState>({});
  const [blocks, setBlocks] = useState<Blocks>({ head: 0, tail: 0 });
  const [selection, setSelection] = useState<SelectionState<T>>(none);
  const [anchor, setAnchor] = useState<number | null>(null);

  // Another filter: read from the top again ("Select all" meant the rows of the old filter).
  const filterKey = windowed?.filterKey ?? "";
  const [seenFilter, setSeenFilter] = useState(filterKey);
  if (seenFilter !== filterKey) {
    setSeenFilter(filterKey);
    setBlocks({ head: 0, tail: 0 });
    setAnchor(null);
    setSelection((prev) => (prev.all ? none<T>() : prev));
  }

  // Windowed: Rust searches once typing pauses for 100 ms. Client: the filter follows at React's pace.
  const debounced = useDebounced(search.trim(), 100);
  const deferred = useDeferredValue(search.trim().toLowerCase());
  const sort = sorting[0];
  const view: DataView = {
    text: (windowed ? debounced : search.trim()) || null,
    sort: sort?.id ?? null,
    descending: sort?.desc ?? false,
  };
  const request = (offset: number, limit: number): WindowRequest => ({ ...view, offset, limit });

  const head = useQuery<P, AppError>({
    queryKey: windowed ? windowed.source.queryKey(request(blocks.head * WINDOW_BLOCK, WINDOW_BLOCK)) : ["no-window"],
    queryFn: () => windowed!.source.read(request(blocks.head * WINDOW_BLOCK, WINDOW_BLOCK)),
    enabled: windowed !== null,
    placeholderData: keepPreviousData,
  });
  const tail = useQuery<P, AppError>({
    queryKey: windowed ? windowed.source.queryKey(request(blocks.tail * WINDOW_BLOCK, WINDOW_BLOCK)) : ["no-window"],
    queryFn: () => windowed!.source.read(request(blocks.tail * WINDOW_BLOCK, WINDOW_BLOCK)),
    enabled: windowed !== null && blocks.tail !== blocks.head,
    placeholderData: keepPreviousData,
  });

  const sortable = windowed?.sortable;
  const isWindowed = windowed !== null;
  const columns = useMemo(
    () => (isWindowed ? options.columns.map((c) => ({ ...c, enableSorting: c.id !== undefined && (sortable?.has(c.id) ?? false) })) : options.columns),
    [options.columns, sortable, isWindowed],
  );
  const searchText = client?.searchText;
  // Client mode: every row. Windowed: the rows of the windows read (sorted and searched by Rust already).
  const clientData = client?.rows.data;
  const rowId = options.getRowId;
  const data = useMemo(() => {
    if (!isWindowed) return [...(clientData ?? [])];
    const seen = new Map<string, T>();
    for (const r of [...(head.data?.rows ?? []), ...(tail.data?.rows ?? [])]) seen.set(rowId(r), r);
    return [...seen.values()];
  }, [isWindowed, clientData, head.data, tail.data, rowId]);
  // eslint-disable-next-line react-hooks/incompatible-library -- we do not use the React Compiler
  const table = useReactTable<T>({
    data,
    columns,
    state: { sorting, columnVisibility, globalFilter: windowed ? "" : deferred },
    manualSorting: windowed !== null,
    manualFiltering: windowed !== null,
    onSortingChange: (updater) => {
      setSortingNow(updater);
      setBlocks({ head: 0, tail: 0 });
    },
    onColumnVisibilityChange: setColumnVisibility,
    globalFilterFn: (row, _columnId, needle: string) => !needle || (searchText?.(row.original).toLowerCase().includes(needle) ?? true),
    getColumnCanGlobalFilter: () => true,
    getCoreRowModel: getCoreRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getRowId: (row) => options.getRowId(row),
  });

  const clientRows = table.getRowModel().rows;
  const windows = [head.data, tail.data].filter((p): p is P => p !== undefined);
  const rowAt = (index: number): Row<T> | undefined => {
    if (!windowed) return clientRows[index];
    for (const p of windows) {
      const r = index >= p.offset ? p.rows[index - p.offset] : undefined;
      if (r !== undefined) return table.getRow(options.getRowId(r), true);
    }
    return undefined;
  };
  const count = windowed ? (head.data?.total ?? 0) : clientRows.length;
  const total = windowed ? count : (client?.rows.data?.length ?? 0);

  const onRangeChange = useCallback((first: number, last: number) => {
    const next = { head: Math.floor(Math.max(0, first - MARGIN) / WINDOW_BLOCK), tail: Math.floor((last + MARGIN) / WINDOW_BLOCK) };
    setBlocks((prev) => (prev.head === next.head && prev.tail === next.tail ? prev : next));
  }, []);

  const readRange = async (from: number, to: number): Promise<T[]> => {
    if (!windowed) return clientRows.slice(from, to + 1).map((r) => r.original);
    const out: T[] = [];
    for (let offset = from; offset <= to; ) {
      const limit = Math.min(MAX_WINDOW, to + 1 - offset);
      const r = request(offset, limit);
      const page = await queryClient.fetchQuery({ queryKey: windowed.source.queryKey(r), queryFn: () => windowed.source.read(r) });
      out.push(...page.rows);
      offset += page.rows.length;
      if (page.rows.length === 0 || offset >= page.total) break;
    }
    return out;
  };
  const readAll = () => readRange(0, windowed ? Number.MAX_SAFE_INTEGER - 1 : clientRows.length - 1);

  const id = options.getRowId;
  const isSelected = (row: T) => selection.all !== selection.rows.has(id(row));
  const selectionApi: Selection<T> = {
    state: selection,
    count: selection.all ? Math.max(count - selection.rows.size, 0) : selection.rows.size,
    isSelected,
    toggle: async (index, range = false) => {
      const row = rowAt(index)?.original;
      if (row === undefined) return;
      if (range && anchor !== null && anchor !== index) {
        const picked = await readRange(Math.min(anchor, index), Math.max(anchor, index));
        setSelection((prev) => {
          const rows = new Map(prev.rows);
          // Selecting: add to the picked rows, or take out of the exceptions after "Select all".
          for (const r of picked) {
            if (prev.all) rows.delete(id(r));
            else rows.set(id(r), r);
          }
          return { all: prev.all, rows };
        });
        return;
      }
      setAnchor(index);
      setSelection((prev) => {
        const rows = new Map(prev.rows);
        if (rows.has(id(row))) rows.delete(id(row));
        else rows.set(id(row), row);
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
    rows: async () => (selection.all ? (await readAll()).filter((r) => !selection.rows.has(id(r))) : [...selection.rows.values()]),
  };

  return {
    table,
    mode: windowed ? "windowed" : "client",
    search,
    setSearch: (value) => {
      setSearchNow(value);
      setBlocks({ head: 0, tail: 0 });
      setAnchor(null);
      // "Select all" means every row matching the search; a new search starts a new choice.
      setSelection((prev) => (prev.all ? none<T>() : prev));
    },
    hasSearch: windowed !== null || searchText !== undefined,
    view,
    viewKey: JSON.stringify([view, filterKey]),
    count,
    total,
    page: head.data,
    isPending: windowed ? head.isPending : (client?.rows.isPending ?? false),
    error: windowed ? (head.error ?? tail.error) : (client?.rows.isError ? client.rows.error : null),
    rowAt,
    onRangeChange,
    readAll,
    selection: selectionApi,
  };
}
