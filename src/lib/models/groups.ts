/** The participant -> group mapping accepted by hierarchical fitting and model comparison. */

/** A Map, a plain object, or a function from participant_id to group label. */
export type GroupOf = ReadonlyMap<string, string> | Readonly<Record<string, string>> | ((participantId: string) => string | null | undefined);

/** Label used for participants the mapping does not know. */
export const UNASSIGNED_GROUP = "(unassigned)";
/** Label used when no mapping is given: everyone in one group. */
export const ALL_GROUP = "all";

/** A resolver that returns the group of a participant, collecting a warning per unknown participant. */
export function groupResolver(groupOf: GroupOf | undefined, warnings: string[]): (participantId: string) => string {
  if (groupOf === undefined) return () => ALL_GROUP;
  const seen = new Set<string>();
  const lookup =
    typeof groupOf === "function"
      ? groupOf
      : groupOf instanceof Map
        ? (id: string) => (groupOf as ReadonlyMap<string, string>).get(id)
        : (id: string) => (Object.prototype.hasOwnProperty.call(groupOf, id) ? (groupOf as Readonly<Record<string, string>>)[id] : undefined);
  return (id: string) => {
    const g = lookup(id);
    if (g === undefined || g === null || g === "") {
      if (!seen.has(id)) {
        seen.add(id);
        warnings.push(`participant ${id} has no group in the mapping: put in group "${UNASSIGNED_GROUP}"`);
      }
      return UNASSIGNED_GROUP;
    }
    return g;
  };
}
