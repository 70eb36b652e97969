/** Journal column widths (mm): single 89, double 183. */
export const COLUMN_WIDTHS_MM = { single: 89, double: 183 } as const;
