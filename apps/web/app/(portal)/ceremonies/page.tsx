"use client";

import { CeremonyList } from "../../../src/client/ceremony/CeremonyList";

export default function CeremoniesPage() {
  return <CeremonyList />;
}
