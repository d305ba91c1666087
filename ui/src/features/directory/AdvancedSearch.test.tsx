import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import type { UseMutationResult } from "@tanstack/react-query";
import { describe, expect, it, vi } from "vitest";
import type { AppError, SearchForm } from "../../api";
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
  return render(
    <FluentProvider theme={webLightTheme}>
      <AdvancedSearch
        properties={PROPERTIES}
        criteria={QUERY.criteria}
        onChange={() => {}}
        table={{ query: QUERY, isFetching: false, count }}
        noun={{ one: "person", many: "people" }}
        graphSearch={foundSearch(found)}
        describe={(row: Row) => ({ id: row.id, name: row.id, detail: null })}
        onOpen={() => {}}
      />
    </FluentProvider>,
  );
}

describe("AdvancedSearch", () => {
  it("searches Microsoft Graph with what the panel and the search box hold now, not the table's query of 100 ms ago", async () => {
    const mutate = vi.fn();
    render(
      <FluentProvider theme={webLightTheme}>
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
          describe={(row: Row) => ({ id: row.id, name: row.id, detail: null })}
          onOpen={() => {}}
        />
      </FluentProvider>,
    );
    await userEvent.click(screen.getByRole("button", { name: "Search in Microsoft Graph" }));
    expect(mutate).toHaveBeenCalledWith({
      text: "Adele",
      criteria: [{ property: "jobTitle", value: "Retail Manager" }],
      startsWith: false,
      firstOnly: false,
    });
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
