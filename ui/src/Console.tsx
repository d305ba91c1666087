import { AppShell, type AppShellProps, type PageId } from "./features/shell/AppShell";
import { CustomRequestProvider } from "./features/custom/CustomRequestContext";
import { ActivityPage } from "./pages/ActivityPage";
import { BulkJobsPage } from "./pages/BulkJobsPage";
import { ChangesPage } from "./pages/ChangesPage";
import { CustomApiPage } from "./pages/CustomApiPage";
import { GroupsPage } from "./pages/GroupsPage";
import { LicencesPage } from "./pages/LicencesPage";
import { RolesPage } from "./pages/RolesPage";
import { DeletedItemsPage } from "./pages/DeletedItemsPage";
import { SettingsPage } from "./pages/SettingsPage";
import { UsersPage } from "./pages/UsersPage";
import { ReadOnlyBanner, WriteAccessProvider } from "./components/WriteAccess";
import { ErrorBoundary } from "./components/ErrorBoundary";
import { GraphWaits } from "./components/GraphWaits";
import { BulkJobsBanner, BulkJobsProvider } from "./features/bulk/BulkJobs";

/*
 * The signed-in console: shell, pages, bulk jobs. App loads this module only once someone is
 * signed in (React.lazy), so the first window a new user sees — the welcome page — parses and
 * holds none of it (issue 13, P5: the web process's memory at start).
 */

function Page({ page }: { page: PageId }) {
  switch (page) {
    case "users":
      return <UsersPage />;
    case "activity":
      return <ActivityPage />;
    case "changes":
      return <ChangesPage />;
    case "jobs":
      return <BulkJobsPage />;
    case "groups":
      return <GroupsPage />;
    case "licences":
      return <LicencesPage />;
    case "roles":
      return <RolesPage />;
    case "deleted":
      return <DeletedItemsPage />;
    case "custom":
      return <CustomApiPage />;
    case "settings":
      return <SettingsPage />;
  }
}

type Props = Omit<AppShellProps, "children">;

/** The app shell with the chosen page, for the active account. */
export function Console({ accounts, active, page, onNavigate, onAddAccount, banner }: Props) {
  return (
    <WriteAccessProvider readOnly={active.readOnly}>
      {/* Keyed by account: a job's dialog and banner belong to the account that runs it. */}
      <BulkJobsProvider key={active.id}>
        <AppShell
          accounts={accounts}
          active={active}
          page={page}
          onNavigate={onNavigate}
          onAddAccount={onAddAccount}
          banner={
            <>
              {banner}
              <ReadOnlyBanner />
              <GraphWaits />
              <ErrorBoundary>
                <BulkJobsBanner />
              </ErrorBoundary>
            </>
          }
        >
          {/* Keyed by account: what was typed on the Custom API page stays while the person moves
              between pages, and another account's answer is never shown. */}
          <CustomRequestProvider key={active.id}>
            <ErrorBoundary resetKey={page}>
              <Page page={page} />
            </ErrorBoundary>
          </CustomRequestProvider>
        </AppShell>
      </BulkJobsProvider>
    </WriteAccessProvider>
  );
}

export default Console;
