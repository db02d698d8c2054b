"use client";

import { useParams } from "next/navigation";
import { CeremonyView } from "../../../../src/client/ceremony/view/CeremonyView";

export default function CeremonyPage() {
  const { id } = useParams<{ id: string }>();
  return <CeremonyView id={id} />;
}
