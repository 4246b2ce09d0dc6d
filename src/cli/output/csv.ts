/** One CSV line as Ruby's CSV writes it: fields with the delimiter, quotes or newlines are quoted, and so are empty ones. */
export function csvLine(fields: string[], del = ','): string {
  return fields
    .map((f) => (f === '' || f.includes(del) || /["\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f))
    .join(del);
}
