// When two titles or two addresses are the same: the domain's identity rules, in
// one place. The store keys its rows with these; ingest and the subscriber list
// compare with them.

/** The form titles are compared in: NFKC, lower-case, only letters and digits, single spaces. */
export function titleKey(title: string): string {
  return title
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The form two addresses are compared in: the whole address, trimmed, case-insensitively. */
export function addressKey(email: string): string {
  return email.trim().toLowerCase();
}
