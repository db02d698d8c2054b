/** A slice of the timeline and the keys whose exp falls in it. */
export interface Bucket<T> {
  /** Unix seconds, inclusive. */
  start: number;
  /** Unix seconds, exclusive (inclusive for the last slice, which ends at the window's end). */
  end: number;
  items: T[];
}

export interface Timeline<T> {
  /** Keys already expired at `now`, whenever that was. */
  expired: T[];
  buckets: Bucket<T>[];
  /** The fullest bucket's count (expired included), for scaling the bars; at least 1. */
  max: number;
}

/**
 * Keys by when they expire: `count` equal slices from `now` to `now + days`, and the expired ones apart.
 * Keys past the window are left out (the server does not send them).
 */
export function bucketExpiries<T extends { exp: number }>(items: readonly T[], now: number, days: number, count: number): Timeline<T> {
  const end = now + days * 86_400;
  const width = (end - now) / count;
  const buckets: Bucket<T>[] = Array.from({ length: count }, (_, i) => ({
    start: Math.round(now + i * width),
    end: i === count - 1 ? end : Math.round(now + (i + 1) * width),
    items: [],
  }));
  const expired: T[] = [];
  for (const item of items) {
    if (item.exp < now) expired.push(item);
    else if (item.exp <= end) buckets[Math.min(count - 1, Math.floor((item.exp - now) / width))]?.items.push(item);
  }
  const max = Math.max(1, expired.length, ...buckets.map((b) => b.items.length));
  return { expired, buckets, max };
}
