import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from "@fluentui/react-components";
import { Component, type ErrorInfo, type ReactNode } from "react";

type State = { error: Error | null; where: string | null };

/**
 * A page that fails to draw says so, with what went wrong and a way on, instead of leaving a blank
 * window (React unmounts everything below a render error that nothing catches).
 */
export class ErrorBoundary extends Component<{ children: ReactNode; resetKey?: unknown }, State> {
  override state: State = { error: null, where: null };

  static getDerivedStateFromError(error: Error): Partial<State> {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error("Entra Desk could not draw this page", error, info.componentStack);
    this.setState({ where: info.componentStack ?? null });
  }

  override componentDidUpdate(previous: { resetKey?: unknown }) {
    // Going to another page tries again.
    if (this.state.error && previous.resetKey !== this.props.resetKey) this.setState({ error: null, where: null });
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <MessageBar intent="error" layout="multiline" role="alert">
        <MessageBarBody>
          <MessageBarTitle>This page could not be shown</MessageBarTitle>
          {this.state.error.message}. Your directory is not affected; try again, or go to another page.
          <details>
            <summary>Details for support</summary>
            <pre style={{ whiteSpace: "pre-wrap", fontSize: "11px" }}>
              {[this.state.error.stack, this.state.where].filter(Boolean).join("\n")}
            </pre>
          </details>
        </MessageBarBody>
        <MessageBarActions>
          <Button onClick={() => this.setState({ error: null, where: null })}>Try again</Button>
        </MessageBarActions>
      </MessageBar>
    );
  }
}
