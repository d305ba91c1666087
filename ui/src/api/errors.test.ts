import { describe, expect, it } from "vitest";
import { mockBackend, rejectWith } from "../test/render";
import { AppError, type IpcError, call, toAppError, unwrap } from ".";
import { commands } from "../bindings.gen";
import { supportLine } from "../components/ErrorMessageBar";

const graphError: IpcError = {
  kind: "notFound",
  message: "That user does not exist.",
  code: "Request_ResourceNotFound",
  requestId: "7b4d3b2e-0000-4000-8000-000000000001",
};

describe("unwrap", () => {
  it("returns the data of an ok result", () => {
    expect(unwrap({ status: "ok", data: ["Adele Vance"] })).toEqual(["Adele Vance"]);
  });

  it("throws an AppError that keeps kind, message and request id", () => {
    let thrown: unknown;
    try {
      unwrap({ status: "error", error: graphError });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AppError);
    const appError = thrown as AppError;
    expect(appError.kind).toBe("notFound");
    expect(appError.message).toBe("That user does not exist.");
    expect(appError.detail).toEqual(graphError);
  });
});

describe("call, when Tauri refuses the call itself", () => {
  it("turns the plain string Tauri rejects with into an error the message bar can show", async () => {
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- Tauri rejects with a plain string
    mockBackend(() => Promise.reject("Command plan_undo_bulk_job not allowed by ACL"));
    const refused = call(commands.planUndoBulkJob(4));
    await expect(refused).rejects.toMatchObject({ name: "AppError", kind: "internal", message: "Command plan_undo_bulk_job not allowed by ACL" });
    const error: unknown = await refused.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(supportLine((error as AppError).detail)).toBeNull();
  });
});

describe("call", () => {
  it("turns a command's Err (an IpcError rejection) into a thrown AppError", async () => {
    mockBackend((cmd) => (cmd === "user_groups" ? rejectWith(graphError) : null));
    await expect(call(commands.userGroups("AdeleV@contoso.com"))).rejects.toMatchObject({
      name: "AppError",
      detail: { kind: "notFound", requestId: "7b4d3b2e-0000-4000-8000-000000000001" },
    });
  });

  it("passes an Ok through", async () => {
    mockBackend(() => []);
    await expect(call(commands.userGroups("AdeleV@contoso.com"))).resolves.toEqual([]);
  });
});

describe("toAppError", () => {
  it("maps a plain-text rejection (e.g. a refused permission) to an internal error with that text", () => {
    const error = toAppError("Command list_users not allowed by ACL");
    expect(error.kind).toBe("internal");
    expect(error.message).toBe("Command list_users not allowed by ACL");
  });

  it("explains a JavaScript failure in plain words and keeps its detail", () => {
    const error = toAppError(new TypeError("Cannot read properties of undefined (reading 'invoke')"));
    expect(error.kind).toBe("internal");
    expect(error.message).toMatch(/^The Entra Desk window couldn't reach the app\. Restart Entra Desk/);
    expect(error.message).toContain("(reading 'invoke')");
  });

  it("recognises an IpcError object", () => {
    expect(toAppError({ kind: "network", message: "Can't reach login.microsoftonline.com." }).kind).toBe("network");
  });

  it("recognises the Graph kinds the UI acts on", () => {
    for (const kind of ["forbidden", "throttled", "notFound", "conflict"] as const) {
      expect(toAppError({ kind, message: "m", code: null, requestId: "rid" }).kind).toBe(kind);
    }
  });

  it("does not trust objects with an unknown kind", () => {
    expect(toAppError({ kind: "teapot", message: "x" }).kind).toBe("internal");
  });
});
