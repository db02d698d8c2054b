"use client";

import { useState, type FormEvent } from "react";

/**
 * The state both start forms share: which fields were edited (their problems show from then on), whether
 * a submit was tried (every problem shows), and "started" once the server took the request — until the
 * next edit. Field keys are the form's own (`keyLabel`, `0.bridgeId`, …).
 */
export function useFormState() {
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [submitted, setSubmitted] = useState(false);
  const [started, setStarted] = useState(false);
  return {
    started,
    shown: (key: string) => Boolean(touched[key] || submitted),
    edited: (key: string) => {
      setTouched((s) => ({ ...s, [key]: true }));
      setStarted(false);
    },
    /** `send` runs only when the form has no problems; it calls `accepted` once the server took the request. */
    submit: (ready: boolean, send: (accepted: () => void) => void) => (e: FormEvent) => {
      e.preventDefault();
      setSubmitted(true);
      if (!ready) return;
      send(() => {
        setTouched({});
        setSubmitted(false);
        setStarted(true);
      });
    },
  };
}
