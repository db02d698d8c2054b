"use client";

import { AccessPage } from "../../../src/client/access/AccessPage";

export default function Page() {
  return <AccessPage />;
}
