/** Lower-case without diacritics, so "phuong" finds "Phường" and "dong da" finds "Đống Đa". */
export function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'd')
    .toLowerCase()
    .trim();
}

/** Items whose name contains every word of the query (diacritic-insensitive), in their order. */
export function searchByName<T extends { name: string }>(items: readonly T[], query: string, limit = 8): T[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  const out: T[] = [];
  for (const item of items) {
    const name = fold(item.name);
    if (words.every((w) => name.includes(w))) out.push(item);
    if (out.length >= limit) break;
  }
  return out;
}
