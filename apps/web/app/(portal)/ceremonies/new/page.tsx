"use client";

import { NewCeremony } from "../../../../src/client/ceremony/wizard/NewCeremony";

export default function NewCeremonyPage() {
  return <NewCeremony />;
}
