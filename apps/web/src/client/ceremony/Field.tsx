"use client";

import { useId, type ReactNode } from "react";
import { FieldError } from "../components/ErrorNotice";

export interface ControlProps {
  id: string;
  "aria-describedby": string;
  "aria-invalid": boolean;
}

export const inputClass = (a: ControlProps) =>
  `w-full rounded border bg-white px-2 py-1 text-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 ${a["aria-invalid"] ? "border-red-400" : "border-slate-300"}`;

/**
 * A labelled control with its hint, the problem found as you type, and the server's refusal when it
 * concerns this field — all tied to the control for screen readers.
 */
export function Field({
  name,
  label,
  hint,
  problem,
  serverError,
  children,
}: {
  /** Stable name for tests: the problem is `problem-<name>`, the server's refusal `server-error-<name>`. */
  name: string;
  label: string;
  hint?: ReactNode;
  problem: string | undefined;
  serverError?: unknown;
  children: (a: ControlProps) => ReactNode;
}) {
  const id = useId();
  const invalid = problem !== undefined || Boolean(serverError);
  return (
    <div>
      <label htmlFor={id} className="block text-xs font-medium text-slate-700">
        {label}
      </label>
      <div className="mt-0.5">{children({ id, "aria-describedby": `${id}-hint ${id}-problem ${id}-server`, "aria-invalid": invalid })}</div>
      {hint ? (
        <p id={`${id}-hint`} className="mt-0.5 text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {problem ? (
        <p id={`${id}-problem`} data-testid={`problem-${name}`} className="mt-0.5 text-xs text-red-700">
          {problem}
        </p>
      ) : null}
      <div data-testid={`server-error-${name}`}>
        <FieldError error={serverError} id={`${id}-server`} />
      </div>
    </div>
  );
}
