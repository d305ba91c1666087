import { Checkbox, Label, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useId } from "react";
import type { LicenseRow, ServicePlan } from "../../api";

const useStyles = makeStyles({
  block: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalXS },
  list: { display: "flex", flexDirection: "column", maxHeight: "220px", overflowY: "auto" },
  hint: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  technical: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200, marginLeft: tokens.spacingHorizontalXS },
});

/** The names of the services switched off, as people read them (ids Microsoft's table doesn't know stay ids). */
export function switchedOffNames(licence: LicenseRow | undefined, disabledPlans: readonly string[]): string[] {
  return disabledPlans.map((id) => licence?.servicePlans.find((p) => p.servicePlanId === id)?.label ?? id);
}

type Props = {
  plans: readonly ServicePlan[];
  /** The service plan ids to switch off. */
  off: readonly string[];
  onChange: (off: string[]) => void;
  disabled?: boolean;
};

/** The services of a licence, each on by default: untick one to switch it off for this person (Assign License's disabled plans). */
export function ServicePlanChoice({ plans, off, onChange, disabled }: Props) {
  const styles = useStyles();
  const labelId = useId();
  if (plans.length === 0) return null;
  const switchedOff = new Set(off);
  return (
    <div role="group" aria-labelledby={labelId} className={styles.block}>
      <Label id={labelId}>Services included</Label>
      <div className={styles.list}>
        {plans.map((p) => (
          <Checkbox
            key={p.servicePlanId}
            disabled={disabled}
            checked={!switchedOff.has(p.servicePlanId)}
            onChange={(_, d) => onChange(d.checked === true ? off.filter((id) => id !== p.servicePlanId) : [...off, p.servicePlanId])}
            label={
              <>
                {p.label}
                {p.servicePlanName && p.servicePlanName !== p.label && <span className={styles.technical}>{` · ${p.servicePlanName}`}</span>}
              </>
            }
          />
        ))}
      </div>
      <Text className={styles.hint}>
        {off.length > 0
          ? `${off.length} of ${plans.length} switched off. Tick a service to give it again.`
          : "All services are on. Untick a service to switch it off for this person."}
      </Text>
    </div>
  );
}
