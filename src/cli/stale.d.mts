/** See stale.mjs. */
export function staleInput(root: string): string | null;
