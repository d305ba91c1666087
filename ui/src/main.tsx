import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App, AppProviders } from "./App";
import { createQueryClient } from "./api";
import type { PageId } from "./features/shell/AppShell";
import "./styles.css";

async function start() {
  let initialPage: PageId | undefined;
  let initialSetupHelp = false;
  // Dev-only screenshots outside Tauri: `npm run dev` then open /?demo=1. Never part of a production build.
  if (import.meta.env.DEV && new URLSearchParams(window.location.search).has("demo")) {
    const { installDemoIpc } = await import("./dev/demoIpc");
    const params = new URLSearchParams(window.location.search);
    installDemoIpc(params);
    initialPage = (params.get("page") as PageId | null) ?? undefined;
    initialSetupHelp = params.has("setup");
  }
  const root = document.getElementById("root");
  if (!root) throw new Error("index.html has no #root element");
  createRoot(root).render(
    <StrictMode>
      <AppProviders client={createQueryClient()}>
        <App initialPage={initialPage} initialSetupHelp={initialSetupHelp} />
      </AppProviders>
    </StrictMode>,
  );
}

void start();
