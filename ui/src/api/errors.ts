import type { IpcError } from "./types";

export type { IpcError };
export type IpcErrorKind = IpcError["kind"];

/** The shape tauri-specta gives every command that returns `Result<T, IpcError>` in Rust. */
export type CommandResult<T> = { status: "ok"; data: T } | { status: "error"; error: IpcError };

/**
 * The one error type the UI handles. It carries the IPC error unchanged, so screens can branch on
 * `kind` (never on text) and show Graph's request id or the sign-in trace id for support.
 */
export class AppError extends Error {
  readonly detail: IpcError;

  constructor(detail: IpcError) {
    super(detail.message);
    this.name = "AppError";
    this.detail = detail;
  }

  get kind(): IpcErrorKind {
    return this.detail.kind;
  }
}

const KINDS: ReadonlySet<string> = new Set<IpcErrorKind>([
  "validation",
  "notSignedIn",
  "forbidden",
  "throttled",
  "notFound",
  "conflict",
  "graph",
  "signIn",
  "network",
  "readOnly",
  "cancelled",
  "internal",
]);

function isIpcError(value: unknown): value is IpcError {
  if (typeof value !== "object" || value === null) return false;
  const v = value as { kind?: unknown; message?: unknown };
  return typeof v.kind === "string" && KINDS.has(v.kind) && typeof v.message === "string";
}

/** `{status:"ok"}` gives the data; `{status:"error"}` throws an `AppError` with the IPC error inside. */
export function unwrap<T>(result: CommandResult<T>): T {
  if (result.status === "ok") return result.data;
  // The generated wrappers pass on whatever the call rejected with: Tauri itself rejects with a plain
  // string (a command the window is not allowed to call, arguments that do not fit).
  throw toAppError(result.error);
}

/**
 * Turns anything a command rejected with into an `AppError`: commands without a Rust `Result`
 * (and Tauri itself, e.g. a missing permission) reject with a plain string or an Error.
 */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (isIpcError(error)) return new AppError(error);
  if (error instanceof Error) {
    // A JavaScript failure (e.g. the window lost its connection to the app), not an answer from Rust.
    return new AppError({
      kind: "internal",
      message: `The Entra Desk window couldn't reach the app. Restart Entra Desk; if this keeps happening, report this detail: ${error.message}`,
    });
  }
  const message = typeof error === "string" && error ? error : "Entra Desk could not finish the request.";
  return new AppError({ kind: "internal", message });
}

/** Awaits a command that returns `Result<T, IpcError>` and unwraps it. */
export async function call<T>(pending: Promise<CommandResult<T>>): Promise<T> {
  let result: CommandResult<T>;
  try {
    result = await pending;
  } catch (error) {
    throw toAppError(error);
  }
  return unwrap(result);
}

/** Awaits a command without a Rust `Result` (it can still reject, e.g. when the IPC call is refused). */
export async function callPlain<T>(pending: Promise<T>): Promise<T> {
  try {
    return await pending;
  } catch (error) {
    throw toAppError(error);
  }
}
