"use client";

import { useParams } from "next/navigation";
import { KmsImportView } from "../../../../src/client/kms-import/KmsImportView";

export default function KmsImportPage() {
  const { id } = useParams<{ id: string }>();
  return <KmsImportView id={id} />;
}
