import { z } from "zod";
import type { CloudName } from "../../api";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// A DNS name with at least one dot, e.g. contoso.onmicrosoft.com or contoso.com.
const DOMAIN = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

export const CLOUDS: ReadonlyArray<{ value: CloudName; label: string; portal: string }> = [
  { value: "global", label: "Global", portal: "entra.microsoft.com" },
  { value: "usGovL4", label: "US Government (GCC High)", portal: "portal.azure.us" },
  { value: "usGovL5Dod", label: "US Government (DoD)", portal: "portal.azure.us" },
  { value: "china", label: "China (21Vianet)", portal: "portal.azure.cn" },
];

export function cloudLabel(cloud: CloudName): string {
  return CLOUDS.find((c) => c.value === cloud)?.label ?? cloud;
}

export function isTenant(value: string): boolean {
  return GUID.test(value) || DOMAIN.test(value) || value.toLowerCase() === "organizations";
}

export const signInSchema = z.object({
  tenant: z
    .string()
    .trim()
    .min(1, "Enter your Directory (tenant) ID or your organization's domain.")
    .refine(isTenant, {
      message:
        'This isn\'t a tenant ID or domain. Use the Directory (tenant) ID (like 72f988bf-86f1-41af-91ab-2d7cd011db47), a domain like contoso.onmicrosoft.com, or "organizations".',
    }),
  clientId: z
    .string()
    .trim()
    .min(1, "Enter the Application (client) ID from your app registration.")
    .regex(GUID, "The Application (client) ID is a GUID, like 00000000-0000-0000-0000-000000000000. Copy it from the app registration's Overview page."),
  cloud: z.enum(["global", "usGovL4", "usGovL5Dod", "china"]),
  readOnly: z.boolean(),
});

export type SignInForm = z.infer<typeof signInSchema>;
