import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from "@fluentui/react-components";
import { Component, type ErrorInfo, type ReactNode } from "react";

type State = { error: Error | null };

/**
 * A page that fails to draw says so, with what went wrong and a way on, instead of leaving a blank
 * window (React unmounts everything below a render error that nothing catches).
 */
export class ErrorBoundary extends Component<{ children: ReactNode; resetKey?: unknown }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error("Entra Desk could not draw this page", error, info.componentStack);
  }

  override componentDidUpdate(previous: { resetKey?: unknown }) {
    // Going to another page tries again.
    if (this.state.error && previous.resetKey !== this.props.resetKey) this.setState({ error: null });
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <MessageBar intent="error" layout="multiline" role="alert">
        <MessageBarBody>
          <MessageBarTitle>This page could not be shown</MessageBarTitle>
          {this.state.error.message}. Your directory is not affected; try again, or go to another page.
        </MessageBarBody>
        <MessageBarActions>
          <Button onClick={() => this.setState({ error: null })}>Try again</Button>
        </MessageBarActions>
      </MessageBar>
    );
  }
}
