import { Dropdown, Field, Input, Option, Spinner, Subtitle2, Text, makeStyles, } from "@fluentui/react-components";
import { useState } from "react";
import { DRAWER_SECTION, DRAWER_LIST } from "../../components/drawerStyles";
import {
  type AppError,
  type LicenseRow,
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
import { ShowRequest } from "../../components/ShowRequest";
import { useConfirmedAction } from "../../components/useConfirmedAction";
import { ServicePlanChoice, switchedOffNames } from "../licences/ServicePlanChoice";
import { WriteButton } from "../../components/WriteAccess";

const useStyles = makeStyles({
  ...DRAWER_SECTION,
  ...DRAWER_LIST,
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
  const remove = useRemoveLicence();
  const removing = useConfirmedAction(
    remove,
    (l: UserLicenseRow) => ({ userId: user.id, skuId: l.skuId }),
    (result) => onDone(result.message),
    (l) => ({ action: "removeLicense", userId: user.id, skuId: l.skuId }),
  );
  const heldIds = new Set((held.data ?? []).map((l) => l.skuId));
  const offered = (licences.data ?? []).filter((l) => !heldIds.has(l.skuId));

  return (
    <section className={styles.section} aria-labelledby="user-licences">
      <Subtitle2 as="h3" id="user-licences" className={styles.heading}>
        Licences
      </Subtitle2>
      {held.isPending && <Spinner size="tiny" label="Loading…" />}
      {held.isError && <ErrorMessageBar error={held.error} title="Couldn't read the licences" />}
      {held.isSuccess && held.data.length === 0 && <Text className={styles.secondary}>No licences.</Text>}
      <HeldLicences user={user} held={held.data ?? []} licences={licences.data ?? []} onRemove={removing.ask} />
      <AssignLicence user={user} offered={offered} loading={licences.isPending} onOpen={() => void licences.refetch()} onDone={onDone} />
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

/** The licences a person holds, each with how it was assigned, what is switched off, and Remove. */
function HeldLicences({
  user,
  held,
  licences,
  onRemove,
}: {
  user: UserDetails;
  held: UserLicenseRow[];
  licences: LicenseRow[];
  onRemove: (licence: UserLicenseRow) => void;
}) {
  const styles = useStyles();
  return (
    <ul className={styles.list} aria-label={`Licences of ${user.displayName ?? user.id}`}>
      {held.map((l) => (
        <li key={l.skuId} className={styles.item}>
          <span className={styles.grow}>
            <span>{l.name}</span>
            <span className={styles.secondary}>
              {l.assignedByGroup ? `From the group ${l.assignedByGroup}` : "Assigned directly"}
              {l.disabledPlans.length > 0
                ? ` · Switched off: ${switchedOffNames(
                    licences.find((k) => k.skuId === l.skuId),
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
            onClick={() => onRemove(l)}
          >
            Remove
          </WriteButton>
        </li>
      ))}
    </ul>
  );
}

type AssignProps = {
  user: UserDetails;
  /** The licences the person does not hold. */
  offered: LicenseRow[];
  loading: boolean;
  /** The list of licences is opened (read it again). */
  onOpen: () => void;
  onDone: (message: string) => void;
};

/**
 * Assign a licence: choose one (with its free seats) and the service plans to switch off; when
 * Microsoft needs a usage location first, ask for it and then assign.
 */
function AssignLicence({ user, offered, loading, onOpen, onDone }: AssignProps) {
  const styles = useStyles();
  const assign = useAssignLicence();
  const setLocation = useSetUsageLocation();
  const [skuId, setSkuId] = useState("");
  const [off, setOff] = useState<string[]>([]);
  const [location, setLocationText] = useState("");
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
  const setLocationThenAssign = () =>
    setLocation.mutate(
      { userId: user.id, usageLocation: location.trim() },
      {
        onSuccess: () => {
          onDone(`Usage location set to ${location.trim()}.`);
          if (skuId) doAssign();
          else assign.reset();
        },
      },
    );

  return (
    <>
      <div className={styles.row}>
        <LicenceChoice
          offered={offered}
          skuId={skuId}
          loading={loading}
          message={skuMessage}
          onOpen={onOpen}
          onChoose={(chosenId) => {
            assign.reset();
            setSkuId(chosenId);
            setOff([]);
          }}
        />
        <WriteButton appearance="primary" disabled={!skuId || assign.isPending} onClick={doAssign}>
          {assign.isPending ? "Assigning…" : "Assign licence"}
        </WriteButton>
      </div>
      {chosen && <ServicePlanChoice plans={chosen.servicePlans} off={off} onChange={setOff} disabled={assign.isPending} />}
      {chosen && <ShowRequest action={{ action: "assignLicense", userId: user.id, skuId, disabledPlans: off }} />}
      {needsLocation && (
        <UsageLocation
          value={location}
          onChange={setLocationText}
          message={locationMessage}
          pending={setLocation.isPending}
          label={skuId ? "Set and assign" : "Set usage location"}
          onSet={setLocationThenAssign}
        />
      )}
      {otherError && <ErrorMessageBar error={otherError} title="Couldn't assign the licence" />}
      {setLocation.isError && !fieldMessage(setLocation.error, "usageLocation") && (
        <ErrorMessageBar error={setLocation.error} title="Couldn't set the usage location" />
      )}
    </>
  );
}

/** The licences a person can be given, each with its free seats; the list is read again when it opens. */
export function LicenceChoice({
  offered,
  skuId,
  loading,
  message,
  onOpen,
  onChoose,
  label = "Assign a licence",
}: {
  offered: LicenseRow[];
  skuId: string;
  loading: boolean;
  message: string | undefined;
  onOpen: () => void;
  onChoose: (skuId: string) => void;
  label?: string;
}) {
  const styles = useStyles();
  const chosen = offered.find((l) => l.skuId === skuId);
  return (
    <Field label={label} validationMessage={message}>
      <Dropdown
        className={styles.picker}
        placeholder={loading ? "Loading licences…" : "Choose a licence"}
        value={chosen ? `${chosen.name} (${chosen.free.toLocaleString()} free)` : ""}
        selectedOptions={skuId ? [skuId] : []}
        // Seats and subscriptions change as other admins work: the list is read again when it opens.
        onOpenChange={(_, d) => d.open && onOpen()}
        onOptionSelect={(_, d) => onChoose(d.optionValue ?? "")}
      >
        {offered.map((l) => (
          <Option key={l.skuId} value={l.skuId} text={l.name}>
            {`${l.name} — ${l.free.toLocaleString()} of ${l.total.toLocaleString()} free`}
          </Option>
        ))}
      </Dropdown>
    </Field>
  );
}

/** The usage location a licence needs: a two-letter country code, and the button that sets it. */
export function UsageLocation({
  value,
  onChange,
  message,
  pending,
  label,
  onSet,
}: {
  value: string;
  onChange: (value: string) => void;
  message: string | undefined;
  pending: boolean;
  label: string;
  onSet: () => void;
}) {
  const styles = useStyles();
  return (
    <div className={styles.row}>
      <Field
        label="Usage location"
        validationMessage={message}
        validationState={message ? "error" : "none"}
        hint={message ? undefined : "Two-letter country code (GB, US…). Microsoft needs it before assigning a licence."}
      >
        <Input className={styles.country} value={value} maxLength={2} onChange={(_, d) => onChange(d.value.toUpperCase())} />
      </Field>
      <WriteButton disabled={value.trim().length !== 2 || pending} onClick={onSet}>
        {label}
      </WriteButton>
    </div>
  );
}
