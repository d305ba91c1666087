import { type GriffelStyle, tokens } from "@fluentui/react-components";

/**
 * The style rules every section of a details drawer shares (spread into a component's `makeStyles`): the
 * section, its heading, secondary text, and a row of controls that wraps.
 */
export const DRAWER_SECTION = {
  section: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalS },
  heading: { margin: 0 },
  secondary: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  row: { display: "flex", columnGap: tokens.spacingHorizontalS, alignItems: "flex-end", flexWrap: "wrap" },
} satisfies Record<string, GriffelStyle>;

/** A drawer's list of held things (licences, roles): one row each, its text growing, its button at the end. */
export const DRAWER_LIST = {
  list: { listStyle: "none", margin: 0, padding: 0 },
  item: {
    display: "flex",
    alignItems: "center",
    columnGap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalXS} 0`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke3}`,
  },
  grow: { flex: 1, minWidth: 0, display: "flex", flexDirection: "column" },
  picker: { minWidth: "260px" },
} satisfies Record<string, GriffelStyle>;
