import { Button, Radio, RadioGroup, Text } from "@fluentui/react-components";
import { useState } from "react";
import { type PracticeSize, useResetPracticeTenant } from "../../api";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { DoneBar } from "../../components/DoneBar";
import { useConfirmedAction } from "../../components/useConfirmedAction";

const SIZES: { size: PracticeSize; label: string; done: string }[] = [
  { size: "sample", label: "The sample organisation (Adele Vance, Megan Bowen and 6 more)", done: "its sample directory" },
  { size: "people2000", label: "A generated organisation of 2,000 people and 200 groups", done: "a generated organisation of 2,000 people" },
  {
    size: "people100000",
    label: "A generated organisation of 100,000 people and 10,000 groups (reading it takes a minute)",
    done: "a generated organisation of 100,000 people",
  },
];

/**
 * "Start over" for the practice tenant: asks first (which organisation), then resets it and clears its
 * activity history. Everything account-scoped is refetched afterwards (useResetPracticeTenant).
 */
export function PracticeReset() {
  const reset = useResetPracticeTenant();
  const [size, setSize] = useState<PracticeSize>("sample");
  const chosen = SIZES.find((s) => s.size === size) ?? SIZES[0];
  const [done, setDone] = useState<string | null>(null);
  // The organisation is chosen inside the dialog, so the reset takes the size chosen when Start over is confirmed.
  const asking = useConfirmedAction(
    reset,
    () => size,
    () => setDone(`The practice tenant now holds ${chosen?.done ?? "a new directory"}, with no activity history.`),
  );
  return (
    <>
      <DoneBar message={done} onDismiss={() => setDone(null)} />
      <div>
        <Button
          onClick={() => {
            setSize("sample");
            setDone(null);
            asking.ask(undefined);
          }}
        >
          Start over
        </Button>
      </div>
      <ConfirmDialog
        {...asking.dialog}
        title="Start the practice tenant over?"
        confirmLabel="Start over"
        destructive
      >
        <Text>
          Start the practice tenant over? Everything you changed there and its activity history will be gone. Which
          organisation should it hold?
        </Text>
        <RadioGroup aria-label="Organisation" value={size} onChange={(_, d) => setSize(d.value as PracticeSize)}>
          {SIZES.map((s) => (
            <Radio key={s.size} value={s.size} label={s.label} />
          ))}
        </RadioGroup>
        <Text>Your organization's accounts are not affected.</Text>
      </ConfirmDialog>
    </>
  );
}
