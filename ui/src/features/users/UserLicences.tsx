import { Dropdown, Field, Input, Option, Spinner, Subtitle2, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useState } from "react";
import {
  type AppError,
  type UserDetails,
  type UserLicenseRow,
  useAssignLicence,
  useLicences,
  useRemoveLicence,
  useSetUsageLocation,
  useUserLicences,
} from "../../api";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ErrorMessageBar } from "../../components/ErrorMessageBar";
import { useConfirmedAction } from "../../components/useConfirmedAction";
import { ServicePlanChoice, switchedOffNames } from "../licences/ServicePlanChoice";
import { WriteButton } from "../../components/WriteAccess";

const useStyles = makeStyles({
  section: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalS },
  heading: { margin: 0 },
  list: { listStyle: "none", margin: 0, padding: 0 },
  item: {
    display: "flex",
    alignItems: "center",
    columnGap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalXS} 0`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke3}`,
  },
  grow: { flex: 1, minWidth: 0, display: "flex", flexDirection: "column" },
  secondary: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  row: { display: "flex", columnGap: tokens.spacingHorizontalS, alignItems: "flex-end", flexWrap: "wrap" },
  picker: { minWidth: "260px" },
  country: { width: "90px" },
});

function fieldMessage(error: AppError | null, field: string): string | undefined {
  return error && error.detail.kind === "validation" && error.detail.field === field ? error.detail.message : undefined;
}

/** A person's licences: remove (asks first), assign one (says why not: no seats, no usage location). */
export function UserLicences({ user, onDone }: { user: UserDetails; onDone: (message: string) => void }) {
  const styles = useStyles();
  const held = useUserLicences(user.id);
  const licences = useLicences();
  const assign = useAssignLicence();
  const remove = useRemoveLicence();
  const removing = useConfirmedAction(remove, (l: UserLicenseRow) => ({ userId: user.id, skuId: l.skuId }), (result) => onDone(result.message));
  const setLocation = useSetUsageLocation();
  const [skuId, setSkuId] = useState("");
  const [off, setOff] = useState<string[]>([]);
  const [location, setLocationText] = useState("");
  const heldIds = new Set((held.data ?? []).map((l) => l.skuId));
  const offered = (licences.data ?? []).filter((l) => !heldIds.has(l.skuId));
  const chosen = offered.find((l) => l.skuId === skuId);
  const assignError = assign.isError ? assign.error : null;
  const skuMessage = fieldMessage(assignError, "skuId");
  const locationMessage = fieldMessage(assignError, "usageLocation") ?? fieldMessage(setLocation.isError ? setLocation.error : null, "usageLocation");
  const needsLocation = !user.usageLocation || locationMessage !== undefined;
  const otherError = assignError && !skuMessage && !fieldMessage(assignError, "usageLocation") ? assignError : null;

  const doAssign = () =>
    assign.mutate(
      { userId: user.id, skuId, disabledPlans: off },
      {
        onSuccess: (result) => {
          setSkuId("");
          setOff([]);
          onDone(result.message);
        },
      },
    );

  return (
    <section className={styles.section} aria-labelledby="user-licences">
      <Subtitle2 as="h3" id="user-licences" className={styles.heading}>
        Licences
      </Subtitle2>
      {held.isPending && <Spinner size="tiny" label="Loading…" />}
      {held.isError && <ErrorMessageBar error={held.error} title="Couldn't read the licences" />}
      {held.isSuccess && held.data.length === 0 && <Text className={styles.secondary}>No licences.</Text>}
      <ul className={styles.list} aria-label={`Licences of ${user.displayName ?? user.id}`}>
        {(held.data ?? []).map((l) => (
          <li key={l.skuId} className={styles.item}>
            <span className={styles.grow}>
              <span>{l.name}</span>
              <span className={styles.secondary}>
                {l.assignedByGroup ? `From the group ${l.assignedByGroup}` : "Assigned directly"}
                {l.disabledPlans.length > 0
                  ? ` · Switched off: ${switchedOffNames(
                      licences.data?.find((k) => k.skuId === l.skuId),
                      l.disabledPlans,
                    ).join(", ")}`
                  : ""}
                {l.error ? ` · Problem: ${l.error}` : ""}
              </span>
            </span>
            <WriteButton
              size="small"
              appearance="subtle"
              disabled={l.assignedByGroup !== null}
              title={l.assignedByGroup ? `Remove them from ${l.assignedByGroup} instead` : undefined}
              onClick={() => removing.ask(l)}
            >
              Remove
            </WriteButton>
          </li>
        ))}
      </ul>
      <div className={styles.row}>
        <Field label="Assign a licence" validationMessage={skuMessage}>
          <Dropdown
            className={styles.picker}
            placeholder={licences.isPending ? "Loading licences…" : "Choose a licence"}
            value={chosen ? `${chosen.name} (${chosen.free.toLocaleString()} free)` : ""}
            selectedOptions={skuId ? [skuId] : []}
            // Seats and subscriptions change as other admins work: the list is read again when it opens.
            onOpenChange={(_, d) => d.open && void licences.refetch()}
            onOptionSelect={(_, d) => {
              assign.reset();
              setSkuId(d.optionValue ?? "");
              setOff([]);
            }}
          >
            {offered.map((l) => (
              <Option key={l.skuId} value={l.skuId} text={l.name}>
                {`${l.name} — ${l.free.toLocaleString()} of ${l.total.toLocaleString()} free`}
              </Option>
            ))}
          </Dropdown>
        </Field>
        <WriteButton appearance="primary" disabled={!skuId || assign.isPending} onClick={doAssign}>
          {assign.isPending ? "Assigning…" : "Assign licence"}
        </WriteButton>
      </div>
      {chosen && <ServicePlanChoice plans={chosen.servicePlans} off={off} onChange={setOff} disabled={assign.isPending} />}
      {needsLocation && (
        <div className={styles.row}>
          <Field
            label="Usage location"
            validationMessage={locationMessage}
            validationState={locationMessage ? "error" : "none"}
            hint={locationMessage ? undefined : "Two-letter country code (GB, US…). Microsoft needs it before assigning a licence."}
          >
            <Input className={styles.country} value={location} maxLength={2} onChange={(_, d) => setLocationText(d.value.toUpperCase())} />
          </Field>
          <WriteButton
            disabled={location.trim().length !== 2 || setLocation.isPending}
            onClick={() =>
              setLocation.mutate(
                { userId: user.id, usageLocation: location.trim() },
                {
                  onSuccess: () => {
                    onDone(`Usage location set to ${location.trim()}.`);
                    if (skuId) doAssign();
                    else assign.reset();
                  },
                },
              )
            }
          >
            {skuId ? "Set and assign" : "Set usage location"}
          </WriteButton>
        </div>
      )}
      {otherError && <ErrorMessageBar error={otherError} title="Couldn't assign the licence" />}
      {setLocation.isError && !fieldMessage(setLocation.error, "usageLocation") && (
        <ErrorMessageBar error={setLocation.error} title="Couldn't set the usage location" />
      )}
      <ConfirmDialog
        {...removing.dialog}
        title={`Remove ${removing.target?.name ?? ""} from ${user.displayName ?? "this person"}?`}
        confirmLabel="Remove licence"
        destructive
      >
        <Text>
          They lose the apps and services in this licence. Mailbox and files are kept for a grace period, then deleted; the seat
          becomes free for someone else.
        </Text>
      </ConfirmDialog>
    </section>
  );
}
