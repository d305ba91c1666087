import {
  Button,
  FluentProvider,
  Spinner,
  makeStyles,
  tokens,
  webDarkTheme,
  webLightTheme,
} from "@fluentui/react-components";
import { MotionBehaviourProvider } from "@fluentui/react-motion";
import { type QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { type ReactNode, Suspense, lazy, useState } from "react";
import { type AppError, useAppState, useBackendEvents, useWatchStatus } from "./api";
import { ErrorMessageBar } from "./components/ErrorMessageBar";
import type { PageId } from "./features/shell/AppShell";
import { usePrefersDark } from "./lib/colorScheme";
import { WelcomePage } from "./pages/WelcomePage";
import { Notices } from "./components/Notices";
import { ErrorBoundary } from "./components/ErrorBoundary";

// Loaded when first needed: a new user's first window is the welcome page alone (see Console.tsx).
const Console = lazy(() => import("./Console"));
const SetupHelpPage = lazy(() => import("./pages/SetupHelpPage").then((m) => ({ default: m.SetupHelpPage })));

const useStyles = makeStyles({
  surface: { height: "100%", backgroundColor: tokens.colorNeutralBackground2 },
  center: { height: "100%", display: "flex", alignItems: "center", justifyContent: "center", padding: tokens.spacingHorizontalXXL },
  column: { height: "100%", display: "flex", flexDirection: "column" },
  fill: { flex: 1, minHeight: 0 },
  startError: { maxWidth: "560px" },
});

/** Theme (follows the OS light/dark setting) and data layer. */
export function AppProviders({ client, children }: { client: QueryClient; children: ReactNode }) {
  const styles = useStyles();
  const dark = usePrefersDark();
  return (
    <QueryClientProvider client={client}>
      {/* FluentProvider's className is copied onto every portal (menus, popovers), so the full-window
          layout and background live on an inner element; on the provider they would cover the app. */}
      <FluentProvider theme={dark ? webDarkTheme : webLightTheme}>
        {/* Fluent's enter animations never finish in WebKitGTK's webview (seen under Xvfb: the
            navigation stayed at opacity 0, translated off-screen), so motion is skipped: panels,
            menus and drawers appear at once in their final place. */}
        <MotionBehaviourProvider value="skip">
          <div className={styles.surface}>{children}</div>
        </MotionBehaviourProvider>
      </FluentProvider>
    </QueryClientProvider>
  );
}

/** While the app state is read at start-up, or why it could not be. */
function Starting({ error, onRetry }: { error: AppError | null; onRetry: () => void }) {
  const styles = useStyles();
  return (
    <div className={styles.center}>
      {error ? (
        <div className={styles.startError}>
          <ErrorMessageBar error={error} title="Entra Desk couldn't start" action={<Button onClick={onRetry}>Try again</Button>} />
        </div>
      ) : (
        <Spinner label="Starting Entra Desk…" />
      )}
    </div>
  );
}

/** While a part of the app loads from disk (a moment, once). */
function Loading() {
  const styles = useStyles();
  return (
    <div className={styles.center}>
      <Spinner label="Loading…" />
    </div>
  );
}

/** Welcome when nobody is signed in; otherwise the app shell with the chosen page. */
export function App() {
  const styles = useStyles();
  useBackendEvents();
  const state = useAppState();
  const [adding, setAdding] = useState(false);
  const [setupHelp, setSetupHelp] = useState(false);
  const [page, setPage] = useState<PageId>("users");
  const [dismissedNotices, setDismissedNotices] = useState<ReadonlySet<string>>(new Set());
  const watchNotice = useWatchStatus().data?.notice;

  if (state.isPending || state.isError) return <Starting error={state.error} onRetry={() => void state.refetch()} />;

  if (setupHelp) {
    return (
      <Suspense fallback={<Loading />}>
        <SetupHelpPage onBack={() => setSetupHelp(false)} />
      </Suspense>
    );
  }

  const { accounts, activeAccountId, lastOrganization } = state.data;
  const active = accounts.find((account) => account.id === activeAccountId);
  const notices = (
    <Notices
      notices={[...state.data.notices, ...(active && watchNotice ? [watchNotice] : [])].filter((n) => !dismissedNotices.has(n))}
      onDismiss={(notice) => setDismissedNotices((d) => new Set([...d, notice]))}
    />
  );
  if (!active || adding) {
    return (
      <div className={styles.column}>
        {notices}
        <div className={styles.fill}>
          <WelcomePage
            remembered={lastOrganization}
            onSetupHelp={() => setSetupHelp(true)}
            onBack={active ? () => setAdding(false) : undefined}
            onDone={() => setAdding(false)}
          />
        </div>
      </div>
    );
  }

  return (
    // A part that failed to load says so (with Try again) rather than leaving a blank window.
    <ErrorBoundary>
      <Suspense fallback={<Loading />}>
        <Console
          accounts={accounts}
          active={active}
          page={page}
          onNavigate={setPage}
          onAddAccount={() => setAdding(true)}
          banner={notices}
        />
      </Suspense>
    </ErrorBoundary>
  );
}
