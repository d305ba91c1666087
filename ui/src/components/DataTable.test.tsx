import { createColumnHelper, type ColumnDef } from "@tanstack/react-table";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { DirectoryQuery, WindowPage, WindowedSource } from "../api";
import { copyPage } from "../test/copyPage";
import { mockBackend, renderWithProviders } from "../test/render";
import { type CsvExtra, DataTable } from "./DataTable";
import { type DataTableModel, useClientTable, useWindowedTable, WINDOW_SIZE } from "./useDataTable";

type Person = { id: string; displayName: string; city: string };

const PEOPLE: Person[] = [
  { id: "p1", displayName: "Adele Vance", city: "Seattle" },
  { id: "p2", displayName: "Alex Wilber", city: "=cmd" },
  { id: "p3", displayName: "Diego Siciliani", city: "Redmond" },
  { id: "p4", displayName: "Grady Archie", city: "Bellevue" },
  { id: "p5", displayName: "Megan Bowen", city: "Seattle" },
];

const helper = createColumnHelper<Person>();
const columns = [
  helper.accessor("displayName", { id: "displayName", header: "Name", enableHiding: false }),
  helper.accessor("city", { id: "city", header: "City" }),
  helper.accessor((p) => p.id.toUpperCase(), { id: "code", header: "Code" }),
] as ColumnDef<Person, string>[];

const byId = (p: Person) => p.id;
const ASCENDING = [{ id: "displayName", desc: false }];

/** The DataTable every test renders, over either kind of model. */
function PeopleTable({ model, onOpen, extra }: { model: DataTableModel<Person>; onOpen?: (p: Person) => void; extra?: CsvExtra<Person>[] }) {
  return (
    <DataTable
      model={model}
      ariaLabel="People"
      rowHeight={40}
      testId="people"
      rowTestId="person"
      loadingLabel="Loading people"
      search={{ label: "Search people", placeholder: "Search" }}
      countText={`${model.count} people`}
      csv={{ fileName: "people", extra }}
      selectable={{ rowLabel: (p) => p.displayName }}
      onRowActivate={onOpen}
    />
  );
}

function ClientTable({ onOpen = () => undefined, rows = PEOPLE }: { onOpen?: (p: Person) => void; rows?: Person[] }) {
  const model = useClientTable({ rows, columns, getRowId: byId, searchText: (p) => `${p.displayName} ${p.city}`, initialSort: ASCENDING });
  return <PeopleTable model={model} onOpen={onOpen} extra={[{ header: "Object ID", value: (p) => p.id }]} />;
}

/** A windowed source over `rows`, answered as Rust would (copyPage), remembering every query. */
function source(rows: Person[]) {
  const queries: DirectoryQuery[] = [];
  const read = (query: DirectoryQuery) => {
    queries.push(query);
    const { total, offset, rows: window } = copyPage(rows, query);
    return Promise.resolve<WindowPage<Person>>({ total, offset, rows: window });
  };
  const people: WindowedSource<Person> = { queryKey: (query) => ["test", "people", query], read };
  return { people, queries };
}

const SORTABLE: ReadonlySet<string> = new Set(["displayName", "city"]);

function WindowedTable({ people }: { people: WindowedSource<Person> }) {
  const model = useWindowedTable({ source: people, columns, getRowId: byId, sortable: SORTABLE, initialSort: ASCENDING });
  return <PeopleTable model={model} />;
}

// Cells: the tick box, then the columns.
const names = () => screen.getAllByTestId("person").map((row) => within(row).getAllByRole("cell")[1]?.textContent);

/** The files the Export button asked Rust to save (the save dialog answers with a path), as lines of cells. */
let saved: string[][] = [];
beforeEach(() => {
  saved = [];
  mockBackend((cmd, args) => {
    if (cmd !== "save_csv") return null;
    const { header, rows } = args as { header: string[]; rows: (string | null)[][] };
    saved.push([header.join(","), ...rows.map((r) => r.map((c) => c ?? "").join(","))]);
    return "/home/me/people.csv";
  });
});
const csvLines = () => Promise.resolve(saved[0]!);

describe("DataTable over rows held here", () => {
  it("sorts by the initial column and the other way when its header is clicked", async () => {
    const user = userEvent.setup();
    renderWithProviders(<ClientTable rows={[...PEOPLE].reverse()} />);
    expect(names()).toEqual(["Adele Vance", "Alex Wilber", "Diego Siciliani", "Grady Archie", "Megan Bowen"]);
    await user.click(screen.getByRole("button", { name: "Name" }));
    expect(names()).toEqual(["Megan Bowen", "Grady Archie", "Diego Siciliani", "Alex Wilber", "Adele Vance"]);
    await user.click(screen.getByRole("button", { name: "City" }));
    expect(names()[0]).toBe("Alex Wilber");
  });

  it("searches the text each row offers", async () => {
    const user = userEvent.setup();
    renderWithProviders(<ClientTable />);
    await user.type(screen.getByRole("searchbox", { name: "Search people" }), "seattle");
    await waitFor(() => expect(names()).toEqual(["Adele Vance", "Megan Bowen"]));
    expect(screen.getByText("2 people")).toBeInTheDocument();
  });

  it("hides and shows columns from the column menu", async () => {
    const user = userEvent.setup();
    renderWithProviders(<ClientTable />);
    expect(screen.getByRole("columnheader", { name: "City" })).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Columns" }));
    // The name cannot be hidden, so it is not offered.
    expect((await screen.findAllByRole("menuitemcheckbox")).map((item) => item.textContent)).toEqual(["City", "Code"]);
    await user.click(screen.getByRole("menuitemcheckbox", { name: "City" }));
    await waitFor(() => expect(screen.queryByRole("columnheader", { name: "City" })).not.toBeInTheDocument());
    expect(within(screen.getAllByTestId("person")[0]!).queryByText("Seattle")).not.toBeInTheDocument();
    await user.click(screen.getByRole("menuitemcheckbox", { name: "City" }));
    await waitFor(() => expect(screen.getByRole("columnheader", { name: "City" })).toBeInTheDocument());
  });

  it("exports the visible columns in the order shown, then the extra ones, and says where the file was saved", async () => {
    const user = userEvent.setup();
    renderWithProviders(<ClientTable />);
    await user.click(screen.getByRole("button", { name: "Columns" }));
    await user.click(await screen.findByRole("menuitemcheckbox", { name: "Code" }));
    await user.keyboard("{Escape}");
    await user.click(screen.getByRole("button", { name: "Name" }));
    await user.click(screen.getByRole("button", { name: "Export CSV" }));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(await csvLines()).toEqual([
      "Name,City,Object ID",
      "Megan Bowen,Seattle,p5",
      "Grady Archie,Bellevue,p4",
      "Diego Siciliani,Redmond,p3",
      "Alex Wilber,=cmd,p2",
      "Adele Vance,Seattle,p1",
    ]);
    expect(await screen.findByText("Saved to /home/me/people.csv")).toBeInTheDocument();
  });

  it("ticks rows by click, Shift+click for a range and Select all, and exports only the ticked ones", async () => {
    const user = userEvent.setup();
    const open = vi.fn();
    renderWithProviders(<ClientTable onOpen={open} />);
    await user.click(screen.getByRole("checkbox", { name: "Select Alex Wilber" }));
    expect(screen.getByText(/^1 selected/)).toBeInTheDocument();
    // Ticking does not open the row.
    expect(open).not.toHaveBeenCalled();
    await user.keyboard("{Shift>}");
    await user.click(screen.getByRole("checkbox", { name: "Select Grady Archie" }));
    await user.keyboard("{/Shift}");
    await waitFor(() => expect(screen.getByText(/^3 selected/)).toBeInTheDocument());
    expect(screen.getByRole("checkbox", { name: "Select Diego Siciliani" })).toBeChecked();
    expect(screen.getByRole("checkbox", { name: "Select Adele Vance" })).not.toBeChecked();
    expect(screen.getByRole("checkbox", { name: "Select all" })).toBePartiallyChecked();

    await user.click(screen.getByRole("button", { name: "Export 3 selected" }));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect((await csvLines()).map((line) => line.split(",")[0])).toEqual(["Name", "Alex Wilber", "Diego Siciliani", "Grady Archie"]);

    await user.click(screen.getByRole("checkbox", { name: "Select all" }));
    expect(screen.getByText(/^5 selected/)).toBeInTheDocument();
    expect(screen.getByRole("checkbox", { name: "Select all" })).toBeChecked();
    await user.click(screen.getByRole("checkbox", { name: "Select Megan Bowen" }));
    expect(screen.getByText(/^4 selected/)).toBeInTheDocument();
    await user.click(screen.getByRole("checkbox", { name: "Select all" }));
    await user.click(screen.getByRole("checkbox", { name: "Select all" }));
    expect(screen.queryByText(/selected/)).not.toBeInTheDocument();
  });

  it("moves between rows with the arrow keys, Home and End; Enter opens the row, Space ticks it", async () => {
    const user = userEvent.setup();
    const open = vi.fn();
    renderWithProviders(<ClientTable onOpen={open} />);
    const rows = screen.getAllByTestId("person");
    // One row is in the Tab order.
    expect(rows.map((row) => row.tabIndex)).toEqual([0, -1, -1, -1, -1]);
    rows[0]!.focus();
    await user.keyboard("{ArrowDown}");
    expect(rows[1]).toHaveFocus();
    await user.keyboard("{ArrowDown}{ArrowDown}{ArrowUp}");
    expect(document.activeElement).toHaveTextContent("Diego Siciliani");
    await user.keyboard("{End}");
    expect(document.activeElement).toHaveTextContent("Megan Bowen");
    await user.keyboard("{ArrowDown}");
    expect(document.activeElement).toHaveTextContent("Megan Bowen");
    await user.keyboard("{Home}");
    expect(rows[0]).toHaveFocus();
    await user.keyboard("{Enter}");
    expect(open).toHaveBeenCalledWith(PEOPLE[0]);
    await user.keyboard(" ");
    expect(screen.getByRole("checkbox", { name: "Select Adele Vance" })).toBeChecked();
    await user.click(rows[2]!);
    expect(open).toHaveBeenLastCalledWith(PEOPLE[2]);
  });
});

describe("DataTable over a windowed source", () => {
  const many: Person[] = Array.from({ length: 1_250 }, (_, i) => ({
    id: `p${i}`,
    displayName: `Person ${String(i).padStart(4, "0")}`,
    city: i % 2 === 0 ? "Seattle" : "Oslo",
  }));

  it("asks only for a window, and sends the sort and search to the source", async () => {
    const user = userEvent.setup();
    const { people, queries } = source(many);
    renderWithProviders(<WindowedTable people={people} />);
    expect(await screen.findByText("1250 people")).toBeInTheDocument();
    expect(names()[0]).toBe("Person 0000");
    expect(screen.getAllByTestId("person").length).toBeLessThan(60);
    expect(queries.every((q) => q.limit <= WINDOW_SIZE && q.offset === 0)).toBe(true);

    await user.click(screen.getByRole("button", { name: "Name" }));
    await waitFor(() => expect(names()[0]).toBe("Person 1249"));
    expect(queries.at(-1)).toMatchObject({ sort: "displayName", descending: true, offset: 0 });
    // Columns the source can't sort by don't sort.
    expect(screen.queryByRole("button", { name: "Code" })).not.toBeInTheDocument();

    await user.type(screen.getByRole("searchbox", { name: "Search people" }), "oslo");
    await waitFor(() => expect(screen.getByText("625 people")).toBeInTheDocument());
    expect(queries.at(-1)).toMatchObject({ text: "oslo", sort: "displayName", descending: true });
  });

  it("exports every matching row, reading past the window, and Select all means every match", async () => {
    const user = userEvent.setup();
    const { people, queries } = source(many);
    renderWithProviders(<WindowedTable people={people} />);
    await screen.findByText("1250 people");
    await user.click(screen.getByRole("button", { name: "Export CSV" }));
    await waitFor(() => expect(saved).toHaveLength(1));
    const lines = await csvLines();
    expect(lines).toHaveLength(1_251);
    expect(lines[0]).toBe("Name,City,Code");
    expect(lines[1_250]).toBe("Person 1249,Oslo,P1249");
    expect(queries.every((q) => q.limit <= 500)).toBe(true);

    await user.click(screen.getByRole("checkbox", { name: "Select all" }));
    await user.click(screen.getByRole("checkbox", { name: "Select Person 0001" }));
    expect(screen.getByText(/^1,249 selected/)).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Export 1,249 selected" }));
    await waitFor(() => expect(saved).toHaveLength(2));
    const chosen = saved[1]!;
    expect(chosen).toHaveLength(1_250);
    expect(chosen.some((line) => line.startsWith("Person 0001,"))).toBe(false);
  });
});
