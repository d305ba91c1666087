import { z } from "zod";
import type { EventKind, GroupChoice, KindSetting, WatchSettings } from "../../api";

/** Microsoft Graph's delta records are not worth asking for more often (the Rust side's minimum). */
export const MIN_POLL_SECS = 15;
export const MAX_POLL_SECS = 86_400;
export const MAX_RETENTION_DAYS = 3650;

export type IntervalUnit = "seconds" | "minutes";

const kindSchema = z.object({
  kind: z.custom<EventKind>((value) => typeof value === "string"),
  enabled: z.boolean(),
  notify: z.boolean(),
});

const groupSchema = z.object({ id: z.string(), name: z.string() });

const wholeNumber = (empty: string, notNumber: string) =>
  z
    .string()
    .trim()
    .min(1, empty)
    .refine((value) => /^\d+$/.test(value), notNumber);

/**
 * The Settings form. Numbers are kept as the text typed (so a half-typed value is never replaced), and
 * checked here in plain words; Rust checks the same rules again and names the field if it disagrees.
 */
export const settingsSchema = z
  .object({
    interval: wholeNumber("Enter how often to check.", "Use a whole number, like 60."),
    unit: z.enum(["seconds", "minutes"]),
    retentionDays: wholeNumber("Enter how many days to keep.", "Use a whole number of days, like 180."),
    kinds: z.array(kindSchema),
    watchAllGroups: z.boolean(),
    watchedGroups: z.array(groupSchema),
    memberType: z.enum(["members", "owners", "both"]),
    watchAllUsers: z.boolean(),
    watchedUsers: z.array(groupSchema),
  })
  .superRefine((form, ctx) => {
    if (/^\d+$/.test(form.interval.trim())) {
      const seconds = toSeconds(form.interval, form.unit);
      if (seconds < MIN_POLL_SECS) {
        ctx.addIssue({
          code: "custom",
          path: ["interval"],
          message: `Check at most every ${MIN_POLL_SECS} seconds. Checking more often doesn't find changes sooner.`,
        });
      } else if (seconds > MAX_POLL_SECS) {
        ctx.addIssue({ code: "custom", path: ["interval"], message: "Check at least once a day (24 hours is 1,440 minutes)." });
      }
    }
    if (/^\d+$/.test(form.retentionDays.trim())) {
      const days = Number(form.retentionDays);
      if (days < 1 || days > MAX_RETENTION_DAYS) {
        ctx.addIssue({ code: "custom", path: ["retentionDays"], message: "Keep the history for 1 to 3,650 days (10 years)." });
      }
    }
    if (!form.watchAllGroups && form.watchedGroups.length === 0) {
      ctx.addIssue({ code: "custom", path: ["watchedGroups"], message: "Choose at least one group, or watch all groups." });
    }
    if (!form.watchAllUsers && form.watchedUsers.length === 0) {
      ctx.addIssue({ code: "custom", path: ["watchedUsers"], message: "Choose at least one person, or watch everyone." });
    }
  });

export type SettingsForm = z.infer<typeof settingsSchema>;

export function toSeconds(interval: string, unit: IntervalUnit): number {
  const n = Number(interval.trim());
  return unit === "minutes" ? n * 60 : n;
}

/** What the form shows for saved settings: whole minutes read as minutes, anything else as seconds. */
export function toForm(settings: WatchSettings): SettingsForm {
  const minutes = settings.pollIntervalSecs >= 60 && settings.pollIntervalSecs % 60 === 0;
  return {
    interval: String(minutes ? settings.pollIntervalSecs / 60 : settings.pollIntervalSecs),
    unit: minutes ? "minutes" : "seconds",
    retentionDays: String(settings.retentionDays),
    kinds: settings.kinds.map((k) => ({ ...k })),
    watchAllGroups: settings.watchAllGroups,
    watchedGroups: settings.watchedGroups.map((g) => ({ ...g })),
    memberType: settings.memberType,
    watchAllUsers: settings.watchAllUsers,
    watchedUsers: settings.watchedUsers.map((u) => ({ ...u })),
  };
}

/** What Rust receives. A kind that is not shown is not announced either. */
export function fromForm(form: SettingsForm): WatchSettings {
  return {
    pollIntervalSecs: toSeconds(form.interval, form.unit),
    retentionDays: Number(form.retentionDays.trim()),
    kinds: form.kinds.map((k): KindSetting => ({ kind: k.kind, enabled: k.enabled, notify: k.enabled && k.notify })),
    watchAllGroups: form.watchAllGroups,
    watchedGroups: form.watchAllGroups ? [] : form.watchedGroups.map((g): GroupChoice => ({ id: g.id, name: g.name })),
    memberType: form.memberType,
    watchAllUsers: form.watchAllUsers,
    watchedUsers: form.watchAllUsers ? [] : form.watchedUsers.map((u) => ({ id: u.id, name: u.name })),
  };
}

/** Rust's `field` names → the form field the message belongs next to. */
export const SERVER_FIELDS = {
  pollIntervalSecs: "interval",
  retentionDays: "retentionDays",
  watchedGroups: "watchedGroups",
  watchedUsers: "watchedUsers",
} as const satisfies Record<string, keyof SettingsForm>;
