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
          noun="people"
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
});
