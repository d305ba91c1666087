// CSV import: templates, the file chosen and read in Rust, its bad rows fixed or skipped, then the
// good rows previewed as a bulk job (which runs through ./bulk).

import { useMutation } from "@tanstack/react-query";
import { type BulkPlan, type ImportCheck, type ImportKind, type ImportLine, commands } from "../bindings.gen";
import { type AppError, call } from "./errors";

export type { ImportCheck, ImportKind, ImportLine };

/** Asks where to save the template of `kind` and writes it; the path, or null when cancelled. */
export function useSaveImportTemplate() {
  return useMutation<string | null, AppError, ImportKind>({ mutationFn: (kind) => call(commands.saveImportTemplate(kind)) });
}

/** Asks which file to import as `kind`; Rust reads and checks it (nothing is sent). Null when cancelled. */
export function useOpenImportFile() {
  return useMutation<ImportCheck | null, AppError, ImportKind>({ mutationFn: (kind) => call(commands.openImportFile(kind)) });
}

/** Puts what was typed in a line's cells (null: keep the cell) and checks the rows again. */
export function useFixImportRow() {
  return useMutation<ImportCheck, AppError, { importId: number; line: number; cells: (string | null)[] }>({
    mutationFn: ({ importId, line, cells }) => call(commands.fixImportRow(importId, line, cells)),
  });
}

/** Previews the good rows (less the skipped lines) as a bulk job; refused while a bad line is left. */
export function usePlanImport() {
  return useMutation<BulkPlan, AppError, { importId: number; skipped: number[]; groupId: string | null }>({
    mutationFn: ({ importId, skipped, groupId }) => call(commands.planImport(importId, skipped, groupId)),
  });
}

/** Forgets an import that will not run. */
export function closeImport(importId: number): Promise<null> {
  return call(commands.closeImport(importId));
}
