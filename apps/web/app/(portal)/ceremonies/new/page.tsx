"use client";

import { Suspense } from "react";
import { NewCeremony } from "../../../../src/client/ceremony/wizard/NewCeremony";

/** The wizard reads its target kind from the URL's query: rendered in the browser only (Suspense). */
export default function NewCeremonyPage() {
  return (
    <Suspense>
      <NewCeremony />
    </Suspense>
  );
}
