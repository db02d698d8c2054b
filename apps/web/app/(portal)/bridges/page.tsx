"use client";

import { BridgesView } from "../../../src/client/bridges/BridgesView";

export default function BridgesPage() {
  return <BridgesView />;
}
