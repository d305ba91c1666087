import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App, AppProviders } from "./App";
import { createQueryClient } from "./api";
import "./styles.css";

function start() {
  const root = document.getElementById("root");
  if (!root) throw new Error("index.html has no #root element");
  createRoot(root).render(
    <StrictMode>
      <AppProviders client={createQueryClient()}>
        <App />
      </AppProviders>
    </StrictMode>,
  );
}

start();
