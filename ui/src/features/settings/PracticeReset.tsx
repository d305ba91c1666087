import { Button, Text } from "@fluentui/react-components";
import { useState } from "react";
import { useResetPracticeTenant } from "../../api";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { DoneBar } from "../../components/DoneBar";

/**
 * "Start over" for the practice tenant: asks first, then puts the sample directory back and clears its
 * activity history. Everything account-scoped is refetched afterwards (useResetPracticeTenant).
 */
export function PracticeReset() {
  const reset = useResetPracticeTenant();
  const [asking, setAsking] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  return (
    <>
      <DoneBar message={done} onDismiss={() => setDone(null)} />
      <div>
        <Button
          onClick={() => {
            reset.reset();
            setDone(null);
            setAsking(true);
          }}
        >
          Start over
        </Button>
      </div>
      <ConfirmDialog
        open={asking}
        title="Start the practice tenant over?"
        confirmLabel="Start over"
        destructive
        pending={reset.isPending}
        error={reset.error}
        onCancel={() => setAsking(false)}
        onConfirm={() =>
          reset.mutate(undefined, {
            onSuccess: () => {
              setAsking(false);
              setDone("The practice tenant is back to its sample directory, with no activity history.");
            },
          })
        }
      >
        <Text>
          Put the practice tenant back to its sample directory? Everything you changed there and its activity history will be
          gone.
        </Text>
        <Text>Your organization's accounts are not affected.</Text>
      </ConfirmDialog>
    </>
  );
}
