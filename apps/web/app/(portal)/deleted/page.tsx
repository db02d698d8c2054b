"use client";

import { Suspense } from "react";
import { DeletedKeysPage } from "../../../src/client/inventory/deleted/DeletedKeysPage";

export default function DeletedPage() {
  return (
    <Suspense>
      <DeletedKeysPage />
    </Suspense>
  );
}
