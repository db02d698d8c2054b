"use client";

import { QuorumPage } from "../../../src/client/quorum/QuorumPage";

export default function QuorumRoute() {
  return <QuorumPage />;
}
