import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { IpcError } from "../api";
import { renderWithProviders } from "../test/render";
import { ErrorMessageBar, errorTitle, retryStep, supportLine } from "./ErrorMessageBar";

const forbidden: IpcError = {
  kind: "forbidden",
  message: "Insufficient privileges to complete the operation.",
  needed: "You need the License Administrator or User Administrator role to do this.",
  code: "Authorization_RequestDenied",
  requestId: "5e7d2a1c-3f0b-4c5e-9d1a-2b3c4d5e6f70",
};

const throttled: IpcError = {
  kind: "throttled",
  message: "Microsoft Graph is busy and asked to wait 5 seconds.",
  retryAfterSecs: 5,
  code: "TooManyRequests",
  requestId: "5f2b0c1e-8d3a-4f6b-9c2d-1e0a7b6c5d4e",
};

describe("ErrorMessageBar branches on kind", () => {
  it("forbidden: says permission is missing, leads with the role needed, keeps the request id", () => {
    renderWithProviders(<ErrorMessageBar error={forbidden} />);
    expect(screen.getByText("You don't have permission to do this")).toBeInTheDocument();
    const needed = screen.getByText("You need the License Administrator or User Administrator role to do this.");
    const graph = screen.getByText("Insufficient privileges to complete the operation.");
    expect(needed.compareDocumentPosition(graph) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(
      screen.getByText("Error code: Authorization_RequestDenied · Request ID: 5e7d2a1c-3f0b-4c5e-9d1a-2b3c4d5e6f70"),
    ).toBeInTheDocument();
  });

  it("forbidden without a known role shows Microsoft's words only", () => {
    renderWithProviders(<ErrorMessageBar error={{ ...forbidden, needed: null }} />);
    expect(screen.getByText("You don't have permission to do this")).toBeInTheDocument();
    expect(screen.queryByText(/License Administrator/)).not.toBeInTheDocument();
  });

  it("throttled: tells how many seconds to wait", () => {
    renderWithProviders(<ErrorMessageBar error={throttled} />);
    expect(screen.getByText("Microsoft Entra is busy")).toBeInTheDocument();
    expect(screen.getByText("Try again in 5 seconds.")).toBeInTheDocument();
    expect(screen.getByText(/Request ID: 5f2b0c1e-8d3a-4f6b-9c2d-1e0a7b6c5d4e/)).toBeInTheDocument();
  });

  it("throttled: one second, and no Retry-After at all", () => {
    expect(retryStep(1)).toBe("Try again in 1 second.");
    expect(retryStep(0)).toBe("Try again in 1 second.");
    expect(retryStep(null)).toBe("Try again in a minute.");
  });

  it("notFound and conflict have their own headline and keep code and request id", () => {
    const notFound: IpcError = { kind: "notFound", message: "m", code: "Request_ResourceNotFound", requestId: "rid-404" };
    const conflict: IpcError = { kind: "conflict", message: "m", code: "Request_BadRequest", requestId: "rid-400" };
    expect(errorTitle(notFound)).toBe("Microsoft Entra couldn't find it");
    expect(supportLine(notFound)).toBe("Error code: Request_ResourceNotFound · Request ID: rid-404");
    expect(errorTitle(conflict)).toBe("That already exists");
    expect(supportLine(conflict)).toBe("Error code: Request_BadRequest · Request ID: rid-400");
  });

  it("never branches on the HTTP status: another Graph failure is not called a permission problem", () => {
    const other: IpcError = { kind: "graph", message: "m", code: "generalException", requestId: "rid-500", status: 403 };
    expect(errorTitle(other)).toBe("Microsoft Entra could not do this");
  });
});
