import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { UseMutationResult } from "@tanstack/react-query";
import { describe, expect, it, vi } from "vitest";
import type { AppError, SearchForm } from "../../api";
import { mockBackend, renderWithProviders } from "../../test/render";
import { AdvancedSearch } from "./AdvancedSearch";

const PROPERTIES = [{ property: "jobTitle", label: "Job title" }];

type Row = { id: string };

function idleSearch(mutate: (form: SearchForm) => void) {
  return { mutate, isIdle: true, isPending: false, isError: false, data: undefined } as unknown as UseMutationResult<Row[], AppError, SearchForm>;
}

function foundSearch(rows: Row[]) {
  return { mutate: () => {}, isIdle: false, isPending: false, isError: false, isSuccess: true, data: rows } as unknown as UseMutationResult<Row[], AppError, SearchForm>;
}

const QUERY = { text: null, criteria: [{ property: "jobTitle", op: "equals" as const, value: "Retail Manager" }], sort: null, descending: false, offset: 0, limit: 100 };

function renderPanel(count: number, found: Row[]) {
  return renderWithProviders(
    <AdvancedSearch
      properties={PROPERTIES}
      criteria={QUERY.criteria}
      onChange={() => {}}
      table={{ query: QUERY, isFetching: false, count }}
      noun={{ one: "person", many: "people" }}
      graphSearch={foundSearch(found)}
      previewAs="searchUsers"
      describe={(row: Row) => ({ id: row.id, name: row.id, detail: null })}
      onOpen={() => {}}
    />,
  );
}

describe("AdvancedSearch", () => {
  it("searches Microsoft Graph with what the panel and the search box hold now, not the table's query of 100 ms ago", async () => {
    const mutate = vi.fn();
    const calls = mockBackend((cmd) => (cmd === "preview_request" ? [] : null));
    renderWithProviders(
      <AdvancedSearch
        properties={PROPERTIES}
        criteria={[
          { property: "jobTitle", op: "equals", value: " Retail Manager " },
          { property: "jobTitle", op: "equals", value: "" },
        ]}
        onChange={() => {}}
        // The table has not caught up with the last keystrokes yet.
        table={{ query: { text: "Ade", criteria: [{ property: "jobTitle", op: "equals", value: "Retail Man" }], sort: null, descending: false, offset: 0, limit: 100 }, isFetching: true, count: 0, search: "Adele " }}
        noun={{ one: "person", many: "people" }}
        graphSearch={idleSearch(mutate)}
        previewAs="searchUsers"
        describe={(row: Row) => ({ id: row.id, name: row.id, detail: null })}
        onOpen={() => {}}
      />,
    );
    await userEvent.click(screen.getByRole("button", { name: "Search in Microsoft Graph" }));
    const form = { text: "Adele", criteria: [{ property: "jobTitle", value: "Retail Manager" }], startsWith: false, firstOnly: false };
    expect(mutate).toHaveBeenCalledWith(form);
    // Show the request works out the same search's reads.
    await userEvent.click(screen.getByRole("button", { name: "Show the request" }));
    await screen.findByText(/Nothing has been sent/);
    expect(calls.find((c) => c.cmd === "preview_request")?.args).toEqual({ action: { action: "searchUsers", search: form } });
  });

  it("counts one person and several people in words that agree", () => {
    const { unmount } = renderPanel(1, [{ id: "Adele Vance" }]);
    expect(screen.getByText("1 person matches in the local copy")).toBeTruthy();
    expect(screen.getByText("Found in Microsoft Graph: 1 person")).toBeTruthy();
    unmount();
    renderPanel(2, [{ id: "Adele Vance" }, { id: "Alex Wilber" }]);
    expect(screen.getByText("2 people match in the local copy")).toBeTruthy();
    expect(screen.getByText("Found in Microsoft Graph: 2 people")).toBeTruthy();
  });
});
