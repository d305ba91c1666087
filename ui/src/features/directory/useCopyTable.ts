import type { UseQueryResult } from "@tanstack/react-query";
import { type ColumnDef, type SortingState, type VisibilityState, getCoreRowModel, useReactTable } from "@tanstack/react-table";
import { useCallback, useState } from "react";
import type { AppError, DirectoryQuery, LocalCriterion } from "../../api";
import { WINDOW_SIZE, windowOffset } from "../../components/VirtualTable";
import { useDebounced } from "../../lib/useDebounced";

/** What a window of the local copy carries (UserPage, GroupPage). */
export type CopyPage<Row> = { total: number; offset: number; rows: Row[]; asOf: string | null };

/**
 * A table over the local copy: the search box, the sort and the advanced criteria become one
 * `DirectoryQuery`, and the rows in view choose the window read (at most 300 rows cross IPC). Sorting
 * and filtering happen in Rust, so the table model holds only the current window.
 */
export function useCopyTable<Row extends { id: string }>(
  columns: ColumnDef<Row, string>[],
  useWindow: (query: DirectoryQuery) => UseQueryResult<CopyPage<Row>, AppError>,
  sortable: ReadonlySet<string>,
) {
  const [search, setSearchNow] = useState("");
  const text = useDebounced(search.trim(), 100);
  const [criteria, setCriteriaNow] = useState<LocalCriterion[]>([]);
  const [sorting, setSortingNow] = useState<SortingState>([{ id: "displayName", desc: false }]);
  const [columnVisibility, setColumnVisibility] = useState<VisibilityState>({});
  const [offset, setOffset] = useState(0);
  const sort = sorting[0];
  const sent = useDebounced(
    criteria.filter((c) => c.value.trim() !== ""),
    100,
  );
  const query: DirectoryQuery = {
    text: text || null,
    criteria: sent,
    sort: sort?.id ?? null,
    descending: sort?.desc ?? false,
    offset,
    limit: WINDOW_SIZE,
  };
  const result = useWindow(query);
  const page = result.data;

  // eslint-disable-next-line react-hooks/incompatible-library -- we do not use the React Compiler
  const table = useReactTable({
    data: page?.rows ?? [],
    columns: columns.map((c) => ({ ...c, enableSorting: c.id !== undefined && sortable.has(c.id) })),
    state: { sorting, columnVisibility },
    manualSorting: true,
    onSortingChange: (updater) => {
      setSortingNow(updater);
      setOffset(0);
    },
    onColumnVisibilityChange: setColumnVisibility,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (row) => row.id,
  });
  const onRangeChange = useCallback((first: number) => setOffset(windowOffset(first)), []);
  return {
    table,
    result,
    page,
    query,
    search,
    setSearch: (value: string) => {
      setSearchNow(value);
      setOffset(0);
    },
    criteria,
    setCriteria: (value: LocalCriterion[]) => {
      setCriteriaNow(value);
      setOffset(0);
    },
    windowed: { total: page?.total ?? 0, offset: page?.offset ?? 0, onRangeChange },
  };
}
