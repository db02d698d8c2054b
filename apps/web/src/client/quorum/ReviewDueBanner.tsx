"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useT } from "../i18n/I18nProvider";
import { quorum } from "../i18n/messages/quorum";
import { useQuorum } from "./queries";

/**
 * On every page, for those who may read the quorum record: the quarterly review is due. Not on
 * /quorum itself, where the review panel says it.
 */
export function ReviewDueBanner() {
  const t = useT(quorum);
  const path = usePathname();
  const q = useQuorum({ quiet: true });
  const review = q.data?.domain ? q.data.review : null;
  if (!review?.due || path.startsWith("/quorum")) return null;
  const overdue = review.daysLeft !== null && review.daysLeft < 0 ? -review.daysLeft : 0;
  return (
    <div role="status" data-testid="quorum-review-banner" className="border-b border-amber-300 bg-amber-50">
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-3 px-4 py-1.5 text-sm text-amber-900">
        <span>{overdue ? t("banner.overdue", { days: overdue }) : t("banner.due")}</span>
        <Link href="/quorum" className="font-medium underline">
          {t("banner.link")}
        </Link>
      </div>
    </div>
  );
}
