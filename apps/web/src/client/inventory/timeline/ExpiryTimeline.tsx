"use client";

import Link from "next/link";
import { useId, useMemo, useState } from "react";
import { keySearchParams, type KeyExpiries } from "@keyward/shared";
import { ErrorNotice } from "../../components/ErrorNotice";
import { useLocale, useT } from "../../i18n/I18nProvider";
import { keys } from "../../i18n/messages/keys";
import { DAY_SECONDS, formatDate } from "../format";
import { SOON_DAYS } from "../KeyTable";
import { useExpiries } from "../queries";
import { bucketExpiries, type Bucket } from "./buckets";

const WINDOWS = [30, 90, 365, 730] as const;
const SLICES = 24;
/** Names listed for the slice under the pointer or focus; the rest are one link away. */
const LISTED = 12;

// Drawing units (the SVG scales to its container).
const W = 760;
const H = 150;
const TOP = 8;
const AXIS = 22;
const EXPIRED_W = 40;
const GAP = 14;
const PLOT_X = EXPIRED_W + GAP;
const PLOT_H = H - TOP - AXIS;

type Item = KeyExpiries["items"][number];
type Slice = { key: string; label: string; bucket: Bucket<Item>; x: number; w: number; tone: string; expired: boolean };

const inventoryLink = (query: Parameters<typeof keySearchParams>[0]) => `/inventory?${keySearchParams(query).toString()}`;

/**
 * Which keys expire when: bars per slice of the window, expired keys apart on the left. Hover or focus a
 * bar for the names. `after`: load once the page's main content has (see useExpiries).
 */
export function ExpiryTimeline({ after = true }: { after?: boolean }) {
  const t = useT(keys);
  const { locale } = useLocale();
  const id = useId();
  const [days, setDays] = useState<number>(365);
  const [active, setActive] = useState<string>();
  const expiries = useExpiries(days, after);
  const data = expiries.data;

  const slices = useMemo<Slice[]>(() => {
    if (!data) return [];
    const timeline = bucketExpiries(data.items, data.now, data.days, SLICES);
    const slotW = (W - PLOT_X) / SLICES;
    const soonEnd = data.now + SOON_DAYS * DAY_SECONDS;
    const range = (b: Bucket<Item>) => t("timeline.range", { from: formatDate(b.start, locale), to: formatDate(b.end, locale) });
    return [
      { key: "expired", label: t("timeline.expired"), bucket: { start: 0, end: data.now, items: timeline.expired }, x: 0, w: EXPIRED_W, tone: "fill-red-600", expired: true },
      ...timeline.buckets.map((b, i) => ({
        key: String(i),
        label: range(b),
        bucket: b,
        x: PLOT_X + i * slotW + 1,
        w: slotW - 2,
        tone: b.start < soonEnd ? "fill-amber-500" : "fill-slate-500",
        expired: false,
      })),
    ];
  }, [data, locale, t]);
  const max = Math.max(1, ...slices.map((s) => s.bucket.items.length));
  const shown = slices.find((s) => s.key === active);
  const ticks = slices.filter((s, i) => !s.expired && (i - 1) % 6 === 0);

  return (
    <section aria-labelledby={`${id}-title`} className="rounded border border-slate-200 bg-white p-3" data-testid="expiry-timeline">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id={`${id}-title`} className="text-sm font-semibold">
          {t("timeline.title")}
        </h2>
        <label className="flex items-center gap-1 text-xs text-slate-600">
          {t("timeline.window")}
          <select value={days} onChange={(e) => setDays(Number(e.target.value))} className="rounded border border-slate-300 bg-white px-1 py-0.5" data-testid="timeline-window">
            {WINDOWS.map((d) => (
              <option key={d} value={d}>
                {t("filter.expiring.days", { days: d })}
              </option>
            ))}
          </select>
        </label>
      </div>
      {expiries.isError ? <ErrorNotice error={expiries.error} onRetry={() => void expiries.refetch()} /> : null}
      {expiries.isPending ? <p className="py-6 text-sm text-slate-500">{t("timeline.loading")}</p> : null}
      {data ? (
        <>
          <p className="mt-1 text-xs text-slate-600">
            {data.total === 0 ? t("timeline.none", { days: data.days }) : t("timeline.summary", { total: data.total.toLocaleString(), days: data.days })}
            {data.truncated ? ` ${t("timeline.truncated", { shown: data.items.length.toLocaleString() })}` : null}
          </p>
          <svg viewBox={`0 0 ${W} ${H}`} className="mt-2 h-auto w-full" role="group" aria-label={t("timeline.title")} onMouseLeave={() => setActive(undefined)}>
            <line x1={PLOT_X} x2={W} y1={TOP + PLOT_H} y2={TOP + PLOT_H} className="stroke-slate-300" />
            <line x1={0} x2={EXPIRED_W} y1={TOP + PLOT_H} y2={TOP + PLOT_H} className="stroke-slate-300" />
            {slices.map((s) => {
              const count = s.bucket.items.length;
              const h = count === 0 ? 0 : Math.max(3, (count / max) * PLOT_H);
              const names = s.bucket.items.slice(0, LISTED).map((k) => k.name).join(", ");
              return (
                <g
                  key={s.key}
                  role="button"
                  tabIndex={count ? 0 : -1}
                  aria-label={`${s.label}: ${t("timeline.count", { count })}${count ? ` — ${names}` : ""}`}
                  data-testid={`timeline-bar-${s.key}`}
                  onMouseEnter={() => setActive(s.key)}
                  onFocus={() => setActive(s.key)}
                  className="cursor-pointer focus:outline-none"
                >
                  {/* A full-height hit area, so a thin bar is easy to point at. */}
                  <rect x={s.x} y={TOP} width={s.w} height={PLOT_H} className={active === s.key ? "fill-sky-50" : "fill-transparent"} />
                  <rect x={s.x} y={TOP + PLOT_H - h} width={s.w} height={h} rx={1} className={`${s.tone} ${active === s.key ? "stroke-sky-600 stroke-2" : ""}`} />
                  {count ? (
                    <text x={s.x + s.w / 2} y={TOP + PLOT_H - h - 2} textAnchor="middle" className="fill-slate-600 text-[9px]">
                      {count}
                    </text>
                  ) : null}
                </g>
              );
            })}
            <text x={EXPIRED_W / 2} y={H - 6} textAnchor="middle" className="fill-red-700 text-[10px]">
              {t("timeline.expired")}
            </text>
            {ticks.map((s) => (
              <text key={s.key} x={s.x} y={H - 6} className="fill-slate-500 text-[10px]">
                {formatDate(s.bucket.start, locale)}
              </text>
            ))}
          </svg>
          <div aria-live="polite" className="mt-2 min-h-10 text-xs" data-testid="timeline-details">
            {shown ? (
              <div>
                <p className="font-medium text-slate-700">
                  {shown.label}: {t("timeline.count", { count: shown.bucket.items.length })}
                </p>
                {shown.bucket.items.length ? (
                  <ul className="mt-1 flex flex-wrap gap-x-3 gap-y-0.5">
                    {shown.bucket.items.slice(0, LISTED).map((k) => (
                      <li key={k.name}>
                        <Link href={`/inventory/${encodeURIComponent(k.name)}`} prefetch={false} className="font-mono text-sky-800 underline-offset-2 hover:underline">
                          {k.name}
                        </Link>
                      </li>
                    ))}
                    {shown.bucket.items.length > LISTED ? (
                      <li>
                        <Link
                          prefetch={false}
                          href={shown.expired ? inventoryLink({ sort: "expires" }) : inventoryLink({ expiringWithinDays: Math.ceil((shown.bucket.end - data.now) / DAY_SECONDS), sort: "expires" })}
                          className="text-sky-800 underline"
                        >
                          {t("timeline.more", { count: shown.bucket.items.length - LISTED })}
                        </Link>
                      </li>
                    ) : null}
                  </ul>
                ) : null}
              </div>
            ) : (
              <p className="text-slate-500">{t("timeline.hint")}</p>
            )}
          </div>
        </>
      ) : null}
    </section>
  );
}
