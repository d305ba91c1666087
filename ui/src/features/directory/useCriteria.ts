import { useMemo, useState } from "react";
import type { LocalCriterion } from "../../api";
import { useDebounced } from "../../lib/useDebounced";

/**
 * Advanced search criteria as typed, and the ones sent to the local copy: those with a value, once
 * typing pauses for 100 ms. `key` names what is sent (DataTable's filterKey).
 */
export function useCriteria() {
  const [criteria, setCriteria] = useState<LocalCriterion[]>([]);
  // Debounced as text: a new array every render would never settle.
  const key = useDebounced(JSON.stringify(criteria.filter((c) => c.value.trim() !== "")), 100);
  const sent = useMemo(() => JSON.parse(key) as LocalCriterion[], [key]);
  return { criteria, setCriteria, sent, key };
}
