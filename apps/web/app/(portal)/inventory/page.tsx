"use client";

import { Suspense } from "react";
import { InventoryPage } from "../../../src/client/inventory/InventoryPage";

/** The page reads its query from the URL, which a static build cannot know: Suspense marks that boundary. */
export default function KeysPage() {
  return (
    <Suspense>
      <InventoryPage />
    </Suspense>
  );
}
