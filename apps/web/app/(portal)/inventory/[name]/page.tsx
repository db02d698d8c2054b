"use client";

import { useParams } from "next/navigation";
import { Suspense } from "react";
import { KeyDetail } from "../../../../src/client/inventory/detail/KeyDetail";

export default function KeyPage() {
  const { name } = useParams<{ name: string }>();
  return (
    <Suspense>
      <KeyDetail name={decodeURIComponent(name)} />
    </Suspense>
  );
}
