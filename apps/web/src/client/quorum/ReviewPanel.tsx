"use client";

import type { QuorumRecord } from "@keyward/shared";
import { useState } from "react";
import { Field, inputClass } from "../ceremony/Field";
import { useT } from "../i18n/I18nProvider";
import { quorum } from "../i18n/messages/quorum";
import { Panel } from "../inventory/Panel";
import { reviewNoteProblem } from "./draft";
import { useRecordReview } from "./queries";
import { SubmitRow } from "./SubmitRow";
import { useProblemText, useQuorumDates } from "./words";

/** "Due", "3 days overdue" or "in 40 days": how the next review stands. */
export function ReviewBadge({ review }: { review: NonNullable<QuorumRecord["review"]> }) {
  const t = useT(quorum);
  const days = review.daysLeft;
  if (!review.due) {
    return <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700">{days === 0 ? t("review.today") : t("review.inDays", { days: days ?? 0 })}</span>;
  }
  return (
    <span data-testid="review-due" className="rounded bg-red-700 px-1.5 py-0.5 text-xs font-semibold text-white">
      {t("review.due")}
      {days !== null && days < 0 ? ` · ${t("review.overdue", { days: -days })}` : ""}
    </span>
  );
}

/** When the quarterly review is due, when the last one was, and recording one (with an optional note). */
export function ReviewPanel({ record }: { record: QuorumRecord }) {
  const t = useT(quorum);
  const { date } = useQuorumDates();
  const problemText = useProblemText();
  const save = useRecordReview();
  const [note, setNote] = useState("");
  const [saved, setSaved] = useState(false);
  const review = record.review;
  if (!review) return null;
  const problem = problemText(reviewNoteProblem(note));
  return (
    <Panel title={t("review.title")} aside={<ReviewBadge review={review} />} testId="quorum-review">
      <div className="mt-1 space-y-1 text-sm">
        {review.nextReviewAt ? <p data-testid="next-review">{t("review.next", { date: date(review.nextReviewAt) })}</p> : <p data-testid="next-review">{t("review.unknown")}</p>}
        <p className="text-slate-600">
          {review.lastReviewedAt ? t("review.last", { date: date(review.lastReviewedAt) }) : record.domain?.activatedAt ? t("review.never", { date: date(record.domain.activatedAt) }) : null}
        </p>
      </div>
      <form
        className="mt-3 space-y-2"
        data-testid="review-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (problem) return;
          save.mutate(
            { note },
            {
              onSuccess: () => {
                setNote("");
                setSaved(true);
              },
            },
          );
        }}
      >
        <Field name="review-note" label={t("review.note")} hint={t("review.noteHint")} problem={problem}>
          {(a) => (
            <textarea
              {...a}
              name="note"
              rows={2}
              value={note}
              onChange={(e) => {
                setNote(e.target.value);
                setSaved(false);
              }}
              className={inputClass(a)}
            />
          )}
        </Field>
        <SubmitRow save={save} label={t("review.save")} testId="save-review" savedText={saved ? t("review.saved") : undefined} disabled={Boolean(problem)} />
      </form>
    </Panel>
  );
}
