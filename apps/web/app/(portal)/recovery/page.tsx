"use client";

import { RecoveryPage } from "../../../src/client/recovery/RecoveryPage";

export default function RecoveryRoute() {
  return <RecoveryPage />;
}
